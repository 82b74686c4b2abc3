import { S3Backend, type TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import type { Fleet, StackPlan } from '../../config/fleet';

export interface AccountProviderProps {
  readonly fleet: Fleet;
  readonly plan: StackPlan;
  readonly region: string;
  /** The alias of a provider for another region. @default none (the stack's default provider) */
  readonly alias?: string;
}

/**
 * The AWS provider of a stack's account: the account's profile, not a role (`npm run
 * aws-profiles` maps it to the read-only role for plans and to the deployment role for
 * applies), refusing any other account (allowed_account_ids).
 */
export function accountProvider(scope: Construct, id: string, props: AccountProviderProps): AwsProvider {
  const org = props.fleet.config.organization;
  const account = props.plan.account;
  return new AwsProvider(scope, id, {
    region: props.region,
    alias: props.alias,
    profile: account.profile,
    allowedAccountIds: [account.id],
    defaultTags: [{ tags: { project: `${org.name}-security-response`, 'managed-by': 'cdktf', owner: account.owner ?? 'security' } }],
  });
}

/** The stack's state in the organization's bucket, `<org>/<stack>/terraform.tfstate`, S3-native locking. */
export function stateBackend(stack: TerraformStack, fleet: Fleet, plan: StackPlan): void {
  const org = fleet.config.organization;
  new S3Backend(stack, {
    bucket: org.state.bucket,
    key: `${org.name}/${plan.name}/terraform.tfstate`,
    region: org.state.region,
    encrypt: true,
  });
  // S3-native state locking (Terraform >= 1.10); the cdktf 0.21 backend class lacks the field.
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
}
