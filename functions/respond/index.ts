import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createLiveAws } from '../shared/aws';
import { isObject } from '../shared/events/errors';
import { METRICS_NAMESPACE } from '../shared/metrics';
import { publishMetrics, respondMetrics } from '../runtime/metrics';
import { handleRespondEvent } from '../runtime/respond-handler';
import { settingsFromEnv } from '../shared/settings';

/**
 * `respond`: classify → remediate → record → notify for every finding of a Security Hub event
 * (ASFF or OCSF) of this account and region. Settings are validated at cold start: a bad
 * deployment fails every invocation loudly instead of acting on wrong settings.
 */
const settings = settingsFromEnv();
const logger = new Logger({ serviceName: 'respond', persistentKeys: { account: settings.accountId, region: settings.region } });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'respond' });
const aws = createLiveAws();

export async function handler(event: unknown) {
  const summary = await handleRespondEvent(event, settings, { aws, log: logger, now: new Date() });
  publishMetrics(metrics, respondMetrics(summary), logger);
  const { handled: _handled, ...counts } = summary;
  logger.info('event handled', { eventId: isObject(event) ? event.id : undefined, ...counts });
  return counts;
}
