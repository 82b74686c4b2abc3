import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Fleet, StackPlan } from '../config/fleet';
import { IAM_EVENTS_REGION } from '../functions/shared/naming';
import type { FunctionBundles } from './bundles';
import { accountProvider, stateBackend } from './constructs/account-provider';
import { IamQuarantine } from './constructs/iam-quarantine';
import { LocalResponder } from './constructs/local-responder';

export interface ResponderStackProps {
  readonly fleet: Fleet;
  readonly plan: StackPlan;
  readonly bundles: FunctionBundles;
}

/**
 * What every `<account>-<region>` stack holds: the AWS provider (the account's profile, refusing
 * any other account), the S3 state backend, the local responder, and in the
 * account's primary region its IAM pieces. The other stack kinds extend it.
 */
export class ResponderStack extends TerraformStack {
  readonly provider: AwsProvider;
  readonly localResponder: LocalResponder;
  protected readonly fleet: Fleet;
  protected readonly plan: StackPlan;
  private readonly regionProviders = new Map<string, AwsProvider>();

  constructor(scope: Construct, id: string, props: ResponderStackProps) {
    super(scope, id);
    const { fleet, plan, bundles } = props;
    this.fleet = fleet;
    this.plan = plan;
    const org = fleet.config.organization;
    const defaults = fleet.config.defaults;

    this.provider = this.awsProvider('aws', plan.region);

    stateBackend(this, fleet, plan);

    this.localResponder = new LocalResponder(this, 'local-responder', {
      settings: plan.settings,
      bundle: bundles.respond,
      homeRegion: org.homeRegion,
      securityAccountId: org.securityAccountId,
      logRetentionDays: defaults.logRetentionDays,
      reservedConcurrency: plan.account.reservedConcurrency,
    });

    if (plan.primary) {
      const usEast1 = plan.region === IAM_EVENTS_REGION ? undefined : this.providerFor(IAM_EVENTS_REGION);
      new IamQuarantine(this, 'iam-quarantine', {
        settings: plan.settings,
        bundle: bundles['quarantine-user'],
        homeRegion: org.homeRegion,
        securityAccountId: org.securityAccountId,
        logRetentionDays: defaults.logRetentionDays,
        usEast1Provider: usEast1,
        reservedConcurrency: plan.account.reservedConcurrency === undefined ? undefined : 2,
      });
    }
  }

  /**
   * The provider for another region of this stack's account: aliased by the region's name (id
   * `aws-<region>`, alias `<region>`), one per region, the same deployment role. Undefined for the
   * stack's own region, where resources use the default provider.
   */
  protected providerFor(region: string): AwsProvider | undefined {
    if (region === this.plan.region) return undefined;
    let provider = this.regionProviders.get(region);
    if (!provider) {
      provider = this.awsProvider(`aws-${region}`, region, region);
      this.regionProviders.set(region, provider);
    }
    return provider;
  }

  private awsProvider(id: string, region: string, alias?: string): AwsProvider {
    return accountProvider(this, id, { fleet: this.fleet, plan: this.plan, region, alias });
  }
}
