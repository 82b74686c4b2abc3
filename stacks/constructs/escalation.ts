import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { SecurityhubActionTarget } from '@cdktf/provider-aws/lib/securityhub-action-target';
import { arns, names } from '../../functions/shared/naming';
import type { ResponderSettings } from '../../functions/shared/settings';
import type { FunctionBundle } from '../bundles';
import { customActionPattern } from './event-patterns';
import { EventTrigger } from './event-trigger';
import { alertPublishStatements, recordFindingStatements } from './permissions';
import { ResponseFunction } from './response-function';

export interface EscalationProps {
  /** Settings of the security account in its home region. */
  readonly settings: ResponderSettings;
  readonly bundle: FunctionBundle;
  readonly logRetentionDays: number;
  /** Reserved concurrency of escalate. (see ResponseFunctionProps.reservedConcurrency). @default none */
  readonly reservedConcurrency?: number;
  /** What enables Security Hub in this account and region; the custom action depends on it. @default none */
  readonly securityHub?: ITerraformDependable;
}

/**
 * Manual escalation: the "Escalate to SecOps" custom action in the Security Hub console of the
 * security account, and the `escalate` function its events invoke.
 */
export class Escalation extends Construct {
  constructor(scope: Construct, id: string, props: EscalationProps) {
    super(scope, id);
    const { settings } = props;
    const org = settings.organization;
    // Security Hub allows 20 characters in the name and 20 alphanumerics in the id.
    const action = new SecurityhubActionTarget(this, 'custom-action', {
      name: names.customActionName,
      identifier: names.customActionId,
      description: 'Send the selected findings to the security operations team with your note',
      dependsOn: props.securityHub ? [props.securityHub] : undefined,
    });
    const fn = new ResponseFunction(this, 'escalate', {
      function: 'escalate',
      bundle: props.bundle,
      settings,
      region: settings.region,
      logRetentionDays: props.logRetentionDays,
      reservedConcurrency: props.reservedConcurrency,
      timeoutSeconds: 60,
      alarmBusArn: arns.alarmBus(settings.accountId, settings.region, org),
      statements: [...recordFindingStatements(settings.accountId, settings.region), ...alertPublishStatements(settings, settings.region, settings.accountId)],
    });
    const trigger = new EventTrigger(this, 'custom-action-rule', {
      ruleName: `${org}-escalate-to-secops`,
      description: `"${names.customActionName}" custom action to ${names.function(org, 'escalate')}`,
      eventPattern: customActionPattern(arns.customAction(settings.accountId, settings.region)),
      target: fn,
      accountId: settings.accountId,
      region: settings.region,
    });
    trigger.rule.node.addDependency(action);
  }
}
