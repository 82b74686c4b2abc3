import { DETAIL_ATTRIBUTE, type AlertDetail } from '../notify';

export type { AlertDetail };

/**
 * What the router reads: the SNS notifications the alert topic delivers to the intake queue
 * (not raw delivery, so the subject, attributes and publish time come with the message).
 */

/**
 * Message attributes as read: a key may be absent (alarms relayed by EventBridge carry none), which
 * a plain Record's type would hide.
 */
export type Attributes = Readonly<Partial<Record<string, string>>>;

export interface IntakeAlert {
  /** The SNS MessageId: a redelivered alert keeps it. */
  readonly id: string;
  readonly subject: string;
  readonly message: string;
  /** The SNS message attributes but `detail`. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly detail?: AlertDetail;
  readonly publishedAt: Date;
}

export class IntakeError extends Error {
  override readonly name = 'IntakeError';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function readDetail(raw: string | undefined): AlertDetail | undefined {
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined; // a detail we cannot read loses the chat rendering's fields, not the alert
  }
  if (!isRecord(parsed) || typeof parsed.title !== 'string') return undefined;
  return {
    title: parsed.title,
    accountName: optionalString(parsed.accountName),
    region: optionalString(parsed.region),
    done: optionalString(parsed.done),
    undo: optionalString(parsed.undo),
    link: optionalString(parsed.link),
    findingId: optionalString(parsed.findingId),
    productArn: optionalString(parsed.productArn),
  };
}

/** One SQS message body: an SNS notification. Throws IntakeError naming what is wrong. */
export function readIntake(body: string): IntakeAlert {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new IntakeError('the message is not JSON (expected an SNS notification)');
  }
  if (!isRecord(parsed) || parsed.Type !== 'Notification') throw new IntakeError('the message is not an SNS notification (Type is not "Notification")');
  const { MessageId: id, Message: message, Timestamp: timestamp } = parsed;
  if (typeof id !== 'string' || id === '') throw new IntakeError('the notification has no MessageId');
  if (typeof message !== 'string') throw new IntakeError(`notification ${id}: Message is not a string`);
  const publishedAt = new Date(typeof timestamp === 'string' ? timestamp : NaN);
  if (Number.isNaN(publishedAt.getTime())) throw new IntakeError(`notification ${id}: Timestamp is not a time`);
  const attributes: Record<string, string> = {};
  if (isRecord(parsed.MessageAttributes)) {
    for (const [key, value] of Object.entries(parsed.MessageAttributes)) {
      if (isRecord(value) && typeof value.Value === 'string') attributes[key] = value.Value;
    }
  }
  const { [DETAIL_ATTRIBUTE]: detail, ...rest } = attributes;
  return {
    id,
    subject: optionalString(parsed.Subject) ?? firstLine(message),
    message,
    attributes: rest,
    detail: readDetail(detail),
    publishedAt,
  };
}

/** Alarm state changes come from EventBridge without a subject: the first line, cut to SNS's limit. */
function firstLine(message: string): string {
  const line = message.split('\n', 1)[0]?.trim() ?? '';
  return (line || 'security-response alert').slice(0, 99);
}
