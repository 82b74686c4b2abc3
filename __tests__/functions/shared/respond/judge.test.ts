import { CreateTagsCommand, DescribeSecurityGroupsCommand, EC2Client, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { CallLog, createLiveAws, ObserveModeWriteError } from '../../../../functions/shared/aws';
import { REMEDIATION_ACTIONS } from '../../../../functions/shared/catalogue';
import { findingFromAsff } from '../../../../functions/shared/events/asff';
import { ignoreReason, judge, remediate } from '../../../../functions/shared/respond/judge';
import { settings } from '../remediations/helpers';
import { awsError, inputsOf, mockAllClients, resourceWrites } from './aws-mocks';
import {
  CollectingLog,
  OTHER_ACCOUNT,
  OTHER_REGION,
  REGION,
  SG,
  bucketResource,
  controlFinding,
  guardDutyFinding,
  instanceResource,
  securityGroupResource,
  thirdPartyFinding,
  type AsffOptions,
} from './events';

const aws = mockAllClients();
beforeEach(() => {
  aws.reset();
});

const NOW = new Date('2026-03-14T08:50:07.000Z');
const parse = (raw: unknown) => findingFromAsff(raw, 0);
const ec2_19 = (o: AsffOptions = {}) => parse(controlFinding('EC2.19', [securityGroupResource(o)], o));
const observeEverything = () => settings({ mode: 'observe', actions: Object.fromEntries(REMEDIATION_ACTIONS.map((a) => [a, 'observe'])) as never });

describe('ignoreReason: the findings respond must leave alone', () => {
  it('acts on a NEW, ACTIVE finding of its own account and region at the threshold', () => {
    expect(ignoreReason(ec2_19({ severity: 'MEDIUM' }), settings({ notifyMinSeverity: 'MEDIUM' }))).toBeUndefined();
  });

  it.each([
    ['another account', { account: OTHER_ACCOUNT }, /account 444444444444/],
    ['another region (the security account sees aggregated copies)', { region: OTHER_REGION }, /region eu-central-1/],
    ['an ARCHIVED record', { recordState: 'ARCHIVED' }, /record state is ARCHIVED/],
    ['workflow NOTIFIED (our own update coming back)', { workflow: 'NOTIFIED' }, /NOTIFIED, not NEW/],
    ['workflow RESOLVED', { workflow: 'RESOLVED' }, /RESOLVED, not NEW/],
    ['workflow SUPPRESSED', { workflow: 'SUPPRESSED' }, /SUPPRESSED, not NEW/],
    ['severity below the threshold', { severity: 'LOW' as const }, /LOW is below the account's threshold MEDIUM/],
  ])('ignores %s', (_what, options, reason) => {
    expect(ignoreReason(ec2_19(options), settings())).toMatch(reason);
  });

  it('compares the reported severity with the threshold (a HIGH threshold ignores MEDIUM)', () => {
    expect(ignoreReason(ec2_19({ severity: 'MEDIUM' }), settings({ notifyMinSeverity: 'HIGH' }))).toMatch(/below/);
    expect(ignoreReason(ec2_19({ severity: 'CRITICAL' }), settings({ notifyMinSeverity: 'HIGH' }))).toBeUndefined();
  });
});

describe('judge: ignored findings cause no AWS call at all', () => {
  it.each([
    ['another account', { account: OTHER_ACCOUNT }],
    ['another region', { region: OTHER_REGION }],
    ['not NEW', { workflow: 'NOTIFIED' }],
    ['not ACTIVE', { recordState: 'ARCHIVED' }],
    ['below threshold', { severity: 'LOW' as const }],
  ])('%s: no read, no write, no classification', async (_what, options) => {
    const j = await judge(ec2_19(options), settings(), createLiveAws(), new CollectingLog(), NOW);
    expect(j.ignoredBecause).toBeDefined();
    expect(j.classification).toBeUndefined();
    expect(j.remediation).toBeUndefined();
    expect(aws.ec2.calls()).toHaveLength(0);
  });
});

describe('remediate: mode per action', () => {
  it('enforce: runs the module, status PLANNED, outcome REMEDIATED, the write requests recorded', async () => {
    const r = await remediate(ec2_19(), settings(), createLiveAws(), new CollectingLog(), NOW);
    expect(r).toMatchObject({ action: 'REVOKE_PUBLIC_INGRESS', status: 'PLANNED', outcome: 'REMEDIATED' });
    expect(r.calls.map((c) => c.operation)).toEqual(['RevokeSecurityGroupIngress', 'CreateTags']);
    expect(inputsOf(aws.ec2, RevokeSecurityGroupIngressCommand)).toHaveLength(1);
    expect(r.undo?.calls[0]).toMatchObject({ service: 'ec2', operation: 'AuthorizeSecurityGroupIngress' });
  });

  it('observe: reads the live resource, reports OBSERVE_ONLY / WOULD_CHANGE and sends no write', async () => {
    const r = await remediate(ec2_19(), observeEverything(), createLiveAws(), new CollectingLog(), NOW);
    expect(r).toMatchObject({ action: 'REVOKE_PUBLIC_INGRESS', status: 'OBSERVE_ONLY', outcome: 'WOULD_CHANGE' });
    expect(r.calls).toEqual([]);
    expect(aws.ec2.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(1);
    expect(resourceWrites(aws)).toEqual([]);
  });

  it('an action observed in an enforce account (per-action observe) also writes nothing', async () => {
    const s = settings({ actions: { ...settings().actions, BLOCK_S3_PUBLIC_ACCESS: 'observe' } });
    const r = await remediate(parse(controlFinding('S3.8', [bucketResource()])), s, createLiveAws(), new CollectingLog(), NOW);
    expect(r.status).toBe('OBSERVE_ONLY');
    expect(aws.s3.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(0);
  });

  it('off: DISABLED, the module does not even read', async () => {
    const s = settings({ actions: { ...settings().actions, REVOKE_PUBLIC_INGRESS: 'off' } });
    const r = await remediate(ec2_19(), s, createLiveAws(), new CollectingLog(), NOW);
    expect(r).toMatchObject({ action: 'REVOKE_PUBLIC_INGRESS', status: 'DISABLED' });
    expect(r.outcome).toBeUndefined();
    expect(aws.ec2.calls()).toHaveLength(0);
  });

  it('a resource tagged security-response:exempt=true in the finding: EXEMPT, no AWS call', async () => {
    const f = parse(controlFinding('EC2.19', [securityGroupResource({}, SG, { 'security-response:exempt': 'true' })]));
    const r = await remediate(f, settings(), createLiveAws(), new CollectingLog(), NOW);
    expect(r).toMatchObject({ status: 'EXEMPT', outcome: 'EXEMPT' });
    expect(aws.ec2.calls()).toHaveLength(0);
  });

  it('a finding no catalogue action fits: NONE / NOT_APPLICABLE, manual review, no AWS call', async () => {
    const r = await remediate(parse(thirdPartyFinding()), settings(), createLiveAws(), new CollectingLog(), NOW);
    expect(r).toMatchObject({ action: 'NONE', status: 'NOT_APPLICABLE' });
    expect(r.summary).toMatch(/manual review/);
    expect(resourceWrites(aws)).toEqual([]);
  });
});

describe('remediate: AWS errors become FAILED, never an exception', () => {
  it('AccessDenied: FAILED, the error kept, the missing permission named', async () => {
    aws.ec2.on(RevokeSecurityGroupIngressCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
    const log = new CollectingLog();
    const r = await remediate(ec2_19(), settings(), createLiveAws(), log, NOW);
    expect(r).toMatchObject({ status: 'PLANNED', outcome: 'FAILED', missingPermission: 'ec2:RevokeSecurityGroupIngress' });
    expect(r.error).toMatch(/UnauthorizedOperation/);
    expect(log.errors().map((l) => l.extra)).toContainEqual(expect.objectContaining({ missingPermission: 'ec2:RevokeSecurityGroupIngress' }));
  });

  it('ThrottlingException on the read: FAILED with the error code, not a crash', async () => {
    aws.ec2.on(DescribeSecurityGroupsCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const r = await remediate(ec2_19(), settings(), createLiveAws(), new CollectingLog(), NOW);
    expect(r).toMatchObject({ outcome: 'FAILED' });
    expect(r.error).toMatch(/^ThrottlingException/);
    expect(inputsOf(aws.ec2, RevokeSecurityGroupIngressCommand)).toHaveLength(0);
  });

  it('a read answering nonsense (module bug territory) is FAILED, not thrown', async () => {
    aws.ec2.on(DescribeSecurityGroupsCommand).resolves(undefined as never);
    const r = await remediate(ec2_19(), settings(), createLiveAws(), new CollectingLog(), NOW);
    expect(r.outcome).toBe('FAILED');
  });

  it('GuardDuty EC2 backdoor with ModifyNetworkInterfaceAttribute denied: FAILED naming ec2:ModifyNetworkInterfaceAttribute', async () => {
    const { ModifyNetworkInterfaceAttributeCommand } = await import('@aws-sdk/client-ec2');
    aws.ec2.on(ModifyNetworkInterfaceAttributeCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
    const f = parse(guardDutyFinding('Backdoor:EC2/C&CActivity.B!DNS', [instanceResource()]));
    const r = await remediate(f, settings(), createLiveAws(), new CollectingLog(), NOW);
    expect(r).toMatchObject({ action: 'ISOLATE_EC2_INSTANCE', outcome: 'FAILED', missingPermission: 'ec2:ModifyNetworkInterfaceAttribute' });
  });
});

describe('remediate: a tag not written after the change is a warning, never swallowed', () => {
  const backdoor = () => parse(guardDutyFinding('Backdoor:EC2/C&CActivity.B!DNS', [instanceResource()]));
  const warnLines = (log: CollectingLog) => log.lines.filter((l) => l.level === 'warn');

  it.each([
    ['a revoke', 'REVOKE_PUBLIC_INGRESS', ec2_19, 'ec2:RevokeSecurityGroupIngress', `security group ${SG}`],
    ['an isolation', 'ISOLATE_EC2_INSTANCE', backdoor, 'ec2:ModifyNetworkInterfaceAttribute', 'instance i-0a1b2c3d4e5f67890'],
  ] as const)(
    'tagging throws after %s: still REMEDIATED (status PLANNED), the report carries the warning and the log has a warn line',
    async (_what, action, finding, change, what) => {
      aws.ec2.on(CreateTagsCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
      const log = new CollectingLog();
      const r = await remediate(finding(), settings(), createLiveAws(), log, NOW);
      expect(r).toMatchObject({ action, status: 'PLANNED', outcome: 'REMEDIATED' });
      expect(r.error).toBeUndefined();
      expect(resourceWrites(aws)).toContain(change);
      expect(r.warnings).toEqual([
        `${what} could not be tagged (UnauthorizedOperation): the change stands, but the resource carries no security-response tag saying so`,
      ]);
      expect(warnLines(log)).toEqual([expect.objectContaining({ message: 'remediation warning', extra: { action, warnings: r.warnings } })]);
      expect(log.errors()).toEqual([]);
    },
  );

  it.each([
    ['a revoke', ec2_19],
    ['an isolation', backdoor],
  ] as const)('tagging succeeds after %s: no warning in the report and no warn line', async (_what, finding) => {
    const log = new CollectingLog();
    const r = await remediate(finding(), settings(), createLiveAws(), log, NOW);
    expect(r.outcome).toBe('REMEDIATED');
    expect(r).not.toHaveProperty('warnings');
    expect(aws.ec2.commandCalls(CreateTagsCommand)).toHaveLength(1);
    expect(warnLines(log)).toEqual([]);
  });
});

describe('judge', () => {
  it('classifies, remediates and reports the action mode', async () => {
    const s = settings({ actions: { ...settings().actions, REVOKE_PUBLIC_INGRESS: 'observe' } });
    const j = await judge(ec2_19(), s, createLiveAws(), new CollectingLog(), NOW);
    expect(j.ignoredBecause).toBeUndefined();
    expect(j.classification).toMatchObject({ category: 'public-exposure' });
    expect(j.mode).toBe('observe');
    expect(j.remediation?.status).toBe('OBSERVE_ONLY');
  });

  it('the account mode for a finding without action', async () => {
    const j = await judge(parse(thirdPartyFinding()), settings(), createLiveAws(), new CollectingLog(), NOW);
    expect(j.mode).toBe('enforce');
    expect(j.remediation?.action).toBe('NONE');
  });

  it('a GuardDuty IAM finding whose details hold a non-string AccessKeyId goes to manual review, never thrown', async () => {
    // A malformed (or future-shaped) detail must not stop the batch: iamUserOf calls keyId.startsWith on whatever it finds.
    const resource = {
      Type: 'AwsIamAccessKey',
      Id: 'AWS::IAM::AccessKey:AKIAVRUVRQ7EXAMPLE42',
      Details: { AwsIamAccessKey: { PrincipalType: 'IAMUser', PrincipalName: 'ci-deploy-bot', AccessKeyId: 12345 } },
    };
    const f = parse(guardDutyFinding('UnauthorizedAccess:IAMUser/MaliciousIPCaller', [resource]));
    const log = new CollectingLog();
    const j = await judge(f, settings(), createLiveAws(), log, NOW);
    expect(j.classification?.category).toBe('credential-compromise');
    expect(j.remediation).toMatchObject({ action: 'NONE', outcome: 'FAILED', error: expect.stringMatching(/TypeError/) });
    expect(log.errors()).toContainEqual(expect.objectContaining({ message: 'choosing a remediation failed' }));
    expect(resourceWrites(aws)).toEqual([]);
  });
});

describe('the observe-mode guard (read-only CallLog)', () => {
  it('refuses a write before it is sent and records nothing', async () => {
    const log = new CallLog(createLiveAws(), true);
    await expect(log.write(EC2Client, REGION, new RevokeSecurityGroupIngressCommand({ GroupId: SG, IpPermissions: [] }))).rejects.toBeInstanceOf(
      ObserveModeWriteError,
    );
    expect(aws.ec2.calls()).toHaveLength(0);
    expect(log.calls).toEqual([]);
  });

  it('still lets reads through', async () => {
    const log = new CallLog(createLiveAws(), true);
    expect(await log.read(EC2Client, REGION, new DescribeSecurityGroupsCommand({ GroupIds: [SG] }))).toMatchObject({ SecurityGroups: [{ GroupId: SG }] });
  });

  it('an enforce CallLog records the write before sending it, with the client region', async () => {
    aws.ec2.on(RevokeSecurityGroupIngressCommand).rejects(awsError('InvalidPermission.NotFound'));
    const log = new CallLog(createLiveAws());
    await expect(log.write(EC2Client, REGION, new RevokeSecurityGroupIngressCommand({ GroupId: SG, IpPermissions: [] }))).rejects.toThrow();
    expect(log.calls).toEqual([{ service: 'ec2', operation: 'RevokeSecurityGroupIngress', region: REGION, input: { GroupId: SG, IpPermissions: [] } }]);
  });
});
