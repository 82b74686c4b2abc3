import {
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import type { RecordedCall } from '../../aws';
import { EXEMPT_RESULT, errorCode, failed, isExempt, ourTag } from '../common';
import type { RemediationContext, RemediationResult, RemediationRunner } from '../types';
import type { IngressTarget } from './select';

const WORLD = { ipv4: '0.0.0.0/0', ipv6: '::/0' } as const;

/** Does the permission's protocol and port range make it offending for the control? */
export function isOffending(p: IpPermission, target: IngressTarget): boolean {
  const all = p.IpProtocol === '-1';
  const from = all ? 0 : (p.FromPort ?? 0);
  const to = all ? 65535 : (p.ToPort ?? 65535);
  const { authorizedPorts, ports } = target.offending;
  if (authorizedPorts) return !(p.IpProtocol === 'tcp' && from === to && authorizedPorts.includes(from));
  return (ports ?? []).some((port) => port >= from && port <= to);
}

/** The world-open ranges of the offending permissions, as RevokeSecurityGroupIngress takes them. */
export function worldOpenPermissions(permissions: IpPermission[], target: IngressTarget): IpPermission[] {
  const out: IpPermission[] = [];
  for (const p of permissions) {
    if (!isOffending(p, target)) continue;
    const v4 = target.families.includes('ipv4') && (p.IpRanges ?? []).some((r) => r.CidrIp === WORLD.ipv4);
    const v6 = target.families.includes('ipv6') && (p.Ipv6Ranges ?? []).some((r) => r.CidrIpv6 === WORLD.ipv6);
    if (!v4 && !v6) continue;
    out.push({
      IpProtocol: p.IpProtocol,
      ...(p.IpProtocol === '-1' ? {} : { FromPort: p.FromPort, ToPort: p.ToPort }),
      ...(v4 ? { IpRanges: [{ CidrIp: WORLD.ipv4 }] } : {}),
      ...(v6 ? { Ipv6Ranges: [{ CidrIpv6: WORLD.ipv6 }] } : {}),
    });
  }
  return out;
}

/** Same protocol and ports from the configured replacement CIDR, unless the group already allows it. */
function replacements(permissions: IpPermission[], revoked: IpPermission[], cidr: string | undefined): IpPermission[] {
  if (!cidr) return [];
  const v6 = cidr.includes(':');
  return revoked
    .filter((r) => !permissions.some((p) => p.IpProtocol === r.IpProtocol && p.FromPort === r.FromPort && p.ToPort === r.ToPort &&
      (v6 ? (p.Ipv6Ranges ?? []).some((x) => x.CidrIpv6 === cidr) : (p.IpRanges ?? []).some((x) => x.CidrIp === cidr))))
    .map((r) => ({
      IpProtocol: r.IpProtocol,
      ...(r.IpProtocol === '-1' ? {} : { FromPort: r.FromPort, ToPort: r.ToPort }),
      ...(v6 ? { Ipv6Ranges: [{ CidrIpv6: cidr, Description: 'security-response replacement' }] } : { IpRanges: [{ CidrIp: cidr, Description: 'security-response replacement' }] }),
    }));
}

const describe = (ps: IpPermission[]) =>
  ps.map((p) => `${p.IpProtocol === '-1' ? 'all traffic' : `${p.IpProtocol} ${p.FromPort}${p.ToPort !== p.FromPort ? `-${p.ToPort}` : ''}`} from ${[...(p.IpRanges ?? []).map((r) => r.CidrIp), ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6)].join(' and ')}`).join('; ');

export const runner: RemediationRunner<IngressTarget> = {
  async run(target, ctx: RemediationContext): Promise<RemediationResult> {
    const region = ctx.settings.region;
    const what = `security group ${target.groupId}`;
    let operation = 'ec2:DescribeSecurityGroups';
    try {
      const live = await ctx.aws.read(EC2Client, region, new DescribeSecurityGroupsCommand({ GroupIds: [target.groupId] }));
      const group = live.SecurityGroups?.[0];
      if (!group) return { outcome: 'NO_CHANGE', summary: `${what} no longer exists.` };
      if (isExempt(group.Tags)) return EXEMPT_RESULT(what);
      const revoke = worldOpenPermissions(group.IpPermissions ?? [], target);
      if (revoke.length === 0) return { outcome: 'NO_CHANGE', summary: `${what} no longer allows the offending ingress from the internet.` };
      const add = replacements(group.IpPermissions ?? [], revoke, ctx.settings.replacementIngressCidr);
      const undo: RecordedCall[] = [
        { service: 'ec2', operation: 'AuthorizeSecurityGroupIngress', region, input: { GroupId: target.groupId, IpPermissions: revoke } },
        ...(add.length > 0 ? [{ service: 'ec2', operation: 'RevokeSecurityGroupIngress', region, input: { GroupId: target.groupId, IpPermissions: add } }] : []),
      ];
      const summary = `revoke ${describe(revoke)} on ${what}${add.length > 0 ? `; allow ${describe(add)} instead` : ''}`;
      if (ctx.dryRun) return { outcome: 'WOULD_CHANGE', summary: `Would ${summary}.`, undo: { description: `Re-authorize ${describe(revoke)}`, calls: undo } };
      operation = 'ec2:RevokeSecurityGroupIngress';
      await ctx.aws.write(EC2Client, region, new RevokeSecurityGroupIngressCommand({ GroupId: target.groupId, IpPermissions: revoke }));
      if (add.length > 0) {
        operation = 'ec2:AuthorizeSecurityGroupIngress';
        await ctx.aws.write(EC2Client, region, new AuthorizeSecurityGroupIngressCommand({ GroupId: target.groupId, IpPermissions: add }));
      }
      // A note on the group for whoever looks at it next; the revoke stands even if tagging fails.
      await ctx.aws
        .write(EC2Client, region, new CreateTagsCommand({ Resources: [target.groupId], Tags: [ourTag('revoked-at', ctx.now.toISOString()), ourTag('revoked-for', `${target.controlId} ${ctx.finding.id}`)] }))
        .catch(() => undefined);
      return { outcome: 'REMEDIATED', summary: `Revoked ${summary.slice('revoke '.length)}.`, undo: { description: `Re-authorize ${describe(revoke)} on ${what}`, calls: undo } };
    } catch (error) {
      const code = errorCode(error);
      if (code === 'InvalidGroup.NotFound') return { outcome: 'NO_CHANGE', summary: `${what} no longer exists.` };
      if (code === 'InvalidPermission.NotFound') return { outcome: 'NO_CHANGE', summary: `${what}: the world-open rule was already gone.` };
      return failed(error, operation, `Could not change ${what}`);
    }
  },
};
