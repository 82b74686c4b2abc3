import type { Finding } from '../../finding';
import type { ResponderSettings } from '../../settings';
import { ownResource } from '../common';

/** Ports EC2.19 calls high risk (Security Hub CSPM control reference). */
export const HIGH_RISK_PORTS = [
  20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300,
];
const ADMIN_PORTS = [22, 3389];

export interface IngressTarget {
  groupId: string;
  controlId: string;
  /** Which world-open ranges the control is about. */
  families: ('ipv4' | 'ipv6')[];
  /** Is a rule with this protocol and port range offending for the control? */
  offending: { ports?: number[]; authorizedPorts?: number[] };
}

const CONTROLS: Record<string, Omit<IngressTarget, 'groupId' | 'controlId' | 'offending'> & { ports?: number[]; authorized?: boolean }> = {
  'EC2.18': { families: ['ipv4', 'ipv6'], authorized: true },
  'EC2.19': { families: ['ipv4', 'ipv6'], ports: HIGH_RISK_PORTS },
  'EC2.13': { families: ['ipv4', 'ipv6'], ports: [22] },
  'EC2.14': { families: ['ipv4', 'ipv6'], ports: [3389] },
  'EC2.53': { families: ['ipv4'], ports: ADMIN_PORTS },
  'EC2.54': { families: ['ipv6'], ports: ADMIN_PORTS },
};

export function selectRevokePublicIngress(finding: Finding, settings: ResponderSettings) {
  const controlId = finding.controlId;
  const control = controlId ? CONTROLS[controlId] : undefined;
  if (!controlId || !control) return undefined;
  const resource = ownResource(finding, settings, 'AwsEc2SecurityGroup');
  if (!resource) return undefined;
  const details = (resource.details.AwsEc2SecurityGroup ?? {}) as { GroupId?: string };
  const groupId = details.GroupId ?? /security-group\/(sg-[0-9a-f]+)$/.exec(resource.id)?.[1];
  if (!groupId) return undefined;
  const target: IngressTarget = {
    groupId,
    controlId,
    families: control.families,
    offending: control.authorized ? { authorizedPorts: settings.authorizedPublicPorts } : { ports: control.ports },
  };
  return { target, reason: `control ${finding.controlId}: security group ${groupId} allows ingress from the whole internet` };
}
