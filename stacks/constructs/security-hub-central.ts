import { Construct } from 'constructs';
import { SecurityhubConfigurationPolicy } from '@cdktf/provider-aws/lib/securityhub-configuration-policy';
import { SecurityhubConfigurationPolicyAssociation } from '@cdktf/provider-aws/lib/securityhub-configuration-policy-association';
import { SecurityhubFindingAggregator } from '@cdktf/provider-aws/lib/securityhub-finding-aggregator';
import { SecurityhubOrganizationConfiguration } from '@cdktf/provider-aws/lib/securityhub-organization-configuration';
import { STANDARDS } from '../../config/aws';

export interface SecurityHubCentralProps {
  organizationName: string;
  homeRegion: string;
  /** Every region any account lists; all but the home region are linked to it. */
  regions: string[];
  /** Standard ids from accounts.json (keys of config/aws.ts STANDARDS). */
  standards: string[];
  disabledControls: string[];
  /** Ports EC2.18 treats as authorized, the same list the remediation keeps open. */
  authorizedPublicPorts: number[];
  /** Where the configuration policy applies: the organization root. */
  targetId: string;
}

/**
 * Security account, home region: cross-region aggregation and central configuration, so one
 * policy (service on, standards, disabled controls) governs every account and region.
 */
export class SecurityHubCentral extends Construct {
  constructor(scope: Construct, id: string, props: SecurityHubCentralProps) {
    super(scope, id);
    const linked = [...new Set(props.regions)].filter((r) => r !== props.homeRegion).sort();
    const aggregator = new SecurityhubFindingAggregator(this, 'aggregator', {
      linkingMode: linked.length > 0 ? 'SPECIFIED_REGIONS' : 'NO_REGIONS',
      specifiedRegions: linked.length > 0 ? linked : undefined,
    });
    // Central configuration requires the aggregator; members are enabled by policy, not auto-enable.
    const orgConfig = new SecurityhubOrganizationConfiguration(this, 'organization-configuration', {
      autoEnable: false,
      autoEnableStandards: 'NONE',
      organizationConfiguration: { configurationType: 'CENTRAL' },
      dependsOn: [aggregator],
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
              parameter: [
                { name: 'authorizedTcpPorts', valueType: 'CUSTOM', intList: { value: [...props.authorizedPublicPorts].sort((a, b) => a - b) } },
              ],
            },
          ],
        },
      },
      dependsOn: [orgConfig],
    });
    new SecurityhubConfigurationPolicyAssociation(this, 'root-association', {
      targetId: props.targetId,
      policyId: policy.id,
    });
  }
}
