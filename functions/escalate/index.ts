import { Logger } from '@aws-lambda-powertools/logger';
import { createLiveAws } from '../shared/aws';
import { escalateFindings } from '../shared/escalate';
import { readEvent } from '../shared/read-event';
import { settingsFromEnv } from '../shared/settings';

/**
 * `escalate`: the "Escalate to SecOps" custom action in the security account. Every selected
 * finding (up to 20 an event) is alerted with the action's name and the analyst's note.
 */
const settings = settingsFromEnv();
const logger = new Logger({ serviceName: 'escalate', persistentKeys: { account: settings.accountId, region: settings.region } });
const aws = createLiveAws();

export async function handler(event: unknown) {
  const read = await readEvent(event, ['securityhub-custom-action'], { settings, aws, log: logger });
  if (!read.ok) return read.summary;
  const { findings, action, problems, envelope } = read.event;
  const decisions = await escalateFindings(findings, action, settings, { aws, log: logger, now: new Date() });
  logger.info('event handled', { eventId: envelope.id, escalated: decisions.length, unreadable: problems.length });
  return { escalated: decisions.length, unreadable: problems.length };
}
