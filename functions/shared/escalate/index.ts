import type { AwsPort, RecordedCall } from '../aws';
import { evidenceRecord, firstSeenAt, type EvidenceContext } from '../evidence/record';
import { recordThenAlert } from '../evidence/record-then-alert';
import { classify, type Category } from '../classify';
import { decisionCalls, type Decision } from '../decision';
import type { CustomAction } from '../events';
import type { Finding } from '../finding';
import { at } from '../events/errors';
import { withFindingId, type Log } from '../log';
import { alertSubject, consoleLink, lines, type Alert } from '../notify';
import { recordUpdates, type FindingUpdate } from '../record';
import { resourceLines } from '../alerts';
import type { ResponderSettings } from '../settings';

export interface EscalateDeps {
  aws: AwsPort;
  log: Log;
  now: Date;
}

/** What the analyst left on the finding: the custom action event names no user, the finding's note does. */
export function analystNote(finding: Finding): { text?: string; by?: string; at?: string } {
  const note = at(finding.raw, ['Note']);
  return {
    text: typeof at(note, ['Text']) === 'string' ? (at(note, ['Text']) as string) : undefined,
    by: typeof at(note, ['UpdatedBy']) === 'string' ? (at(note, ['UpdatedBy']) as string) : undefined,
    at: typeof at(note, ['UpdatedAt']) === 'string' ? (at(note, ['UpdatedAt']) as string) : undefined,
  };
}

/**
 * The escalate function runs in the security account and knows no member's settings: the category
 * comes from the finding alone, and an escalation always reaches a person.
 */
export function escalationCategory(finding: Finding, settings: ResponderSettings): Category {
  return classify(finding, { ...settings, criticalResourceTags: [], production: false }).category;
}

/** ASFF carries the member account's name (AwsAccountName) where Organizations knows it; else the id. */
export function accountLabel(finding: Finding): string {
  const name = at(finding.raw, ['AwsAccountName']);
  return typeof name === 'string' && name.length > 0 ? name : finding.accountId;
}

/**
 * What the evidence record of a decision on an aggregated finding says besides the decision, for the
 * security account's functions (escalate, investigate): the member's account named as ASFF names it.
 */
export function aggregatedFindingContext(fn: 'escalate' | 'investigate', finding: Finding, organization: string, handledAt: Date): EvidenceContext {
  return {
    function: fn,
    organization,
    accountName: accountLabel(finding),
    productArn: finding.productArn,
    controlId: finding.controlId,
    firstSeenAt: firstSeenAt(finding),
    handledAt,
  };
}

function escalationAlert(finding: Finding, action: CustomAction, category: Category, escalatedBy: string): Alert {
  const note = analystNote(finding);
  const body = lines([
    ['Escalated', `"${action.name}" by ${escalatedBy}`],
    ['Analyst note', note.text ? `${note.text}${note.at ? ` (${note.at})` : ''}` : 'none on the finding'],
    ['Action', action.description],
    ['What', finding.title || '(no title)'],
    ['Details', finding.description.slice(0, 1000)],
    ['Where', `account ${accountLabel(finding)} (${finding.accountId}), region ${finding.region}`],
    ['Resources', resourceLines(finding)],
    ['Severity', finding.severity],
    ['Category', category],
    ['Workflow', finding.workflowStatus],
    ['Finding', consoleLink(finding)],
    ['Finding id', finding.id],
  ]);
  return {
    subject: alertSubject(finding.severity, accountLabel(finding), `escalated: ${finding.title}`),
    message: `${body}\n\nNo automated remediation is run for an escalation; a person takes it from here.\n`,
    detail: {
      title: `escalated: ${finding.title || '(no title)'}`,
      accountName: accountLabel(finding),
      region: finding.region,
      done: `Escalated with "${action.name}" by ${escalatedBy}; no automated remediation.`,
      link: consoleLink(finding),
      findingId: finding.id,
      productArn: finding.productArn,
    },
    attributes: {
      kind: 'escalation',
      severity: finding.severity,
      account: finding.accountId,
      accountName: accountLabel(finding),
      team: 'security',
      category,
      action: 'NONE',
      outcome: 'ESCALATED',
    },
  };
}

/**
 * `escalate` on the "Escalate to SecOps" custom action: one alert per selected finding with the
 * action's name and the analyst's note, and a note on each finding saying it was escalated. NEW
 * findings become NOTIFIED, so the member's own responder does not also act on our update.
 */
export async function escalateFindings(findings: Finding[], action: CustomAction, settings: ResponderSettings, deps: EscalateDeps): Promise<Decision[]> {
  const { aws, log, now } = deps;
  const updates: FindingUpdate[] = findings.map((f) => {
    const analyst = analystNote(f);
    const by = analyst.by ?? 'an analyst';
    return {
      finding: f,
      // Aggregated copies live in the aggregation region, where this function runs.
      region: settings.region,
      // Our note replaces the analyst's on the finding: carry their words along.
      note: `${now.toISOString()} escalated to SecOps ("${action.name}") by ${by}.${analyst.text ? ` Analyst note: ${analyst.text}` : ''}`,
      fields: {},
      ...(f.workflowStatus === 'NEW' ? { workflow: 'NOTIFIED' as const } : {}),
    };
  });
  const records = await recordUpdates(updates, aws, log);
  const decisions: Decision[] = [];
  for (const finding of findings) {
    const escalatedBy = analystNote(finding).by ?? 'an analyst (the custom action event does not name who; CloudTrail does)';
    const category = escalationCategory(finding, settings);
    const alert = escalationAlert(finding, action, category, escalatedBy);
    const record = records.get(finding.id);
    const decision = (publishCall?: RecordedCall): Decision => ({
      findingId: finding.id,
      accountId: finding.accountId,
      region: finding.region,
      severity: finding.severity,
      mode: settings.mode,
      ignored: false,
      reason: `escalated by ${escalatedBy} with "${action.name}"`,
      classification: { category, escalate: true },
      remediation: { action: 'NONE', status: 'NOT_APPLICABLE', summary: 'Escalation: a person takes it from here.' },
      notification: { subject: alert.subject, attributes: alert.attributes },
      calls: decisionCalls([record?.call, publishCall]),
    });
    const publish = await withFindingId(log, finding.id, async () => {
      const out = await recordThenAlert(
        evidenceRecord(decision(), aggregatedFindingContext('escalate', finding, settings.organization, now)),
        alert,
        settings,
        aws,
        log,
      );
      log.info('finding escalated', { escalatedBy, recorded: records.get(finding.id)?.ok ?? false, alerted: out.publish.ok });
      return out.publish;
    });
    decisions.push(decision(publish.call));
  }
  return decisions;
}
