import type { Finding } from '../../finding';
import type { ResponderSettings } from '../../settings';
import { ownResource } from '../common';

export interface InstanceTarget {
  instanceId: string;
}

/** GuardDuty finding families that mean the instance itself is compromised. */
export const COMPROMISED_INSTANCE = /^(Backdoor|CryptoCurrency|Trojan):EC2\//;

export function selectIsolateEc2Instance(finding: Finding, settings: ResponderSettings) {
  if (!finding.guardDutyType || !COMPROMISED_INSTANCE.test(finding.guardDutyType)) return undefined;
  const resource = ownResource(finding, settings, 'AwsEc2Instance');
  const instanceId = resource ? /(i-[0-9a-f]+)$/.exec(resource.id)?.[1] : undefined;
  if (!instanceId) return undefined;
  return { target: { instanceId }, reason: `GuardDuty ${finding.guardDutyType}: instance ${instanceId} appears compromised` };
}
