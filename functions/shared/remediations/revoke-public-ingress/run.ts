import {
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import type { RecordedCall } from '../../aws';
import { EXEMPT_RESULT, errorCode, failed, isExempt, ourTag, tagFailureWarning } from '../common';
import type { RemediationContext, RemediationResult, RemediationRunner } from '../types';
import type { IngressTarget } from './select';

const WORLD = { ipv4: '0.0.0.0/0', ipv6: '::/0' } as const;

/** Protocols whose rules have ports: all traffic, TCP and UDP (by name or number). */
const PORT_PROTOCOLS: Partial<Record<string, 'all' | 'tcp' | 'udp'>> = { '-1': 'all', tcp: 'tcp', '6': 'tcp', udp: 'udp', '17': 'udp' };

/**
 * Does the permission's protocol and port range make it offending for the control? Only rules that
 * admit TCP or UDP count (ICMP's FromPort and ToPort are a type and a code, not ports): a world-open
 * ICMP rule such as path-MTU discovery (type 3 code 4) is not what these controls are about.
 */
export function isOffending(p: IpPermission, target: IngressTarget): boolean {
  const protocol = PORT_PROTOCOLS[p.IpProtocol ?? ''];
  if (!protocol) return false;
  const all = protocol === 'all';
  const from = all ? 0 : (p.FromPort ?? 0);
  const to = all ? 65535 : (p.ToPort ?? 65535);
  const { authorizedPorts, ports } = target.offending;
  if (authorizedPorts) return !(protocol === 'tcp' && from === to && authorizedPorts.includes(from));
  return (ports ?? []).some((port) => port >= from && port <= to);
}

const portsOf = (p: IpPermission) => (p.IpProtocol === '-1' ? {} : { FromPort: p.FromPort, ToPort: p.ToPort });
const samePorts = (a: IpPermission, b: IpPermission) =>
  a.IpProtocol === b.IpProtocol && (a.IpProtocol === '-1' || (a.FromPort === b.FromPort && a.ToPort === b.ToPort));

/**
 * The world-open ranges of the offending permissions: `revoke` as RevokeSecurityGroupIngress takes
 * them (only 0.0.0.0/0 and ::/0, never the other ranges of the rule), `restore` the same ranges with
 * their descriptions, for the undo record.
 */
export function worldOpen(permissions: IpPermission[], target: IngressTarget): { revoke: IpPermission[]; restore: IpPermission[] } {
  const revoke: IpPermission[] = [];
  const restore: IpPermission[] = [];
  for (const p of permissions) {
    if (!isOffending(p, target)) continue;
    const v4 = target.families.includes('ipv4') ? (p.IpRanges ?? []).find((r) => r.CidrIp === WORLD.ipv4) : undefined;
    const v6 = target.families.includes('ipv6') ? (p.Ipv6Ranges ?? []).find((r) => r.CidrIpv6 === WORLD.ipv6) : undefined;
    if (!v4 && !v6) continue;
    const permission = (withDescription: boolean): IpPermission => ({
      IpProtocol: p.IpProtocol,
      ...portsOf(p),
      ...(v4 ? { IpRanges: [withDescription ? v4 : { CidrIp: WORLD.ipv4 }] } : {}),
      ...(v6 ? { Ipv6Ranges: [withDescription ? v6 : { CidrIpv6: WORLD.ipv6 }] } : {}),
    });
    revoke.push(permission(false));
    restore.push(permission(true));
  }
  return { revoke, restore };
}

/** Same protocol and ports from the configured replacement CIDR, unless the group already allows it. */
function replacements(permissions: IpPermission[], revoked: IpPermission[], cidr: string | undefined): IpPermission[] {
  if (!cidr) return [];
  const v6 = cidr.includes(':');
  return revoked
    .filter(
      (r) =>
        !permissions.some(
          (p) => samePorts(p, r) && (v6 ? (p.Ipv6Ranges ?? []).some((x) => x.CidrIpv6 === cidr) : (p.IpRanges ?? []).some((x) => x.CidrIp === cidr)),
        ),
    )
    .map((r) => ({
      IpProtocol: r.IpProtocol,
      ...portsOf(r),
      ...(v6
        ? { Ipv6Ranges: [{ CidrIpv6: cidr, Description: 'security-response replacement' }] }
        : { IpRanges: [{ CidrIp: cidr, Description: 'security-response replacement' }] }),
    }));
}

const describe = (ps: IpPermission[]) =>
  ps
    .map(
      (p) =>
        `${p.IpProtocol === '-1' ? 'all traffic' : `${p.IpProtocol} ${p.FromPort}${p.ToPort !== p.FromPort ? `-${p.ToPort}` : ''}`} from ${[...(p.IpRanges ?? []).map((r) => r.CidrIp), ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6)].join(' and ')}`,
    )
    .join('; ');

interface Change {
  revoke: IpPermission[];
  restore: IpPermission[];
  add: IpPermission[];
}
type Plan = Change | RemediationResult;

/** Reads the live group and works out what to revoke (and add), or why nothing is to be done. */
async function plan(target: IngressTarget, ctx: RemediationContext, what: string): Promise<Plan> {
  const live = await ctx.aws.read(EC2Client, ctx.settings.region, new DescribeSecurityGroupsCommand({ GroupIds: [target.groupId] }));
  const group = live.SecurityGroups?.[0];
  if (!group) return { outcome: 'NO_CHANGE', summary: `${what} no longer exists.` };
  if (isExempt(group.Tags)) return EXEMPT_RESULT(what);
  const { revoke, restore } = worldOpen(group.IpPermissions ?? [], target);
  if (revoke.length === 0) return { outcome: 'NO_CHANGE', summary: `${what} no longer allows the offending ingress from the internet.` };
  return { revoke, restore, add: replacements(group.IpPermissions ?? [], revoke, ctx.settings.replacementIngressCidr) };
}

export const runner: RemediationRunner<IngressTarget> = {
  async run(target, ctx: RemediationContext): Promise<RemediationResult> {
    const region = ctx.settings.region;
    const what = `security group ${target.groupId}`;
    let operation = 'ec2:DescribeSecurityGroups';
    const done: RecordedCall[] = [];
    try {
      let planned = await plan(target, ctx, what);
      if ('outcome' in planned) return planned;
      const tags = [ourTag('revoked-at', ctx.now.toISOString()), ourTag('revoked-for', `${target.controlId} ${ctx.finding.id}`)];
      const undoOf = ({ revoke, restore, add }: Change) => ({
        description: `Re-authorize ${describe(revoke)} on ${what}${add.length > 0 ? ' and revoke the replacement' : ''}`,
        calls: [
          { service: 'ec2', operation: 'AuthorizeSecurityGroupIngress', region, input: { GroupId: target.groupId, IpPermissions: restore } },
          ...(add.length > 0
            ? [{ service: 'ec2', operation: 'RevokeSecurityGroupIngress', region, input: { GroupId: target.groupId, IpPermissions: add } }]
            : []),
          { service: 'ec2', operation: 'DeleteTags', region, input: { Resources: [target.groupId], Tags: tags } },
        ],
      });
      const summaryOf = ({ revoke, add }: Change) => `${describe(revoke)} on ${what}${add.length > 0 ? `; allow ${describe(add)} instead` : ''}`;
      if (ctx.dryRun) return { outcome: 'WOULD_CHANGE', summary: `Would revoke ${summaryOf(planned)}.`, undo: undoOf(planned) };
      operation = 'ec2:RevokeSecurityGroupIngress';
      try {
        await ctx.aws.write(EC2Client, region, new RevokeSecurityGroupIngressCommand({ GroupId: target.groupId, IpPermissions: planned.revoke }));
      } catch (error) {
        // In a non-default VPC one vanished rule fails the whole request and nothing is revoked:
        // read the group again and revoke what is still open.
        if (errorCode(error) !== 'InvalidPermission.NotFound') throw error;
        operation = 'ec2:DescribeSecurityGroups';
        planned = await plan(target, ctx, what);
        if ('outcome' in planned)
          return planned.outcome === 'NO_CHANGE' ? { outcome: 'NO_CHANGE', summary: `${what}: the world-open rule was already gone.` } : planned;
        operation = 'ec2:RevokeSecurityGroupIngress';
        await ctx.aws.write(EC2Client, region, new RevokeSecurityGroupIngressCommand({ GroupId: target.groupId, IpPermissions: planned.revoke }));
      }
      done.push(undoOf(planned).calls[0]);
      if (planned.add.length > 0) {
        operation = 'ec2:AuthorizeSecurityGroupIngress';
        await ctx.aws.write(EC2Client, region, new AuthorizeSecurityGroupIngressCommand({ GroupId: target.groupId, IpPermissions: planned.add }));
      }
      // A note on the group for whoever looks at it next; the revoke stands even if tagging fails,
      // and the result says that the tag is missing.
      const warnings = await ctx.aws.write(EC2Client, region, new CreateTagsCommand({ Resources: [target.groupId], Tags: tags })).then(
        (): string[] => [],
        (error: unknown) => [tagFailureWarning(what, error)],
      );
      return { outcome: 'REMEDIATED', summary: `Revoked ${summaryOf(planned)}.`, undo: undoOf(planned), ...(warnings.length > 0 ? { warnings } : {}) };
    } catch (error) {
      const code = errorCode(error);
      if (code === 'InvalidGroup.NotFound') return { outcome: 'NO_CHANGE', summary: `${what} no longer exists.` };
      return failed(error, operation, `Could not change ${what}`, { description: `Re-authorize what was revoked on ${what}`, calls: done });
    }
  },
};
