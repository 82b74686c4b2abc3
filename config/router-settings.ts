import type { Severity } from '../functions/shared/catalogue';
import { arns, names } from '../functions/shared/naming';
import type { RouterSettings } from '../functions/shared/routing/settings';
import type { Config } from './schema';

/** A chat destination: a topic only Chatbot subscribes to (`all`, or `team-<team>`). */
export interface ChatDestinationKeys {
  readonly everything: boolean;
  readonly teams: readonly { readonly team: string; readonly minSeverity: Severity }[];
}

/** Which chat destinations the configuration asks for: notifications.slack, and each team with a channel. */
export function chatDestinations(config: Config): ChatDestinationKeys {
  const { slack, teams } = config.notifications;
  return {
    everything: slack !== undefined,
    teams: Object.entries(teams)
      .filter(([, t]) => t.slack ?? t.msTeams)
      .map(([team, t]) => ({ team, minSeverity: t.minSeverity }))
      .sort((a, b) => a.team.localeCompare(b.team)),
  };
}

/**
 * What `route` is told (its ROUTER_SETTINGS): the storm limits, its table, where to deliver, and
 * the evidence bucket its ticket records go to.
 * One function for the stack that deploys it and the simulator that shows what it would send.
 */
export function routerSettingsFor(config: Config): RouterSettings {
  const org = config.organization;
  const { everything, teams } = chatDestinations(config);
  const tickets = config.notifications.tickets;
  const chatTopic = (key: string) => arns.chatTopic(org.securityAccountId, org.homeRegion, org.name, key);
  return {
    organization: org.name,
    accountId: org.securityAccountId,
    region: org.homeRegion,
    evidence: { bucket: names.evidenceBucket(org.name, org.securityAccountId, org.homeRegion), region: org.homeRegion },
    tableName: names.routingTable(org.name),
    storm: { threshold: config.notifications.storm.threshold, windowMinutes: config.notifications.storm.windowMinutes },
    targets: {
      emailTopicArn: arns.emailTopic(org.securityAccountId, org.homeRegion, org.name),
      ...(everything ? { everythingChatTopicArn: chatTopic('all') } : {}),
      teamChat: Object.fromEntries(teams.map(({ team, minSeverity }) => [team, { topicArn: chatTopic(`team-${team}`), minSeverity }])),
    },
    ...(tickets && (tickets.jira ?? tickets.serviceNow)
      ? {
          tickets: {
            ...(tickets.jira ? { jira: tickets.jira } : {}),
            ...(tickets.serviceNow ? { serviceNow: tickets.serviceNow } : {}),
            jobQueueUrl: `https://sqs.${org.homeRegion}.amazonaws.com/${org.securityAccountId}/${names.ticketJobQueue(org.name)}`,
            jobDeadLetterQueue: names.ticketJobDeadLetterQueue(org.name),
          },
        }
      : {}),
  };
}
