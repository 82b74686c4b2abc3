import { alertSubject, type Alert } from '../notify';
import type { Attributes } from './intake';
import type { HeldAlert } from './route';
import { highestSeverity, severityOf } from './storm';

/**
 * SNS takes 256 KiB a message, subject and attributes included. A digest's text stays under this,
 * split into numbered parts beyond it, so every held finding is listed in exactly one part.
 */
export const DIGEST_PART_BYTES = 200 * 1024;

const hhmm = (d: Date) => d.toISOString().slice(11, 16);

/** One held alert as digest lines: its subject, then what was done, the undo and the link when known. */
export function digestEntry(h: HeldAlert, n: number): string {
  const d = h.alert.detail;
  const rows = [`${n}. ${h.alert.subject}`];
  if (d?.done) rows.push(`   Done: ${d.done}`);
  if (d?.undo) rows.push(`   Undo: ${d.undo}`);
  if (d?.tickets) rows.push(`   Ticket: ${d.tickets}`);
  if (d?.link) rows.push(`   Finding: ${d.link}`);
  else if (d?.findingId) rows.push(`   Finding id: ${d.findingId}`);
  return rows.join('\n');
}

/** One held alert in one line, for chat: its subject and what was done. */
export function digestLine(h: HeldAlert, n: number): string {
  const done = h.alert.detail?.done;
  return `${n}. ${h.alert.subject}${done ? ` — ${done}` : ''}`;
}

/** The e-mail digests of one window, account and team: one message, or numbered parts past DIGEST_PART_BYTES. */
export function digestAlerts(group: readonly HeldAlert[], threshold: number): { alert: Alert; alertIds: string[]; entries: string[] }[] {
  const first = group.at(0);
  if (!first) return [];
  const { account, team, window } = first;
  const firstAttributes: Attributes = first.alert.attributes;
  const accountName = first.alert.detail?.accountName ?? firstAttributes.accountName ?? account;
  const severity = highestSeverity(group.map((h) => severityOf(h.alert.attributes)));
  const day = window.start.toISOString().slice(0, 10);
  const span = `${hhmm(window.start)}-${hhmm(window.end)} UTC`;
  const intro =
    `Alert storm: account ${accountName} (${account}) raised more than ${threshold} alerts between ${span} on ${day}. ` +
    `The first ${threshold} went out one by one; these ${group.length} are the rest of the window, in the order they came.`;

  const parts: { entries: string[]; alertIds: string[]; lines: string[] }[] = [];
  let size = 0;
  group.forEach((h, i) => {
    const entry = digestEntry(h, i + 1);
    const bytes = Buffer.byteLength(entry, 'utf8') + 2;
    const current = parts.at(-1);
    if (!current || size + bytes > DIGEST_PART_BYTES) {
      parts.push({ entries: [entry], alertIds: [h.alert.id], lines: [digestLine(h, i + 1)] });
      size = bytes;
    } else {
      current.entries.push(entry);
      current.alertIds.push(h.alert.id);
      current.lines.push(digestLine(h, i + 1));
      size += bytes;
    }
  });
  return parts.map(({ entries, alertIds, lines }, i) => {
    const part = parts.length > 1 ? ` (part ${i + 1} of ${parts.length})` : '';
    const alert: Alert = {
      subject: alertSubject(severity, accountName, `${group.length} alert${group.length === 1 ? '' : 's'} held in an alert storm, ${span}${part}`),
      message: `${intro}${part ? ` This is${part.replace(/[()]/g, '')}.` : ''}\n\n${entries.join('\n\n')}\n`,
      attributes: {
        kind: 'digest',
        severity,
        account,
        accountName,
        team,
        category: 'storm-digest',
        action: 'NONE',
        outcome: `${group.length} held`,
      },
    };
    return { alert, alertIds, entries: lines };
  });
}
