import {
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { runner } from '../../../../functions/shared/remediations/revoke-public-ingress/run';
import { HIGH_RISK_PORTS, selectRevokePublicIngress } from '../../../../functions/shared/remediations/revoke-public-ingress/select';
import type { Finding } from '../../../../functions/shared/finding';
import {
  ACCOUNT,
  OTHER_ACCOUNT,
  OTHER_REGION,
  REGION,
  awsError,
  commandOf,
  context,
  controlFinding,
  inputsOf,
  remediate,
  sentOperations,
  settings,
  throttled,
} from './helpers';

const ec2 = mockClient(EC2Client);
beforeEach(() => ec2.reset());

const SG = 'sg-0a1b2c3d4e5f60718';
const sgResource = {
  Type: 'AwsEc2SecurityGroup',
  Id: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${SG}`,
  Details: { AwsEc2SecurityGroup: { GroupId: SG, GroupName: 'web', VpcId: 'vpc-0123456789abcdef0' } },
};
const finding = (controlId: string, where = {}) => controlFinding(controlId, sgResource, where);

const WORLD_V4 = { CidrIp: '0.0.0.0/0' };
const WORLD_V6 = { CidrIpv6: '::/0' };
/** SSH open to the world next to a private range and a bastion group, in one rule. */
const SSH: IpPermission = {
  IpProtocol: 'tcp',
  FromPort: 22,
  ToPort: 22,
  IpRanges: [
    { CidrIp: '0.0.0.0/0', Description: 'ssh from anywhere' },
    { CidrIp: '10.0.0.0/8', Description: 'office' },
  ],
  Ipv6Ranges: [WORLD_V6],
  UserIdGroupPairs: [{ GroupId: 'sg-0bastion000000000', UserId: ACCOUNT }],
  PrefixListIds: [],
};
const HTTPS: IpPermission = {
  IpProtocol: 'tcp',
  FromPort: 443,
  ToPort: 443,
  IpRanges: [WORLD_V4],
  Ipv6Ranges: [WORLD_V6],
  UserIdGroupPairs: [],
  PrefixListIds: [],
};
const PRIVATE_DB: IpPermission = {
  IpProtocol: 'tcp',
  FromPort: 5432,
  ToPort: 5432,
  IpRanges: [{ CidrIp: '10.1.0.0/16' }],
  Ipv6Ranges: [],
  UserIdGroupPairs: [],
  PrefixListIds: [],
};
/** ICMP "fragmentation needed" (type 3 code 4) from anywhere, for path-MTU discovery: not a port. */
const PMTUD: IpPermission = { IpProtocol: 'icmp', FromPort: 3, ToPort: 4, IpRanges: [WORLD_V4], Ipv6Ranges: [], UserIdGroupPairs: [], PrefixListIds: [] };
const RDP: IpPermission = { IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, IpRanges: [WORLD_V4], Ipv6Ranges: [], UserIdGroupPairs: [], PrefixListIds: [] };

const group = (IpPermissions: IpPermission[], Tags: { Key: string; Value: string }[] = []) => ({
  SecurityGroups: [{ GroupId: SG, GroupName: 'web', VpcId: 'vpc-0123456789abcdef0', OwnerId: ACCOUNT, IpPermissions, IpPermissionsEgress: [], Tags }],
});
const revoked = () => inputsOf(ec2, RevokeSecurityGroupIngressCommand);

async function run(f: Finding, options: Parameters<typeof context>[1] = {}) {
  const ctx = context(f, options);
  const selected = selectRevokePublicIngress(f, ctx.settings);
  if (!selected) throw new Error('not selected');
  return { result: await runner.run(selected.target, ctx), calls: ctx.aws.calls };
}

describe('REVOKE_PUBLIC_INGRESS select', () => {
  it('is the catalogue action for EC2.19 on a security group of this account and region', () => {
    const selected = selectRevokePublicIngress(finding('EC2.19'), settings());
    expect(selected?.target).toEqual({ groupId: SG, controlId: 'EC2.19', families: ['ipv4', 'ipv6'], offending: { ports: HIGH_RISK_PORTS } });
    expect(selected?.reason).toContain('EC2.19');
  });

  it.each([
    ['EC2.13', ['ipv4', 'ipv6'], { ports: [22] }],
    ['EC2.14', ['ipv4', 'ipv6'], { ports: [3389] }],
    ['EC2.53', ['ipv4'], { ports: [22, 3389] }],
    ['EC2.54', ['ipv6'], { ports: [22, 3389] }],
    ['EC2.18', ['ipv4', 'ipv6'], { authorizedPorts: [80, 443] }],
  ])('selects %s with the families and ports that control is about', (control, families, offending) => {
    expect(selectRevokePublicIngress(finding(control), settings())?.target).toEqual({ groupId: SG, controlId: control, families, offending });
  });

  it('takes the EC2.18 authorized ports from the settings', () => {
    const target = selectRevokePublicIngress(finding('EC2.18'), settings({ authorizedPublicPorts: [443, 8443] }))?.target;
    expect(target?.offending).toEqual({ authorizedPorts: [443, 8443] });
  });

  it('reads the group id from the resource ARN when the finding has no details', () => {
    const f = controlFinding('EC2.19', { Type: 'AwsEc2SecurityGroup', Id: sgResource.Id });
    expect(selectRevokePublicIngress(f, settings())?.target.groupId).toBe(SG);
  });

  it('ignores findings of another account or another region', () => {
    expect(selectRevokePublicIngress(finding('EC2.19', { account: OTHER_ACCOUNT }), settings())).toBeUndefined();
    expect(selectRevokePublicIngress(finding('EC2.19', { region: OTHER_REGION }), settings())).toBeUndefined();
  });

  it('ignores other controls on security groups (EC2.2 default group) and EC2.19 on other resource types', () => {
    expect(selectRevokePublicIngress(finding('EC2.2'), settings())).toBeUndefined();
    expect(
      selectRevokePublicIngress(controlFinding('EC2.19', { Type: 'AwsEc2Instance', Id: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0abc` }), settings()),
    ).toBeUndefined();
  });
});

describe('REVOKE_PUBLIC_INGRESS enforce', () => {
  it('EC2.19: revokes only 0.0.0.0/0 and ::/0 of the high-risk rule, never its other ranges, and adds nothing', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves(group([SSH, HTTPS, PRIVATE_DB, PMTUD]));
    const { result } = await remediate(finding('EC2.19'));
    expect(result.outcome).toBe('REMEDIATED');
    expect(inputsOf(ec2, DescribeSecurityGroupsCommand)).toStrictEqual([{ GroupIds: [SG] }]);
    expect(revoked()).toStrictEqual([
      {
        GroupId: SG,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
      },
    ]);
    expect(ec2).not.toHaveReceivedCommand(AuthorizeSecurityGroupIngressCommand);
  });

  it('EC2.18: the authorized ports (80 and 443 by default) stay open; every other world-open TCP rule is revoked', async () => {
    const http = { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [WORLD_V4] };
    ec2.on(DescribeSecurityGroupsCommand).resolves(group([http, HTTPS, SSH, PMTUD]));
    await run(finding('EC2.18'));
    expect(revoked()).toStrictEqual([
      {
        GroupId: SG,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
      },
    ]);
  });

  it('EC2.18: a port range spanning the authorized ports and all-traffic rules are offending; all-traffic is revoked without ports', async () => {
    const range = { IpProtocol: 'tcp', FromPort: 80, ToPort: 443, IpRanges: [WORLD_V4] };
    const all = { IpProtocol: '-1', IpRanges: [WORLD_V4, { CidrIp: '10.0.0.0/8' }] };
    ec2.on(DescribeSecurityGroupsCommand).resolves(group([range, all]));
    await run(finding('EC2.18'));
    expect(revoked()).toStrictEqual([
      {
        GroupId: SG,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 80, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
          { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        ],
      },
    ]);
  });

  it('EC2.18 with authorizedPublicPorts [22, 443]: SSH is authorized there, so nothing changes', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves(group([SSH, HTTPS]));
    const { result } = await run(finding('EC2.18'), { settings: settings({ authorizedPublicPorts: [22, 443] }) });
    expect(result.outcome).toBe('NO_CHANGE');
    expect(sentOperations(ec2)).toEqual(['DescribeSecurityGroups']);
  });

  it('EC2.53 (IPv4 only) revokes 0.0.0.0/0 and leaves ::/0 of the same rule', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves(group([SSH]));
    await run(finding('EC2.53'));
    expect(revoked()).toStrictEqual([{ GroupId: SG, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }]);
  });

  // World-open means exactly 0.0.0.0/0 or ::/0 (what the controls check): a range that merely
  // starts at the zero address or covers half the internet is a range someone chose, and stays.
  it.each(['2001:db8::/32', '::/1', '8000::/1', '2000::/3', '::/128'])(
    'an IPv6 range %s on a high-risk port is not world-open: NO_CHANGE, nothing revoked',
    async (cidr) => {
      ec2.on(DescribeSecurityGroupsCommand).resolves(group([{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [], Ipv6Ranges: [{ CidrIpv6: cidr }] }]));
      for (const control of ['EC2.19', 'EC2.54']) {
        const { result, calls } = await run(finding(control));
        expect(result.outcome).toBe('NO_CHANGE');
        expect(calls).toEqual([]);
      }
      expect(ec2).not.toHaveReceivedCommand(RevokeSecurityGroupIngressCommand);
    },
  );

  it.each(['10.0.0.0/8', '0.0.0.0/1', '128.0.0.0/1', '0.0.0.0/32'])(
    'an IPv4 range %s on a high-risk port is not world-open: NO_CHANGE, nothing revoked',
    async (cidr) => {
      ec2.on(DescribeSecurityGroupsCommand).resolves(group([{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: cidr }], Ipv6Ranges: [] }]));
      for (const control of ['EC2.19', 'EC2.53']) {
        const { result, calls } = await run(finding(control));
        expect(result.outcome).toBe('NO_CHANGE');
        expect(calls).toEqual([]);
      }
      expect(ec2).not.toHaveReceivedCommand(RevokeSecurityGroupIngressCommand);
    },
  );

  it('of a rule with narrow ranges listed before the world ones, only 0.0.0.0/0 and ::/0 are revoked, and undo restores those with their own descriptions', async () => {
    const mixed: IpPermission = {
      IpProtocol: 'tcp',
      FromPort: 3389,
      ToPort: 3389,
      IpRanges: [
        { CidrIp: '0.0.0.0/1', Description: 'half of IPv4' },
        { CidrIp: '0.0.0.0/0', Description: 'rdp from anywhere' },
      ],
      Ipv6Ranges: [
        { CidrIpv6: '2001:db8::/32', Description: 'office v6' },
        { CidrIpv6: '::/0', Description: 'rdp from anywhere v6' },
      ],
      UserIdGroupPairs: [],
      PrefixListIds: [],
    };
    ec2.on(DescribeSecurityGroupsCommand).resolves(group([mixed]));
    const { result } = await run(finding('EC2.19'));
    expect(revoked()).toStrictEqual([
      {
        GroupId: SG,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
      },
    ]);
    if (result.outcome !== 'REMEDIATED') throw new Error(result.outcome);
    expect(result.undo.calls[0].input).toStrictEqual({
      GroupId: SG,
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 3389,
          ToPort: 3389,
          IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'rdp from anywhere' }],
          Ipv6Ranges: [{ CidrIpv6: '::/0', Description: 'rdp from anywhere v6' }],
        },
      ],
    });
  });

  it('EC2.54 (IPv6 only) revokes ::/0 and leaves 0.0.0.0/0 of the same rule', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves(group([SSH]));
    await run(finding('EC2.54'));
    expect(revoked()).toStrictEqual([{ GroupId: SG, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] }]);
  });

  it('authorizes the configured replacement CIDR for the same ports, and the undo revokes it again', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves(group([SSH, RDP]));
    const { result } = await run(finding('EC2.19'), { settings: settings({ replacementIngressCidr: '192.168.0.0/16' }) });
    const replacement = [
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '192.168.0.0/16', Description: 'security-response replacement' }] },
      { IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, IpRanges: [{ CidrIp: '192.168.0.0/16', Description: 'security-response replacement' }] },
    ];
    expect(inputsOf(ec2, AuthorizeSecurityGroupIngressCommand)).toStrictEqual([{ GroupId: SG, IpPermissions: replacement }]);
    expect(result.outcome === 'REMEDIATED' && result.undo.calls[1]).toEqual({
      service: 'ec2',
      operation: 'RevokeSecurityGroupIngress',
      region: REGION,
      input: { GroupId: SG, IpPermissions: replacement },
    });
  });

  it('adds no replacement for a port the group already allows from the replacement CIDR', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves(group([SSH]));
    await run(finding('EC2.19'), { settings: settings({ replacementIngressCidr: '10.0.0.0/8' }) });
    expect(revoked()).toHaveLength(1);
    expect(ec2).not.toHaveReceivedCommand(AuthorizeSecurityGroupIngressCommand);
  });

  it('records exactly the requests it sent, and tags the group with when and why', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves(group([RDP]));
    const { calls } = await run(finding('EC2.19'));
    expect(calls.map((c) => c.operation)).toEqual(['RevokeSecurityGroupIngress', 'CreateTags']);
    expect(calls[0].input).toStrictEqual(revoked()[0]);
    expect(inputsOf(ec2, CreateTagsCommand)).toStrictEqual([
      {
        Resources: [SG],
        Tags: [
          { Key: 'security-response:revoked-at', Value: '2024-05-01T12:00:00.000Z' },
          {
            Key: 'security-response:revoked-for',
            Value: expect.stringMatching(/^EC2\.19 arn:aws:securityhub:eu-west-1:333333333333:security-control\/EC2\.19\/finding\//),
          },
        ],
      },
    ]);
  });

  it('a tagging failure after the revoke is not swallowed: the revoke still counts as REMEDIATED, with a warning that the tag is missing', async () => {
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves(group([RDP]))
      .on(CreateTagsCommand)
      .rejects(awsError('RequestLimitExceeded'));
    const { result } = await run(finding('EC2.19'));
    expect(result).toMatchObject({ outcome: 'REMEDIATED', summary: expect.stringMatching(/^Revoked tcp 3389 from 0\.0\.0\.0\/0 on security group /) });
    expect(result.outcome === 'REMEDIATED' && result.warnings).toEqual([
      `security group ${SG} could not be tagged (RequestLimitExceeded): the change stands, but the resource carries no security-response tag saying so`,
    ]);
  });

  it('when tagging succeeds the result carries no warning', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves(group([RDP]));
    const { result } = await run(finding('EC2.19'));
    expect(result.outcome).toBe('REMEDIATED');
    expect(result).not.toHaveProperty('warnings');
    expect(ec2).toHaveReceivedCommandTimes(CreateTagsCommand, 1);
  });

  it('undo re-authorizes exactly what was revoked, with its original description, and removes its tags', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves(group([SSH, HTTPS]));
    const { result } = await run(finding('EC2.19'));
    if (result.outcome !== 'REMEDIATED') throw new Error(result.outcome);
    expect(result.undo.calls).toEqual([
      {
        service: 'ec2',
        operation: 'AuthorizeSecurityGroupIngress',
        region: REGION,
        input: {
          GroupId: SG,
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 22,
              ToPort: 22,
              IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh from anywhere' }],
              Ipv6Ranges: [{ CidrIpv6: '::/0' }],
            },
          ],
        },
      },
      {
        service: 'ec2',
        operation: 'DeleteTags',
        region: REGION,
        input: { Resources: [SG], Tags: inputsOf(ec2, CreateTagsCommand).map((i) => (i as { Tags: unknown }).Tags)[0] },
      },
    ]);
    for (const call of result.undo.calls) await expect(commandOf(call)).resolves.toBeDefined();
  });
});

describe('REVOKE_PUBLIC_INGRESS observe, idempotence, exemption', () => {
  it('observe mode reads the group and sends no write, reporting what it would revoke', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves(group([SSH]));
    const { result, calls } = await run(finding('EC2.19'), { dryRun: true });
    expect(result.outcome).toBe('WOULD_CHANGE');
    expect(result.summary).toContain('tcp 22 from 0.0.0.0/0 and ::/0');
    expect(sentOperations(ec2)).toEqual(['DescribeSecurityGroups']);
    expect(ec2).not.toHaveReceivedCommand(RevokeSecurityGroupIngressCommand);
    expect(ec2).not.toHaveReceivedCommand(CreateTagsCommand);
    expect(calls).toEqual([]);
  });

  it('a second run on the remediated group is NO_CHANGE and writes nothing', async () => {
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolvesOnce(group([SSH]))
      .resolves(group([{ ...SSH, IpRanges: [{ CidrIp: '10.0.0.0/8' }], Ipv6Ranges: [] }]));
    expect((await run(finding('EC2.19'))).result.outcome).toBe('REMEDIATED');
    const second = await run(finding('EC2.19'));
    expect(second.result.outcome).toBe('NO_CHANGE');
    expect(second.calls).toEqual([]);
    expect(ec2).toHaveReceivedCommandTimes(RevokeSecurityGroupIngressCommand, 1);
  });

  it('a live group tagged security-response:exempt=true is EXEMPT and untouched', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves(group([SSH], [{ Key: 'security-response:exempt', Value: 'true' }]));
    const { result } = await run(finding('EC2.19'));
    expect(result.outcome).toBe('EXEMPT');
    expect(sentOperations(ec2)).toEqual(['DescribeSecurityGroups']);
  });

  it('a group whose exempt tag is another value is remediated', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves(group([SSH], [{ Key: 'security-response:exempt', Value: 'false' }]));
    expect((await run(finding('EC2.19'))).result.outcome).toBe('REMEDIATED');
  });
});

describe('REVOKE_PUBLIC_INGRESS AWS errors', () => {
  it('InvalidPermission.NotFound because the rule vanished meanwhile: reads again and reports NO_CHANGE', async () => {
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolvesOnce(group([SSH]))
      .resolves(group([]));
    ec2.on(RevokeSecurityGroupIngressCommand).rejects(awsError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.'));
    const { result } = await run(finding('EC2.19'));
    expect(result.outcome).toBe('NO_CHANGE');
    expect(ec2).toHaveReceivedCommandTimes(RevokeSecurityGroupIngressCommand, 1);
  });

  it('InvalidPermission.NotFound revokes nothing in a VPC: the rules still open are revoked on a second try', async () => {
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolvesOnce(group([SSH, RDP]))
      .resolves(group([RDP]));
    ec2.on(RevokeSecurityGroupIngressCommand).rejectsOnce(awsError('InvalidPermission.NotFound')).resolves({ Return: true });
    const { result } = await run(finding('EC2.19'));
    expect(result.outcome).toBe('REMEDIATED');
    expect(revoked()[1]).toStrictEqual({
      GroupId: SG,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    });
  });

  it('a group that no longer exists (InvalidGroup.NotFound) is NO_CHANGE', async () => {
    ec2.on(DescribeSecurityGroupsCommand).rejects(awsError('InvalidGroup.NotFound', `The security group '${SG}' does not exist`));
    expect((await run(finding('EC2.19'))).result.outcome).toBe('NO_CHANGE');
  });

  it('ThrottlingException is a FAILED result, not a thrown error', async () => {
    ec2.on(DescribeSecurityGroupsCommand).rejects(throttled());
    const { result } = await run(finding('EC2.19'));
    expect(result).toMatchObject({ outcome: 'FAILED', error: 'ThrottlingException: Rate exceeded' });
    expect(ec2).not.toHaveReceivedCommand(RevokeSecurityGroupIngressCommand);
  });

  it('UnauthorizedOperation on the revoke names ec2:RevokeSecurityGroupIngress as the missing permission', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves(group([SSH]));
    ec2
      .on(RevokeSecurityGroupIngressCommand)
      .rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation. Encoded authorization failure message: abc', 403));
    const { result } = await run(finding('EC2.19'));
    expect(result).toMatchObject({ outcome: 'FAILED', missingPermission: 'ec2:RevokeSecurityGroupIngress' });
  });

  it('an access-denied message that names the action is trusted over the step', async () => {
    ec2
      .on(DescribeSecurityGroupsCommand)
      .rejects(
        awsError(
          'UnauthorizedOperation',
          `User: arn:aws:sts::${ACCOUNT}:assumed-role/acme-respond-eu-west-1/x is not authorized to perform: ec2:DescribeSecurityGroups`,
          403,
        ),
      );
    expect((await run(finding('EC2.19'))).result).toMatchObject({ outcome: 'FAILED', missingPermission: 'ec2:DescribeSecurityGroups' });
  });

  it('when the replacement cannot be authorized after the revoke, FAILED carries the undo of the revoke', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves(group([RDP]));
    ec2.on(AuthorizeSecurityGroupIngressCommand).rejects(awsError('RulesPerSecurityGroupLimitExceeded'));
    const { result } = await run(finding('EC2.19'), { settings: settings({ replacementIngressCidr: '192.168.0.0/16' }) });
    expect(result.outcome).toBe('FAILED');
    expect(result.outcome === 'FAILED' && result.undo?.calls).toEqual([
      {
        service: 'ec2',
        operation: 'AuthorizeSecurityGroupIngress',
        region: REGION,
        input: { GroupId: SG, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
      },
    ]);
  });
});
