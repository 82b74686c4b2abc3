import type { Attributes } from './intake';
import type { OutgoingAlert } from './route';

/**
 * Slack and Microsoft Teams through AWS Chatbot (Amazon Q Developer in chat applications), which
 * renders only its own formats: a custom notification (version "1.0", source "custom"), published
 * as the whole message to a topic that only Chatbot subscribes to. Links are bare URLs: Chatbot
 * renders `client-markdown` in each platform's own markdown, and Slack and Teams write links
 * differently, but both link a bare URL.
 */
export interface ChatNotification {
  version: '1.0';
  source: 'custom';
  id: string;
  content: { textType: 'client-markdown'; title: string; description: string; nextSteps?: string[]; keywords?: string[] };
  metadata: { summary: string; eventType: string; threadId?: string; additionalContext: Record<string, string> };
}

/**
 * Kept well under what a chat message shows: the AWS page gives no limit we could read, Slack
 * cuts sections at 3,000 characters. The e-mail always has the whole text.
 */
export const CHAT_DESCRIPTION_CHARS = 2800;

function cut(text: string, max: number, note: string): string {
  return text.length <= max ? text : `${text.slice(0, max - note.length - 1)}…${note}`;
}

function facts(attributes: Attributes, region?: string): string {
  const where = [attributes.accountName ?? attributes.account, attributes.account && attributes.accountName ? `(${attributes.account})` : '', region ?? '']
    .filter(Boolean)
    .join(' ');
  return [`*Severity:* ${attributes.severity ?? 'unknown'}`, where ? `*Account:* ${where}` : ''].filter(Boolean).join('   ');
}

/** One chat notification for an alert sent at once. */
export function chatForAlert(out: OutgoingAlert): ChatNotification {
  const { alert, detail } = out;
  const a: Attributes = alert.attributes;
  const body = detail
    ? [
        facts(a, detail.region),
        detail.done ? `*Done:* ${detail.done}` : '',
        detail.undo ? `*Undo:* \`${detail.undo}\`` : '',
        detail.link ? `*Finding:* ${detail.link}` : '',
        detail.tickets ? `*Ticket:* ${detail.tickets}` : '',
      ]
    : [facts(a), '```', cut(alert.message, CHAT_DESCRIPTION_CHARS - 200, ' (cut; the e-mail has the whole text)'), '```'];
  return {
    version: '1.0',
    source: 'custom',
    id: out.alertIds[0] ?? alert.subject,
    content: {
      textType: 'client-markdown',
      title: alert.subject,
      description: cut(body.filter(Boolean).join('\n'), CHAT_DESCRIPTION_CHARS, ' (cut; the e-mail has the whole text)'),
      ...(detail?.undo || detail?.link
        ? { nextSteps: [detail.undo ? `Undo: ${detail.undo}` : '', detail.link ? `Open the finding: ${detail.link}` : ''].filter(Boolean) }
        : {}),
      keywords: [a.severity, a.accountName, a.action].filter((k): k is string => Boolean(k) && k !== 'NONE'),
    },
    metadata: {
      summary: alert.subject,
      eventType: `security-response:${a.kind ?? 'alarm'}`,
      ...(detail?.findingId ? { threadId: detail.findingId } : {}),
      additionalContext: Object.fromEntries(
        Object.entries({ account: a.account, team: a.team, category: a.category, outcome: a.outcome }).filter((e): e is [string, string] => Boolean(e[1])),
      ),
    },
  };
}

/**
 * A digest as chat notifications: its one-line entries, as many per notification as fit, so every
 * held finding is named in exactly one of them.
 */
export function chatForDigest(out: OutgoingAlert, entries: readonly string[]): ChatNotification[] {
  const chunks: string[][] = [];
  let size = 0;
  for (const entry of entries) {
    const line = cut(entry, 400, '');
    const current = chunks.at(-1);
    if (!current || size + line.length + 1 > CHAT_DESCRIPTION_CHARS) {
      chunks.push([line]);
      size = line.length;
    } else {
      current.push(line);
      size += line.length + 1;
    }
  }
  const a: Attributes = out.alert.attributes;
  return chunks.map((lines, i) => ({
    version: '1.0',
    source: 'custom',
    id: `${out.alertIds[0] ?? out.alert.subject}-digest-${i + 1}`,
    content: {
      textType: 'client-markdown',
      title: chunks.length > 1 ? `${out.alert.subject} [${i + 1}/${chunks.length}]` : out.alert.subject,
      description: `${facts(a)}\n${lines.join('\n')}`,
      nextSteps: ['The e-mail digest has each finding’s undo command and console link.'],
      keywords: [a.severity, a.accountName, 'storm-digest'].filter((k): k is string => Boolean(k)),
    },
    metadata: { summary: out.alert.subject, eventType: 'security-response:digest', additionalContext: { account: a.account ?? '', team: a.team ?? '' } },
  }));
}
