import { Construct } from 'constructs';
import { GuarddutyOrganizationAdminAccount } from '@cdktf/provider-aws/lib/guardduty-organization-admin-account';
import { SecurityhubOrganizationAdminAccount } from '@cdktf/provider-aws/lib/securityhub-organization-admin-account';

export interface DelegatedAdminProps {
  securityAccountId: string;
  /** Also delegate GuardDuty. Default false. */
  guardDuty?: boolean;
}

/**
 * Run in the management account, home region: makes the security account the delegated
 * administrator of Security Hub (and GuardDuty), so it can configure the whole organization.
 */
export class DelegatedAdmin extends Construct {
  constructor(scope: Construct, id: string, props: DelegatedAdminProps) {
    super(scope, id);
    new SecurityhubOrganizationAdminAccount(this, 'security-hub', { adminAccountId: props.securityAccountId });
    if (props.guardDuty) {
      new GuarddutyOrganizationAdminAccount(this, 'guardduty', { adminAccountId: props.securityAccountId });
    }
  }
}
