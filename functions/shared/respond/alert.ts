import type { Severity } from '../catalogue';
import { alertSubject, consoleLink, lines, type Alert } from '../notify';
import type { RecordOutcome } from '../record';
import type { UndoRecord } from '../remediations/types';
import type { ActedJudgement } from './judge';
import { resourceLines, teamOf } from '../alerts';

/** Did the remediation change anything? A failure part-way can have (its undo says what). Then it has an undo. */
export function changed<R extends { outcome?: string; undo?: UndoRecord }>(r: R): r is R & { undo: UndoRecord } {
  return (r.outcome === 'REMEDIATED' || r.outcome === 'FAILED') && r.undo !== undefined;
}

/** What the automation did, and how a person reverses it, in words and as exact requests. */
function remediationText(j: ActedJudgement): string {
  const r = j.remediation;
  const out = [`${r.action} (${j.mode}): ${r.outcome ?? r.status}. ${r.summary}`];
  for (const warning of r.warnings ?? []) out.push(`Warning: ${warning}.`);
  if (r.outcome === 'FAILED') {
    out.push(`The remediation FAILED, so the finding stays NOTIFIED for a person to act: ${r.error}`);
    if (r.missingPermission) out.push(`Missing permission: ${r.missingPermission} (add it to the respond role of this account and region).`);
  }
  if (changed(r)) {
    const before = `${r.outcome === 'FAILED' ? 'Some changes were made before the failure. ' : ''}How to undo: ${r.undo.description}.`;
    // BatchUpdateFindingsV2 stores a comment and a status only: an OCSF finding holds no undo
    // record for `npm run undo` to read, so the requests below are the record.
    if (j.finding.format === 'ocsf')
      out.push(
        '',
        before,
        '  This finding came on the OCSF feed, where Security Hub keeps no undo record: `npm run undo` cannot replay it. Replay these requests by hand:',
      );
    else out.push('', before, `  npm run undo -- '${j.finding.id}'`, '  which replays:');
    for (const c of r.undo.calls) out.push(`    ${c.service} ${c.operation} ${JSON.stringify(c.input)}`);
  }
  return out.join('\n');
}

/** The alert for one finding the function acted on: subject, a body a person can act on, and filter attributes. */
export function findingAlert(j: ActedJudgement, record?: RecordOutcome): Alert {
  const { finding, settings, classification: c, remediation: r } = j;
  const severity: Severity = c.severity;
  const header = lines([
    ['What', finding.title || '(no title)'],
    ['Details', finding.description.slice(0, 1000)],
    ['Where', `account ${settings.accountName} (${finding.accountId}), region ${finding.region}`],
    ['Resources', resourceLines(finding)],
    ['Owner', settings.owner ?? 'no owning team; security'],
    ['Severity', severity === finding.severity ? severity : `${severity} (reported ${finding.severity})`],
    ['Category', `${c.category}${c.escalate ? ' (escalate now)' : ''}`],
    ['Why', c.reasons.join('; ')],
    ['Control', finding.controlId],
    ['Finding', consoleLink(finding)],
    ['Finding id', finding.id],
  ]);
  const recorded = !record
    ? 'Not recorded on the finding.'
    : record.ok
      ? `Recorded on the finding by security-response: workflow ${r.outcome === 'REMEDIATED' ? 'RESOLVED' : 'NOTIFIED'}.`
      : `Could NOT record on the finding (${record.error}); it is still NEW in Security Hub.`;
  return {
    subject: alertSubject(severity, settings.accountName, finding.title),
    message: `${header}\n\nWhat the automation did:\n${remediationText(j)}\n\n${recorded}\n`,
    detail: {
      title: finding.title || '(no title)',
      accountName: settings.accountName,
      region: finding.region,
      done: `${r.action} (${j.mode}): ${r.outcome ?? r.status}. ${r.summary}`,
      // OCSF findings hold no undo record: the e-mail lists the requests to replay instead.
      ...(changed(r) && finding.format !== 'ocsf' ? { undo: `npm run undo -- '${finding.id}'` } : {}),
      link: consoleLink(finding),
      findingId: finding.id,
      productArn: finding.productArn,
    },
    attributes: {
      kind: 'finding',
      severity,
      account: finding.accountId,
      accountName: settings.accountName,
      team: teamOf(settings),
      category: c.category,
      action: r.action,
      outcome: r.outcome ?? r.status,
    },
  };
}
