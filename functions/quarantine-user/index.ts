import { Logger } from '@aws-lambda-powertools/logger';
import { createLiveAws } from '../shared/aws';
import { EventError, parseEvent } from '../shared/events';
import { publishAlert } from '../shared/notify';
import { quarantineNewUser } from '../shared/quarantine';
import { unreadableFindingAlert } from '../shared/respond/alert';
import { settingsFromEnv } from '../shared/settings';

/**
 * `quarantine-user`: CloudTrail CreateUser (us-east-1) → deny-all quarantine policy and tags on the
 * new user unless a trusted creator made it or its name is exempt; observe mode alerts only.
 */
const settings = settingsFromEnv();
const logger = new Logger({ serviceName: 'quarantine-user', persistentKeys: { account: settings.accountId } });
const aws = createLiveAws();

export async function handler(event: unknown) {
  let parsed;
  try {
    parsed = parseEvent(event);
  } catch (error) {
    if (!(error instanceof EventError)) throw error;
    logger.error('event rejected', { problem: error.message });
    // A user may exist that nobody looked at: say so.
    const eventId = (event as { id?: string })?.id ?? '';
    await publishAlert(aws, settings.alertTopicArn, unreadableFindingAlert(settings, eventId, { message: `CreateUser event could not be read: ${error.message}` }), logger);
    return { rejected: error.message };
  }
  if (parsed.kind !== 'iam-create-user') {
    logger.warn('event of another kind ignored', { kind: parsed.kind });
    return { ignored: parsed.kind };
  }
  logger.appendKeys({ findingId: parsed.createUser.eventId });
  const decision = await quarantineNewUser(parsed.createUser, settings, { aws, log: logger, now: new Date() });
  logger.info('decision', { decision });
  return { userName: parsed.createUser.userName, status: decision.remediation?.status, ignored: decision.ignored };
}
