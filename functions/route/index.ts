import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSEvent } from 'aws-lambda';
import { createLiveAws } from '../shared/aws';
import { METRIC, METRICS_NAMESPACE } from '../shared/metrics';
import { publishMetrics } from '../runtime/metrics';
import { isEvidenceReplay, replayRouteEvidence, ticketEvidenceWriter } from '../runtime/route-evidence';
import { handleFlush, handleIntake, isScheduledFlush } from '../runtime/route-handler';
import { routerSettingsFromEnv } from '../shared/routing/settings';
import { TicketClients } from '../shared/tickets/credentials';
import { DynamoStormStore } from './dynamodb-store';

/**
 * `route`: the security account's alert router. Every alert of every account arrives through the
 * intake queue; it opens the finding's tickets, then goes out at once to e-mail and chat, or, past
 * the storm threshold, waits for its window's digest. A scheduled rule calls it every minute to send
 * the digests that are due; the ticket job queue brings ticket requests to retry and undo notes.
 * Each ticket it opens or comments is recorded in the evidence bucket; `npm run replay-evidence --
 * --function route` invokes it to move the records the bucket refused.
 */
const settings = routerSettingsFromEnv();
const logger = new Logger({ serviceName: 'route', persistentKeys: { region: settings.region } });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'route' });
const aws = createLiveAws();
const store = new DynamoStormStore(aws, settings.region, settings.tableName);
const config = {
  storm: settings.storm,
  targets: settings.targets,
  ...(settings.tickets ? { tickets: { ...settings.tickets, region: settings.region } } : {}),
};
const ticketClients = settings.tickets ? new TicketClients(settings.tickets, aws, settings.region) : undefined;
const now = () => new Date();
const deps = {
  aws,
  store,
  log: logger,
  now,
  ...(ticketClients ? { ticketClients, recordTicket: ticketEvidenceWriter(settings, { aws, log: logger, now }) } : {}),
};

export async function handler(event: unknown) {
  if (isEvidenceReplay(event)) {
    const replay = await replayRouteEvidence(event, settings, { aws, log: logger });
    publishMetrics(metrics, replay.metrics, logger);
    return replay.reply;
  }
  if (isScheduledFlush(event)) {
    const flushed = await handleFlush(config, deps);
    metrics.addMetric(METRIC.digestsSent, MetricUnit.Count, flushed.digests);
    metrics.addMetric(METRIC.digestFailures, MetricUnit.Count, flushed.failed);
    metrics.addMetric(METRIC.chatFailures, MetricUnit.Count, flushed.chatFailures);
    metrics.publishStoredMetrics();
    logger.info('digests flushed', flushed);
    return flushed;
  }
  const { response, summary } = await handleIntake(event as SQSEvent, config, deps);
  metrics.addMetric(METRIC.alertsSentNow, MetricUnit.Count, summary.now);
  metrics.addMetric(METRIC.alertsHeld, MetricUnit.Count, summary.held);
  metrics.addMetric(METRIC.alertFailures, MetricUnit.Count, summary.failed + summary.unreadable);
  metrics.addMetric(METRIC.chatFailures, MetricUnit.Count, summary.chatFailures);
  metrics.addMetric(METRIC.ticketsOpened, MetricUnit.Count, summary.ticketsOpened);
  metrics.addMetric(METRIC.ticketComments, MetricUnit.Count, summary.ticketComments);
  metrics.addMetric(METRIC.ticketFailures, MetricUnit.Count, summary.ticketFailures);
  metrics.publishStoredMetrics();
  logger.info('intake batch routed', { ...summary });
  return response;
}
