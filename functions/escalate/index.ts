import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createLiveAws } from '../shared/aws';
import { escalateFindings } from '../shared/escalate';
import { METRIC, METRICS_NAMESPACE } from '../shared/metrics';
import { publishMetrics } from '../runtime/metrics';
import { handleEvidenceReplay } from '../runtime/evidence-replay';
import { readEvent } from '../runtime/read-event';
import { settingsFromEnv } from '../shared/settings';

/**
 * `escalate`: the "Escalate to SecOps" custom action in the security account. Every selected
 * finding (up to 20 an event) is alerted with the action's name and the analyst's note.
 */
const settings = settingsFromEnv();
const logger = new Logger({ serviceName: 'escalate', persistentKeys: { account: settings.accountId, region: settings.region } });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'escalate' });
const aws = createLiveAws();

export async function handler(event: unknown) {
  const read = await readEvent(event, ['securityhub-custom-action', 'evidence-replay'], { settings, aws, log: logger });
  if (!read.ok) {
    if ('rejected' in read.summary) publishMetrics(metrics, [{ name: METRIC.unreadable, value: 1 }], logger);
    return read.summary;
  }
  if (read.event.kind === 'evidence-replay') {
    const replay = await handleEvidenceReplay('escalate', read.event, settings, { aws, log: logger });
    publishMetrics(metrics, replay.metrics, logger);
    return replay.reply;
  }
  const { findings, action, problems, envelope } = read.event;
  const decisions = await escalateFindings(findings, action, settings, { aws, log: logger, now: new Date() });
  publishMetrics(
    metrics,
    [{ name: METRIC.escalations, value: decisions.length }, ...(problems.length > 0 ? [{ name: METRIC.unreadable, value: problems.length }] : [])],
    logger,
  );
  logger.info('event handled', { eventId: envelope.id, escalated: decisions.length, unreadable: problems.length });
  return { escalated: decisions.length, unreadable: problems.length };
}
