import { Construct } from 'constructs';
import { TerraformAsset, AssetType } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import type { TerraformProvider } from 'cdktf';
import { EVIDENCE_WRITERS, names, PARTITION, type FunctionName } from '../../functions/shared/naming';
import { SETTINGS_ENV, type ResponderSettings } from '../../functions/shared/settings';
import type { FunctionBundle } from '../bundles';
import { FunctionAlarms, type BacklogQueue, type ExtraDeadLetterQueue, type FailureMetric } from './function-alarms';
import { lambdaTrustPolicy, policyDocument, type PolicyStatement } from './policy';

export interface ResponseFunctionProps {
  /** Which function of functions/ this deploys. */
  readonly function: FunctionName;
  readonly bundle: FunctionBundle;
  readonly settings: ResponderSettings;
  /** Region the function runs in (the provider's region). */
  readonly region: string;
  /** Permissions beyond logging and the dead-letter queue. */
  readonly statements: PolicyStatement[];
  readonly logRetentionDays: number;
  /** Provider for another region (us-east-1 for quarantine-user). @default the stack's provider */
  readonly provider?: TerraformProvider;
  /**
   * Reserved concurrency: guarantees and caps concurrent executions (a cap on how hard a burst of
   * findings hits AWS APIs), taken from the account's regional pool. Lambda refuses a reservation
   * that leaves the unreserved pool below its minimum (100 in the Lambda docs), and new accounts
   * start with reduced concurrency quotas.
   * @default none (unreserved)
   */
  readonly reservedConcurrency?: number;
  /** Seconds. @default 120 */
  readonly timeoutSeconds?: number;
  /** MB. @default 256 */
  readonly memoryMb?: number;
  /** The security account's alarm bus, where the function's alarm state changes are forwarded. */
  readonly alarmBusArn: string;
  /** Alarm on the function's RemediationFailures metric too. @default false */
  readonly watchRemediationFailures?: boolean;
  /** More queues whose waiting messages need a person (see FunctionAlarmsProps). @default none */
  readonly extraDeadLetterQueues?: readonly ExtraDeadLetterQueue[];
  /** More of the function's metrics that count failures (see FunctionAlarmsProps). @default none */
  readonly failureMetrics?: readonly FailureMetric[];
  /** Work queues whose oldest message should not wait long (see FunctionAlarmsProps). @default none */
  readonly backlogQueues?: readonly BacklogQueue[];
  /** Environment variables besides the settings and Powertools' service name. @default none */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * A deployed response function with everything it needs to run unattended: its own role (trust
 * limited to Lambda in this account), a log group with retention, an encrypted dead-letter queue
 * for invocations that fail after retries, bounded retries, optional reserved concurrency, and alarms
 * (dead letters, optionally remediation failures) that reach the organization's alert topic.
 */
export class ResponseFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly deadLetterQueue: SqsQueue;
  readonly functionName: string;
  readonly functionArn: string;
  readonly deadLetterQueueArn: string;

  constructor(scope: Construct, id: string, props: ResponseFunctionProps) {
    super(scope, id);
    const { settings, region, provider } = props;
    const org = settings.organization;
    const account = settings.accountId;
    this.functionName = names.function(org, props.function);
    this.functionArn = `arn:${PARTITION}:lambda:${region}:${account}:function:${this.functionName}`;
    const dlqName = names.deadLetterQueue(org, props.function);
    this.deadLetterQueueArn = `arn:${PARTITION}:sqs:${region}:${account}:${dlqName}`;
    const logGroupName = `/aws/lambda/${this.functionName}`;
    const logGroupArn = `arn:${PARTITION}:logs:${region}:${account}:log-group:${logGroupName}`;

    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      provider,
      name: logGroupName,
      retentionInDays: props.logRetentionDays,
    });

    this.deadLetterQueue = new SqsQueue(this, 'dead-letter-queue', {
      provider,
      name: dlqName,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 1209600, // 14 days, the SQS maximum: time for a person to look.
    });

    // EventBridge writes the events it could not deliver here; only this account's rules of ours may.
    new SqsQueuePolicy(this, 'dead-letter-policy', {
      provider,
      queueUrl: this.deadLetterQueue.url,
      policy: policyDocument([
        {
          Sid: 'UndeliveredEventsFromOurRules',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: this.deadLetterQueueArn,
          Condition: { ArnLike: { 'aws:SourceArn': `arn:${PARTITION}:events:${region}:${account}:rule/${org}-*` } },
        },
      ]),
    });

    this.role = new IamRole(this, 'role', {
      provider,
      name: names.role(org, props.function, region),
      description: `Runs ${this.functionName} in ${region}`,
      assumeRolePolicy: lambdaTrustPolicy(account),
      maxSessionDuration: 3600,
    });

    new IamRolePolicy(this, 'policy', {
      provider,
      name: `${this.functionName}-permissions`,
      role: this.role.name,
      policy: policyDocument([
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${logGroupArn}:*`,
        },
        {
          Sid: 'DeadLetterQueue',
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: this.deadLetterQueueArn,
        },
        // npm run replay-evidence: the function moves the evidence records waiting in its own
        // dead-letter queue into the bucket (only the functions' roles may write there).
        ...((EVIDENCE_WRITERS as readonly string[]).includes(props.function)
          ? [
              {
                Sid: 'ReplayEvidenceFromDeadLetterQueue',
                Effect: 'Allow' as const,
                Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'],
                Resource: this.deadLetterQueueArn,
              },
            ]
          : []),
        ...props.statements,
      ]),
    });

    const asset = new TerraformAsset(this, 'code', {
      path: props.bundle.zipPath,
      type: AssetType.FILE,
      assetHash: props.bundle.sha256Hex,
    });

    this.function = new LambdaFunction(this, 'function', {
      provider,
      functionName: this.functionName,
      description: `security-response ${props.function} for ${settings.accountName} (${account})`,
      role: this.role.arn,
      filename: asset.path,
      sourceCodeHash: props.bundle.sha256Base64,
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      memorySize: props.memoryMb ?? 256,
      timeout: props.timeoutSeconds ?? 120,
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrency }),
      deadLetterConfig: { targetArn: this.deadLetterQueue.arn },
      environment: {
        variables: {
          [SETTINGS_ENV]: JSON.stringify(settings),
          POWERTOOLS_SERVICE_NAME: props.function,
          ...props.environment,
        },
      },
      dependsOn: [logGroup],
    });

    new LambdaFunctionEventInvokeConfig(this, 'async-invoke', {
      provider,
      functionName: this.function.functionName,
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 6 * 3600,
    });

    new FunctionAlarms(this, 'alarms', {
      provider,
      organization: org,
      function: props.function,
      accountId: account,
      region,
      deadLetterQueueName: dlqName,
      deadLetterQueueArn: this.deadLetterQueue.arn,
      alarmBusArn: props.alarmBusArn,
      watchRemediationFailures: props.watchRemediationFailures,
      extraDeadLetterQueues: props.extraDeadLetterQueues,
      backlogQueues: props.backlogQueues,
      failureMetrics: props.failureMetrics,
    });
  }
}
