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

interface Eni {
  id: string;
  vpcId: string;
  groups: string[];
}

/** The VPC's isolation group (created with no rules by `createIsolationGroup`), found by name. */
async function findIsolationGroup(ctx: RemediationContext, vpcId: string): Promise<string | undefined> {
  const name = names.isolationSecurityGroup(ctx.settings.organization);
  const found = await ctx.aws.read(EC2Client, ctx.settings.region, new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }, { Name: 'vpc-id', Values: [vpcId] }] }));
  return found.SecurityGroups?.[0]?.GroupId;
}

/** Creates the VPC's isolation group and removes the allow-all egress rule every new group gets. */
async function createIsolationGroup(ctx: RemediationContext, vpcId: string, step: { operation: string }): Promise<string> {
  const region = ctx.settings.region;
  const name = names.isolationSecurityGroup(ctx.settings.organization);
  step.operation = 'ec2:CreateSecurityGroup';
  const created = await ctx.aws.write(EC2Client, region, new CreateSecurityGroupCommand({
    GroupName: name,
    Description: 'security-response isolation: no inbound or outbound rules',
    VpcId: vpcId,
    TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'Name', Value: name }, ourTag('purpose', 'isolation')] }],
  }));
  const groupId = created.GroupId as string;
  step.operation = 'ec2:DescribeSecurityGroups';
  const fresh = await ctx.aws.read(EC2Client, region, new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
  const egress = fresh.SecurityGroups?.[0]?.IpPermissionsEgress ?? [];
  step.operation = 'ec2:RevokeSecurityGroupEgress';
  if (egress.length > 0) await ctx.aws.write(EC2Client, region, new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: egress }));
  return groupId;
}

export const runner: RemediationRunner<InstanceTarget> = {
  async run({ instanceId }, ctx): Promise<RemediationResult> {
    const region = ctx.settings.region;
    const what = `instance ${instanceId}`;
    const step = { operation: 'ec2:DescribeInstances' };
    const restore = (e: Eni): RecordedCall => ({ service: 'ec2', operation: 'ModifyNetworkInterfaceAttribute', region, input: { NetworkInterfaceId: e.id, Groups: e.groups } });
    const restoreText = (es: Eni[]) => `Restore the security groups of ${what}: ${es.map((e) => `${e.id} → ${e.groups.join(', ')}`).join('; ')}`;
    const moved: Eni[] = [];
    try {
      const described: DescribeInstancesCommandOutput = await ctx.aws.read(EC2Client, region, new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      const instance = described.Reservations?.[0]?.Instances?.[0];
      if (!instance || instance.State?.Name === 'terminated') return { outcome: 'NO_CHANGE', summary: `${what} no longer exists.` };
      if (isExempt(instance.Tags)) return EXEMPT_RESULT(what);
      // An instance may have interfaces in more than one VPC; each moves into its own VPC's group.
      const enis: Eni[] = (instance.NetworkInterfaces ?? []).map((n) => ({ id: n.NetworkInterfaceId!, vpcId: n.VpcId ?? instance.VpcId!, groups: (n.Groups ?? []).map((g) => g.GroupId!) }));
      step.operation = 'ec2:DescribeSecurityGroups';
      const isolation = new Map<string, string | undefined>();
      for (const vpcId of new Set(enis.map((e) => e.vpcId))) isolation.set(vpcId, await findIsolationGroup(ctx, vpcId));
      const move = enis.filter((e) => !(e.groups.length === 1 && e.groups[0] === isolation.get(e.vpcId)));
      if (move.length === 0) return { outcome: 'NO_CHANGE', summary: `${what} is already isolated.` };
      const original = move.map((e) => `${e.id}=${e.groups.join('+')}`).join(' ');
      const tags = [ourTag('isolated-at', ctx.now.toISOString()), ourTag('original-security-groups', original)];
      const undo = {
        description: restoreText(move),
        calls: [...move.map(restore), { service: 'ec2', operation: 'DeleteTags', region, input: { Resources: [instanceId], Tags: tags } }],
      };
      if (ctx.dryRun) return { outcome: 'WOULD_CHANGE', summary: `Would move ${what} (${move.length} network interface(s)) into the isolation security group.`, undo };
      for (const [vpcId, groupId] of isolation) if (!groupId) isolation.set(vpcId, await createIsolationGroup(ctx, vpcId, step));
      step.operation = 'ec2:ModifyNetworkInterfaceAttribute';
      for (const e of move) {
        await ctx.aws.write(EC2Client, region, new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: e.id, Groups: [isolation.get(e.vpcId)!] }));
        moved.push(e);
      }
      await ctx.aws.write(EC2Client, region, new CreateTagsCommand({ Resources: [instanceId], Tags: tags })).catch(() => undefined);
      const groups = [...new Set(move.map((e) => isolation.get(e.vpcId)))].join(', ');
      return { outcome: 'REMEDIATED', summary: `Moved ${what} into isolation security group ${groups}; nothing was deleted.`, undo };
    } catch (error) {
      if (errorCode(error) === 'InvalidInstanceID.NotFound') return { outcome: 'NO_CHANGE', summary: `${what} no longer exists.` };
      return failed(error, step.operation, `Could not isolate ${what}`, { description: restoreText(moved), calls: moved.map(restore) });
    }
  },
};
