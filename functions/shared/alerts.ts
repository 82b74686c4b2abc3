import type { Finding } from './finding';
import { alertSubject, lines, type Alert } from './notify';
import type { ResponderSettings } from './settings';

/** Alert pieces every function shares (no remediation code here: escalate and quarantine-user load none). */

/** Team attribute of an account's alerts: its owner, or the security team. */
export function teamOf(settings: Pick<ResponderSettings, 'owner'>): string {
  return settings.owner ?? 'security';
}

export function resourceLines(finding: Finding): string {
  return finding.resources.map((r) => `${r.type} ${r.id}`).join('\n           ') || 'none named';
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
    attributes: {
      kind: 'error',
      severity: 'HIGH',
      account: settings.accountId,
      accountName: settings.accountName,
      team: teamOf(settings),
      category: 'unreadable',
      action: 'NONE',
    },
  };
}
