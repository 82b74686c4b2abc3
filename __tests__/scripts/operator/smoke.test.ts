/**
 * `npm run smoke` end to end against mocked AWS clients: refusals before anything is created, the
 * resources and findings it creates (exact requests), the wait, the table, and the cleanup on every
 * path (success, failed check, timeout, interruption, a failed create).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetPublicAccessBlockCommand,
  ListObjectVersionsCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  DeleteUserPermissionsBoundaryCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import { BatchImportFindingsCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { loadFleet } from '../../../config/load';
import { createLiveAws } from '../../../functions/shared/aws';
import { EXIT } from '../../../scripts/cli';
import { formatTable, parseSmokeArgs, runSmoke, type SmokeOptions } from '../../../scripts/operator/smoke';
import { exampleConfig, TEST_ACCOUNTS_FILE } from '../../helpers/config';

const fleet = loadFleet(TEST_ACCOUNTS_FILE);
const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);
const s3 = mockClient(S3Client);
const iam = mockClient(IAMClient);
const hub = mockClient(SecurityHubClient);
const logs = mockClient(CloudWatchLogsClient);

const RUN = '20260314100000-abc123';
const NAME = `acme-smoke-${RUN}`;
const SG = 'sg-0smoke0000000001';
const KEY = 'AKIAEXAMPLESMOKE0001';
const START = Date.parse('2026-03-14T10:00:00.000Z');
const QUARANTINE_POLICY = 'arn:aws:iam::333333333333:policy/acme-quarantine-deny-all';
const WORLD_OPEN = [
  { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }, { CidrIp: '10.0.0.0/8' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
];
const REVOKED = [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }], Ipv6Ranges: [] }];
const ACTION_BY_SLUG: Record<string, string> = {
  'ec2-19': 'REVOKE_PUBLIC_INGRESS',
  's3-8': 'BLOCK_S3_PUBLIC_ACCESS',
  'iam-access-key': 'NONE',
};
const notFound = (name: string) => Object.assign(new Error(name), { name });
/** The test user as quarantine-user leaves it in enforce: the deny-all boundary, and its tags written last. */
const quarantinedUser = (account: string) => ({
  User: {
    UserName: NAME,
    UserId: 'AIDAEXAMPLESMOKE',
    Arn: `arn:aws:iam::${account}:user/${NAME}`,
    Path: '/',
    CreateDate: new Date(START),
    PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const, PermissionsBoundaryArn: QUARANTINE_POLICY },
    Tags: [{ Key: 'security-response:quarantined-at', Value: '2026-03-14T10:01:00.000Z' }],
  },
});

/** The account as AWS answers before the responder acted, for one stack's account. */
function world(account: string, caller = `arn:aws:sts::${account}:assumed-role/ops/alice`) {
  sts.on(GetCallerIdentityCommand).resolves({ Account: account, Arn: caller });
  iam.on(GetRoleCommand).callsFake((input) => ({ Role: { Arn: `arn:aws:iam::${account}:role/${input.RoleName}` } }));
  ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-0default' }] });
  ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: SG });
  ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: SG, IpPermissions: WORLD_OPEN }] });
  s3.on(GetPublicAccessBlockCommand).resolves({
    PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
  });
  s3.on(DeleteBucketCommand).resolves({});
  iam
    .on(CreateAccessKeyCommand)
    .resolves({ AccessKey: { AccessKeyId: KEY, UserName: NAME, Status: 'Active', SecretAccessKey: 'never-printed', CreateDate: new Date() } });
  iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: KEY, Status: 'Active' }] });
  iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [] });
  iam
    .on(GetUserCommand)
    .resolves({ User: { UserName: NAME, UserId: 'AIDAEXAMPLESMOKE', Arn: `arn:aws:iam::${account}:user/${NAME}`, Path: '/', CreateDate: new Date(START) } });
  iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: [] });
  iam.on(DeleteLoginProfileCommand).rejects(notFound('NoSuchEntityException'));
  hub.on(BatchImportFindingsCommand).resolves({ FailedCount: 0, SuccessCount: 3, FailedFindings: [] });
  respondWith('NEW', '');
  logs.on(FilterLogEventsCommand).resolves({ events: [] });
}

/** Security Hub answers GetFindings with the responder's record on every finding asked for. */
function respondWith(workflow: string, outcome: string) {
  hub.on(GetFindingsCommand).callsFake((input) => ({
    Findings: input.Filters.Id.map(({ Value }: { Value: string }) => {
      const slug = Value.split('/').pop()!;
      // The finding that calls itself GuardDuty: the responder only reports it, in every mode.
      const forged = slug === 'iam-access-key' && outcome !== '';
      return {
        Id: Value,
        Workflow: { Status: forged ? 'NOTIFIED' : workflow },
        UserDefinedFields: outcome
          ? { 'security-response:outcome': forged ? 'NOT_APPLICABLE' : outcome, 'security-response:action': ACTION_BY_SLUG[slug] }
          : {},
      };
    }),
  }));
}

let now = START;
let controller: AbortController;
const deps = () => ({
  aws: createLiveAws(),
  now: () => new Date(now),
  sleep: (ms: number) => {
    now += ms;
    return Promise.resolve();
  },
  signal: controller.signal,
  runId: RUN,
});
const options = (stack: string, more: Partial<SmokeOptions> = {}): SmokeOptions => ({
  stack,
  iKnow: false,
  keepGoing: false,
  timeoutSeconds: 300,
  pollSeconds: 10,
  ...more,
});

beforeEach(() => {
  for (const m of [sts, ec2, s3, iam, hub, logs]) m.reset();
  now = START;
  controller = new AbortController();
});

/** No request that creates or changes anything reached AWS. */
function expectNothingCreated() {
  expect(ec2).not.toHaveReceivedCommand(CreateSecurityGroupCommand);
  expect(ec2).not.toHaveReceivedCommand(AuthorizeSecurityGroupIngressCommand);
  expect(s3.calls()).toHaveLength(0);
  expect(iam).not.toHaveReceivedCommand(CreateUserCommand);
  expect(hub).not.toHaveReceivedCommand(BatchImportFindingsCommand);
}

function expectEverythingCleanedUp() {
  expect(ec2).toHaveReceivedCommandWith(DeleteSecurityGroupCommand, { GroupId: SG });
  expect(s3).toHaveReceivedCommandWith(DeleteBucketCommand, { Bucket: NAME });
  expect(iam).toHaveReceivedCommandWith(DeleteAccessKeyCommand, { UserName: NAME, AccessKeyId: KEY });
  expect(iam).toHaveReceivedCommandWith(DeleteUserCommand, { UserName: NAME });
}

const archived = () =>
  hub
    .commandCalls(BatchImportFindingsCommand)
    .map((c) => c.args[0].input.Findings!)
    .filter((f) => f.every((x) => x.RecordState === 'ARCHIVED'));

describe('npm run smoke: safety before anything is created', () => {
  it('refuses an enforce stack without --i-know, naming the actions that would change resources, before creating anything', async () => {
    world('333333333333');
    const report = await runSmoke(options('payments-prod-eu-west-1'), fleet, deps());
    expect(report.exitCode).toBe(2);
    expect(report.refused).toMatch(
      /enforce mode; these actions would really change the test resources: REVOKE_PUBLIC_INGRESS \(EC2\.19\), BLOCK_S3_PUBLIC_ACCESS \(S3\.8\), QUARANTINE_IAM_USER \(CreateUser\).*--i-know/,
    );
    expectNothingCreated();
  });

  it('does not count QUARANTINE_IAM_USER as a change when the caller is a trusted creator of the account', async () => {
    world('333333333333', 'arn:aws:sts::333333333333:assumed-role/terraform-pipeline/ci');
    const report = await runSmoke(options('payments-prod-eu-west-1'), fleet, deps());
    expect(report.refused).toMatch(/BLOCK_S3_PUBLIC_ACCESS \(S3\.8\)\. Run again/);
    expect(report.refused).not.toMatch(/QUARANTINE_IAM_USER/);
  });

  it('refuses when the credentials belong to another account, saying which', async () => {
    world('999999999999');
    const report = await runSmoke(options('web-staging-eu-west-1'), fleet, deps());
    expect(report.exitCode).toBe(2);
    expect(report.refused).toBe(
      'the credentials are for account 999999999999 (arn:aws:sts::999999999999:assumed-role/ops/alice), not 555555555555 (web-staging) of stack web-staging-eu-west-1',
    );
    expectNothingCreated();
  });

  it('without usable credentials stops before anything is created, with exit 3', async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const report = await runSmoke(options('web-staging-eu-west-1'), fleet, deps());
    expect(report).toMatchObject({ exitCode: EXIT.credentials, error: expect.stringMatching(/Could not load credentials/), rows: [], leftBehind: [] });
    expectNothingCreated();
  });

  it('refuses an unknown stack in one line naming how many stacks are known', async () => {
    const report = await runSmoke(options('nope-eu-west-1'), fleet, deps());
    expect(report).toMatchObject({ exitCode: 2, refused: expect.stringMatching(/^unknown stack nope-eu-west-1: the configuration has 12 stacks/) });
    expect(sts.calls()).toHaveLength(0);
  });

  it('parses the command line and rejects what it does not know', () => {
    expect(parseSmokeArgs(['--stack', 'web-staging-eu-west-1', '--i-know', '--timeout', '60', '--keep-going'])).toEqual({
      stack: 'web-staging-eu-west-1',
      iKnow: true,
      keepGoing: true,
      timeoutSeconds: 60,
      pollSeconds: 10,
    });
    expect(parseSmokeArgs(['--i-know'])).toEqual({ error: '--stack is required' });
    expect(parseSmokeArgs(['--stack', 'x', '--timeout=-5'])).toEqual({ error: '--timeout needs a positive number of seconds (got -5)' });
    expect(parseSmokeArgs(['--stack', 'x', '--poll', 'soon'])).toEqual({ error: '--poll needs a positive number of seconds (got soon)' });
    expect(parseSmokeArgs(['--stack', 'x', '--force'])).toEqual({ error: "Unknown option '--force'" });
  });

  // node:util parseArgs, strict: a value that looks like an option, or none at all, is an error naming the option.
  it('never takes an option for a value, and says which option lacks one, on one line', () => {
    expect(parseSmokeArgs(['--stack', '--i-know'])).toEqual({ error: expect.stringMatching(/^Option '--stack' argument is ambiguous\. .*'--stack=-XYZ'\.$/) });
    expect(parseSmokeArgs(['--stack', 'x', '--timeout', '-5'])).toEqual({ error: expect.stringMatching(/^Option '--timeout' argument is ambiguous/) });
    expect(parseSmokeArgs(['--stack'])).toEqual({ error: "Option '--stack <value>' argument missing" });
    expect(parseSmokeArgs(['--stack='])).toEqual({ error: '--stack needs a value' });
    expect(parseSmokeArgs(['web-staging-eu-west-1'])).toEqual({ error: expect.stringMatching(/^Unexpected argument 'web-staging-eu-west-1'/) });
    expect(parseSmokeArgs(['--stack', 'x', '--poll', '0.5', '--vpc-id', 'vpc-0aaa'])).toEqual({
      stack: 'x',
      iKnow: false,
      keepGoing: false,
      timeoutSeconds: 300,
      pollSeconds: 0.5,
      vpcId: 'vpc-0aaa',
    });
  });
});

describe('npm run smoke: a run', () => {
  it('in observe creates the three resources exactly, imports one finding each, sees them NOTIFIED/WOULD_CHANGE, prints PASS rows and cleans up everything', async () => {
    world('555555555555');
    respondWith('NOTIFIED', 'WOULD_CHANGE');
    logs.on(FilterLogEventsCommand).resolves({
      events: [{ message: JSON.stringify({ level: 'INFO', message: 'create user handled', userName: NAME, status: 'OBSERVE_ONLY', outcome: 'WOULD_CHANGE' }) }],
    });

    const report = await runSmoke(options('web-staging-eu-west-1'), fleet, deps());

    const tags = [
      { Key: 'Name', Value: NAME },
      { Key: 'security-response-smoke', Value: RUN },
    ];
    expect(ec2).toHaveReceivedCommandWith(CreateSecurityGroupCommand, {
      GroupName: NAME,
      VpcId: 'vpc-0default',
      Description: expect.stringContaining(RUN),
      TagSpecifications: [{ ResourceType: 'security-group', Tags: tags }],
    });
    expect(ec2).toHaveReceivedCommandWith(AuthorizeSecurityGroupIngressCommand, {
      GroupId: SG,
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 22,
          ToPort: 22,
          IpRanges: [
            { CidrIp: '0.0.0.0/0', Description: expect.any(String) },
            { CidrIp: '10.0.0.0/8', Description: expect.any(String) },
          ],
          Ipv6Ranges: [{ CidrIpv6: '::/0', Description: expect.any(String) }],
        },
      ],
    });
    expect(s3).toHaveReceivedCommandWith(CreateBucketCommand, { Bucket: NAME, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } });
    expect(s3).toHaveReceivedCommandWith(PutBucketTaggingCommand, { Bucket: NAME, Tagging: { TagSet: tags } });
    expect(s3).toHaveReceivedCommandWith(PutPublicAccessBlockCommand, {
      Bucket: NAME,
      PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
    });
    expect(iam).toHaveReceivedCommandWith(CreateUserCommand, { UserName: NAME, Tags: tags });
    expect(iam).toHaveReceivedCommandWith(CreateAccessKeyCommand, { UserName: NAME });

    const imported = hub.commandCalls(BatchImportFindingsCommand)[0].args[0].input.Findings!;
    const common = {
      SchemaVersion: '2018-10-08',
      ProductArn: 'arn:aws:securityhub:eu-west-1:555555555555:product/555555555555/default',
      AwsAccountId: '555555555555',
      Region: 'eu-west-1',
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
      Severity: expect.objectContaining({ Label: 'HIGH' }),
      CreatedAt: '2026-03-14T10:00:00.000Z',
      UpdatedAt: '2026-03-14T10:00:00.000Z',
      Title: expect.stringMatching(/^SMOKE TEST /),
      Description: expect.stringContaining('npm run smoke'),
    };
    expect(imported).toEqual([
      expect.objectContaining({
        ...common,
        GeneratorId: 'security-control/EC2.19',
        Resources: [expect.objectContaining({ Type: 'AwsEc2SecurityGroup', Details: { AwsEc2SecurityGroup: expect.objectContaining({ GroupId: SG }) } })],
      }),
      expect.objectContaining({
        ...common,
        GeneratorId: 'security-control/S3.8',
        Resources: [expect.objectContaining({ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${NAME}` })],
      }),
      expect.objectContaining({
        ...common,
        ProductName: 'GuardDuty',
        Types: ['TTPs/Initial Access/UnauthorizedAccess:IAMUser-MaliciousIPCaller'],
        Resources: [
          expect.objectContaining({
            Type: 'AwsIamAccessKey',
            Id: `AWS::IAM::AccessKey:${KEY}`,
            Details: { AwsIamAccessKey: expect.objectContaining({ PrincipalType: 'IAMUser', PrincipalName: NAME, AccessKeyId: KEY }) },
          }),
        ],
      }),
    ]);
    expect(hub).toHaveReceivedCommandWith(GetFindingsCommand, {
      Filters: { Id: imported.map((f) => ({ Value: f.Id, Comparison: 'EQUALS' })), ProductArn: [{ Value: common.ProductArn, Comparison: 'EQUALS' }] },
    });
    expect(logs).toHaveReceivedCommandWith(FilterLogEventsCommand, { logGroupName: '/aws/lambda/acme-quarantine-user', filterPattern: `"${NAME}"` });

    expect(report.rows.map((r) => [r.kind, r.check, r.result])).toEqual([
      ['EC2.19', 'finding', 'PASS'],
      ['EC2.19', 'resource', 'PASS'],
      ['S3.8', 'finding', 'PASS'],
      ['S3.8', 'resource', 'PASS'],
      ['GuardDuty IAMUser', 'finding', 'PASS'],
      ['GuardDuty IAMUser', 'resource', 'PASS'],
      ['CreateUser', 'quarantine-user', 'PASS'],
      ['CreateUser', 'resource', 'PASS'],
    ]);
    const table = formatTable(report.rows);
    expect(table).toMatch(
      /^EC2\.19 +finding +sg-0smoke0000000001 +NOTIFIED, WOULD_CHANGE \(REVOKE_PUBLIC_INGRESS, observe\) +NOTIFIED, WOULD_CHANGE \(REVOKE_PUBLIC_INGRESS\) +PASS$/m,
    );
    expect(table).toContain('8 checks: 8 PASS, 0 FAIL, 0 UNVERIFIED');

    expectEverythingCleanedUp();
    expect(archived()).toEqual([imported.map((f) => expect.objectContaining({ Id: f.Id, RecordState: 'ARCHIVED', UpdatedAt: expect.any(String) }))]);
    expect(report).toMatchObject({ exitCode: 0, leftBehind: [], interrupted: false });
  });

  it('with --i-know runs on an enforce stack; a security group still open to the world is a FAIL row and exit 4 (a check failed), the quarantine boundary is removed before the user is deleted', async () => {
    world('333333333333');
    respondWith('RESOLVED', 'REMEDIATED');
    s3.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    });
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: KEY, Status: 'Inactive' }] });
    iam.on(GetUserCommand).resolves(quarantinedUser('333333333333'));

    const report = await runSmoke(options('payments-prod-eu-west-1', { iKnow: true }), fleet, deps());

    const row = (kind: string, check: string) => report.rows.find((r) => r.kind === kind && r.check === check)!;
    expect(row('EC2.19', 'finding')).toMatchObject({ expected: 'RESOLVED, REMEDIATED (REVOKE_PUBLIC_INGRESS, enforce)', result: 'PASS' });
    expect(row('EC2.19', 'resource')).toMatchObject({
      expected: 'port 22 closed to 0.0.0.0/0 and ::/0, 10.0.0.0/8 kept',
      observed: 'port 22 from 0.0.0.0/0, 10.0.0.0/8, ::/0',
      result: 'FAIL',
    });
    expect(row('S3.8', 'resource')).toMatchObject({ observed: 'Block Public Access 4/4 on', result: 'PASS' });
    expect(row('GuardDuty IAMUser', 'resource')).toMatchObject({ observed: 'key Inactive', result: 'PASS' });
    expect(row('CreateUser', 'quarantine-user')).toMatchObject({
      expected: 'deny-all boundary set (REMEDIATED)',
      observed: 'deny-all boundary set',
      result: 'PASS',
    });
    expect(logs.calls()).toHaveLength(0);
    expect(report.exitCode).toBe(EXIT.checkFailed);
    expect(iam).toHaveReceivedCommandWith(DeleteUserPermissionsBoundaryCommand, { UserName: NAME });
    const order = iam.calls().map((c) => (c.args[0] as object).constructor.name);
    expect(order.indexOf('DeleteUserPermissionsBoundaryCommand')).toBeLessThan(order.indexOf('DeleteUserCommand'));
    expectEverythingCleanedUp();
  });

  it("where only the quarantine enforces, the test user's key is still expected inactive: quarantine-user deactivates the keys it finds", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smoke-fleet-'));
    const config = exampleConfig() as any;
    config.accounts.find((a: { name: string }) => a.name === 'payments-prod').remediations.DEACTIVATE_ACCESS_KEY = 'observe';
    writeFileSync(join(dir, 'accounts.json'), JSON.stringify(config));
    world('333333333333');
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: KEY, Status: 'Inactive' }] });
    iam.on(GetUserCommand).resolves(quarantinedUser('333333333333'));
    const report = await runSmoke(options('payments-prod-eu-west-1', { iKnow: true }), loadFleet(join(dir, 'accounts.json')), deps());
    expect(report.rows.find((r) => r.kind === 'GuardDuty IAMUser' && r.check === 'resource')).toMatchObject({
      expected: 'key Inactive',
      observed: 'key Inactive',
      result: 'PASS',
    });
    // respond itself takes no action on the finding that calls itself GuardDuty.
    expect(report.rows.find((r) => r.kind === 'GuardDuty IAMUser' && r.check === 'finding')?.expected).toMatch(/NOTIFIED, NOT_APPLICABLE \(NONE, /);
  });

  it('passes on an enforce stack when the revoke kept only the private range', async () => {
    world('333333333333');
    respondWith('RESOLVED', 'REMEDIATED');
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: SG, IpPermissions: REVOKED }] });
    s3.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    });
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: KEY, Status: 'Inactive' }] });
    iam.on(GetUserCommand).resolves(quarantinedUser('333333333333'));
    const report = await runSmoke(options('payments-prod-eu-west-1', { iKnow: true }), fleet, deps());
    expect(report.rows.filter((r) => r.result !== 'PASS')).toEqual([]);
    expect(report.exitCode).toBe(0);
  });

  it('says "no response within 300s" when the responder never answers, after polling every 10 s, and still cleans up', async () => {
    world('555555555555');
    const report = await runSmoke(options('web-staging-eu-west-1'), fleet, deps());
    const findingRows = report.rows.filter((r) => r.check === 'finding');
    expect(findingRows).toHaveLength(3);
    for (const r of findingRows) expect(r).toMatchObject({ observed: 'no response within 300s', result: 'FAIL' });
    expect(report.rows.find((r) => r.check === 'quarantine-user')).toMatchObject({ observed: 'nothing logged within 300s', result: 'FAIL' });
    expect(now - START).toBe(300_000);
    expect(hub.commandCalls(GetFindingsCommand)).toHaveLength(31);
    expect(report.exitCode).toBe(EXIT.checkFailed);
    expectEverythingCleanedUp();
    expect(archived()).toHaveLength(1);
  });

  it('reports the quarantine-user check UNVERIFIED, not FAIL, when its log cannot be read', async () => {
    world('555555555555');
    respondWith('NOTIFIED', 'WOULD_CHANGE');
    logs.on(FilterLogEventsCommand).rejects(notFound('AccessDeniedException'));
    const report = await runSmoke(options('web-staging-eu-west-1'), fleet, deps());
    expect(report.rows.find((r) => r.check === 'quarantine-user')).toMatchObject({
      result: 'UNVERIFIED',
      observed: expect.stringContaining('AccessDeniedException'),
    });
    expect(report.exitCode).toBe(0);
  });

  it('when interrupted after the bucket was created, deletes the security group and the bucket and creates nothing else', async () => {
    world('555555555555');
    s3.on(PutPublicAccessBlockCommand).callsFake(() => {
      controller.abort();
      return {};
    });
    iam.on(ListAccessKeysCommand).rejects(notFound('NoSuchEntityException'));
    const report = await runSmoke(options('web-staging-eu-west-1'), fleet, deps());
    expect(report).toMatchObject({ interrupted: true, exitCode: 1, leftBehind: [] });
    expect(iam).not.toHaveReceivedCommand(CreateUserCommand);
    expect(hub).not.toHaveReceivedCommand(BatchImportFindingsCommand);
    expect(ec2).toHaveReceivedCommandWith(DeleteSecurityGroupCommand, { GroupId: SG });
    expect(s3).toHaveReceivedCommandWith(DeleteBucketCommand, { Bucket: NAME });
    expect(iam).not.toHaveReceivedCommand(DeleteUserCommand);
  });

  it('when CreateBucket fails, deletes the security group created before it, creates nothing else and exits 1', async () => {
    world('555555555555');
    s3.on(CreateBucketCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    s3.on(ListObjectVersionsCommand).rejects(notFound('NoSuchBucket'));
    const report = await runSmoke(options('web-staging-eu-west-1'), fleet, deps());
    expect(report).toMatchObject({ exitCode: 1, error: 'AccessDenied: Access Denied', leftBehind: [], rows: [] });
    expect(ec2).toHaveReceivedCommandWith(DeleteSecurityGroupCommand, { GroupId: SG });
    expect(iam).not.toHaveReceivedCommand(CreateUserCommand);
    expect(hub).not.toHaveReceivedCommand(BatchImportFindingsCommand);
  });

  it('with --keep-going a resource that cannot be created is one FAIL row and the other kinds are still exercised', async () => {
    world('555555555555');
    respondWith('NOTIFIED', 'WOULD_CHANGE');
    s3.on(CreateBucketCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    s3.on(ListObjectVersionsCommand).rejects(notFound('NoSuchBucket'));
    const report = await runSmoke(options('web-staging-eu-west-1', { keepGoing: true }), fleet, deps());
    expect(report.rows.find((r) => r.kind === 'S3.8')).toMatchObject({ check: 'create', result: 'FAIL', observed: 'AccessDenied: Access Denied' });
    expect(hub.commandCalls(BatchImportFindingsCommand)[0].args[0].input.Findings!.map((f) => f.GeneratorId)).toEqual([
      'security-control/EC2.19',
      `acme-smoke`,
    ]);
    expect(report.exitCode).toBe(EXIT.checkFailed);
  });

  it('prints what it could not delete as left behind, with why, and exits 1', async () => {
    world('555555555555');
    respondWith('NOTIFIED', 'WOULD_CHANGE');
    logs
      .on(FilterLogEventsCommand)
      .resolves({ events: [{ message: JSON.stringify({ message: 'create user handled', userName: NAME, status: 'OBSERVE_ONLY', outcome: 'WOULD_CHANGE' }) }] });
    ec2.on(DeleteSecurityGroupCommand).rejects(Object.assign(new Error('has a dependent object'), { name: 'DependencyViolation' }));
    const report = await runSmoke(options('web-staging-eu-west-1'), fleet, deps());
    expect(report.rows.every((r) => r.result === 'PASS')).toBe(true);
    expect(report.leftBehind).toEqual([`security group ${SG} in vpc-0default (eu-west-1) (still referenced by another resource (DependencyViolation))`]);
    expect(report.exitCode).toBe(1);
    expect(s3).toHaveReceivedCommandWith(DeleteBucketCommand, { Bucket: NAME });
  });
});
