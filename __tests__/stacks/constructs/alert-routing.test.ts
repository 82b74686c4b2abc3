import { RouterSettingsSchema } from '../../../functions/shared/routing/settings';
import { exampleConfig } from '../../helpers/config';
import { buildTestFleet, findResource, resourcesOf, synthJson } from '../../helpers/fleet';

const fleet = buildTestFleet();
const home = synthJson(fleet.stacks.get('security-us-east-1')!);
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
    const mapping = findResource(home, 'aws_lambda_event_source_mapping', (m) => m.event_source_arn.includes('intake-queue'));
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

describe('tickets (notifications.tickets: Jira and ServiceNow)', () => {
  const policy = () => JSON.parse(findResource(home, 'aws_iam_role_policy', (p) => p.name === 'acme-route-permissions').policy);
  const statementsWith = (doc: any, action: string) => doc.Statement.filter((s: any) => [s.Action].flat().includes(action));
  const jobQueue = () => findResource(home, 'aws_sqs_queue', (q) => q.name === 'acme-ticket-jobs');
  const ALERT_KEY = /^\$\{aws_kms_key\.alert-topic_key_\w+\.arn\}$/;
  const SECRET_ARNS = [
    'arn:aws:secretsmanager:us-east-1:222222222222:secret:security-response/jira-??????',
    'arn:aws:secretsmanager:us-east-1:222222222222:secret:security-response/servicenow-??????',
  ];

  it('one secret per system, named as configured, encrypted with the alert key, with what it must hold and who puts it', () => {
    const secrets = values('aws_secretsmanager_secret').sort((a, b) => a.name.localeCompare(b.name));
    expect(secrets.map((s) => [s.name, s.recovery_window_in_days])).toEqual([
      ['security-response/jira', 7],
      ['security-response/servicenow', 7],
    ]);
    for (const secret of secrets) {
      expect(secret.kms_key_id).toMatch(ALERT_KEY);
      expect(secret.description).toContain(`aws secretsmanager put-secret-value --secret-id ${secret.name}`);
    }
    expect(secrets[0].description).toMatch(/JSON \{"email":"[^"]+","apiToken":"[^"]+"\}/);
    expect(secrets[1].description).toMatch(/JSON \{"username":"[^"]+","password":"[^"]+"\}/);
  });

  it('never puts a secret value in Terraform state: no secret version in any stack', () => {
    expect(Object.keys(resourcesOf(home, 'aws_secretsmanager_secret'))).toHaveLength(2);
    for (const stack of fleet.stacks.values()) {
      const json = synthJson(stack);
      expect(resourcesOf(json, 'aws_secretsmanager_secret_version')).toEqual({});
      expect(JSON.stringify(json)).not.toContain('secret_string');
    }
  });

  it('a job queue retried five times (six route timeouts apart), then a 14-day dead-letter queue made first', () => {
    const queue = jobQueue();
    expect(queue).toMatchObject({ sqs_managed_sse_enabled: true, message_retention_seconds: 4 * 86400, visibility_timeout_seconds: 6 * route.timeout });
    expect(JSON.parse(queue.redrive_policy)).toEqual({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:222222222222:acme-ticket-jobs-dlq', maxReceiveCount: 5 });
    expect(queue.depends_on).toEqual([expect.stringMatching(/^aws_sqs_queue\.alert-routing_tickets_job-dead-letter-queue_/)]);
    expect(findResource(home, 'aws_sqs_queue', (q) => q.name === 'acme-ticket-jobs-dlq')).toMatchObject({
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 1209600,
    });
  });

  it('an undo-notes rule on the default bus: our notes that begin as npm run undo writes them, into the job queue', () => {
    const rule = findResource(home, 'aws_cloudwatch_event_rule', (r) => r.name === 'acme-ticket-undo-notes');
    expect(rule.event_bus_name).toBeUndefined();
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ['aws.securityhub'],
      'detail-type': ['Security Hub Findings - Imported'],
      detail: { findings: { Note: { UpdatedBy: ['security-response'], Text: [{ prefix: 'Remediation undone by' }] } } },
    });
    const target = findResource(home, 'aws_cloudwatch_event_target', (t) => String(t.rule).includes('undo-notes-rule'));
    expect(target.arn).toMatch(/^\$\{aws_sqs_queue\.alert-routing_tickets_job-queue_\w+\.arn\}$/);
    expect(target.retry_policy).toEqual({ maximum_retry_attempts: 10, maximum_event_age_in_seconds: 3600 });
    expect(target.dead_letter_config.arn).toMatch(/^\$\{aws_sqs_queue\.alert-routing_route_dead-letter-queue_\w+\.arn\}$/);
  });

  it('only that rule may send to the job queue by its policy (route sends by its role)', () => {
    const queuePolicy = findResource(home, 'aws_sqs_queue_policy', (p) => p.queue_url.includes('tickets_job-queue'));
    expect(JSON.parse(queuePolicy.policy).Statement).toEqual([
      {
        Sid: 'UndoNotesRuleDelivers',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: 'arn:aws:sqs:us-east-1:222222222222:acme-ticket-jobs',
        Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:events:us-east-1:222222222222:rule/acme-ticket-undo-notes' } },
      },
    ]);
  });

  it('route reads the job queue in batches of 10, reporting failures, two pollers at most', () => {
    const mapping = findResource(home, 'aws_lambda_event_source_mapping', (m) => m.event_source_arn.includes('tickets_job-queue'));
    expect(mapping).toMatchObject({ batch_size: 10, function_response_types: ['ReportBatchItemFailures'], scaling_config: { maximum_concurrency: 2 } });
    expect(mapping.function_name).toMatch(/^\$\{aws_lambda_function\.alert-routing_route_function_\w+\.function_name\}$/);
  });

  it("route's role: the job queue, the two secrets only, their key through Secrets Manager only, and the administrator's hub", () => {
    const doc = policy();
    const jobs = 'arn:aws:sqs:us-east-1:222222222222:acme-ticket-jobs';
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:SendMessage']) {
      expect(statementsWith(doc, action).flatMap((s: any) => [s.Resource].flat())).toContain(jobs);
    }
    const getSecret = statementsWith(doc, 'secretsmanager:GetSecretValue');
    expect(getSecret).toHaveLength(1);
    expect([getSecret[0].Resource].flat().sort()).toEqual(SECRET_ARNS);
    expect(JSON.stringify(doc.Statement.filter((s: any) => JSON.stringify(s.Action).includes('secretsmanager:')))).toBe(JSON.stringify(getSecret));
    const viaSecretsManager = doc.Statement.filter((s: any) =>
      [s.Condition?.StringEquals?.['kms:ViaService']].flat().includes('secretsmanager.us-east-1.amazonaws.com'),
    );
    expect(viaSecretsManager).toEqual([
      expect.objectContaining({
        Action: 'kms:Decrypt',
        Resource: 'arn:aws:kms:us-east-1:222222222222:key/*',
        Condition: {
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/acme-security-alerts' },
          StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' },
        },
      }),
    ]);
    for (const action of ['securityhub:GetFindings', 'securityhub:BatchUpdateFindings']) {
      expect(statementsWith(doc, action).map((s: any) => s.Resource)).toEqual(['arn:aws:securityhub:us-east-1:222222222222:hub/default']);
    }
  });

  it('alarms on the job dead-letter queue and on a job queue nobody reads, and forwards both alarms', () => {
    const alarms = values('aws_cloudwatch_metric_alarm').map((a) => [a.alarm_name, a.metric_name, a.dimensions.QueueName]);
    expect(alarms).toEqual(
      expect.arrayContaining([
        ['acme-route-ticket-dead-letters', 'ApproximateNumberOfMessagesVisible', 'acme-ticket-jobs-dlq'],
        ['acme-route-ticket-backlog', 'ApproximateAgeOfOldestMessage', 'acme-ticket-jobs'],
      ]),
    );
    const dlqAlarm = findResource(home, 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name === 'acme-route-ticket-dead-letters');
    expect(dlqAlarm.alarm_description).toContain('ticket requests and comments it could not deliver after 5 tries');
    const forwarder = findResource(home, 'aws_cloudwatch_event_rule', (r) => r.name === 'acme-route-alarms');
    expect(JSON.parse(forwarder.event_pattern).detail.alarmName).toEqual(
      expect.arrayContaining(['acme-route-ticket-dead-letters', 'acme-route-ticket-backlog']),
    );
  });

  it('route is told the systems, the job queue the stack makes and the dead-letter queue alerts name', () => {
    const tickets = routerSettings().tickets!;
    expect(jobQueue().name).toBe(tickets.jobQueueUrl.split('/').pop());
    expect(findResource(home, 'aws_sqs_queue', (q) => q.name === tickets.jobDeadLetterQueue).message_retention_seconds).toBe(1209600);
    expect(tickets).toEqual({
      jira: { baseUrl: 'https://acme.atlassian.net', projectKey: 'SEC', issueType: 'Bug', secretName: 'security-response/jira', minSeverity: 'HIGH' },
      serviceNow: { instanceUrl: 'https://acme.service-now.com', assignmentGroup: 'SecOps', secretName: 'security-response/servicenow', minSeverity: 'HIGH' },
      jobQueueUrl: 'https://sqs.us-east-1.amazonaws.com/222222222222/acme-ticket-jobs',
      jobDeadLetterQueue: 'acme-ticket-jobs-dlq',
    });
  });

  it('one system configured: its secret alone, and route may read that one only', () => {
    const config = exampleConfig();
    delete config.notifications!.tickets!.jira;
    const json = synthJson(buildTestFleet(config).stacks.get('security-us-east-1')!);
    expect(Object.values<any>(resourcesOf(json, 'aws_secretsmanager_secret')).map((s) => s.name)).toEqual(['security-response/servicenow']);
    const doc = JSON.parse(findResource(json, 'aws_iam_role_policy', (p) => p.name === 'acme-route-permissions').policy);
    expect(statementsWith(doc, 'secretsmanager:GetSecretValue').map((s: any) => s.Resource)).toEqual([[SECRET_ARNS[1]]]);
  });

  it('an organization without tickets gets none of it: no secret, job queue, rule, mapping, grant or alarm', () => {
    const config = exampleConfig();
    delete config.notifications!.tickets;
    const json = synthJson(buildTestFleet(config).stacks.get('security-us-east-1')!);
    // The evidence table's ticket column and the open-escalations query stay (the evidence store is
    // the same for every organization; without tickets no record fills them).
    const { aws_glue_catalog_table: _table, aws_athena_named_query: _queries, ...others } = json.resource;
    const text = JSON.stringify({ ...json, resource: others });
    expect(resourcesOf(json, 'aws_secretsmanager_secret')).toEqual({});
    // Each word is in the stack with tickets (the control), and nowhere without them.
    for (const word of ['ticket', 'secretsmanager', 'undo']) {
      expect(JSON.stringify(home)).toContain(word);
      expect(text).not.toContain(word);
    }
    // route's read of findings (the ticket field) goes too; respond's own read of its hub (npm run sweep) stays.
    const routePolicy = (stack: any) => findResource(stack, 'aws_iam_role_policy', (p) => p.name === 'acme-route-permissions').policy as string;
    expect(routePolicy(home)).toContain('securityhub:GetFindings');
    expect(routePolicy(json)).not.toContain('securityhub:GetFindings');
    expect(Object.values<any>(resourcesOf(home, 'aws_lambda_event_source_mapping'))).toHaveLength(2);
    expect(Object.values<any>(resourcesOf(json, 'aws_lambda_event_source_mapping'))).toHaveLength(1);
    const doc = JSON.parse(findResource(json, 'aws_iam_role_policy', (p) => p.name === 'acme-route-permissions').policy);
    expect(doc.Statement.map((s: any) => s.Sid)).toEqual([
      'WriteOwnLogs',
      'DeadLetterQueue',
      'ReplayEvidenceFromDeadLetterQueue',
      'ReadIntake',
      'StormState',
      'Deliver',
      'EncryptDeliveriesAndState',
    ]);
    const route = findResource(json, 'aws_lambda_function', (f) => f.function_name === 'acme-route');
    expect(RouterSettingsSchema.parse(JSON.parse(route.environment.variables.ROUTER_SETTINGS)).tickets).toBeUndefined();
  });
});
