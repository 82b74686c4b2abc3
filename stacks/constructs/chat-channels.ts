import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { ChatbotSlackChannelConfiguration } from '@cdktf/provider-aws/lib/chatbot-slack-channel-configuration';
import { ChatbotTeamsChannelConfiguration } from '@cdktf/provider-aws/lib/chatbot-teams-channel-configuration';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { names, PARTITION } from '../../functions/shared/naming';
import { policyDocument } from './policy';

/** A Slack channel of a workspace already authorized in the Chatbot console. */
export interface SlackChannel {
  readonly workspaceId: string;
  readonly channelId: string;
}

/** A Microsoft Teams channel of a team and tenant already authorized in the Chatbot console. */
export interface TeamsChannel {
  readonly tenantId: string;
  readonly teamId: string;
  readonly channelId: string;
}

/** One chat destination of the router: a topic only Chatbot subscribes to, and its channels. */
export interface ChatDestination {
  /** `all` (everything) or `team-<team>`; part of the topic's and configurations' names. */
  readonly key: string;
  readonly slack?: SlackChannel;
  readonly msTeams?: TeamsChannel;
}

export interface ChatChannelsProps {
  readonly organizationName: string;
  readonly securityAccountId: string;
  readonly homeRegion: string;
  /** The alert key: chat topics are encrypted like the alert topic. */
  readonly alertKeyArn: string;
  readonly destinations: readonly ChatDestination[];
  /**
   * Provider in a region where the Chatbot API exists (us-east-2, us-west-2, eu-west-1,
   * ap-southeast-1); a channel configuration is global, whatever region made it.
   * @default the stack's provider
   */
  readonly chatbotProvider?: TerraformProvider;
}

/** Chatbot's API exists only in these regions (AWS general reference, "AWS Chatbot endpoints"). */
export const CHATBOT_API_REGIONS = ['us-east-2', 'us-west-2', 'eu-west-1', 'ap-southeast-1'] as const;

/** The region chat configurations are made in: the home region where Chatbot has its API, else us-east-2. */
export function chatbotRegion(homeRegion: string): string {
  return (CHATBOT_API_REGIONS as readonly string[]).includes(homeRegion) ? homeRegion : 'us-east-2';
}

/**
 * Slack and Microsoft Teams through AWS Chatbot. Each destination gets its own topic: Chatbot
 * subscribes itself and its subscription takes no filter policy, so the router chooses the
 * topic (a team's channel, the everything channel). Nobody can act from the channel: its role
 * may only read, and the guardrail (the ceiling on what any channel user may do, whatever the
 * role) is AWS's ReadOnlyAccess.
 */
export class ChatChannels extends Construct {
  /** Topic ARN per destination key. */
  readonly topicArns: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: ChatChannelsProps) {
    super(scope, id);
    const org = props.organizationName;
    if (props.destinations.length === 0) return;

    const role = new IamRole(this, 'channel-role', {
      name: names.chatbotRole(org),
      description: 'AWS Chatbot channels of security-response: read-only',
      assumeRolePolicy: policyDocument([
        {
          Effect: 'Allow',
          Principal: { Service: 'chatbot.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': props.securityAccountId } },
        },
      ]),
      maxSessionDuration: 3600,
    });
    // What a person in the channel may look at: the findings and alarms an alert is about.
    for (const [attachment, policy] of [
      ['security-hub-read', 'AWSSecurityHubReadOnlyAccess'],
      ['cloudwatch-read', 'CloudWatchReadOnlyAccess'],
    ] as const) {
      new IamRolePolicyAttachment(this, attachment, { role: role.name, policyArn: `arn:${PARTITION}:iam::aws:policy/${policy}` });
    }
    const guardrails = [`arn:${PARTITION}:iam::aws:policy/ReadOnlyAccess`];

    for (const d of props.destinations) {
      const topic = new SnsTopic(this, `topic-${d.key}`, {
        name: names.chatTopic(org, d.key),
        displayName: `Security alerts for chat (${d.key})`,
        kmsMasterKeyId: props.alertKeyArn,
      });
      this.topicArns[d.key] = `arn:${PARTITION}:sns:${props.homeRegion}:${props.securityAccountId}:${names.chatTopic(org, d.key)}`;
      if (d.slack) {
        new ChatbotSlackChannelConfiguration(this, `slack-${d.key}`, {
          provider: props.chatbotProvider,
          configurationName: names.chatConfiguration(org, 'slack', d.key),
          iamRoleArn: role.arn,
          slackTeamId: d.slack.workspaceId,
          slackChannelId: d.slack.channelId,
          snsTopicArns: [topic.arn],
          guardrailPolicyArns: guardrails,
          loggingLevel: 'ERROR',
        });
      }
      if (d.msTeams) {
        new ChatbotTeamsChannelConfiguration(this, `teams-${d.key}`, {
          provider: props.chatbotProvider,
          configurationName: names.chatConfiguration(org, 'teams', d.key),
          iamRoleArn: role.arn,
          tenantId: d.msTeams.tenantId,
          teamId: d.msTeams.teamId,
          channelId: d.msTeams.channelId,
          snsTopicArns: [topic.arn],
          guardrailPolicyArns: guardrails,
          loggingLevel: 'ERROR',
        });
      }
    }
  }
}
