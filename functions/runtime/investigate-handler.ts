import type { AwsPort } from '../shared/aws';
import { isObject } from '../shared/events/errors';
import { checkInvestigation } from '../shared/investigate/check';
import { parseJob } from '../shared/investigate/job';
import type { InvestigateSettings } from '../shared/investigate/settings';
import { investigateFindings, type InvestigationResult } from '../shared/investigate/start';
import type { Log } from '../shared/log';
import { METRIC } from '../shared/metrics';
import type { ResponderSettings } from '../shared/settings';
import type { MetricCount } from './metrics';
import { handleEvidenceReplay, type ReplayReply } from './evidence-replay';
import { readEvent } from './read-event';

export interface InvestigateDeps {
  aws: AwsPort;
  log: Log;
  now: Date;
}

/** An SQS batch from the investigation checks queue (the event source mapping reports item failures). */
interface SqsBatch {
  Records: { messageId: string; body: string; eventSource?: string }[];
}

export function isSqsBatch(event: unknown): event is SqsBatch {
  return isObject(event) && Array.isArray(event.Records) && event.Records.every((r) => isObject(r) && r.eventSource === 'aws:sqs');
}

export type InvestigateSummary =
  | { kind: 'findings'; counts: Partial<Record<InvestigationResult, number>>; unreadable: number; metrics: MetricCount[] }
  | { kind: 'checks'; batchItemFailures: { itemIdentifier: string }[]; metrics: MetricCount[] }
  | { kind: 'unread'; summary: { rejected: string } | { ignored: string }; metrics: MetricCount[] }
  | { kind: 'replay'; reply: ReplayReply; metrics: MetricCount[] };

/**
 * `investigate`'s two doors: the aggregated Imported findings (start investigations) and the
 * checks queue (read their results). A finding Detective could not be asked about fails the whole
 * event after the others are handled, so Lambda retries it (the claims make the retry start nothing
 * twice); a check that fails goes back to its queue alone.
 */
export async function handleInvestigateEvent(
  event: unknown,
  settings: ResponderSettings,
  scope: InvestigateSettings,
  deps: InvestigateDeps,
): Promise<InvestigateSummary> {
  const { aws, log, now } = deps;
  if (isSqsBatch(event)) return handleChecks(event, settings, deps);
  const read = await readEvent(event, ['securityhub-finding', 'securityhub-finding-v2', 'evidence-replay'], { settings, aws, log });
  if (!read.ok) return { kind: 'unread', summary: read.summary, metrics: 'rejected' in read.summary ? [{ name: METRIC.unreadable, value: 1 }] : [] };
  if (read.event.kind === 'evidence-replay') return { kind: 'replay', ...(await handleEvidenceReplay('investigate', read.event, settings, { aws, log })) };
  const results = await investigateFindings(read.event.findings, settings, scope, { aws, log, now });
  const counts: Partial<Record<InvestigationResult, number>> = {};
  for (const r of results) counts[r.result] = (counts[r.result] ?? 0) + 1;
  const metrics: MetricCount[] = [
    { name: METRIC.investigationsStarted, value: counts.started ?? 0 },
    // Findings the rule passed that the function left (classified otherwise, samples, not ACTIVE): a count to watch.
    { name: METRIC.findingsIgnored, value: results.filter((r) => r.result.startsWith('not-') && r.result !== 'not-started').length + (counts.sample ?? 0) },
    { name: METRIC.investigationFailures, value: results.filter((r) => r.failed).length },
    ...(read.event.problems.length > 0 ? [{ name: METRIC.unreadable, value: read.event.problems.length }] : []),
  ];
  const retry = results.filter((r) => r.result === 'retry' || r.result === 'in-progress');
  if (retry.length > 0) {
    // Thrown after every other finding was handled; the metrics are written by the caller first.
    throw new InvestigationRetry(retry.map((r) => `${r.findingId}: ${r.reason}`).join('; '), metrics);
  }
  return { kind: 'findings', counts, unreadable: read.event.problems.length, metrics };
}

/** Fails the invocation so Lambda retries the event (then its dead-letter queue, alarmed). */
export class InvestigationRetry extends Error {
  constructor(
    message: string,
    readonly metrics: MetricCount[],
  ) {
    super(`investigation not started, the event is retried: ${message}`);
    this.name = 'InvestigationRetry';
  }
}

async function handleChecks(batch: SqsBatch, settings: ResponderSettings, deps: InvestigateDeps): Promise<InvestigateSummary> {
  const { log } = deps;
  const batchItemFailures: { itemIdentifier: string }[] = [];
  let reported = 0;
  let failures = 0;
  let unreadable = 0;
  for (const record of batch.Records) {
    const parsed = parseJob(record.body);
    if (!parsed.ok) {
      // A retry cannot make it readable: logged in full and dropped.
      log.error('investigation check unreadable; dropped', { messageId: record.messageId, problem: parsed.problem, body: record.body });
      unreadable += 1;
      continue;
    }
    try {
      const out = await checkInvestigation(parsed.job, settings, deps);
      if (out.result === 'reported') reported += 1;
    } catch (error) {
      failures += 1;
      log.error('investigation check failed; the message returns to the queue', {
        messageId: record.messageId,
        investigationId: parsed.job.investigationId,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return {
    kind: 'checks',
    batchItemFailures,
    metrics: [
      { name: METRIC.investigationResults, value: reported },
      { name: METRIC.investigationFailures, value: failures },
      ...(unreadable > 0 ? [{ name: METRIC.unreadable, value: unreadable }] : []),
    ],
  };
}
