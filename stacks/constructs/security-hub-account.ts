import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { SecurityhubAccount } from '@cdktf/provider-aws/lib/securityhub-account';

export interface SecurityHubAccountProps {
  /** The account (its id is the hub's import id). */
  readonly accountId: string;
  /**
   * Take over the hub that is already on instead of enabling it (a Terraform `import` block):
   * designating the delegated administrator enables Security Hub in that account in the
   * designation's region, so there EnableSecurityHub would fail with "already subscribed".
   * @default false: enable it
   */
  readonly adoptExisting?: boolean;
  /** Provider of the region to enable. @default the stack's provider */
  readonly provider?: TerraformProvider;
}

/**
 * Security Hub (CSPM) on in one account and region, without the default standards: the central
 * configuration policy owns standards and controls. Consolidated control findings
 * (`SECURITY_CONTROL`, one finding per control whatever the standards) because the functions read
 * `Compliance.SecurityControlId`; set in the administrator account, members follow it.
 * `auto_enable_controls` stays true, which agrees with a policy that lists only disabled controls.
 */
export class SecurityHubAccount extends Construct {
  readonly hub: SecurityhubAccount;

  constructor(scope: Construct, id: string, props: SecurityHubAccountProps) {
    super(scope, id);
    this.hub = new SecurityhubAccount(this, 'hub', {
      provider: props.provider,
      // Never true: it is ForceNew, and replacing the hub disables Security Hub.
      enableDefaultStandards: false,
      controlFindingGenerator: 'SECURITY_CONTROL',
      autoEnableControls: true,
    });
    if (props.adoptExisting) this.hub.importFrom(props.accountId, props.provider);
  }
}
