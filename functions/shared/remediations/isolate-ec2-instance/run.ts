import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteSecurityGroupCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DisassociateIamInstanceProfileCommand,
  EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type DescribeInstancesCommandOutput,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import type { RecordedCall } from '../../aws';
import { names } from '../../naming';
import { EXEMPT_RESULT, errorCode, failed, isExempt, ourTag, tagFailureWarning } from '../common';
import type { RemediationContext, RemediationResult, RemediationRunner } from '../types';
import type { InstanceTarget } from './select';

interface Eni {
  id: string;
  vpcId: string;
  groups: string[];
}

/**
 * Every TCP/UDP flow in both directions to and from anywhere. AWS does not track a flow that a
 * rule like this allows in both directions, so moving an interface through a group that has it
 * turns the connections the old groups tracked into untracked ones, which the isolation group
 * then cuts at once (EC2 "security group connection tracking: untracked connections"; the
 * AWSSupport-ContainEC2Instance runbook does the same).
 */
const ALL_TRAFFIC: IpPermission[] = [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }];

/** What isolation cuts and what it does not, for the alert. */
export const ISOLATION_LIMITS =
  'New connections and the TCP/UDP connections the old groups tracked are cut. Not cut: ICMP and flows AWS tracks automatically ' +
  '(through a NAT gateway, Network or Gateway Load Balancer, Transit Gateway, PrivateLink, egress-only gateway) until they go idle; ' +
  'temporary credentials already issued to the instance role stay valid until they expire.';

async function describeGroups(ctx: RemediationContext, filters: { Name: string; Values: string[] }[]) {
  const found = await ctx.aws.read(EC2Client, ctx.settings.region, new DescribeSecurityGroupsCommand({ Filters: filters }));
  return found.SecurityGroups ?? [];
}

interface GroupState {
  groupId: string;
  ingress: IpPermission[];
  egress: IpPermission[];
}

/** Creates a group of ours in the VPC, tagged with its Name and purpose, and returns it with its rules. */
async function createGroup(
  ctx: RemediationContext,
  vpcId: string,
  group: { name: string; description: string; purpose: string },
  step: { operation: string },
): Promise<GroupState> {
  const region = ctx.settings.region;
  step.operation = 'ec2:CreateSecurityGroup';
  const created = await ctx.aws.write(
    EC2Client,
    region,
    new CreateSecurityGroupCommand({
      GroupName: group.name,
      Description: group.description,
      VpcId: vpcId,
      TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'Name', Value: group.name }, ourTag('purpose', group.purpose)] }],
    }),
  );
  const groupId = created.GroupId as string;
  step.operation = 'ec2:DescribeSecurityGroups';
  const fresh = (await ctx.aws.read(EC2Client, region, new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups?.[0];
  return { groupId, ingress: fresh?.IpPermissions ?? [], egress: fresh?.IpPermissionsEgress ?? [] };
}

/**
 * The VPC's isolation group, found by name. Anyone with ec2:CreateSecurityGroup can create a group
 * of that name, so a found group is only used after its rules are emptied: a name never decides
 * what traffic an isolated instance keeps.
 */
async function isolationGroup(ctx: RemediationContext, vpcId: string, step: { operation: string }): Promise<string> {
  const region = ctx.settings.region;
  const name = names.isolationSecurityGroup(ctx.settings.organization);
  step.operation = 'ec2:DescribeSecurityGroups';
  const existing = (
    await describeGroups(ctx, [
      { Name: 'group-name', Values: [name] },
      { Name: 'vpc-id', Values: [vpcId] },
    ])
  ).at(0);
  const { groupId, ingress, egress } = existing?.GroupId
    ? { groupId: existing.GroupId, ingress: existing.IpPermissions ?? [], egress: existing.IpPermissionsEgress ?? [] }
    : await createGroup(ctx, vpcId, { name, description: 'security-response isolation: no inbound or outbound rules', purpose: 'isolation' }, step);
  // A new group comes with an allow-all egress rule; a planted one may carry anything.
  if (egress.length > 0) {
    step.operation = 'ec2:RevokeSecurityGroupEgress';
    await ctx.aws.write(EC2Client, region, new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: egress }));
  }
  if (ingress.length > 0) {
    step.operation = 'ec2:RevokeSecurityGroupIngress';
    await ctx.aws.write(EC2Client, region, new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: ingress }));
  }
  return groupId;
}

/**
 * A new group for this instance and this run alone that allows all traffic both ways (see
 * ALL_TRAFFIC), deleted after use. Never one found by name: a group planted under that name without
 * our Name tag would make the authorize calls fail (the role may change only groups tagged so).
 */
async function untrackGroup(ctx: RemediationContext, vpcId: string, instanceId: string, step: { operation: string }): Promise<string> {
  const region = ctx.settings.region;
  const { groupId, ingress, egress } = await createGroup(
    ctx,
    vpcId,
    {
      name: names.untrackSecurityGroup(ctx.settings.organization, `${instanceId}-${ctx.now.getTime()}`),
      description: 'security-response isolation step: untracks connections, deleted right after',
      purpose: 'untrack',
    },
    step,
  );
  const allTraffic = (rules: IpPermission[]) =>
    rules.some((r) => r.IpProtocol === '-1' && r.IpRanges?.some((x) => x.CidrIp === '0.0.0.0/0') && r.Ipv6Ranges?.some((x) => x.CidrIpv6 === '::/0'));
  if (!allTraffic(ingress)) {
    step.operation = 'ec2:AuthorizeSecurityGroupIngress';
    await ctx.aws.write(EC2Client, region, new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: ALL_TRAFFIC }));
  }
  if (!allTraffic(egress)) {
    // A new group's default egress rule is IPv4 only; the IPv6 half is added, the IPv4 half may already exist.
    const hasIpv4 = egress.some((r) => r.IpProtocol === '-1' && r.IpRanges?.some((x) => x.CidrIp === '0.0.0.0/0'));
    step.operation = 'ec2:AuthorizeSecurityGroupEgress';
    await ctx.aws.write(
      EC2Client,
      region,
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: groupId,
        IpPermissions: hasIpv4 ? [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] : ALL_TRAFFIC,
      }),
    );
  }
  return groupId;
}

/** An id DescribeInstances always gives; a clear error rather than a request that names `undefined`. */
function givenId(id: string | undefined, what: string): string {
  if (id === undefined) throw new Error(`DescribeInstances answered ${what}`);
  return id;
}

/** The group prepared for the VPC (every VPC of the interfaces to move has one). */
function groupOf(groups: Map<string, string>, vpcId: string): string {
  const groupId = groups.get(vpcId);
  if (groupId === undefined) throw new Error(`no security group was prepared in ${vpcId}`);
  return groupId;
}

/** The instance profile association to detach, when the setting asks for it. */
async function profileAssociation(ctx: RemediationContext, instanceId: string): Promise<{ associationId: string; profileArn: string } | undefined> {
  if (!ctx.settings.detachInstanceProfileOnIsolation) return undefined;
  const found = await ctx.aws.read(
    EC2Client,
    ctx.settings.region,
    new DescribeIamInstanceProfileAssociationsCommand({
      Filters: [
        { Name: 'instance-id', Values: [instanceId] },
        { Name: 'state', Values: ['associated'] },
      ],
    }),
  );
  const association = found.IamInstanceProfileAssociations?.[0];
  if (!association?.AssociationId || !association.IamInstanceProfile?.Arn) return undefined;
  return { associationId: association.AssociationId, profileArn: association.IamInstanceProfile.Arn };
}

export const runner: RemediationRunner<InstanceTarget> = {
  async run({ instanceId }, ctx): Promise<RemediationResult> {
    const region = ctx.settings.region;
    const what = `instance ${instanceId}`;
    const step = { operation: 'ec2:DescribeInstances' };
    const restore = (e: Eni): RecordedCall => ({
      service: 'ec2',
      operation: 'ModifyNetworkInterfaceAttribute',
      region,
      input: { NetworkInterfaceId: e.id, Groups: e.groups },
    });
    const reattach = (p: { profileArn: string }): RecordedCall => ({
      service: 'ec2',
      operation: 'AssociateIamInstanceProfile',
      region,
      input: { InstanceId: instanceId, IamInstanceProfile: { Arn: p.profileArn } },
    });
    const restoreText = (es: Eni[], profile?: { profileArn: string }) =>
      `Restore the security groups of ${what}: ${es.map((e) => `${e.id} → ${e.groups.join(', ')}`).join('; ')}` +
      (profile ? `; attach instance profile ${profile.profileArn} again` : '');
    const moved: Eni[] = [];
    let detached: { profileArn: string } | undefined;
    try {
      const described: DescribeInstancesCommandOutput = await ctx.aws.read(EC2Client, region, new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      const instance = described.Reservations?.[0]?.Instances?.[0];
      if (!instance || instance.State?.Name === 'terminated') return { outcome: 'NO_CHANGE', summary: `${what} no longer exists.` };
      if (isExempt(instance.Tags)) return EXEMPT_RESULT(what);
      // An instance may have interfaces in more than one VPC; each moves into its own VPC's group.
      const enis: Eni[] = (instance.NetworkInterfaces ?? []).map((n) => {
        const id = givenId(n.NetworkInterfaceId, 'a network interface without an id');
        return {
          id,
          vpcId: givenId(n.VpcId ?? instance.VpcId, `network interface ${id} without a VPC id`),
          groups: (n.Groups ?? []).map((g) => givenId(g.GroupId, `a group of network interface ${id} without an id`)),
        };
      });
      step.operation = 'ec2:DescribeSecurityGroups';
      // An interface counts as isolated only in an isolation group that really has no rules.
      const emptyIsolationGroup = new Map<string, string | undefined>();
      for (const vpcId of new Set(enis.map((e) => e.vpcId))) {
        const name = names.isolationSecurityGroup(ctx.settings.organization);
        const group = (
          await describeGroups(ctx, [
            { Name: 'group-name', Values: [name] },
            { Name: 'vpc-id', Values: [vpcId] },
          ])
        ).at(0);
        const empty = group && (group.IpPermissions ?? []).length === 0 && (group.IpPermissionsEgress ?? []).length === 0;
        emptyIsolationGroup.set(vpcId, empty ? group.GroupId : undefined);
      }
      const move = enis.filter((e) => !(e.groups.length === 1 && e.groups[0] === emptyIsolationGroup.get(e.vpcId)));
      step.operation = 'ec2:DescribeIamInstanceProfileAssociations';
      const profile = await profileAssociation(ctx, instanceId);
      if (move.length === 0 && !profile) return { outcome: 'NO_CHANGE', summary: `${what} is already isolated.` };
      const original = move.map((e) => `${e.id}=${e.groups.join('+')}`).join(' ');
      const tags = [
        ourTag('isolated-at', ctx.now.toISOString()),
        ...(move.length > 0 ? [ourTag('original-security-groups', original)] : []),
        ...(profile ? [ourTag('detached-instance-profile', profile.profileArn)] : []),
      ];
      const undo = {
        description: restoreText(move, profile),
        calls: [
          ...move.map(restore),
          ...(profile ? [reattach(profile)] : []),
          { service: 'ec2', operation: 'DeleteTags', region, input: { Resources: [instanceId], Tags: tags } },
        ],
      };
      const profileText = profile ? ` and detach instance profile ${profile.profileArn}` : '';
      if (ctx.dryRun) {
        return {
          outcome: 'WOULD_CHANGE',
          summary: `Would move ${what} (${move.length} network interface(s)) through an all-traffic group into the isolation security group${profileText}. ${ISOLATION_LIMITS}`,
          undo,
        };
      }
      const isolation = new Map<string, string>();
      for (const vpcId of new Set(move.map((e) => e.vpcId))) isolation.set(vpcId, await isolationGroup(ctx, vpcId, step));
      const untrack = new Map<string, string>();
      for (const vpcId of new Set(move.map((e) => e.vpcId))) untrack.set(vpcId, await untrackGroup(ctx, vpcId, instanceId, step));
      step.operation = 'ec2:ModifyNetworkInterfaceAttribute';
      for (const e of move) {
        await ctx.aws.write(EC2Client, region, new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: e.id, Groups: [groupOf(untrack, e.vpcId)] }));
        moved.push(e);
      }
      for (const e of move)
        await ctx.aws.write(EC2Client, region, new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: e.id, Groups: [groupOf(isolation, e.vpcId)] }));
      if (profile) {
        step.operation = 'ec2:DisassociateIamInstanceProfile';
        await ctx.aws.write(EC2Client, region, new DisassociateIamInstanceProfileCommand({ AssociationId: profile.associationId }));
        detached = profile;
      }
      const leftovers: string[] = [];
      for (const groupId of untrack.values()) {
        await ctx.aws.write(EC2Client, region, new DeleteSecurityGroupCommand({ GroupId: groupId })).catch((error: unknown) => {
          leftovers.push(`could not delete the all-traffic step group ${groupId} (${errorCode(error)}): delete it by hand`);
        });
      }
      // The isolation stands even if tagging fails; the result says that the tag is missing.
      const warnings = await ctx.aws.write(EC2Client, region, new CreateTagsCommand({ Resources: [instanceId], Tags: tags })).then(
        (): string[] => [],
        (error: unknown) => [tagFailureWarning(what, error)],
      );
      const groups = [...new Set(isolation.values())].join(', ');
      const moves = move.length > 0 ? `Moved ${what} through an all-traffic group into isolation security group ${groups}` : `${what} was already isolated`;
      const profileDone = profile ? `; detached instance profile ${profile.profileArn}` : '';
      const left = leftovers.length > 0 ? ` Also: ${leftovers.join('; ')}.` : '';
      return {
        outcome: 'REMEDIATED',
        summary: `${moves}${profileDone}; nothing was deleted. ${ISOLATION_LIMITS}${left}`,
        undo,
        ...(warnings.length > 0 ? { warnings } : {}),
      };
    } catch (error) {
      if (errorCode(error) === 'InvalidInstanceID.NotFound') return { outcome: 'NO_CHANGE', summary: `${what} no longer exists.` };
      return failed(error, step.operation, `Could not isolate ${what}`, {
        description: restoreText(moved, detached),
        calls: [...moved.map(restore), ...(detached ? [reattach(detached)] : [])],
      });
    }
  },
};
