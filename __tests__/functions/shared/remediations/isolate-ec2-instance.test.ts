import {
  CreateSecurityGroupCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  DeleteSecurityGroupCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DisassociateIamInstanceProfileCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type DescribeSecurityGroupsCommandInput,
  type Instance,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import type { Finding } from '../../../../functions/shared/finding';
import { ISOLATION_LIMITS, runner } from '../../../../functions/shared/remediations/isolate-ec2-instance/run';
import { selectIsolateEc2Instance } from '../../../../functions/shared/remediations/isolate-ec2-instance/select';
import {
  ACCOUNT,
  OTHER_ACCOUNT,
  OTHER_REGION,
  REGION,
  awsError,
  commandOf,
  context,
  guardDutyFinding,
  inputsOf,
  remediate,
  sentOperations,
  settings,
  throttled,
} from './helpers';

const ec2 = mockClient(EC2Client);
const INSTANCE = 'i-0123456789abcdef0';
const VPC = 'vpc-0aaaaaaaaaaaaaaaa';
const OTHER_VPC = 'vpc-0bbbbbbbbbbbbbbbb';
const ISOLATION = 'sg-0150150150150150a';
const ALL_EGRESS = [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }];

const instance = (overrides: Partial<Instance> = {}): Instance => ({
  InstanceId: INSTANCE,
  VpcId: VPC,
  State: { Name: 'running', Code: 16 },
  Tags: [{ Key: 'Name', Value: 'web-1' }],
  NetworkInterfaces: [
    {
      NetworkInterfaceId: 'eni-0000000000000000a',
      VpcId: VPC,
      Groups: [
        { GroupId: 'sg-0web', GroupName: 'web' },
        { GroupId: 'sg-0ssh', GroupName: 'ssh' },
      ],
    },
    { NetworkInterfaceId: 'eni-0000000000000000b', VpcId: VPC, Groups: [{ GroupId: 'sg-0mgmt', GroupName: 'mgmt' }] },
  ],
  ...overrides,
});

/** Per instance and run (NOW of the helpers, 2024-05-01T12:00:00Z): never a group found by name. */
const STEP_GROUP_NAME = `acme-isolation-step-${INSTANCE}-1714564800000`;
const step = (vpc: string) => `sg-step-${vpc}`;
const WORLD_TCP = [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];

/**
 * The live world: the instance, and the isolation group of each VPC that has one (with no rules
 * unless `plantedRules`). New groups come with AWS's default allow-all IPv4 egress rule.
 */
function world(live: Instance | undefined, isolationGroups: Record<string, string> = { [VPC]: ISOLATION }, plantedRules = false) {
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: live ? [{ Instances: [live] }] : [] });
  ec2.on(DescribeSecurityGroupsCommand).callsFake((input: DescribeSecurityGroupsCommandInput) => {
    if (input.GroupIds) return Promise.resolve({ SecurityGroups: [{ GroupId: input.GroupIds[0], IpPermissions: [], IpPermissionsEgress: ALL_EGRESS }] });
    const vpc = input.Filters?.find((f) => f.Name === 'vpc-id')?.Values?.[0] ?? '';
    const name = input.Filters?.find((f) => f.Name === 'group-name')?.Values?.[0];
    if (name !== 'acme-isolation' || !isolationGroups[vpc]) return Promise.resolve({ SecurityGroups: [] });
    const rules = plantedRules ? { IpPermissions: WORLD_TCP, IpPermissionsEgress: ALL_EGRESS } : { IpPermissions: [], IpPermissionsEgress: [] };
    return Promise.resolve({ SecurityGroups: [{ GroupId: isolationGroups[vpc], GroupName: 'acme-isolation', VpcId: vpc, ...rules }] });
  });
  ec2.on(CreateSecurityGroupCommand).callsFake((input: { VpcId: string; GroupName: string }) =>
    Promise.resolve({
      GroupId: input.GroupName === STEP_GROUP_NAME ? step(input.VpcId) : `sg-new-${input.VpcId}`,
    }),
  );
}
beforeEach(() => ec2.reset());

const instanceResource = { Type: 'AwsEc2Instance', Id: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${INSTANCE}`, Details: { AwsEc2Instance: { VpcId: VPC } } };
const TYPE = 'Backdoor:EC2/C&CActivity.B!DNS';
const finding = (type = TYPE, where = {}) => guardDutyFinding(type, [instanceResource], where);
const moves = () => inputsOf(ec2, ModifyNetworkInterfaceAttributeCommand);
/** The moves into isolation proper (every interface first passes through the step group). */
const finalMoves = () => moves().filter((m) => !(m as { Groups: string[] }).Groups[0].startsWith('sg-step-'));

async function run(f: Finding, options: Parameters<typeof context>[1] = {}) {
  const ctx = context(f, options);
  const selected = selectIsolateEc2Instance(f, ctx.settings);
  if (!selected) throw new Error('not selected');
  return { result: await runner.run(selected.target, ctx), calls: ctx.aws.calls };
}

describe('ISOLATE_EC2_INSTANCE select', () => {
  it.each(['Backdoor:EC2/C&CActivity.B!DNS', 'CryptoCurrency:EC2/BitcoinTool.B!DNS', 'Trojan:EC2/DNSDataExfiltration'])(
    'is the catalogue action for GuardDuty %s on an instance of this account and region',
    async (type) => {
      expect(selectIsolateEc2Instance(finding(type), settings())?.target).toEqual({ instanceId: INSTANCE });
      world(instance());
      expect((await remediate(finding(type), { dryRun: true })).action).toBe('ISOLATE_EC2_INSTANCE');
    },
  );

  it('ignores GuardDuty EC2 findings that do not mean the instance is compromised', () => {
    expect(selectIsolateEc2Instance(finding('Recon:EC2/PortProbeUnprotectedPort'), settings())).toBeUndefined();
    expect(selectIsolateEc2Instance(finding('UnauthorizedAccess:EC2/SSHBruteForce'), settings())).toBeUndefined();
  });

  it('ignores findings of another account or region', () => {
    expect(selectIsolateEc2Instance(finding(TYPE, { account: OTHER_ACCOUNT }), settings())).toBeUndefined();
    expect(selectIsolateEc2Instance(finding(TYPE, { region: OTHER_REGION }), settings())).toBeUndefined();
  });
});

describe('ISOLATE_EC2_INSTANCE enforce', () => {
  it('moves every network interface through the all-traffic step group into the existing isolation group', async () => {
    world(instance());
    const { result } = await run(finding());
    expect(result.outcome).toBe('REMEDIATED');
    expect(moves()).toStrictEqual([
      { NetworkInterfaceId: 'eni-0000000000000000a', Groups: [step(VPC)] },
      { NetworkInterfaceId: 'eni-0000000000000000b', Groups: [step(VPC)] },
      { NetworkInterfaceId: 'eni-0000000000000000a', Groups: [ISOLATION] },
      { NetworkInterfaceId: 'eni-0000000000000000b', Groups: [ISOLATION] },
    ]);
  });

  it('untracks the old connections first: the step group allows all traffic both ways over IPv4 and IPv6, and is deleted after', async () => {
    world(instance());
    await run(finding());
    expect(inputsOf(ec2, CreateSecurityGroupCommand)).toMatchObject([{ GroupName: STEP_GROUP_NAME, VpcId: VPC }]);
    expect(inputsOf(ec2, AuthorizeSecurityGroupIngressCommand)).toStrictEqual([
      { GroupId: step(VPC), IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] },
    ]);
    // The IPv4 half of the egress is the new group's default rule; the IPv6 half is added.
    expect(inputsOf(ec2, AuthorizeSecurityGroupEgressCommand)).toStrictEqual([
      { GroupId: step(VPC), IpPermissions: [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] },
    ]);
    expect(inputsOf(ec2, DeleteSecurityGroupCommand)).toStrictEqual([{ GroupId: step(VPC) }]);
    const ops = sentOperations(ec2);
    expect(ops.lastIndexOf('ModifyNetworkInterfaceAttribute')).toBeLessThan(ops.indexOf('DeleteSecurityGroup'));
    // Nothing of the instance's own is deleted, revoked or stopped.
    expect(ops.filter((op) => /^(Terminate|Stop|Revoke)/.test(op))).toEqual([]);
  });

  it('never reuses a step group found by name (one planted without our tag would make the authorize calls fail)', async () => {
    world(instance());
    await run(finding());
    const byName = inputsOf(ec2, DescribeSecurityGroupsCommand).flatMap(
      (i) => (i as DescribeSecurityGroupsCommandInput).Filters?.find((f) => f.Name === 'group-name')?.Values ?? [],
    );
    expect(new Set(byName)).toEqual(new Set(['acme-isolation']));
    expect(inputsOf(ec2, CreateSecurityGroupCommand).map((i) => (i as { GroupName: string }).GroupName)).toContain(STEP_GROUP_NAME);
  });

  it('says in its summary what isolation cuts and what it does not', async () => {
    world(instance());
    const { result } = await run(finding());
    expect(result.summary).toContain(ISOLATION_LIMITS);
    expect(ISOLATION_LIMITS).toMatch(/tracked.*cut/);
    expect(ISOLATION_LIMITS).toMatch(/credentials .* stay valid/);
  });

  it('a planted "isolation" group that has rules is emptied before use, and interfaces already in it are moved again', async () => {
    const inPlanted = instance({ NetworkInterfaces: instance().NetworkInterfaces!.map((n) => ({ ...n, Groups: [{ GroupId: ISOLATION }] })) });
    world(inPlanted, { [VPC]: ISOLATION }, true);
    const { result } = await run(finding());
    expect(result.outcome).toBe('REMEDIATED');
    expect(inputsOf(ec2, RevokeSecurityGroupIngressCommand)).toStrictEqual([{ GroupId: ISOLATION, IpPermissions: WORLD_TCP }]);
    expect(inputsOf(ec2, RevokeSecurityGroupEgressCommand)).toStrictEqual([{ GroupId: ISOLATION, IpPermissions: ALL_EGRESS }]);
    expect(finalMoves()).toHaveLength(2);
  });

  it('a step group that cannot be deleted is named in the summary, not swallowed', async () => {
    world(instance());
    ec2.on(DeleteSecurityGroupCommand).rejects(awsError('DependencyViolation', 'resource has a dependent object'));
    const { result } = await run(finding());
    expect(result.outcome).toBe('REMEDIATED');
    expect(result.summary).toContain(`could not delete the all-traffic step group ${step(VPC)} (DependencyViolation)`);
  });

  it('a failed instance tag is a warning of the result: the isolation still counts as REMEDIATED', async () => {
    world(instance());
    ec2.on(CreateTagsCommand).rejects(throttled());
    const { result } = await run(finding());
    expect(result.outcome).toBe('REMEDIATED');
    expect(result.outcome === 'REMEDIATED' && result.warnings).toEqual([
      `instance ${INSTANCE} could not be tagged (ThrottlingException): the change stands, but the resource carries no security-response tag saying so`,
    ]);
    expect(finalMoves()).toHaveLength(2);
  });

  it('when the instance tag is written the result carries no warning', async () => {
    world(instance());
    const { result } = await run(finding());
    expect(result.outcome).toBe('REMEDIATED');
    expect(result).not.toHaveProperty('warnings');
    expect(ec2).toHaveReceivedCommandTimes(CreateTagsCommand, 1);
  });

  // The step group allows all traffic only with exactly 0.0.0.0/0 and ::/0; a narrower range in its
  // rules does not count, or some old connections would stay tracked through the move.
  it.each([
    [
      'IPv6 egress to 2001:db8::/32 is not ::/0: the IPv6 half is still added',
      [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '2001:db8::/32' }] }],
      [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
    ],
    [
      'IPv4 egress to 10.0.0.0/8 is not 0.0.0.0/0: both halves are added',
      [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '10.0.0.0/8' }] }],
      [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
    ],
  ])('a step group whose %s', async (_what, egress, added) => {
    world(instance());
    ec2
      .on(DescribeSecurityGroupsCommand, { GroupIds: [step(VPC)] })
      .resolves({ SecurityGroups: [{ GroupId: step(VPC), IpPermissions: [], IpPermissionsEgress: egress }] });
    await run(finding());
    expect(inputsOf(ec2, AuthorizeSecurityGroupEgressCommand)).toStrictEqual([{ GroupId: step(VPC), IpPermissions: added }]);
  });
});

describe('ISOLATE_EC2_INSTANCE instance profile (detachInstanceProfileOnIsolation)', () => {
  const PROFILE = `arn:aws:iam::${ACCOUNT}:instance-profile/web`;
  const withProfile = () => {
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({
      IamInstanceProfileAssociations: [
        { AssociationId: 'iip-assoc-0123', InstanceId: INSTANCE, IamInstanceProfile: { Arn: PROFILE, Id: 'AIPA0' }, State: 'associated' },
      ],
    });
  };

  it('is left attached by default: no association is even read', async () => {
    world(instance());
    withProfile();
    await run(finding());
    expect(ec2).not.toHaveReceivedCommand(DescribeIamInstanceProfileAssociationsCommand);
    expect(ec2).not.toHaveReceivedCommand(DisassociateIamInstanceProfileCommand);
  });

  it('with the setting, detaches it after the move, records the re-attach for undo and says so', async () => {
    world(instance());
    withProfile();
    const { result } = await run(finding(), { settings: settings({ detachInstanceProfileOnIsolation: true }) });
    expect(inputsOf(ec2, DisassociateIamInstanceProfileCommand)).toStrictEqual([{ AssociationId: 'iip-assoc-0123' }]);
    if (result.outcome !== 'REMEDIATED') throw new Error(result.outcome);
    const reattach = {
      service: 'ec2',
      operation: 'AssociateIamInstanceProfile',
      region: REGION,
      input: { InstanceId: INSTANCE, IamInstanceProfile: { Arn: PROFILE } },
    };
    expect(result.undo.calls).toContainEqual(reattach);
    await expect(commandOf(reattach)).resolves.toBeDefined();
    expect(result.summary).toContain(`detached instance profile ${PROFILE}`);
    expect(inputsOf(ec2, CreateTagsCommand)[0]).toMatchObject({
      Tags: expect.arrayContaining([{ Key: 'security-response:detached-instance-profile', Value: PROFILE }]),
    });
  });

  it('with the setting, an isolated instance that still has its profile has it detached', async () => {
    world(instance({ NetworkInterfaces: instance().NetworkInterfaces!.map((n) => ({ ...n, Groups: [{ GroupId: ISOLATION }] })) }));
    withProfile();
    const { result } = await run(finding(), { settings: settings({ detachInstanceProfileOnIsolation: true }) });
    expect(result.outcome).toBe('REMEDIATED');
    expect(moves()).toEqual([]);
    expect(inputsOf(ec2, DisassociateIamInstanceProfileCommand)).toHaveLength(1);
  });

  it('tags the instance with when and its original groups', async () => {
    world(instance());
    await run(finding());
    expect(inputsOf(ec2, CreateTagsCommand)).toStrictEqual([
      {
        Resources: [INSTANCE],
        Tags: [
          { Key: 'security-response:isolated-at', Value: '2024-05-01T12:00:00.000Z' },
          { Key: 'security-response:original-security-groups', Value: 'eni-0000000000000000a=sg-0web+sg-0ssh eni-0000000000000000b=sg-0mgmt' },
        ],
      },
    ]);
  });

  it('undo gives each interface back its original groups and removes the tags', async () => {
    world(instance());
    const { result } = await run(finding());
    if (result.outcome !== 'REMEDIATED') throw new Error(result.outcome);
    expect(result.undo.calls).toEqual([
      {
        service: 'ec2',
        operation: 'ModifyNetworkInterfaceAttribute',
        region: REGION,
        input: { NetworkInterfaceId: 'eni-0000000000000000a', Groups: ['sg-0web', 'sg-0ssh'] },
      },
      {
        service: 'ec2',
        operation: 'ModifyNetworkInterfaceAttribute',
        region: REGION,
        input: { NetworkInterfaceId: 'eni-0000000000000000b', Groups: ['sg-0mgmt'] },
      },
      { service: 'ec2', operation: 'DeleteTags', region: REGION, input: inputsOf(ec2, CreateTagsCommand)[0] },
    ]);
    for (const call of result.undo.calls) await expect(commandOf(call)).resolves.toBeDefined();
  });

  it("creates the VPC's isolation group when missing and removes its default allow-all egress: no rules at all", async () => {
    world(instance(), {});
    await run(finding());
    expect(inputsOf(ec2, CreateSecurityGroupCommand).filter((i) => (i as { GroupName: string }).GroupName === 'acme-isolation')).toStrictEqual([
      {
        GroupName: 'acme-isolation',
        Description: 'security-response isolation: no inbound or outbound rules',
        VpcId: VPC,
        TagSpecifications: [
          {
            ResourceType: 'security-group',
            Tags: [
              { Key: 'Name', Value: 'acme-isolation' },
              { Key: 'security-response:purpose', Value: 'isolation' },
            ],
          },
        ],
      },
    ]);
    expect(inputsOf(ec2, RevokeSecurityGroupEgressCommand)).toStrictEqual([{ GroupId: `sg-new-${VPC}`, IpPermissions: ALL_EGRESS }]);
    // Only the step group gets rules; the isolation group gets none.
    expect(inputsOf(ec2, AuthorizeSecurityGroupIngressCommand).map((i) => (i as { GroupId: string }).GroupId)).toEqual([step(VPC)]);
    expect(finalMoves().map((m) => (m as { Groups: string[] }).Groups)).toEqual([[`sg-new-${VPC}`], [`sg-new-${VPC}`]]);
  });

  it("an interface in another VPC goes into that VPC's isolation group", async () => {
    const live = instance();
    live.NetworkInterfaces![1].VpcId = OTHER_VPC;
    world(live, { [VPC]: ISOLATION });
    await run(finding());
    expect(finalMoves()).toStrictEqual([
      { NetworkInterfaceId: 'eni-0000000000000000a', Groups: [ISOLATION] },
      { NetworkInterfaceId: 'eni-0000000000000000b', Groups: [`sg-new-${OTHER_VPC}`] },
    ]);
    expect(moves()).toContainEqual({ NetworkInterfaceId: 'eni-0000000000000000b', Groups: [step(OTHER_VPC)] });
    expect(inputsOf(ec2, CreateSecurityGroupCommand)).toMatchObject([
      { GroupName: 'acme-isolation', VpcId: OTHER_VPC },
      { GroupName: STEP_GROUP_NAME, VpcId: VPC },
      { GroupName: STEP_GROUP_NAME, VpcId: OTHER_VPC },
    ]);
  });
});

describe('ISOLATE_EC2_INSTANCE observe, idempotence, exemption', () => {
  it('observe mode reads and writes nothing, not even the isolation group it would create', async () => {
    world(instance(), {});
    const { result, calls } = await run(finding(), { dryRun: true });
    expect(result.outcome).toBe('WOULD_CHANGE');
    expect(sentOperations(ec2)).toEqual(['DescribeInstances', 'DescribeSecurityGroups']);
    expect(calls).toEqual([]);
  });

  it('an instance whose interfaces are all in the isolation group alone is NO_CHANGE with no write', async () => {
    const isolated = instance({ NetworkInterfaces: instance().NetworkInterfaces!.map((n) => ({ ...n, Groups: [{ GroupId: ISOLATION }] })) });
    world(isolated);
    expect((await run(finding())).result.outcome).toBe('NO_CHANGE');
    expect(sentOperations(ec2)).toEqual(['DescribeInstances', 'DescribeSecurityGroups']);
  });

  it('a half-isolated instance moves only the interface still outside, and the undo restores only that one', async () => {
    const half = instance();
    half.NetworkInterfaces![0].Groups = [{ GroupId: ISOLATION }];
    world(half);
    const { result } = await run(finding());
    expect(moves()).toStrictEqual([
      { NetworkInterfaceId: 'eni-0000000000000000b', Groups: [step(VPC)] },
      { NetworkInterfaceId: 'eni-0000000000000000b', Groups: [ISOLATION] },
    ]);
    expect(result.outcome === 'REMEDIATED' && result.undo.calls[0]).toEqual({
      service: 'ec2',
      operation: 'ModifyNetworkInterfaceAttribute',
      region: REGION,
      input: { NetworkInterfaceId: 'eni-0000000000000000b', Groups: ['sg-0mgmt'] },
    });
  });

  it('an instance tagged security-response:exempt=true is EXEMPT with no write', async () => {
    world(instance({ Tags: [{ Key: 'security-response:exempt', Value: 'true' }] }));
    expect((await run(finding())).result.outcome).toBe('EXEMPT');
    expect(sentOperations(ec2)).toEqual(['DescribeInstances']);
  });

  it('a terminated instance is NO_CHANGE', async () => {
    world(instance({ State: { Name: 'terminated', Code: 48 } }));
    expect((await run(finding())).result.outcome).toBe('NO_CHANGE');
    expect(ec2).not.toHaveReceivedCommand(ModifyNetworkInterfaceAttributeCommand);
  });
});

describe('ISOLATE_EC2_INSTANCE AWS errors', () => {
  it('InvalidInstanceID.NotFound is NO_CHANGE', async () => {
    ec2.on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound', `The instance ID '${INSTANCE}' does not exist`));
    expect((await run(finding())).result.outcome).toBe('NO_CHANGE');
  });

  it('ThrottlingException is a FAILED result, not a thrown error', async () => {
    world(instance());
    ec2.on(DescribeInstancesCommand).rejects(throttled());
    expect((await run(finding())).result).toMatchObject({ outcome: 'FAILED', error: 'ThrottlingException: Rate exceeded' });
  });

  it('UnauthorizedOperation creating the group names ec2:CreateSecurityGroup and moves nothing', async () => {
    world(instance(), {});
    ec2.on(CreateSecurityGroupCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
    expect((await run(finding())).result).toMatchObject({ outcome: 'FAILED', missingPermission: 'ec2:CreateSecurityGroup' });
    expect(ec2).not.toHaveReceivedCommand(ModifyNetworkInterfaceAttributeCommand);
  });

  it("UnauthorizedOperation removing the new group's egress names ec2:RevokeSecurityGroupEgress", async () => {
    world(instance(), {});
    ec2.on(RevokeSecurityGroupEgressCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
    expect((await run(finding())).result).toMatchObject({ outcome: 'FAILED', missingPermission: 'ec2:RevokeSecurityGroupEgress' });
  });

  it('when the second interface cannot be moved, FAILED carries the undo of the first', async () => {
    world(instance());
    ec2
      .on(ModifyNetworkInterfaceAttributeCommand)
      .resolvesOnce({})
      .rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
    const { result } = await run(finding());
    expect(result).toMatchObject({
      outcome: 'FAILED',
      missingPermission: 'ec2:ModifyNetworkInterfaceAttribute',
      undo: {
        calls: [
          {
            service: 'ec2',
            operation: 'ModifyNetworkInterfaceAttribute',
            region: REGION,
            input: { NetworkInterfaceId: 'eni-0000000000000000a', Groups: ['sg-0web', 'sg-0ssh'] },
          },
        ],
      },
    });
    expect(result.outcome === 'FAILED' && result.undo?.calls).toHaveLength(1);
  });
});
