import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { GuarddutyOrganizationAdminAccount } from '@cdktf/provider-aws/lib/guardduty-organization-admin-account';
import { SecurityhubOrganizationAdminAccount } from '@cdktf/provider-aws/lib/securityhub-organization-admin-account';

export interface DelegatedAdminProps {
  readonly securityAccountId: string;
  /** Also delegate GuardDuty. @default false */
  readonly guardDuty?: boolean;
  /**
   * The organization's other regions, each with a provider of the management account there:
   * GuardDuty delegation is regional, so it is designated in each. @default none
   */
  readonly otherRegions?: { region: string; provider: TerraformProvider }[];
}

/**
 * Run in the management account, home region: makes the security account the delegated
 * administrator of Security Hub (home region: central configuration then sets the same
 * administrator in every linked region) and of GuardDuty, in the home region and, through the
 * aliased providers, in every other region of the organization.
 */
export class DelegatedAdmin extends Construct {
  constructor(scope: Construct, id: string, props: DelegatedAdminProps) {
    super(scope, id);
    new SecurityhubOrganizationAdminAccount(this, 'security-hub', { adminAccountId: props.securityAccountId });
    if (props.guardDuty) {
      new GuarddutyOrganizationAdminAccount(this, 'guardduty', { adminAccountId: props.securityAccountId });
      for (const { region, provider } of [...(props.otherRegions ?? [])].sort((a, b) => a.region.localeCompare(b.region))) {
        new GuarddutyOrganizationAdminAccount(this, `guardduty-${region}`, { provider, adminAccountId: props.securityAccountId });
      }
    }
  }
}
