import type { Severity } from '../catalogue';
import { accountLabel } from '../escalate';
import type { Finding } from '../finding';
import { alertSubject, consoleLink, lines, type Alert } from '../notify';
import { investigationsConsoleLink } from './detective';
import type { InvestigationEntity } from './entity';
import type { InvestigationJob } from './job';

/** Every investigation alert goes to the security team; `kind` keeps them out of storm counts and tickets. */
function attributes(severity: Severity, accountId: string, accountName: string, outcome: string): Record<string, string> {
  return {
    kind: 'investigation',
    severity,
    account: accountId,
    accountName,
    team: 'security',
    category: 'credential-compromise',
    action: 'NONE',
    outcome,
  };
}

function entityName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export function startedAlert(finding: Finding, job: InvestigationJob, entity: InvestigationEntity, checkProblem?: string): Alert {
  const link = investigationsConsoleLink(finding.region);
  const body = lines([
    ['Investigation', `${job.investigationId} (Amazon Detective, ${finding.region})`],
    ['Of', `${entity.arn} (${entity.type === 'IAM_USER' ? 'IAM user' : 'IAM role'}, from ${entity.from})`],
    ['Time scope', `${job.scopeStart} to ${job.scopeEnd}`],
    ['Open it', link],
    ['Finding', `${finding.title || '(no title)'}\n           ${consoleLink(finding)}`],
    ['Where', `account ${accountLabel(finding)} (${finding.accountId}), region ${finding.region}`],
    ['Severity', finding.severity],
    ['Finding id', finding.id],
  ]);
  const result = checkProblem
    ? `The result will NOT be reported by alert: the check could not be queued (${checkProblem}). Look in the console.`
    : 'Its severity and indicators follow in another alert when Detective is done.';
  return {
    subject: alertSubject(finding.severity, accountLabel(finding), `investigating ${entityName(entity.arn)}`),
    message: `${body}\n\n${result}\n`,
    detail: {
      title: `Detective investigation of ${entityName(entity.arn)} started`,
      accountName: accountLabel(finding),
      region: finding.region,
      done: `Detective investigation ${job.investigationId} of ${entity.arn} started.`,
      link,
      findingId: finding.id,
      productArn: finding.productArn,
    },
    attributes: attributes(finding.severity, finding.accountId, accountLabel(finding), 'INVESTIGATION_STARTED'),
  };
}

export function notStartedAlert(finding: Finding, category: string, reason: string): Alert {
  const body = lines([
    ['No investigation', reason],
    ['Finding', `${finding.title || '(no title)'}\n           ${consoleLink(finding)}`],
    ['Where', `account ${accountLabel(finding)} (${finding.accountId}), region ${finding.region}`],
    ['Category', category],
    ['Severity', finding.severity],
    ['Finding id', finding.id],
  ]);
  return {
    subject: alertSubject(finding.severity, accountLabel(finding), `no Detective investigation: ${finding.title}`),
    message: `${body}\n\nInvestigate this credential finding by hand.\n`,
    detail: {
      title: `no Detective investigation: ${finding.title || '(no title)'}`,
      accountName: accountLabel(finding),
      region: finding.region,
      done: `No Detective investigation: ${reason}`,
      link: consoleLink(finding),
      findingId: finding.id,
      productArn: finding.productArn,
    },
    attributes: attributes(finding.severity, finding.accountId, accountLabel(finding), 'INVESTIGATION_NOT_STARTED'),
  };
}

export interface InvestigationResultSummary {
  /** SUCCESSFUL, FAILED, or RUNNING when the checks gave up. */
  status: string;
  severity?: Severity;
  indicators: Record<string, number>;
  /** A few indicators in words (tactics, IP addresses, related findings). */
  highlights: string[];
}

/** `FLAGGED_IP_ADDRESS 1, TTP_OBSERVED 2`, by type name; `none` when there are none. */
export function indicatorCounts(indicators: Record<string, number>): string {
  return (
    Object.entries(indicators)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([type, count]) => `${type} ${count}`)
      .join(', ') || 'none'
  );
}

export function resultAlert(job: InvestigationJob, result: InvestigationResultSummary, hoursWaited: number): Alert {
  const link = investigationsConsoleLink(job.region);
  const counts = indicatorCounts(result.indicators);
  const what =
    result.status === 'SUCCESSFUL'
      ? (result.severity ?? 'no severity')
      : result.status === 'FAILED'
        ? 'FAILED (Detective could not complete it)'
        : `still RUNNING after ${hoursWaited} hours; no more checks`;
  const body = lines([
    ['Investigation', `${job.investigationId}: ${what}`],
    ['Of', job.entityArn],
    ['Indicators', counts],
    ...(result.highlights.length > 0 ? ([['Highlights', result.highlights.join('\n           ')]] as [string, string][]) : []),
    ['Time scope', `${job.scopeStart} to ${job.scopeEnd}`],
    ['Open it', link],
    ['Finding', `${job.title || '(no title)'} (${job.findingId})`],
    ['Where', `account ${job.accountName} (${job.accountId}), region ${job.region}`],
  ]);
  const severity = result.severity ?? job.severity;
  const headline =
    result.status === 'SUCCESSFUL'
      ? `investigation of ${entityName(job.entityArn)}: ${result.severity ?? 'done'}`
      : `investigation of ${entityName(job.entityArn)} ${result.status === 'FAILED' ? 'failed' : 'not finished'}`;
  return {
    subject: alertSubject(severity, job.accountName, headline),
    message: `${body}\n`,
    detail: {
      title: headline,
      accountName: job.accountName,
      region: job.region,
      done: `Detective investigation ${job.investigationId}: ${what}; indicators ${counts}.`,
      link,
      findingId: job.findingId,
      productArn: job.productArn,
    },
    attributes: attributes(severity, job.accountId, job.accountName, `INVESTIGATION_${result.status}`),
  };
}
