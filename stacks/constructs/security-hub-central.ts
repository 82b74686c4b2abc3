import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { SecurityhubConfigurationPolicy } from '@cdktf/provider-aws/lib/securityhub-configuration-policy';
import { SecurityhubConfigurationPolicyAssociation } from '@cdktf/provider-aws/lib/securityhub-configuration-policy-association';
import { SecurityhubFindingAggregator } from '@cdktf/provider-aws/lib/securityhub-finding-aggregator';
import { SecurityhubOrganizationConfiguration } from '@cdktf/provider-aws/lib/securityhub-organization-configuration';
import { STANDARDS } from '../../config/aws';

export interface SecurityHubCentralProps {
  readonly organizationName: string;
  readonly homeRegion: string;
  /** Every region any account lists; all but the home region are linked to it. */
  readonly regions: string[];
  /** Standard ids from accounts.json (keys of config/aws.ts STANDARDS). */
  readonly standards: string[];
  readonly disabledControls: string[];
  /** Ports EC2.18 treats as authorized, the same list the remediation keeps open. */
  readonly authorizedPublicPorts: number[];
  /** Where the configuration policy applies: the organization root. */
  readonly targetId: string;
  /**
   * What turns Security Hub on in this account here and in every linked region; each resource
   * here depends on all of it, so aggregation and central configuration start only once the hubs
   * are on. @default none
   */
  readonly securityHub?: ITerraformDependable[];
}

/**
 * Security account, home region: cross-region aggregation and central configuration, so one
 * policy (service on, standards, disabled controls) governs every account and region.
 */
export class SecurityHubCentral extends Construct {
  constructor(scope: Construct, id: string, props: SecurityHubCentralProps) {
    super(scope, id);
    const linked = [...new Set(props.regions)].filter((r) => r !== props.homeRegion).sort();
    const hubs = props.securityHub ?? [];
    const aggregator = new SecurityhubFindingAggregator(this, 'aggregator', {
      linkingMode: linked.length > 0 ? 'SPECIFIED_REGIONS' : 'NO_REGIONS',
      specifiedRegions: linked.length > 0 ? linked : undefined,
      dependsOn: hubs,
    });
    // Central configuration requires the aggregator; members are enabled by policy, not auto-enable.
    const orgConfig = new SecurityhubOrganizationConfiguration(this, 'organization-configuration', {
      autoEnable: false,
      autoEnableStandards: 'NONE',
      organizationConfiguration: { configurationType: 'CENTRAL' },
      dependsOn: [...hubs, aggregator],
    });
    const policy = new SecurityhubConfigurationPolicy(this, 'configuration-policy', {
      name: `${props.organizationName}-baseline`,
      description: 'Security Hub on, standards and disabled controls from accounts.json (security-response)',
      configurationPolicy: {
        serviceEnabled: true,
        enabledStandardArns: props.standards.map((s) => STANDARDS[s](props.homeRegion)),
        securityControlsConfiguration: {
          disabledControlIdentifiers: [...props.disabledControls].sort(),
          securityControlCustomParameter: [
            {
              securityControlId: 'EC2.18',
              parameter: [{ name: 'authorizedTcpPorts', valueType: 'CUSTOM', intList: { value: [...props.authorizedPublicPorts].sort((a, b) => a - b) } }],
            },
          ],
        },
      },
      dependsOn: [...hubs, orgConfig],
    });
    new SecurityhubConfigurationPolicyAssociation(this, 'root-association', {
      targetId: props.targetId,
      policyId: policy.id,
      dependsOn: hubs,
    });
  }
}
