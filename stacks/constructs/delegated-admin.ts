import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { DetectiveOrganizationAdminAccount } from '@cdktf/provider-aws/lib/detective-organization-admin-account';
import { GuarddutyOrganizationAdminAccount } from '@cdktf/provider-aws/lib/guardduty-organization-admin-account';
import { SecurityhubOrganizationAdminAccount } from '@cdktf/provider-aws/lib/securityhub-organization-admin-account';

export interface DelegatedAdminProps {
  readonly securityAccountId: string;
  /** Also delegate GuardDuty. @default false */
  readonly guardDuty?: boolean;
  /** Also delegate Amazon Detective (its designation creates the organization graph in the security account). @default false */
  readonly detective?: boolean;
  /**
   * The organization's other regions, each with a provider of the management account there:
   * GuardDuty and Detective delegation are regional, so each is designated in each. @default none
   */
  readonly otherRegions?: { region: string; provider: TerraformProvider }[];
}

/**
 * Run in the management account, home region: makes the security account the delegated
 * administrator of Security Hub (home region: central configuration then sets the same
 * administrator in every linked region) and of GuardDuty and Detective, in the home region and,
 * through the aliased providers, in every other region of the organization.
 */
export class DelegatedAdmin extends Construct {
  constructor(scope: Construct, id: string, props: DelegatedAdminProps) {
    super(scope, id);
    new SecurityhubOrganizationAdminAccount(this, 'security-hub', { adminAccountId: props.securityAccountId });
    const otherRegions = [...(props.otherRegions ?? [])].sort((a, b) => a.region.localeCompare(b.region));
    if (props.guardDuty) {
      new GuarddutyOrganizationAdminAccount(this, 'guardduty', { adminAccountId: props.securityAccountId });
      for (const { region, provider } of otherRegions) {
        new GuarddutyOrganizationAdminAccount(this, `guardduty-${region}`, { provider, adminAccountId: props.securityAccountId });
      }
    }
    if (props.detective) {
      new DetectiveOrganizationAdminAccount(this, 'detective', { accountId: props.securityAccountId });
      for (const { region, provider } of otherRegions) {
        new DetectiveOrganizationAdminAccount(this, `detective-${region}`, { provider, accountId: props.securityAccountId });
      }
    }
  }
}
