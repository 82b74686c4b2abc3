import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createLiveAws } from '../shared/aws';
import { METRIC, METRICS_NAMESPACE } from '../shared/metrics';
import { decisionMetrics, publishMetrics } from '../runtime/metrics';
import { quarantineNewUser } from '../shared/quarantine';
import { handleEvidenceReplay } from '../runtime/evidence-replay';
import { readEvent } from '../runtime/read-event';
import { settingsFromEnv } from '../shared/settings';

/**
 * `quarantine-user`: CloudTrail CreateUser (us-east-1) → deny-all permissions boundary, access keys
 * deactivated and tags on the new user unless a trusted creator (matched on the role or user ARN,
 * never a session name) made it; its name and tags exempt nothing. Observe mode alerts only.
 */
const settings = settingsFromEnv();
const logger = new Logger({ serviceName: 'quarantine-user', persistentKeys: { account: settings.accountId } });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'quarantine-user' });
const aws = createLiveAws();

export async function handler(event: unknown) {
  const read = await readEvent(event, ['iam-create-user', 'evidence-replay'], { settings, aws, log: logger });
  if (!read.ok) {
    if ('rejected' in read.summary) publishMetrics(metrics, [{ name: METRIC.unreadable, value: 1 }], logger);
    return read.summary;
  }
  if (read.event.kind === 'evidence-replay') {
    const replay = await handleEvidenceReplay('quarantine-user', read.event, settings, { aws, log: logger });
    publishMetrics(metrics, replay.metrics, logger);
    return replay.reply;
  }
  const { createUser } = read.event;
  logger.appendKeys({ findingId: createUser.eventId });
  try {
    const decision = await quarantineNewUser(createUser, settings, { aws, log: logger, now: new Date() });
    logger.info('decision', { decision });
    publishMetrics(metrics, decisionMetrics([decision]), logger);
    return { userName: createUser.userName, status: decision.remediation?.status, ignored: decision.ignored };
  } finally {
    logger.removeKeys(['findingId']);
  }
}
