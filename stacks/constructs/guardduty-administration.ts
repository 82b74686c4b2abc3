import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { GuarddutyDetector } from '@cdktf/provider-aws/lib/guardduty-detector';
import { GuarddutyOrganizationConfiguration } from '@cdktf/provider-aws/lib/guardduty-organization-configuration';

export interface GuardDutyAdministrationProps {
  /** Provider of the region. @default the stack's provider */
  readonly provider?: TerraformProvider;
}

/**
 * Security account (the delegated GuardDuty administrator), one region: its own detector (the
 * designation does not turn GuardDuty on in the administrator account) and the organization
 * configuration that turns GuardDuty on for every member account, existing and new
 * (`auto_enable_organization_members = "ALL"`), so their findings reach Security Hub and `respond`.
 * Needs the management account's designation in this region first (the management home stack
 * deploys before every security stack).
 */
export class GuardDutyAdministration extends Construct {
  readonly detector: GuarddutyDetector;

  constructor(scope: Construct, id: string, props: GuardDutyAdministrationProps = {}) {
    super(scope, id);
    this.detector = new GuarddutyDetector(this, 'detector', { provider: props.provider, enable: true });
    new GuarddutyOrganizationConfiguration(this, 'organization-configuration', {
      provider: props.provider,
      detectorId: this.detector.id,
      autoEnableOrganizationMembers: 'ALL',
    });
  }
}
