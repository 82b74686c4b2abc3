import {
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  type DescribeSecurityGroupsCommandInput,
  type Instance,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import type { Finding } from '../../../../functions/shared/finding';
import { runner } from '../../../../functions/shared/remediations/isolate-ec2-instance/run';
import { selectIsolateEc2Instance } from '../../../../functions/shared/remediations/isolate-ec2-instance/select';
import { ACCOUNT, OTHER_ACCOUNT, OTHER_REGION, REGION, awsError, commandOf, context, guardDutyFinding, inputsOf, remediate, sentOperations, settings, throttled } from './helpers';

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
    { NetworkInterfaceId: 'eni-0000000000000000a', VpcId: VPC, Groups: [{ GroupId: 'sg-0web', GroupName: 'web' }, { GroupId: 'sg-0ssh', GroupName: 'ssh' }] },
    { NetworkInterfaceId: 'eni-0000000000000000b', VpcId: VPC, Groups: [{ GroupId: 'sg-0mgmt', GroupName: 'mgmt' }] },
  ],
  ...overrides,
});

/** The live world: the instance, and the isolation group of each VPC that has one. */
function world(live: Instance | undefined, isolationGroups: Record<string, string> = { [VPC]: ISOLATION }) {
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: live ? [{ Instances: [live] }] : [] });
  ec2.on(DescribeSecurityGroupsCommand).callsFake(async (input: DescribeSecurityGroupsCommandInput) => {
    if (input.GroupIds) return { SecurityGroups: [{ GroupId: input.GroupIds[0], IpPermissions: [], IpPermissionsEgress: ALL_EGRESS }] };
    const vpc = input.Filters?.find((f) => f.Name === 'vpc-id')?.Values?.[0] ?? '';
    return { SecurityGroups: isolationGroups[vpc] ? [{ GroupId: isolationGroups[vpc], GroupName: 'acme-isolation', VpcId: vpc, IpPermissions: [], IpPermissionsEgress: [] }] : [] };
  });
  ec2.on(CreateSecurityGroupCommand).callsFake(async (input: { VpcId: string }) => ({ GroupId: `sg-new-${input.VpcId}` }));
}
beforeEach(() => ec2.reset());

const instanceResource = { Type: 'AwsEc2Instance', Id: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${INSTANCE}`, Details: { AwsEc2Instance: { VpcId: VPC } } };
const TYPE = 'Backdoor:EC2/C&CActivity.B!DNS';
const finding = (type = TYPE, where = {}) => guardDutyFinding(type, [instanceResource], where);
const moves = () => inputsOf(ec2, ModifyNetworkInterfaceAttributeCommand);

async function run(f: Finding, options: Parameters<typeof context>[1] = {}) {
  const ctx = context(f, options);
  const selected = selectIsolateEc2Instance(f, ctx.settings);
  if (!selected) throw new Error('not selected');
  return { result: await runner.run(selected.target, ctx), calls: ctx.aws.calls };
}

describe('ISOLATE_EC2_INSTANCE select', () => {
  it.each(['Backdoor:EC2/C&CActivity.B!DNS', 'CryptoCurrency:EC2/BitcoinTool.B!DNS', 'Trojan:EC2/DNSDataExfiltration'])(
    'is the catalogue action for GuardDuty %s on an instance of this account and region', async (type) => {
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
  it('moves every network interface into the existing isolation group and deletes nothing', async () => {
    world(instance());
    const { result } = await run(finding());
    expect(result.outcome).toBe('REMEDIATED');
    expect(moves()).toStrictEqual([
      { NetworkInterfaceId: 'eni-0000000000000000a', Groups: [ISOLATION] },
      { NetworkInterfaceId: 'eni-0000000000000000b', Groups: [ISOLATION] },
    ]);
    expect(inputsOf(ec2, DescribeSecurityGroupsCommand)).toStrictEqual([{ Filters: [{ Name: 'group-name', Values: ['acme-isolation'] }, { Name: 'vpc-id', Values: [VPC] }] }]);
    expect(sentOperations(ec2).filter((op) => /^(Delete|Terminate|Stop|Revoke|Authorize|Create(?!Tags))/.test(op))).toEqual([]);
  });

  it('tags the instance with when and its original groups', async () => {
    world(instance());
    await run(finding());
    expect(inputsOf(ec2, CreateTagsCommand)).toStrictEqual([{
      Resources: [INSTANCE],
      Tags: [
        { Key: 'security-response:isolated-at', Value: '2024-05-01T12:00:00.000Z' },
        { Key: 'security-response:original-security-groups', Value: 'eni-0000000000000000a=sg-0web+sg-0ssh eni-0000000000000000b=sg-0mgmt' },
      ],
    }]);
  });

  it('undo gives each interface back its original groups and removes the tags', async () => {
    world(instance());
    const { result } = await run(finding());
    if (result.outcome !== 'REMEDIATED') throw new Error(result.outcome);
    expect(result.undo.calls).toEqual([
      { service: 'ec2', operation: 'ModifyNetworkInterfaceAttribute', region: REGION, input: { NetworkInterfaceId: 'eni-0000000000000000a', Groups: ['sg-0web', 'sg-0ssh'] } },
      { service: 'ec2', operation: 'ModifyNetworkInterfaceAttribute', region: REGION, input: { NetworkInterfaceId: 'eni-0000000000000000b', Groups: ['sg-0mgmt'] } },
      { service: 'ec2', operation: 'DeleteTags', region: REGION, input: inputsOf(ec2, CreateTagsCommand)[0] },
    ]);
    for (const call of result.undo.calls) await expect(commandOf(call)).resolves.toBeDefined();
  });

  it('creates the VPC\'s isolation group when missing and removes its default allow-all egress: no rules at all', async () => {
    world(instance(), {});
    await run(finding());
    expect(inputsOf(ec2, CreateSecurityGroupCommand)).toStrictEqual([{
      GroupName: 'acme-isolation',
      Description: 'security-response isolation: no inbound or outbound rules',
      VpcId: VPC,
      TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'Name', Value: 'acme-isolation' }, { Key: 'security-response:purpose', Value: 'isolation' }] }],
    }]);
    expect(inputsOf(ec2, RevokeSecurityGroupEgressCommand)).toStrictEqual([{ GroupId: `sg-new-${VPC}`, IpPermissions: ALL_EGRESS }]);
    expect(sentOperations(ec2).filter((op) => op.startsWith('Authorize'))).toEqual([]);
    expect(moves().map((m) => (m as { Groups: string[] }).Groups)).toEqual([[`sg-new-${VPC}`], [`sg-new-${VPC}`]]);
  });

  it('an interface in another VPC goes into that VPC\'s isolation group', async () => {
    const live = instance();
    live.NetworkInterfaces![1].VpcId = OTHER_VPC;
    world(live, { [VPC]: ISOLATION });
    await run(finding());
    expect(moves()).toStrictEqual([
      { NetworkInterfaceId: 'eni-0000000000000000a', Groups: [ISOLATION] },
      { NetworkInterfaceId: 'eni-0000000000000000b', Groups: [`sg-new-${OTHER_VPC}`] },
    ]);
    expect(inputsOf(ec2, CreateSecurityGroupCommand)).toMatchObject([{ VpcId: OTHER_VPC }]);
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
    expect(moves()).toStrictEqual([{ NetworkInterfaceId: 'eni-0000000000000000b', Groups: [ISOLATION] }]);
    expect(result.outcome === 'REMEDIATED' && result.undo.calls[0]).toEqual(
      { service: 'ec2', operation: 'ModifyNetworkInterfaceAttribute', region: REGION, input: { NetworkInterfaceId: 'eni-0000000000000000b', Groups: ['sg-0mgmt'] } },
    );
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

  it('UnauthorizedOperation removing the new group\'s egress names ec2:RevokeSecurityGroupEgress', async () => {
    world(instance(), {});
    ec2.on(RevokeSecurityGroupEgressCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
    expect((await run(finding())).result).toMatchObject({ outcome: 'FAILED', missingPermission: 'ec2:RevokeSecurityGroupEgress' });
  });

  it('when the second interface cannot be moved, FAILED carries the undo of the first', async () => {
    world(instance());
    ec2.on(ModifyNetworkInterfaceAttributeCommand)
      .resolvesOnce({})
      .rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
    const { result } = await run(finding());
    expect(result).toMatchObject({
      outcome: 'FAILED',
      missingPermission: 'ec2:ModifyNetworkInterfaceAttribute',
      undo: { calls: [{ service: 'ec2', operation: 'ModifyNetworkInterfaceAttribute', region: REGION, input: { NetworkInterfaceId: 'eni-0000000000000000a', Groups: ['sg-0web', 'sg-0ssh'] } }] },
    });
    expect(result.outcome === 'FAILED' && result.undo?.calls).toHaveLength(1);
  });
});
