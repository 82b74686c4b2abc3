import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { CallLog, type AwsPort, type RecordedCall } from '../aws';
import { severitiesAtOrAbove, type Severity } from '../catalogue';
import type { Log } from '../log';
import { publishCommand, topicRegion } from '../notify';
import { chatForAlert, chatForDigest, type ChatNotification } from './chat';
import type { Attributes } from './intake';
import type { OutgoingAlert } from './route';

/** Where the router delivers: the e-mail topic (subscriptions filter by team and severity) and one topic per chat channel. */
export interface DeliveryTargets {
  readonly emailTopicArn: string;
  /** The channel that receives everything (notifications.slack). @default none */
  readonly everythingChatTopicArn?: string;
  /** Per team with a Slack or Teams channel: its topic and the lowest severity it receives. */
  readonly teamChat: Readonly<Partial<Record<string, { readonly topicArn: string; readonly minSeverity: Severity }>>>;
}

/**
 * The chat topics of an alert. Chatbot's own subscriptions cannot carry a filter policy, so the
 * router does what the e-mail subscriptions' filter policies do: a team's channel gets the
 * alerts of the team's accounts at or above its severity.
 */
export function chatTopicsFor(attributes: Attributes, targets: DeliveryTargets): string[] {
  const topics = targets.everythingChatTopicArn ? [targets.everythingChatTopicArn] : [];
  const team = attributes.team ? targets.teamChat[attributes.team] : undefined;
  if (team && (severitiesAtOrAbove(team.minSeverity) as string[]).includes(attributes.severity ?? '')) topics.push(team.topicArn);
  return topics;
}

export function chatNotificationsFor(out: OutgoingAlert): ChatNotification[] {
  return out.entries ? chatForDigest(out, out.entries) : [chatForAlert(out)];
}

export interface DeliveryOutcome {
  readonly calls: RecordedCall[];
  /** Chat publishes that failed (the e-mail went out; chat is not retried, so the e-mail is not sent twice). */
  readonly chatFailures: string[];
}

/**
 * Publishes one outgoing alert: the e-mail text first (throws when it fails, so the queue retries
 * the alert), then the chat notifications (failures logged and returned).
 */
export async function deliver(out: OutgoingAlert, targets: DeliveryTargets, aws: AwsPort, log: Log): Promise<DeliveryOutcome> {
  const calls = new CallLog(aws);
  await calls.write(SNSClient, topicRegion(targets.emailTopicArn), publishCommand(targets.emailTopicArn, out.alert));
  const chatFailures: string[] = [];
  for (const topicArn of chatTopicsFor(out.alert.attributes, targets)) {
    for (const notification of chatNotificationsFor(out)) {
      try {
        await calls.write(SNSClient, topicRegion(topicArn), new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(notification) }));
      } catch (e) {
        const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        log.error('chat notification not published', { topicArn, subject: out.alert.subject, error });
        chatFailures.push(`${topicArn}: ${error}`);
      }
    }
  }
  return { calls: calls.calls, chatFailures };
}
