import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { METRIC, METRICS_NAMESPACE, type MetricName } from '../../functions/shared/metrics';
import { EVIDENCE_WRITERS, names, type FunctionName } from '../../functions/shared/naming';
import { alarmStateChangePattern } from './event-patterns';
import { policyDocument } from './policy';

/** Alarm periods, seconds: short enough to page within minutes of a failure. */
const PERIOD_SECONDS = 300;

/** A queue besides the function's dead-letter queue whose waiting messages need a person. */
export interface ExtraDeadLetterQueue {
  /** Alarm name suffix (`<org>-<function>-<alarm>`). */
  readonly alarm: string;
  readonly queueName: string;
  /** What the messages are, for the alarm's description ("alerts it could not deliver"). */
  readonly holds: string;
}

/** A queue the function works from: its oldest message should never wait long. */
export interface BacklogQueue {
  /** Alarm name suffix (`<org>-<function>-<alarm>`). */
  readonly alarm: string;
  readonly queueName: string;
  /** Seconds the oldest message may wait before the alarm goes off. */
  readonly maxAgeSeconds: number;
  /** What waits in it, for the alarm's description ("alerts"). */
  readonly holds: string;
}

/** One of the function's own metrics (Powertools EMF, dimension `service`) whose non-zero sum is a failure. */
export interface FailureMetric {
  /** Alarm name suffix (`<org>-<function>-<alarm>`). */
  readonly alarm: string;
  readonly metric: MetricName;
  readonly description: string;
}

export interface FunctionAlarmsProps {
  readonly organization: string;
  readonly function: FunctionName;
  readonly accountId: string;
  readonly region: string;
  /** Name of the function's dead-letter queue. */
  readonly deadLetterQueueName: string;
  /** ARN of the function's dead-letter queue: the forwarder's undeliverable events go there too. */
  readonly deadLetterQueueArn: string;
  /** The security account's alarm bus (names.alarmBus), computed from the configuration. */
  readonly alarmBusArn: string;
  /** Also alarm on the function's RemediationFailures metric. @default false */
  readonly watchRemediationFailures?: boolean;
  /** More queues to alarm on when messages wait in them. @default none */
  readonly extraDeadLetterQueues?: readonly ExtraDeadLetterQueue[];
  /** More of the function's metrics to alarm on when they count a failure. @default none */
  readonly failureMetrics?: readonly FailureMetric[];
  /** Work queues to alarm on when their oldest message waits too long. @default none */
  readonly backlogQueues?: readonly BacklogQueue[];
  /** Provider for another region. @default the stack's provider */
  readonly provider?: TerraformProvider;
}

/**
 * A function's alarms and the path that takes their state changes to the organization's alert
 * topic. An alarm can notify only a topic in its own region, and the topic lives in the security
 * account's home region; so every alarm state change (ALARM, and OK after ALARM) is forwarded by an
 * EventBridge rule to the security account's alarm bus, whose relay publishes it to the topic.
 */
export class FunctionAlarms extends Construct {
  readonly alarmNames: string[];

  constructor(scope: Construct, id: string, props: FunctionAlarmsProps) {
    super(scope, id);
    const { provider, organization: org } = props;
    const alarmNames: string[] = [];

    const fn = names.function(org, props.function);
    const queues = [
      {
        alarm: 'dead-letters',
        queueName: props.deadLetterQueueName,
        // The evidence writers also leave here the records the bucket refused (message attribute kind=evidence).
        holds: (EVIDENCE_WRITERS as readonly string[]).includes(props.function)
          ? `Events that ${fn} could not handle after retries, or evidence records it could not write (message attribute kind=evidence),`
          : `Events that ${fn} could not handle after retries`,
      },
      ...(props.extraDeadLetterQueues ?? []).map((q) => ({ ...q, holds: `${fn}: ${q.holds}` })),
    ];
    // Every alarm breaches on more than `threshold` in one period; an absent data point (an empty
    // queue, a quiet function) is the healthy state.
    const alarm = (
      id: string,
      description: string,
      metric: { namespace: string; metricName: string; dimensions: Record<string, string>; statistic: string; threshold: number },
    ) => {
      const alarmName = names.alarm(org, props.function, id);
      new CloudwatchMetricAlarm(this, id, {
        provider,
        alarmName,
        alarmDescription: description,
        namespace: metric.namespace,
        metricName: metric.metricName,
        dimensions: metric.dimensions,
        statistic: metric.statistic,
        period: PERIOD_SECONDS,
        evaluationPeriods: 1,
        threshold: metric.threshold,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
      });
      alarmNames.push(alarmName);
    };
    for (const q of queues) {
      alarm(q.alarm, `${q.holds} are waiting in ${q.queueName} (${props.region}). Read them, fix the cause, and replay or discard them.`, {
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: q.queueName },
        statistic: 'Maximum',
        threshold: 0,
      });
    }
    for (const q of props.backlogQueues ?? []) {
      alarm(
        q.alarm,
        `${fn} is not keeping up: ${q.holds} have waited more than ${q.maxAgeSeconds / 60} minutes in ${q.queueName} (${props.region}). Look at the function's errors and throttles.`,
        {
          namespace: 'AWS/SQS',
          metricName: 'ApproximateAgeOfOldestMessage',
          dimensions: { QueueName: q.queueName },
          statistic: 'Maximum',
          threshold: q.maxAgeSeconds,
        },
      );
    }

    const failureMetrics: FailureMetric[] = [
      ...(props.watchRemediationFailures
        ? [
            {
              alarm: 'remediation-failures',
              metric: METRIC.remediationFailures,
              description: `${fn} failed to remediate at least one finding in ${props.region}. Each failure was also alerted with its error; look at those alerts and the function's log.`,
            },
          ]
        : []),
      ...(props.failureMetrics ?? []),
    ];
    for (const f of failureMetrics) {
      alarm(f.alarm, f.description, {
        namespace: METRICS_NAMESPACE,
        metricName: f.metric,
        dimensions: { service: props.function },
        statistic: 'Sum',
        threshold: 0,
      });
    }
    this.alarmNames = alarmNames;

    // IAM is global and this construct exists per region: the role name carries the region.
    const role = new IamRole(this, 'forwarder-role', {
      provider,
      name: names.alarmForwarderRole(org, props.function, props.region),
      description: `Forwards ${names.function(org, props.function)} alarm state changes in ${props.region} to the security account`,
      assumeRolePolicy: policyDocument([
        {
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
      ]),
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, 'forwarder-policy', {
      provider,
      name: `${names.alarmForwarderRole(org, props.function, props.region)}-put-events`,
      role: role.name,
      policy: policyDocument([{ Sid: 'PutEventsOnAlarmBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: props.alarmBusArn }]),
    });

    const rule = new CloudwatchEventRule(this, 'forwarder', {
      provider,
      name: names.alarmForwarder(org, props.function),
      description: `${names.function(org, props.function)} alarm state changes in ${props.region} to the security account's alarm bus`,
      eventPattern: JSON.stringify(alarmStateChangePattern(alarmNames)),
      state: 'ENABLED',
    });
    new CloudwatchEventTarget(this, 'forwarder-target', {
      provider,
      rule: rule.name,
      targetId: 'security-account-alarm-bus',
      arn: props.alarmBusArn,
      roleArn: role.arn,
      deadLetterConfig: { arn: props.deadLetterQueueArn },
    });
  }
}
