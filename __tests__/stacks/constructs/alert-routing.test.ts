import { RouterSettingsSchema } from '../../../functions/shared/routing/settings';
import { exampleConfig } from '../../helpers/config';
import { buildTestFleet, findResource, resourcesOf, synthJson } from '../../helpers/fleet';

const home = synthJson(buildTestFleet().stacks.get('security-us-east-1')!);
const values = (type: string) => Object.values<any>(resourcesOf(home, type));
const route = findResource(home, 'aws_lambda_function', (f) => f.function_name === 'acme-route');
const routerSettings = () => RouterSettingsSchema.parse(JSON.parse(route.environment.variables.ROUTER_SETTINGS));

describe('the alert router in the security account', () => {
  it('is the alert topic’s only subscriber: an SQS intake queue, not raw, that only that topic may write to', () => {
    const subscriptions = values('aws_sns_topic_subscription').filter((s) => !s.topic_arn.includes('email-topic'));
    expect(subscriptions).toHaveLength(1);
    // A reference to the topic, so a first deploy creates the topic before subscribing to it.
    expect(subscriptions[0].topic_arn).toMatch(/^\$\{aws_sns_topic\.alert-topic_\w+\.arn\}$/);
    expect(subscriptions[0]).toMatchObject({ protocol: 'sqs', raw_message_delivery: false });
    const policy = JSON.parse(findResource(home, 'aws_sqs_queue_policy', (p) => p.queue_url.includes('intake-queue')).policy);
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:222222222222:acme-security-alerts' } },
      }),
    ]);
  });

  it('retries an alert five times, then keeps it 14 days in a dead-letter queue with an alarm; a backlog older than 15 minutes alarms too', () => {
    const intake = findResource(home, 'aws_sqs_queue', (q) => q.name === 'acme-alert-intake');
    expect(JSON.parse(intake.redrive_policy)).toEqual({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:222222222222:acme-alert-intake-dlq', maxReceiveCount: 5 });
    expect(intake.depends_on).toEqual([expect.stringMatching(/^aws_sqs_queue\.alert-routing_intake-dead-letter-queue_/)]);
    // Lambda's guidance: a queue's visibility timeout at least six times the function's timeout.
    expect(intake.visibility_timeout_seconds).toBe(6 * route.timeout);
    expect(findResource(home, 'aws_sqs_queue', (q) => q.name === 'acme-alert-intake-dlq').message_retention_seconds).toBe(1209600);
    const alarms = values('aws_cloudwatch_metric_alarm').map((a) => [a.alarm_name, a.metric_name, a.dimensions.QueueName]);
    expect(alarms).toEqual(
      expect.arrayContaining([
        ['acme-route-intake-dead-letters', 'ApproximateNumberOfMessagesVisible', 'acme-alert-intake-dlq'],
        ['acme-route-intake-backlog', 'ApproximateAgeOfOldestMessage', 'acme-alert-intake'],
      ]),
    );
  });

  it('alarms when a digest could not be sent, on the series route emits, and forwards that alarm', () => {
    const alarm = findResource(home, 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name === 'acme-route-digest-failures');
    expect(alarm).toMatchObject({
      namespace: 'SecurityResponse',
      metric_name: 'DigestFailures',
      dimensions: { service: 'route' },
      statistic: 'Sum',
      threshold: 0,
    });
    const forwarder = findResource(home, 'aws_cloudwatch_event_rule', (r) => r.name === 'acme-route-alarms');
    expect(JSON.parse(forwarder.event_pattern).detail.alarmName).toEqual(
      expect.arrayContaining(['acme-route-dead-letters', 'acme-route-intake-dead-letters', 'acme-route-intake-backlog', 'acme-route-digest-failures']),
    );
  });

  it('reads the intake in batches, reporting the messages that failed so only those are retried', () => {
    const mapping = values('aws_lambda_event_source_mapping')[0];
    expect(mapping).toMatchObject({ batch_size: 10, function_response_types: ['ReportBatchItemFailures'], scaling_config: { maximum_concurrency: 2 } });
  });

  it('sends the digests every minute from a scheduled rule that alone may invoke it that way', () => {
    const rule = findResource(home, 'aws_cloudwatch_event_rule', (r) => r.name === 'acme-alert-digests');
    expect(rule.schedule_expression).toBe('rate(1 minute)');
    const permission = findResource(home, 'aws_lambda_permission', (p) => p.statement_id === 'invoke-from-acme-alert-digests');
    expect(permission).toMatchObject({
      principal: 'events.amazonaws.com',
      source_arn: 'arn:aws:events:us-east-1:222222222222:rule/acme-alert-digests',
      source_account: '222222222222',
    });
  });

  it('is configured from accounts.json: the storm limits, the e-mail topic, and a chat topic for each team that has a channel', () => {
    const settings = routerSettings();
    expect(settings.storm).toEqual({ threshold: 20, windowMinutes: 5 });
    expect(settings.tableName).toBe('acme-alert-routing');
    expect(settings.targets).toEqual({
      emailTopicArn: 'arn:aws:sns:us-east-1:222222222222:acme-security-alerts-email',
      everythingChatTopicArn: 'arn:aws:sns:us-east-1:222222222222:acme-security-alerts-chat-all',
      teamChat: {
        payments: { topicArn: 'arn:aws:sns:us-east-1:222222222222:acme-security-alerts-chat-team-payments', minSeverity: 'HIGH' },
        web: { topicArn: 'arn:aws:sns:us-east-1:222222222222:acme-security-alerts-chat-team-web', minSeverity: 'CRITICAL' },
      },
    });
  });

  it('may publish only to its delivery topics, and never to the alert topic it reads from', () => {
    const policy = JSON.parse(findResource(home, 'aws_iam_role_policy', (p) => p.name === 'acme-route-permissions').policy);
    const publish = policy.Statement.filter((s: any) => [s.Action].flat().includes('sns:Publish'));
    expect(publish).toHaveLength(1);
    expect([publish[0].Resource].flat().sort()).toEqual(Object.values(routerTopics()).sort());
    expect(JSON.stringify(policy)).not.toContain(':acme-security-alerts"');
  });

  it('keeps its storm state in a table that forgets by TTL, encrypted with the alert key', () => {
    const table = findResource(home, 'aws_dynamodb_table', (t) => t.name === 'acme-alert-routing');
    expect(table).toMatchObject({ billing_mode: 'PAY_PER_REQUEST', hash_key: 'pk', range_key: 'sk', ttl: { attribute_name: 'expiresAt', enabled: true } });
    expect(table.server_side_encryption).toEqual({ enabled: true, kms_key_arn: expect.stringMatching(/^\$\{aws_kms_key\.alert-topic_key_\w+\.arn\}$/) });
  });
});

function routerTopics(): Record<string, string> {
  const t = routerSettings().targets;
  return { email: t.emailTopicArn, all: t.everythingChatTopicArn ?? '', ...Object.fromEntries(Object.entries(t.teamChat).map(([k, v]) => [k, v.topicArn])) };
}

describe('chat through AWS Chatbot', () => {
  it('one Chatbot configuration per channel, each on its own topic, made where Chatbot has its API', () => {
    const slack = values('aws_chatbot_slack_channel_configuration');
    const teams = values('aws_chatbot_teams_channel_configuration');
    expect(slack.map((c) => [c.configuration_name, c.slack_team_id, c.slack_channel_id]).sort()).toEqual([
      ['acme-slack-all', 'T0123ABCD', 'C0999SECO'],
      ['acme-slack-team-payments', 'T0123ABCD', 'C0456PAYM'],
    ]);
    expect(teams.map((c) => [c.configuration_name, c.channel_id])).toEqual([['acme-teams-team-web', '19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2']]);
    for (const c of [...slack, ...teams]) {
      expect(c.sns_topic_arns).toHaveLength(1);
      // Chatbot's API is not in us-east-1 (the home region here): us-east-2 makes the (global) configuration.
      expect(c.provider).toBe('aws.us-east-2');
    }
    expect(new Set([...slack, ...teams].map((c) => c.sns_topic_arns[0])).size).toBe(3);
  });

  it('nobody can act from a channel: a read-only role Chatbot alone may assume, and the ReadOnlyAccess guardrail', () => {
    const role = findResource(home, 'aws_iam_role', (r) => r.name === 'acme-chatbot-channel');
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'chatbot.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } },
      },
    ]);
    const attached = values('aws_iam_role_policy_attachment')
      .filter((a) => String(a.role).includes('channel-role'))
      .map((a) => a.policy_arn);
    expect(attached.sort()).toEqual(['arn:aws:iam::aws:policy/AWSSecurityHubReadOnlyAccess', 'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess']);
    for (const c of [...values('aws_chatbot_slack_channel_configuration'), ...values('aws_chatbot_teams_channel_configuration')]) {
      expect(c.guardrail_policy_arns).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    }
  });

  it('an organization without chat channels gets no Chatbot resources, chat topics or extra provider', () => {
    const config = exampleConfig();
    delete config.notifications?.slack;
    for (const team of Object.values(config.notifications?.teams ?? {})) {
      delete team.slack;
      delete team.msTeams;
    }
    const json = synthJson(buildTestFleet(config).stacks.get('security-us-east-1')!);
    expect(resourcesOf(json, 'aws_chatbot_slack_channel_configuration')).toEqual({});
    expect(resourcesOf(json, 'aws_chatbot_teams_channel_configuration')).toEqual({});
    expect(
      Object.values<any>(resourcesOf(json, 'aws_sns_topic'))
        .map((t) => t.name)
        .sort(),
    ).toEqual(['acme-security-alerts', 'acme-security-alerts-email']);
    expect(json.provider.aws.map((p: any) => p.region)).not.toContain('us-east-2');
  });
});
