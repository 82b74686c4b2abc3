import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createLiveAws } from '../shared/aws';
import { investigateSettingsFromEnv } from '../shared/investigate/settings';
import { METRICS_NAMESPACE } from '../shared/metrics';
import { handleInvestigateEvent, InvestigationRetry } from '../runtime/investigate-handler';
import { publishMetrics } from '../runtime/metrics';
import { settingsFromEnv } from '../shared/settings';

/**
 * `investigate` (security account, home region, with organization.detective): one Amazon Detective
 * investigation of the IAM user or role behind each credential-compromise finding of the
 * organization, its id on the finding, in an alert and in the evidence store, and its result (severity
 * and indicators) the same way when Detective is done.
 */
const settings = settingsFromEnv();
const scope = investigateSettingsFromEnv();
const logger = new Logger({ serviceName: 'investigate', persistentKeys: { account: settings.accountId, region: settings.region } });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'investigate' });
const aws = createLiveAws();

export async function handler(event: unknown) {
  try {
    const summary = await handleInvestigateEvent(event, settings, scope, { aws, log: logger, now: new Date() });
    publishMetrics(metrics, summary.metrics, logger);
    if (summary.kind === 'checks') return { batchItemFailures: summary.batchItemFailures };
    if (summary.kind === 'unread') return summary.summary;
    if (summary.kind === 'replay') return summary.reply;
    logger.info('event handled', { counts: summary.counts, unreadable: summary.unreadable });
    return { ...summary.counts, unreadable: summary.unreadable };
  } catch (error) {
    if (error instanceof InvestigationRetry) publishMetrics(metrics, error.metrics, logger);
    throw error;
  }
}
