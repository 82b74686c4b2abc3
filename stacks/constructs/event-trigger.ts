import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { PARTITION } from '../../functions/shared/naming';
import type { ResponseFunction } from './response-function';

export interface EventTriggerProps {
  /** Rule name, unique in the account and region. */
  readonly ruleName: string;
  readonly description: string;
  /** EventBridge event pattern, as data (rendered to JSON here). */
  readonly eventPattern: Record<string, unknown>;
  readonly target: ResponseFunction;
  readonly accountId: string;
  readonly region: string;
  /** Provider for another region. @default the stack's provider */
  readonly provider?: TerraformProvider;
}

/**
 * An EventBridge rule on the default bus that invokes a response function: bounded retries,
 * undeliverable events to the function's dead-letter queue (whose policy admits the
 * organization's rules, see ResponseFunction), and an invoke permission only this rule can use.
 */
export class EventTrigger extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly ruleArn: string;

  constructor(scope: Construct, id: string, props: EventTriggerProps) {
    super(scope, id);
    const { provider, target } = props;
    this.ruleArn = `arn:${PARTITION}:events:${props.region}:${props.accountId}:rule/${props.ruleName}`;
    this.rule = new CloudwatchEventRule(this, 'rule', {
      provider,
      name: props.ruleName,
      description: props.description,
      eventPattern: JSON.stringify(props.eventPattern),
      state: 'ENABLED',
    });
    new CloudwatchEventTarget(this, 'target', {
      provider,
      rule: this.rule.name,
      targetId: target.functionName,
      arn: target.function.arn,
      retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 6 * 3600 },
      deadLetterConfig: { arn: target.deadLetterQueue.arn },
    });
    new LambdaPermission(this, 'invoke-permission', {
      provider,
      statementId: `invoke-from-${props.ruleName}`.slice(0, 100),
      action: 'lambda:InvokeFunction',
      functionName: target.function.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: this.ruleArn,
      sourceAccount: props.accountId,
    });
  }
}
