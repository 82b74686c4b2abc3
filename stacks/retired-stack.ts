import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { IAM_EVENTS_REGION } from '../functions/shared/naming';
import { accountProvider, stateBackend } from './constructs/account-provider';
import type { ResponderStackProps } from './responder-stack';

/**
 * A retired account's stack (`"retired": true`): the same providers and state as when it was
 * live, and no resources, so its plan destroys everything the responder stack made and the
 * apply removes it. The aliased us-east-1 provider stays where the live stack had one: Terraform
 * needs a resource's original provider configuration to destroy it.
 */
export class RetiredStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ResponderStackProps) {
    super(scope, id);
    const { fleet, plan } = props;
    accountProvider(this, 'aws', { fleet, plan, region: plan.region });
    if (plan.primary && plan.region !== IAM_EVENTS_REGION) {
      accountProvider(this, `aws-${IAM_EVENTS_REGION}`, { fleet, plan, region: IAM_EVENTS_REGION, alias: IAM_EVENTS_REGION });
    }
    stateBackend(this, fleet, plan);
  }
}
