import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import type { TerraformProvider } from 'cdktf';
import { severitiesAtOrAbove, type Severity } from '../../functions/shared/catalogue';
import { METRIC } from '../../functions/shared/metrics';
import { arns, names, PARTITION } from '../../functions/shared/naming';
import { ROUTER_SETTINGS_ENV, type RouterSettings } from '../../functions/shared/routing/settings';
import type { ResponderSettings } from '../../functions/shared/settings';
import type { FunctionBundle } from '../bundles';
import { ChatChannels, type SlackChannel, type TeamsChannel } from './chat-channels';
import { evidenceWriteStatements } from './permissions';
import { policyDocument } from './policy';
import { ResponseFunction } from './response-function';
import { Ticketing } from './ticketing';

/** Where one team's alerts go. */
export interface TeamRoute {
  readonly email: readonly string[];
  readonly minSeverity: Severity;
  /** @default no Slack channel */
  readonly slack?: SlackChannel;
  /** @default no Teams channel */
  readonly msTeams?: TeamsChannel;
}

export interface AlertRoutingProps {
  /** Settings of the security account in its home region. */
  readonly settings: ResponderSettings;
  readonly bundle: FunctionBundle;
  readonly logRetentionDays: number;
  /** The alert topic every function publishes to: the router's intake. */
  readonly intakeTopic: SnsTopic;
  /** The alert key (AlertTopic): the delivery topics are encrypted with it too. */
  readonly alertKeyArn: string;
  /** What `route` is told: storm limits, table, delivery topics (config/router-settings.ts). */
  readonly routerSettings: RouterSettings;
  /** Addresses that receive every alert. @default none */
  readonly emails?: readonly string[];
  /** Per team: its addresses and channels, and the lowest severity it receives. @default none */
  readonly teams?: Readonly<Record<string, TeamRoute>>;
  /** The Slack channel that receives everything. @default none */
  readonly slack?: SlackChannel;
  /** EventBridge rules of this account that may publish to the e-mail topic (the alarm relay). @default none */
  readonly publishingRuleArns?: readonly string[];
  /** Provider in a region with Chatbot's API (see ChatChannels). @default the stack's provider */
  readonly chatbotProvider?: TerraformProvider;
  /** Reserved concurrency of route (see ResponseFunctionProps.reservedConcurrency). @default none */
  readonly reservedConcurrency?: number;
}

/** Seconds: the route function's timeout; the intake queue's visibility timeout is six times it (Lambda's guidance for SQS). */
const ROUTE_TIMEOUT_SECONDS = 60;

/**
 * The alert router in the security account's home region. Every function of every account
 * publishes to the alert topic; the topic's only subscriber is the intake queue, read by `route`,
 * which sends each alert to the e-mail topic (subscriptions filtered by team and severity, as
 * before) and to the chat topics, or, past the storm threshold, holds it in the routing table
 * for its window's digest, sent by the same function every minute. Alarms do not pass through the
 * router: the alarm relay publishes to the e-mail topic directly, so an alarm about the router
 * itself still arrives.
 */
export class AlertRouting extends Construct {
  readonly emailTopicArn: string;
  readonly route: ResponseFunction;
  /** Jira and ServiceNow (routerSettings.tickets). @default none */
  readonly tickets?: Ticketing;

  constructor(scope: Construct, id: string, props: AlertRoutingProps) {
    super(scope, id);
    const { settings } = props;
    const org = settings.organization;
    const account = settings.accountId;
    const region = settings.region;
    const rules = props.publishingRuleArns ?? [];
    this.emailTopicArn = arns.emailTopic(account, region, org);
    const intakeTopicArn = arns.alertTopic(account, region, org);

    // E-mail: the addresses that used to subscribe to the alert topic, with the same filter policies.
    const emailTopic = new SnsTopic(this, 'email-topic', {
      name: names.emailTopic(org),
      displayName: 'Security alerts',
      kmsMasterKeyId: props.alertKeyArn,
    });
    // Only the alarm relay needs the topic policy. The router is in this account, so its role's
    // own policy is enough; naming the role here would fail the first deploy (SNS refuses a
    // principal that does not exist yet, and nothing orders the role before this policy).
    if (rules.length > 0) {
      new SnsTopicPolicy(this, 'email-topic-policy', {
        arn: emailTopic.arn,
        policy: policyDocument([
          {
            Sid: 'OwnRulesPublish',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: this.emailTopicArn,
            Condition: { ArnEquals: { 'aws:SourceArn': [...rules] } },
          },
        ]),
      });
    }
    for (const email of [...(props.emails ?? [])].sort()) {
      new SnsTopicSubscription(this, `email-${email}`, { topicArn: emailTopic.arn, protocol: 'email', endpoint: email });
    }
    const teams = Object.entries(props.teams ?? {}).sort(([a], [b]) => a.localeCompare(b));
    for (const [team, route] of teams) {
      for (const email of [...route.email].sort()) {
        new SnsTopicSubscription(this, `team-${team}-${email}`, {
          topicArn: emailTopic.arn,
          protocol: 'email',
          endpoint: email,
          // Message attributes `team` and `severity` are set by the functions and kept by the router.
          filterPolicyScope: 'MessageAttributes',
          filterPolicy: JSON.stringify({ team: [team], severity: severitiesAtOrAbove(route.minSeverity) }),
        });
      }
    }

    // Chat: one topic per channel destination; the router filters for team channels.
    const chatTeams = teams.filter(([, r]) => r.slack ?? r.msTeams);
    const chat = new ChatChannels(this, 'chat', {
      organizationName: org,
      securityAccountId: account,
      homeRegion: region,
      alertKeyArn: props.alertKeyArn,
      chatbotProvider: props.chatbotProvider,
      destinations: [
        ...(props.slack ? [{ key: 'all', slack: props.slack }] : []),
        ...chatTeams.map(([team, r]) => ({ key: `team-${team}`, slack: r.slack, msTeams: r.msTeams })),
      ],
    });

    // Intake: the alert topic to a queue, so a burst waits in the queue, not in Lambda retries.
    const intakeDlqName = names.intakeDeadLetterQueue(org);
    const intakeDlq = new SqsQueue(this, 'intake-dead-letter-queue', {
      name: intakeDlqName,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 1209600, // 14 days, the SQS maximum: time for a person to look.
    });
    // JSON attributes hold computed ARNs, never Terraform references (policy.ts says why); the
    // dependency keeps the order SQS needs (a redrive target must exist).
    const intake = new SqsQueue(this, 'intake-queue', {
      name: names.intakeQueue(org),
      sqsManagedSseEnabled: true,
      visibilityTimeoutSeconds: 6 * ROUTE_TIMEOUT_SECONDS,
      messageRetentionSeconds: 4 * 86400,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:${PARTITION}:sqs:${region}:${account}:${intakeDlqName}`, maxReceiveCount: 5 }),
      dependsOn: [intakeDlq],
    });
    const intakeArn = `arn:${PARTITION}:sqs:${region}:${account}:${names.intakeQueue(org)}`;
    new SqsQueuePolicy(this, 'intake-queue-policy', {
      queueUrl: intake.url,
      policy: policyDocument([
        {
          Sid: 'AlertTopicDelivers',
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: intakeArn,
          Condition: { ArnEquals: { 'aws:SourceArn': intakeTopicArn } },
        },
      ]),
    });
    // A reference, not the computed ARN: the subscription must wait for the topic on a first deploy.
    new SnsTopicSubscription(this, 'intake-subscription', {
      topicArn: props.intakeTopic.arn,
      protocol: 'sqs',
      endpoint: intake.arn,
      // Not raw: the router needs the subject, the attributes and the publish time of the notification.
      rawMessageDelivery: false,
    });

    const tableName = names.routingTable(org);
    const table = new DynamodbTable(this, 'routing-table', {
      name: tableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'pk',
      rangeKey: 'sk',
      attribute: [
        { name: 'pk', type: 'S' },
        { name: 'sk', type: 'S' },
      ],
      ttl: { attributeName: 'expiresAt', enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.alertKeyArn },
      pointInTimeRecovery: { enabled: true },
    });

    // The router's settings come from config/router-settings.ts, which the simulator uses too; the
    // topics made here must be the ones it names.
    const routerSettings = props.routerSettings;
    const made = Object.values(chat.topicArns).sort();
    const named = [routerSettings.targets.everythingChatTopicArn, ...Object.values(routerSettings.targets.teamChat).map((t) => t.topicArn)]
      .filter((t): t is string => t !== undefined)
      .sort();
    if (
      JSON.stringify(made) !== JSON.stringify(named) ||
      routerSettings.targets.emailTopicArn !== this.emailTopicArn ||
      routerSettings.tableName !== tableName
    ) {
      throw new Error(`the router's settings name other topics or another table than AlertRouting makes: ${JSON.stringify({ made, named })}`);
    }
    const tableArn = `arn:${PARTITION}:dynamodb:${region}:${account}:table/${tableName}`;
    // Tickets: their secrets, job queue and undo-notes rule, made before route, which they give permissions and alarms.
    const tickets = (this.tickets = routerSettings.tickets
      ? new Ticketing(this, 'tickets', {
          organization: org,
          accountId: account,
          region,
          tickets: routerSettings.tickets,
          alertKeyArn: props.alertKeyArn,
          routeTimeoutSeconds: ROUTE_TIMEOUT_SECONDS,
        })
      : undefined);
    this.route = new ResponseFunction(this, 'route', {
      function: 'route',
      bundle: props.bundle,
      settings,
      region,
      logRetentionDays: props.logRetentionDays,
      reservedConcurrency: props.reservedConcurrency,
      timeoutSeconds: ROUTE_TIMEOUT_SECONDS,
      alarmBusArn: arns.alarmBus(account, region, org),
      environment: { [ROUTER_SETTINGS_ENV]: JSON.stringify(routerSettings) },
      extraDeadLetterQueues: [
        { alarm: 'intake-dead-letters', queueName: intakeDlqName, holds: 'alerts it could not deliver after 5 tries' },
        ...(tickets ? [tickets.deadLetterQueue] : []),
      ],
      backlogQueues: [
        { alarm: 'intake-backlog', queueName: names.intakeQueue(org), maxAgeSeconds: 900, holds: 'alerts' },
        ...(tickets ? [tickets.backlogQueue] : []),
      ],
      failureMetrics: [
        {
          alarm: 'digest-failures',
          metric: METRIC.digestFailures,
          description: `${names.function(org, 'route')} could not send at least one storm digest; its alerts stay held in ${names.routingTable(org)} and are tried every minute. Look at the function's log.`,
        },
      ],
      statements: [
        {
          Sid: 'ReadIntake',
          Effect: 'Allow',
          Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
          Resource: intakeArn,
        },
        {
          Sid: 'StormState',
          Effect: 'Allow',
          // TransactWriteItems is authorized as the PutItem of each item it writes.
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem'],
          Resource: tableArn,
        },
        {
          Sid: 'Deliver',
          Effect: 'Allow',
          Action: 'sns:Publish',
          Resource: [this.emailTopicArn, ...Object.values(chat.topicArns)],
        },
        {
          // The alert key, found by its alias as the alerting functions find it (see alertPublishStatements).
          Sid: 'EncryptDeliveriesAndState',
          Effect: 'Allow',
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Resource: `arn:${PARTITION}:kms:${region}:${account}:key/*`,
          Condition: {
            'ForAnyValue:StringEquals': { 'kms:ResourceAliases': names.alertKeyAlias(org) },
            StringEquals: { 'kms:ViaService': [`sns.${region}.amazonaws.com`, `dynamodb.${region}.amazonaws.com`] },
          },
        },
        // The record of each ticket it opens (functions/shared/evidence/ticket-record.ts): with tickets only.
        ...(tickets ? [...evidenceWriteStatements(settings, region, account), ...tickets.statements] : []),
      ],
    });
    this.route.function.node.addDependency(table);
    tickets?.readBy(this.route);

    new LambdaEventSourceMapping(this, 'intake-mapping', {
      eventSourceArn: intake.arn,
      functionName: this.route.function.functionName,
      batchSize: 10,
      functionResponseTypes: ['ReportBatchItemFailures'],
      // Two pollers at most: a storm waits in the queue instead of throttling SNS and DynamoDB.
      scalingConfig: { maximumConcurrency: 2 },
    });

    // The digests: every minute, the windows that have ended.
    const flushRuleName = names.digestSchedule(org);
    const flush = new CloudwatchEventRule(this, 'digest-schedule', {
      name: flushRuleName,
      description: `Sends the alert storm digests that are due (${names.function(org, 'route')})`,
      scheduleExpression: 'rate(1 minute)',
      state: 'ENABLED',
    });
    new CloudwatchEventTarget(this, 'digest-schedule-target', {
      rule: flush.name,
      targetId: this.route.functionName,
      arn: this.route.function.arn,
      retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 300 },
      deadLetterConfig: { arn: this.route.deadLetterQueue.arn },
    });
    new LambdaPermission(this, 'digest-schedule-permission', {
      statementId: `invoke-from-${flushRuleName}`.slice(0, 100),
      action: 'lambda:InvokeFunction',
      functionName: this.route.function.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: `arn:${PARTITION}:events:${region}:${account}:rule/${flushRuleName}`,
      sourceAccount: account,
    });
  }
}
