import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { AwsPort } from '../shared/aws';
import type { Log } from '../shared/log';
import { deliver, type DeliveryTargets } from '../shared/routing/delivery';
import { IntakeError, readIntake } from '../shared/routing/intake';
import { flushDigests, routeAlert, type StormStore } from '../shared/routing/route';
import type { StormSettings } from '../shared/routing/storm';

export interface RouterDeps {
  readonly aws: AwsPort;
  readonly store: StormStore;
  readonly log: Log;
  readonly now: () => Date;
}

export interface RouterConfig {
  readonly storm: StormSettings;
  readonly targets: DeliveryTargets;
}

export interface IntakeSummary {
  readonly now: number;
  readonly held: number;
  readonly duplicates: number;
  /** Messages that are not SNS notifications: left to the queue's retries and its dead-letter queue, where the alarm sees them. */
  readonly unreadable: number;
  /** Alerts whose e-mail could not be published: retried by the queue. */
  readonly failed: number;
  readonly chatFailures: number;
}

/**
 * One batch of the intake queue. Each message is handled on its own: one that fails is returned as
 * a batch item failure (the queue retries it, then dead-letters it), the rest are still delivered.
 */
export async function handleIntake(event: SQSEvent, config: RouterConfig, deps: RouterDeps): Promise<{ response: SQSBatchResponse; summary: IntakeSummary }> {
  const failures: string[] = [];
  const summary = { now: 0, held: 0, duplicates: 0, unreadable: 0, failed: 0, chatFailures: 0 };
  for (const record of event.Records) {
    try {
      const alert = readIntake(record.body);
      const admission = await routeAlert(alert, config.storm, {
        store: deps.store,
        send: async (out) => {
          const outcome = await deliver(out, config.targets, deps.aws, deps.log);
          summary.chatFailures += outcome.chatFailures.length;
        },
      });
      if (admission === 'now') summary.now += 1;
      else if (admission === 'held') summary.held += 1;
      else summary.duplicates += 1;
    } catch (e) {
      const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      if (e instanceof IntakeError) summary.unreadable += 1;
      else summary.failed += 1;
      deps.log.error('intake message not routed', { messageId: record.messageId, error });
      failures.push(record.messageId);
    }
  }
  return { response: { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) }, summary };
}

/** The scheduled flush: every digest whose window has ended. */
export async function handleFlush(config: RouterConfig, deps: RouterDeps) {
  let chatFailures = 0;
  const result = await flushDigests(deps.now(), config.storm, {
    store: deps.store,
    send: async (out) => {
      chatFailures += (await deliver(out, config.targets, deps.aws, deps.log)).chatFailures.length;
    },
  });
  if (result.failed > 0) deps.log.error('digests not sent; they stay held for the next flush', { failed: result.failed });
  return { ...result, chatFailures };
}

/** The scheduled rule's event (EventBridge "Scheduled Event"), as opposed to a batch of the intake queue. */
export function isScheduledFlush(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as Record<string, unknown>)['detail-type'] === 'Scheduled Event';
}
