import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { INVESTIGATE_SETTINGS_ENV, type InvestigateSettings } from '../../functions/shared/investigate/settings';
import { MAX_CHECKS } from '../../functions/shared/investigate/job';
import { METRIC } from '../../functions/shared/metrics';
import { arns, names, PARTITION } from '../../functions/shared/naming';
import type { ResponderSettings } from '../../functions/shared/settings';
import type { FunctionBundle } from '../bundles';
import { credentialFindingsPattern } from './event-patterns';
import { EventTrigger } from './event-trigger';
import { alertPublishStatements, recordFindingStatements } from './permissions';
import type { PolicyStatement } from './policy';
import { ResponseFunction } from './response-function';

export interface InvestigationProps {
  /** Settings of the security account in its home region. */
  readonly settings: ResponderSettings;
  readonly bundle: FunctionBundle;
  readonly logRetentionDays: number;
  /** The organization's regions: the security account administers a Detective graph in each. */
  readonly regions: readonly string[];
  /** Reserved concurrency of investigate (see ResponseFunctionProps.reservedConcurrency). @default none */
  readonly reservedConcurrency?: number;
}

/** Seconds: a batch of findings is a few Detective, DynamoDB, SNS and S3 requests each. */
const TIMEOUT_SECONDS = 60;

/** What `investigate` may do, and nothing else: read-only Detective requests on the security account's own graphs. */
export function investigateStatements(settings: ResponderSettings, regions: readonly string[], tableArn: string, queueArn: string): PolicyStatement[] {
  const account = settings.accountId;
  return [
    // ListGraphs has no resource type (Service Authorization Reference, Amazon Detective).
    { Sid: 'FindOwnGraphs', Effect: 'Allow', Action: 'detective:ListGraphs', Resource: '*' },
    {
      Sid: 'InvestigateInOwnGraphs',
      Effect: 'Allow',
      Action: ['detective:StartInvestigation', 'detective:GetInvestigation', 'detective:ListIndicators'],
      Resource: [...regions].sort().map((region) => `arn:${PARTITION}:detective:${region}:${account}:graph:*`),
    },
    { Sid: 'ClaimFindings', Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], Resource: tableArn },
    {
      Sid: 'InvestigationChecks',
      Effect: 'Allow',
      Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
      Resource: queueArn,
    },
  ];
}

/**
 * Detective investigations (organization.detective): the `investigate` function, the rule that
 * sends it the organization's aggregated credential findings, the table in which it claims each
 * finding once, and the queue of delayed checks that bring it back for each investigation's result.
 */
export class Investigation extends Construct {
  readonly function: ResponseFunction;

  constructor(scope: Construct, id: string, props: InvestigationProps) {
    super(scope, id);
    const { settings } = props;
    const org = settings.organization;
    const account = settings.accountId;
    const region = settings.region;
    const tableName = names.investigationTable(org);
    const tableArn = `arn:${PARTITION}:dynamodb:${region}:${account}:table/${tableName}`;
    new DynamodbTable(this, 'claims-table', {
      name: tableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'findingId',
      attribute: [{ name: 'findingId', type: 'S' }],
      ttl: { attributeName: 'expiresAt', enabled: true },
      serverSideEncryption: { enabled: true },
      pointInTimeRecovery: { enabled: true },
    });
    const queueName = names.investigationCheckQueue(org);
    const queueArn = `arn:${PARTITION}:sqs:${region}:${account}:${queueName}`;
    const dlqName = `${queueName}-dlq`;
    const dlq = new SqsQueue(this, 'checks-dead-letter-queue', {
      name: dlqName,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 1209600, // 14 days, the SQS maximum: time for a person to look.
    });
    const queue = new SqsQueue(this, 'checks-queue', {
      name: queueName,
      sqsManagedSseEnabled: true,
      // Lambda's guidance for SQS: six times the function's timeout.
      visibilityTimeoutSeconds: 6 * TIMEOUT_SECONDS,
      messageRetentionSeconds: 4 * 86400,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:${PARTITION}:sqs:${region}:${account}:${dlqName}`, maxReceiveCount: 5 }),
      dependsOn: [dlq],
    });
    const investigateSettings: InvestigateSettings = { regions: [...props.regions].sort() };
    this.function = new ResponseFunction(this, 'investigate', {
      function: 'investigate',
      bundle: props.bundle,
      settings,
      region,
      logRetentionDays: props.logRetentionDays,
      reservedConcurrency: props.reservedConcurrency,
      timeoutSeconds: TIMEOUT_SECONDS,
      alarmBusArn: arns.alarmBus(account, region, org),
      environment: { [INVESTIGATE_SETTINGS_ENV]: JSON.stringify(investigateSettings) },
      statements: [
        ...investigateStatements(settings, props.regions, tableArn, queueArn),
        ...recordFindingStatements(account, region),
        ...alertPublishStatements(settings, region, account),
      ],
      failureMetrics: [
        {
          alarm: 'investigation-failures',
          metric: METRIC.investigationFailures,
          description: 'Detective investigations that could not be started, or whose result could not be read',
        },
      ],
      extraDeadLetterQueues: [{ alarm: 'investigation-check-dead-letters', queueName: dlqName, holds: 'investigation checks that failed 5 times' }],
      backlogQueues: [
        // Checks wait up to 15 minutes by design; an hour means nobody reads the queue.
        { alarm: 'investigation-check-backlog', queueName, maxAgeSeconds: 3600, holds: `investigation checks (up to ${MAX_CHECKS} per investigation)` },
      ],
    });
    new EventTrigger(this, 'credential-findings-rule', {
      ruleName: `${org}-investigate-credential-findings`,
      description: `Credential-compromise findings of the organization to ${names.function(org, 'investigate')} (Detective)`,
      eventPattern: credentialFindingsPattern(),
      target: this.function,
      accountId: account,
      region,
    });
    new LambdaEventSourceMapping(this, 'checks-mapping', {
      eventSourceArn: queue.arn,
      functionName: this.function.function.functionName,
      batchSize: 10,
      functionResponseTypes: ['ReportBatchItemFailures'],
      scalingConfig: { maximumConcurrency: 2 },
    });
  }
}
