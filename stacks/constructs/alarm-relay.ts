import { Construct } from 'constructs';
import { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus';
import { CloudwatchEventBusPolicy } from '@cdktf/provider-aws/lib/cloudwatch-event-bus-policy';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { arns, FUNCTION_NAMES, names } from '../../functions/shared/naming';
import { organizationAlarmsPattern } from './event-patterns';
import { policyDocument } from './policy';

export interface AlarmRelayProps {
  readonly organizationName: string;
  readonly organizationId: string;
  readonly securityAccountId: string;
  readonly homeRegion: string;
  /** The organization's alert topic (in this account and region). */
  readonly alertTopicArn: string;
  /** Queue for state changes that could not be published after retries (this stack's respond DLQ). */
  readonly deadLetterQueueArn: string;
}

/**
 * The security account's end of the alarm path: an event bus that every account's alarm
 * forwarders (see FunctionAlarms) may put events on, and a rule that publishes each alarm state
 * change to the alert topic as a short, readable message.
 */
export class AlarmRelay extends Construct {
  readonly ruleArn: string;

  constructor(scope: Construct, id: string, props: AlarmRelayProps) {
    super(scope, id);
    const org = props.organizationName;
    const busArn = arns.alarmBus(props.securityAccountId, props.homeRegion, org);
    this.ruleArn = arns.alarmRelayRule(props.securityAccountId, props.homeRegion, org);

    const bus = new CloudwatchEventBus(this, 'bus', { name: names.alarmBus(org) });
    // Only the forwarder roles of the organization's accounts, the same policy for 5 accounts or 500.
    const forwarders = FUNCTION_NAMES.map((fn) => arns.role('*', names.alarmForwarderRole(org, fn, '*')));
    new CloudwatchEventBusPolicy(this, 'bus-policy', {
      eventBusName: bus.name,
      policy: policyDocument([
        {
          Sid: 'OrganizationAlarmForwarders',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'events:PutEvents',
          Resource: busArn,
          Condition: {
            StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
            ArnLike: { 'aws:PrincipalArn': forwarders },
          },
        },
      ]),
    });

    const rule = new CloudwatchEventRule(this, 'rule', {
      name: names.alarmRelayRule(org),
      eventBusName: bus.name,
      description: `Alarm state changes of every account's ${org} functions to the alert topic`,
      eventPattern: JSON.stringify(organizationAlarmsPattern(org)),
      state: 'ENABLED',
    });
    const dashboard = `https://${props.homeRegion}.console.aws.amazon.com/cloudwatch/home?region=${props.homeRegion}#dashboards/dashboard/${names.dashboard(org)}`;
    new CloudwatchEventTarget(this, 'alert-topic', {
      rule: rule.name,
      eventBusName: bus.name,
      targetId: 'alert-topic',
      arn: props.alertTopicArn,
      retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 6 * 3600 },
      deadLetterConfig: { arn: props.deadLetterQueueArn },
      inputTransformer: {
        inputPaths: {
          alarm: '$.detail.alarmName',
          state: '$.detail.state.value',
          reason: '$.detail.state.reason',
          description: '$.detail.configuration.description',
          account: '$.account',
          region: '$.region',
          time: '$.time',
        },
        // A quoted template makes the SNS message plain text.
        inputTemplate: `"[<state>] <alarm> in account <account>, <region>, at <time>. <description> Why: <reason> Dashboard: ${dashboard}"`,
      },
    });
  }
}
