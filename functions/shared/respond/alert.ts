import type { Severity } from '../catalogue';
import type { Finding } from '../finding';
import { alertSubject, consoleLink, lines, type Alert } from '../notify';
import type { RecordOutcome } from '../record';
import type { ResponderSettings } from '../settings';
import { changed, type Judgement } from './judge';

/** Team attribute of an account's alerts: its owner, or the security team. */
export function teamOf(settings: Pick<ResponderSettings, 'owner'>): string {
  return settings.owner ?? 'security';
}

export function resourceLines(finding: Finding): string {
  return finding.resources.map((r) => `${r.type} ${r.id}`).join('\n           ') || 'none named';
}

/** What the automation did, and how a person reverses it, in words and as exact requests. */
function remediationText(j: Judgement): string {
  const r = j.remediation!;
  const out = [`${r.action} (${j.mode}): ${r.outcome ?? r.status}. ${r.summary}`];
  if (r.outcome === 'FAILED') {
    out.push(`The remediation FAILED, so the finding stays NOTIFIED for a person to act: ${r.error}`);
    if (r.missingPermission) out.push(`Missing permission: ${r.missingPermission} (add it to the respond role of this account and region).`);
  }
  if (changed(r)) {
    out.push('', `${r.outcome === 'FAILED' ? 'Some changes were made before the failure. ' : ''}How to undo: ${r.undo!.description}.`, `  npm run undo -- '${j.finding.id}'`, '  which replays:');
    for (const c of r.undo!.calls) out.push(`    ${c.service} ${c.operation} ${JSON.stringify(c.input)}`);
  }
  return out.join('\n');
}

/** The alert for one judged finding: subject, a body a person can act on, and filter attributes. */
export function findingAlert(j: Judgement, record?: RecordOutcome): Alert {
  const { finding, settings } = j;
  const c = j.classification!;
  const r = j.remediation!;
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

/** A finding of the batch that could not be read: reported so a person looks, the rest still handled. */
export function unreadableFindingAlert(settings: ResponderSettings, eventId: string, problem: { message: string; findingId?: string }): Alert {
  return {
    subject: alertSubject('HIGH', settings.accountName, 'security-response could not read a finding'),
    message: `${lines([
      ['Where', `account ${settings.accountName} (${settings.accountId}), region ${settings.region}`],
      ['Event', eventId || '(no id)'],
      ['Finding id', problem.findingId ?? '(unknown)'],
      ['Problem', problem.message],
    ])}\n\nThe other findings of the event were handled. Look at this finding in Security Hub by hand.\n`,
    attributes: { kind: 'error', severity: 'HIGH', account: settings.accountId, accountName: settings.accountName, team: teamOf(settings), category: 'unreadable', action: 'NONE' },
  };
}
