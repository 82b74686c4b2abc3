import { Logger } from '@aws-lambda-powertools/logger';
import { createLiveAws } from '../shared/aws';
import { escalateFindings } from '../shared/escalate';
import { EventError, parseEvent } from '../shared/events';
import { publishAlert } from '../shared/notify';
import { unreadableFindingAlert } from '../shared/respond/alert';
import { settingsFromEnv } from '../shared/settings';

/**
 * `escalate`: the "Escalate to SecOps" custom action in the security account. Every selected
 * finding (up to 20 an event) is alerted with the action's name and the analyst's note.
 */
const settings = settingsFromEnv();
const logger = new Logger({ serviceName: 'escalate', persistentKeys: { account: settings.accountId, region: settings.region } });
const aws = createLiveAws();

export async function handler(event: unknown) {
  let parsed;
  try {
    parsed = parseEvent(event);
  } catch (error) {
    if (!(error instanceof EventError)) throw error;
    logger.error('event rejected', { problem: error.message });
    const eventId = (event as { id?: string })?.id ?? '';
    await publishAlert(aws, settings.alertTopicArn, unreadableFindingAlert(settings, eventId, { message: `escalation event could not be read: ${error.message}` }), logger);
    return { rejected: error.message };
  }
  if (parsed.kind !== 'securityhub-custom-action') {
    logger.warn('event of another kind ignored', { kind: parsed.kind });
    return { ignored: parsed.kind };
  }
  for (const problem of parsed.problems) {
    logger.error('finding unreadable', { findingId: problem.findingId, index: problem.index, problem: problem.message });
    await publishAlert(aws, settings.alertTopicArn, unreadableFindingAlert(settings, parsed.envelope.id, problem), logger);
  }
  const decisions = await escalateFindings(parsed.findings, parsed.action, settings, { aws, log: logger, now: new Date() });
  logger.info('event handled', { eventId: parsed.envelope.id, escalated: decisions.length, unreadable: parsed.problems.length });
  return { escalated: decisions.length, unreadable: parsed.problems.length };
}
