import {
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  type DescribeInstancesCommandOutput,
} from '@aws-sdk/client-ec2';
import type { RecordedCall } from '../../aws';
import { names } from '../../naming';
import { EXEMPT_RESULT, errorCode, failed, isExempt, ourTag } from '../common';
import type { RemediationContext, RemediationResult, RemediationRunner } from '../types';
import type { InstanceTarget } from './select';

/** The VPC's isolation group (no rules), created on first use; found again by name afterwards. */
async function isolationGroup(ctx: RemediationContext, vpcId: string, create: boolean): Promise<string | undefined> {
  const region = ctx.settings.region;
  const name = names.isolationSecurityGroup(ctx.settings.organization);
  const found = await ctx.aws.read(EC2Client, region, new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }, { Name: 'vpc-id', Values: [vpcId] }] }));
  const existing = found.SecurityGroups?.[0]?.GroupId;
  if (existing || !create) return existing;
  const created = await ctx.aws.write(EC2Client, region, new CreateSecurityGroupCommand({
    GroupName: name,
    Description: 'security-response isolation: no inbound or outbound rules',
    VpcId: vpcId,
    TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'Name', Value: name }, ourTag('purpose', 'isolation')] }],
  }));
  const groupId = created.GroupId as string;
  // A new group allows all egress; isolation means none.
  const fresh = await ctx.aws.read(EC2Client, region, new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
  const egress = fresh.SecurityGroups?.[0]?.IpPermissionsEgress ?? [];
  if (egress.length > 0) await ctx.aws.write(EC2Client, region, new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: egress }));
  return groupId;
}

export const runner: RemediationRunner<InstanceTarget> = {
  async run({ instanceId }, ctx): Promise<RemediationResult> {
    const region = ctx.settings.region;
    const what = `instance ${instanceId}`;
    let operation = 'ec2:DescribeInstances';
    try {
      const described: DescribeInstancesCommandOutput = await ctx.aws.read(EC2Client, region, new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      const instance = described.Reservations?.[0]?.Instances?.[0];
      if (!instance || instance.State?.Name === 'terminated') return { outcome: 'NO_CHANGE', summary: `${what} no longer exists.` };
      if (isExempt(instance.Tags)) return EXEMPT_RESULT(what);
      const enis = (instance.NetworkInterfaces ?? []).map((n) => ({ id: n.NetworkInterfaceId!, groups: (n.Groups ?? []).map((g) => g.GroupId!) }));
      operation = 'ec2:DescribeSecurityGroups';
      const existing = await isolationGroup(ctx, instance.VpcId!, false);
      if (existing && enis.every((e) => e.groups.length === 1 && e.groups[0] === existing)) {
        return { outcome: 'NO_CHANGE', summary: `${what} is already isolated.` };
      }
      const undoCalls: RecordedCall[] = enis.map((e) => ({ service: 'ec2', operation: 'ModifyNetworkInterfaceAttribute', region, input: { NetworkInterfaceId: e.id, Groups: e.groups } }));
      const undo = { description: `Restore the security groups of ${what}: ${enis.map((e) => `${e.id} → ${e.groups.join(', ')}`).join('; ')}`, calls: undoCalls };
      if (ctx.dryRun) return { outcome: 'WOULD_CHANGE', summary: `Would move ${what} (${enis.length} network interface(s)) into the isolation security group.`, undo };
      operation = 'ec2:CreateSecurityGroup';
      const isolation = existing ?? (await isolationGroup(ctx, instance.VpcId!, true))!;
      operation = 'ec2:ModifyNetworkInterfaceAttribute';
      for (const e of enis) await ctx.aws.write(EC2Client, region, new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: e.id, Groups: [isolation] }));
      operation = 'ec2:CreateTags';
      const original = enis.map((e) => `${e.id}=${e.groups.join('+')}`).join(' ');
      await ctx.aws
        .write(EC2Client, region, new CreateTagsCommand({ Resources: [instanceId], Tags: [ourTag('isolated-at', ctx.now.toISOString()), ourTag('original-security-groups', original)] }))
        .catch(() => undefined);
      return { outcome: 'REMEDIATED', summary: `Moved ${what} into isolation security group ${isolation}; nothing was deleted.`, undo };
    } catch (error) {
      if (errorCode(error) === 'InvalidInstanceID.NotFound') return { outcome: 'NO_CHANGE', summary: `${what} no longer exists.` };
      return failed(error, operation, `Could not isolate ${what}`);
    }
  },
};
