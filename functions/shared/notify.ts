import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { CallLog, type AwsPort, type RecordedCall } from './aws';
import type { Severity } from './catalogue';
import type { Finding } from './finding';
import type { Log } from './log';

/** Structured facts of an alert for chat and tickets, set by the publishing function in the `detail` attribute. */
export interface AlertDetail {
  readonly title: string;
  readonly accountName?: string;
  readonly region?: string;
  /** What the automation did, one line. */
  readonly done?: string;
  /** The command that reverses it. */
  readonly undo?: string;
  /** Console link to the finding. */
  readonly link?: string;
  readonly findingId?: string;
  readonly productArn?: string;
  /** The finding's tickets, one line (the router adds it; publishers leave it out). */
  readonly tickets?: string;
}

/** One message to the organization's alert topic. */
export interface Alert {
  subject: string;
  message: string;
  /** SNS message attributes; subscription filter policies select on `team` and `severity`. */
  attributes: Record<string, string>;
  /** For chat and tickets, sent as the `detail` attribute (the router renders it). @default none */
  detail?: AlertDetail;
}

/** The message attribute that carries an alert's detail, as JSON. */
export const DETAIL_ATTRIBUTE = 'detail';

export interface PublishOutcome {
  ok: boolean;
  error?: string;
  call?: RecordedCall;
}

/** SNS subjects: ASCII only, no line breaks, fewer than 100 characters. */
export const MAX_SUBJECT_CHARS = 99;

export function alertSubject(severity: Severity, account: string, title: string): string {
  // Whitespace (line breaks, tabs) becomes a space, other non-ASCII goes, then runs of spaces fold.
  const ascii = (s: string) =>
    s
      .replace(/\s/g, ' ')
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/ +/g, ' ')
      .trim();
  const subject = `[${severity}] ${ascii(account)}: ${ascii(title) || 'security finding'}`;
  return subject.length <= MAX_SUBJECT_CHARS ? subject : `${subject.slice(0, MAX_SUBJECT_CHARS - 3)}...`;
}

/** The region of the topic (from its ARN): SNS clients must target it, not the function's region. */
export function topicRegion(topicArn: string): string {
  const region = topicArn.split(':')[3];
  if (!region) throw new Error(`${topicArn} is not an SNS topic ARN`);
  return region;
}

/** A console link that opens this one finding. */
export function consoleLink(finding: Pick<Finding, 'id' | 'region' | 'format'>): string {
  const base = `https://${finding.region}.console.aws.amazon.com/securityhub`;
  if (finding.format === 'ocsf') return `${base}/v2/home?region=${finding.region}#/findings?search=finding_info.uid%3D${encodeURIComponent(finding.id)}`;
  // The console's own search syntax: `Id=` then the filter value URL-encoded twice.
  const value = encodeURIComponent(encodeURIComponent(`\\operator\\:EQUALS\\:${finding.id}`));
  return `${base}/home?region=${finding.region}#/findings?search=Id%3D${value}`;
}

/** SNS rejects empty attribute values; a missing value becomes "none". */
function messageAttributes(attributes: Record<string, string>) {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v || 'none' }]));
}

export function publishCommand(topicArn: string, alert: Alert): PublishCommand {
  const attributes = alert.detail ? { ...alert.attributes, [DETAIL_ATTRIBUTE]: JSON.stringify(alert.detail) } : alert.attributes;
  return new PublishCommand({ TopicArn: topicArn, Subject: alert.subject, Message: alert.message, MessageAttributes: messageAttributes(attributes) });
}

/** Publishes one alert; a failure is logged and returned, never thrown, so the other alerts still go out. */
export async function publishAlert(aws: AwsPort, topicArn: string, alert: Alert, log: Log): Promise<PublishOutcome> {
  const calls = new CallLog(aws);
  try {
    await calls.write(SNSClient, topicRegion(topicArn), publishCommand(topicArn, alert));
    return { ok: true, call: calls.calls[0] };
  } catch (e) {
    const error = `${(e as Error).name}: ${(e as Error).message}`;
    log.error('alert not published', { topicArn, subject: alert.subject, error });
    return { ok: false, error, call: calls.calls[0] };
  }
}

/** Aligned "label: value" lines, skipping empty values. */
export function lines(rows: [string, string | undefined][]): string {
  const width = Math.max(...rows.map(([k]) => k.length)) + 1;
  return rows
    .filter(([, v]) => v)
    .map(([k, v]) => `${`${k}:`.padEnd(width)} ${v}`)
    .join('\n');
}
