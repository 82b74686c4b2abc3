import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { arns, IAM_EVENTS_REGION, names } from '../../functions/shared/naming';
import type { ResponderSettings } from '../../functions/shared/settings';
import type { FunctionBundle } from '../bundles';
import { createUserPattern } from './event-patterns';
import { EventTrigger } from './event-trigger';
import { alertPublishStatements, remediationStatements } from './permissions';
import { policyDocument } from './policy';
import { ResponseFunction } from './response-function';

export interface IamQuarantineProps {
  /** Settings of the account, for its primary region (IAM is global). */
  readonly settings: ResponderSettings;
  readonly bundle: FunctionBundle;
  readonly homeRegion: string;
  readonly securityAccountId: string;
  readonly logRetentionDays: number;
  /** Provider in us-east-1, where IAM's CloudTrail events reach EventBridge. @default the stack's provider (a stack in us-east-1) */
  readonly usEast1Provider?: TerraformProvider;
  /** Reserved concurrency of quarantine-user. (see ResponseFunctionProps.reservedConcurrency). @default none */
  readonly reservedConcurrency?: number;
}

/**
 * The account's IAM pieces, deployed once per account: the deny-all policy that quarantined users
 * get as their permissions boundary, and the `CreateUser` detection with the `quarantine-user`
 * function in us-east-1.
 */
export class IamQuarantine extends Construct {
  readonly policy: IamPolicy;

  constructor(scope: Construct, id: string, props: IamQuarantineProps) {
    super(scope, id);
    const org = props.settings.organization;
    // The function runs in us-east-1 whatever the account's primary region is.
    const settings: ResponderSettings = { ...props.settings, region: IAM_EVENTS_REGION };

    this.policy = new IamPolicy(this, 'quarantine-policy', {
      name: names.quarantinePolicy(org),
      // Kept as first deployed although the policy is now set as a boundary: the AWS provider
      // replaces a policy whose description changes, and deleting it fails while users carry it.
      description: 'Denies every action. Attached by security-response to users it quarantines; detach to release.',
      policy: policyDocument([{ Sid: 'QuarantineDenyAll', Effect: 'Deny', Action: '*', Resource: '*' }]),
    });

    const fn = new ResponseFunction(this, 'quarantine-user', {
      function: 'quarantine-user',
      bundle: props.bundle,
      settings,
      region: IAM_EVENTS_REGION,
      provider: props.usEast1Provider,
      logRetentionDays: props.logRetentionDays,
      reservedConcurrency: props.reservedConcurrency,
      timeoutSeconds: 60,
      alarmBusArn: arns.alarmBus(props.securityAccountId, props.homeRegion, org),
      watchRemediationFailures: true,
      statements: [...alertPublishStatements(settings, props.homeRegion, props.securityAccountId), ...remediationStatements(settings, ['QUARANTINE_IAM_USER'])],
    });
    fn.function.node.addDependency(this.policy);

    new EventTrigger(this, 'create-user', {
      ruleName: `${org}-quarantine-new-iam-users`,
      description: `IAM CreateUser in ${settings.accountName} to ${names.function(org, 'quarantine-user')}`,
      eventPattern: createUserPattern(settings.accountId),
      target: fn,
      accountId: settings.accountId,
      region: IAM_EVENTS_REGION,
      provider: props.usEast1Provider,
    });
  }
}
