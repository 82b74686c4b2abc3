import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { AwsPort } from '../aws';
import { isObject } from '../events/errors';
import type { Log } from '../log';
import type { EvidenceWriter } from '../naming';
import type { ResponderSettings } from '../settings';
import { EVIDENCE_SCHEMA_VERSION, evidenceKey, type EvidenceRecord } from './record';
import type { ReplayRequest } from './replay-event';
import { deadLetterQueueUrl, putEvidence } from './write';

/** Evidence records handled per invocation at most (moved, refused or left): well inside every function's timeout. */
export const MAX_REPLAYED = 100;
/**
 * Messages received per invocation at most, other dead letters included: a queue that also holds
 * many failed invocations (route's minute flush during an outage) is read past them, within bounds.
 */
export const MAX_RECEIVED = 1_000;
/** The time an invocation spends before it stops receiving: half of route's 60 s timeout. */
export const REPLAY_BUDGET_MS = 30_000;
/** Seconds a received message stays hidden: a message this invocation leaves is not received again by it. */
const HIDE_SECONDS = 300;

export interface ReplaySummary {
  replayId: string;
  /** Records written to the bucket and deleted from the queue, by key. */
  replayed: string[];
  /** Records the bucket still refused: they stay in the queue. */
  failed: { key: string; problem: string }[];
  /** Messages of kind evidence whose body is not a record this function may have written: left in the queue. */
  unreadable: { messageId: string; problem: string }[];
  /** Other dead letters (failed invocations): left for a person. */
  others: number;
  /** The invocation stopped at a limit, not at an empty queue: the command invokes again. */
  more: boolean;
}

/**
 * The record in a dead letter, if it is one this function may have written: the schema, a record
 * id, this function, and (for `respond` and `quarantine-user`, which decide only on their own
 * account) this account. Anyone allowed to send to the queue could put a message there; nothing
 * else reaches the locked bucket through the replay.
 */
export function recordOfDeadLetter(body: string, fn: EvidenceWriter, settings: Pick<ResponderSettings, 'accountId'>): EvidenceRecord | string {
  let record: unknown;
  try {
    record = JSON.parse(body);
  } catch {
    return 'the body is not JSON';
  }
  if (!isObject(record)) return 'the body is not an object';
  if (record.schema_version !== EVIDENCE_SCHEMA_VERSION) return `schema_version is ${JSON.stringify(record.schema_version)}, not ${EVIDENCE_SCHEMA_VERSION}`;
  if (typeof record.record_id !== 'string' || !/^[0-9a-f]{32}$/.test(record.record_id)) return 'record_id is not 32 hex characters';
  if (record.function !== fn) return `a record of ${JSON.stringify(record.function)}, not of ${fn}`;
  if (typeof record.account_id !== 'string' || !/^\d{12}$/.test(record.account_id)) return 'account_id is not an account id';
  if ((fn === 'respond' || fn === 'quarantine-user') && record.account_id !== settings.accountId)
    return `a record of account ${record.account_id}; ${fn} decides on account ${settings.accountId} only`;
  // Both make the object key: nothing but a region and an ISO time may shape it.
  if (typeof record.region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(record.region)) return 'region is not a region';
  if (typeof record.handled_at !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(record.handled_at) || Number.isNaN(Date.parse(record.handled_at)))
    return 'handled_at is not an ISO time';
  return record as unknown as EvidenceRecord;
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * Moves up to MAX_REPLAYED evidence records from the function's own dead-letter queue into the
 * bucket (reading at most MAX_RECEIVED messages, for at most REPLAY_BUDGET_MS), under the key the record itself gives (the same key its first write would have used, so
 * a record that did land after all is written again as a new version of the same object). A record
 * is deleted from the queue only once the bucket took it.
 */
export async function replayEvidence(
  fn: EvidenceWriter,
  request: ReplayRequest,
  settings: Pick<ResponderSettings, 'organization' | 'accountId' | 'region' | 'evidence'>,
  deps: { aws: AwsPort; log: Log; clock?: () => number },
): Promise<ReplaySummary> {
  const { aws, log } = deps;
  const clock = deps.clock ?? Date.now;
  const deadline = clock() + REPLAY_BUDGET_MS;
  const queueUrl = deadLetterQueueUrl(settings, fn, settings.region);
  const sqs = aws.client(SQSClient, settings.region);
  const summary: ReplaySummary = { replayId: request.replayId, replayed: [], failed: [], unreadable: [], others: 0, more: false };
  let received = 0;
  const handled = () => summary.replayed.length + summary.failed.length + summary.unreadable.length;
  for (;;) {
    if (handled() >= MAX_REPLAYED || received >= MAX_RECEIVED || clock() >= deadline) {
      summary.more = true;
      break;
    }
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['kind'],
        VisibilityTimeout: HIDE_SECONDS,
        // A long poll of one second asks every SQS server: a short poll may answer empty while messages wait.
        WaitTimeSeconds: 1,
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) break;
    received += messages.length;
    for (const m of messages) {
      const attributes: Partial<Record<string, MessageAttributeValue>> = m.MessageAttributes ?? {};
      if (attributes.kind?.StringValue !== 'evidence') {
        summary.others += 1;
        continue;
      }
      const record = recordOfDeadLetter(m.Body ?? '', fn, settings);
      if (typeof record === 'string') {
        summary.unreadable.push({ messageId: m.MessageId ?? '?', problem: record });
        log.error('dead letter of kind evidence left in the queue', { replayId: request.replayId, messageId: m.MessageId, problem: record });
        continue;
      }
      const key = evidenceKey(record);
      try {
        await putEvidence(key, JSON.stringify(record), settings, aws);
      } catch (error) {
        summary.failed.push({ key, problem: describe(error) });
        log.error('evidence record still not written; it stays in the queue', { replayId: request.replayId, key, error: describe(error) });
        continue;
      }
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
      summary.replayed.push(key);
    }
  }
  log.info('evidence replayed', {
    replayId: request.replayId,
    replayed: summary.replayed.length,
    failed: summary.failed.length,
    unreadable: summary.unreadable.length,
    others: summary.others,
    more: summary.more,
  });
  return summary;
}
