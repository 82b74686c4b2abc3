import {
  AttachUserPolicyCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  PutUserPermissionsBoundaryCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { PublishCommand } from '@aws-sdk/client-sns';
import { createLiveAws } from '../../../functions/shared/aws';
import { REMEDIATION_ACTIONS, type ActionMode } from '../../../functions/shared/catalogue';
import { parseEvent, type CreateUserEvent } from '../../../functions/shared/events';
import { quarantineNewUser, roleOfSession, trustedBecause, unchosenIdentity } from '../../../functions/shared/quarantine';
import type { ResponderSettings } from '../../../functions/shared/settings';
import { settings as baseSettings } from './remediations/helpers';
import { awsError, inputsOf, isRead, mockAllClients, operationOf, regionOf } from './respond/aws-mocks';
import {
  ACCOUNT,
  CollectingLog,
  OTHER_ACCOUNT,
  PIPELINE_ROLE,
  PIPELINE_SESSION,
  UNKNOWN_CREATOR,
  createUserEvent,
  type CreateUserOptions,
} from './respond/events';

const aws = mockAllClients();
beforeEach(() => {
  aws.reset();
});

const NOW = new Date('2026-03-14T02:17:45.000Z');
const POLICY = `arn:aws:iam::${ACCOUNT}:policy/acme-quarantine-deny-all`;

/** quarantine-user's settings: payments-prod's primary stack, the function in us-east-1. */
function settings(mode: ActionMode = 'enforce', quarantine: Partial<ResponderSettings['quarantine']> = {}): ResponderSettings {
  return baseSettings({
    region: 'us-east-1',
    mode: mode === 'enforce' ? 'enforce' : 'observe',
    actions: Object.fromEntries(REMEDIATION_ACTIONS.map((a) => [a, mode])) as ResponderSettings['actions'],
    quarantinePolicyArn: POLICY,
    evidence: { bucket: 'acme-evidence-222222222222-us-east-1', region: 'us-east-1' },
    quarantine: { trustedCreators: [PIPELINE_ROLE], exemptUserNames: ['break-glass-*'], ...quarantine },
  });
}

function createUser(o: CreateUserOptions = {}): CreateUserEvent {
  const parsed = parseEvent(createUserEvent(o));
  if (parsed.kind !== 'iam-create-user') throw new Error(`parsed as ${parsed.kind}`);
  return parsed.createUser;
}

const handle = (o: CreateUserOptions = {}, s = settings(), log = new CollectingLog()) =>
  quarantineNewUser(createUser(o), s, { aws: createLiveAws(), log, now: NOW });

const iamWrites = () =>
  aws.iam
    .calls()
    .map((c) => operationOf(c.args[0] as object))
    .filter((op) => !isRead(op));
const alerts = () => inputsOf(aws.sns, PublishCommand);

describe('trusted creators: no write, no alert', () => {
  it('an assumed-role session of the trusted pipeline role (the issuer ARN names the role)', async () => {
    const d = await handle({ creatorArn: PIPELINE_SESSION });
    expect(d).toMatchObject({ ignored: true, remediation: { status: 'NOT_APPLICABLE' } });
    expect(d.reason).toMatch(/trusted creator/);
    expect(aws.iam.calls()).toHaveLength(0);
    expect(aws.sns.calls()).toHaveLength(0);
    expect(d.calls).toEqual([]);
  });

  it('an assumed-role session without sessionContext is not trusted: the session ARN alone decides nothing', async () => {
    const event = createUserEvent({ creatorArn: PIPELINE_SESSION });
    delete event.detail.userIdentity.sessionContext;
    const parsed = parseEvent(event);
    if (parsed.kind !== 'iam-create-user') throw new Error('kind');
    const d = await quarantineNewUser(parsed.createUser, settings(), { aws: createLiveAws(), log: new CollectingLog(), now: NOW });
    expect(d.ignored).toBe(false);
    expect(iamWrites()).toContain('PutUserPermissionsBoundary');
  });

  it('a trusted role with a path: the issuer ARN keeps the path the session ARN drops', async () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/ci/deployer`;
    const d = await handle(
      { creatorArn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/run-1`, issuerArn: role },
      settings('enforce', { trustedCreators: [role] }),
    );
    expect(d.ignored).toBe(true);
    expect(aws.iam.calls()).toHaveLength(0);
  });

  it('a trusted IAM user by exact ARN, and a pattern with a wildcard', async () => {
    expect(
      (await handle({ creatorArn: `arn:aws:iam::${ACCOUNT}:user/admin` }, settings('enforce', { trustedCreators: [`arn:aws:iam::${ACCOUNT}:user/admin`] })))
        .ignored,
    ).toBe(true);
    expect(
      (await handle({ creatorArn: PIPELINE_SESSION }, settings('enforce', { trustedCreators: [`arn:aws:iam::${ACCOUNT}:role/terraform-*`] }))).ignored,
    ).toBe(true);
    expect(aws.sns.calls()).toHaveLength(0);
  });

  it('does not trust a role whose name only starts like the trusted one', async () => {
    const d = await handle({ creatorArn: `arn:aws:sts::${ACCOUNT}:assumed-role/terraform-pipeline-evil/x` });
    expect(d.ignored).toBe(false);
    expect(iamWrites()).toEqual(['PutUserPermissionsBoundary', 'UpdateAccessKey', 'TagUser']);
  });

  it('never matches the session name, which the caller chose: a session pattern trusts nobody', async () => {
    // Config validation refuses such a pattern; settings written before that rule must not trust on it either.
    const sessionPattern = settings('enforce', { trustedCreators: [`arn:aws:sts::${ACCOUNT}:assumed-role/*/ci-*`, `arn:aws:sts::${ACCOUNT}:assumed-role/*`] });
    const d = await handle(
      { creatorArn: `arn:aws:sts::${ACCOUNT}:assumed-role/developer/ci-nightly`, issuerArn: `arn:aws:iam::${ACCOUNT}:role/developer` },
      sessionPattern,
    );
    expect(d.ignored).toBe(false);
    expect(iamWrites()).toContain('PutUserPermissionsBoundary');
  });

  it('a trusted role pattern is matched on the issuer, not on a session named like the trusted role', async () => {
    const d = await handle(
      { creatorArn: `arn:aws:sts::${ACCOUNT}:assumed-role/developer/terraform-pipeline`, issuerArn: `arn:aws:iam::${ACCOUNT}:role/developer` },
      settings('enforce', { trustedCreators: [`arn:aws:iam::${ACCOUNT}:role/*terraform-pipeline*`] }),
    );
    expect(d.ignored).toBe(false);
  });

  it('a federated user (a name its caller picks) is never trusted, whatever the pattern', () => {
    const federated = createUser({ creatorArn: `arn:aws:sts::${ACCOUNT}:federated-user/terraform-pipeline`, identityType: 'FederatedUser' });
    expect(unchosenIdentity(federated)).toBeUndefined();
    expect(
      trustedBecause(federated, settings('enforce', { trustedCreators: [`arn:aws:sts::${ACCOUNT}:federated-user/*`, `arn:aws:iam::${ACCOUNT}:user/*`] })),
    ).toBeUndefined();
  });

  it('the identity matched: the issuer role for a session, the ARN for an IAM user', () => {
    expect(unchosenIdentity(createUser({ creatorArn: PIPELINE_SESSION }))).toBe(PIPELINE_ROLE);
    expect(unchosenIdentity(createUser({ creatorArn: UNKNOWN_CREATOR }))).toBe(UNKNOWN_CREATOR);
  });

  it('does not trust the same role name in another account', () => {
    const other = createUser({ creatorArn: `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/terraform-pipeline/x` });
    expect(trustedBecause(other, settings())).toBeUndefined();
  });

  it('roleOfSession maps a session ARN to its role and nothing else', () => {
    expect(roleOfSession(PIPELINE_SESSION)).toBe(PIPELINE_ROLE);
    expect(roleOfSession(UNKNOWN_CREATOR)).toBeUndefined();
    expect(roleOfSession('arn:aws-us-gov:sts::333333333333:assumed-role/r/s')).toBe('arn:aws-us-gov:iam::333333333333:role/r');
  });

  it.each([
    ['a session without a session name', `arn:aws:sts::${ACCOUNT}:assumed-role/terraform-pipeline/`],
    ['a session without a role name', `arn:aws:sts::${ACCOUNT}:assumed-role//terraform-run-8841`],
    ['a federated user', `arn:aws:sts::${ACCOUNT}:federated-user/terraform-pipeline`],
    ['a role ARN (IAM, not STS)', PIPELINE_ROLE],
    ['a session ARN with a region', `arn:aws:sts:us-east-1:${ACCOUNT}:assumed-role/terraform-pipeline/x`],
    ['a session ARN with an account that is not 12 digits', 'arn:aws:sts::3333:assumed-role/terraform-pipeline/x'],
    ['a session ARN outside the aws partitions', `arn:evil:sts::${ACCOUNT}:assumed-role/terraform-pipeline/x`],
  ])('roleOfSession gives no role for %s', (_, arn) => {
    expect(roleOfSession(arn)).toBeUndefined();
  });

  it('roleOfSession keeps the partition and a session name with a slash', () => {
    expect(roleOfSession(`arn:aws-cn:sts::${ACCOUNT}:assumed-role/terraform-pipeline/ci/run-1`)).toBe(`arn:aws-cn:iam::${ACCOUNT}:role/terraform-pipeline`);
  });
});

describe('unchosenIdentity: the ARN of an IAM user or the root user, checked against its identity type', () => {
  const identityOf = (creatorArn: string, identityType: string) => unchosenIdentity(createUser({ creatorArn, identityType }));

  it.each([
    ['a user with a path', `arn:aws:iam::${ACCOUNT}:user/ops/admin`],
    ['a user of the aws-cn partition', `arn:aws-cn:iam::${ACCOUNT}:user/admin`],
    ['a user of the aws-us-gov partition', `arn:aws-us-gov:iam::${ACCOUNT}:user/admin`],
  ])('an IAMUser identity is its ARN for %s', (_, arn) => {
    expect(identityOf(arn, 'IAMUser')).toBe(arn);
  });

  it('a Root identity is the root ARN', () => {
    expect(identityOf(`arn:aws:iam::${ACCOUNT}:root`, 'Root')).toBe(`arn:aws:iam::${ACCOUNT}:root`);
  });

  it.each([
    ['a role ARN', PIPELINE_ROLE],
    ['an assumed-role session ARN', PIPELINE_SESSION],
    ['a federated user ARN', `arn:aws:sts::${ACCOUNT}:federated-user/admin`],
    ['an STS ARN shaped like a user', `arn:aws:sts::${ACCOUNT}:user/admin`],
    ['the root ARN', `arn:aws:iam::${ACCOUNT}:root`],
    ['a user ARN without a name', `arn:aws:iam::${ACCOUNT}:user/`],
    ['a user ARN with a region', `arn:aws:iam:us-east-1:${ACCOUNT}:user/admin`],
    ['a user ARN whose account is *', 'arn:aws:iam::*:user/admin'],
    ['a user ARN whose account is not 12 digits', 'arn:aws:iam::3333:user/admin'],
    ['a user ARN outside the aws partitions', `arn:evil:iam::${ACCOUNT}:user/admin`],
    ['a user ARN whose partition only starts with aws', `arn:awsx:iam::${ACCOUNT}:user/admin`],
    ['a user ARN cut short', `arn:aws:iam::${ACCOUNT}`],
  ])('an IAMUser identity with %s is not trusted', (_, arn) => {
    expect(identityOf(arn, 'IAMUser')).toBeUndefined();
  });

  it.each([
    ['a user ARN', `arn:aws:iam::${ACCOUNT}:user/admin`],
    ['a root ARN with a suffix', `arn:aws:iam::${ACCOUNT}:root/admin`],
    ['a root ARN with a region', `arn:aws:iam:us-east-1:${ACCOUNT}:root`],
    ['an STS root ARN', `arn:aws:sts::${ACCOUNT}:root`],
  ])('a Root identity with %s is not trusted', (_, arn) => {
    expect(identityOf(arn, 'Root')).toBeUndefined();
  });

  it('an IAMUser or Root identity carrying the trusted role ARN is not trusted (only a session issuer names a role)', () => {
    expect(trustedBecause(createUser({ creatorArn: PIPELINE_ROLE, identityType: 'IAMUser' }), settings())).toBeUndefined();
    expect(trustedBecause(createUser({ creatorArn: PIPELINE_ROLE, identityType: 'Root' }), settings())).toBeUndefined();
  });

  it('a creator ARN with * as its account is not trusted, even by a pattern that matches it as text', () => {
    const creator = createUser({ creatorArn: 'arn:aws:iam::*:user/admin', identityType: 'IAMUser' });
    expect(trustedBecause(creator, settings('enforce', { trustedCreators: ['arn:aws:iam::*:user/admin'] }))).toBeUndefined();
  });
});

describe('break-glass names from an untrusted creator: quarantined, CRITICAL alert', () => {
  it('break-glass-* in enforce mode: quarantined like any user, the alert CRITICAL and saying why', async () => {
    const d = await handle({ userName: 'break-glass-oncall' });
    expect(d).toMatchObject({ ignored: false, severity: 'CRITICAL', remediation: { action: 'QUARANTINE_IAM_USER', status: 'PLANNED', outcome: 'REMEDIATED' } });
    expect(d.reason).toMatch(/break-glass name created by an untrusted principal/);
    expect(inputsOf(aws.iam, PutUserPermissionsBoundaryCommand)).toEqual([{ UserName: 'break-glass-oncall', PermissionsBoundary: POLICY }]);
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0].Subject).toBe('[CRITICAL] payments-prod: untrusted break-glass user break-glass-oncall quarantined');
    expect(alerts()[0].Message).toContain(
      'Break-glass name created by an untrusted principal: break-glass-oncall matches exemptUserNames pattern break-glass-*',
    );
    expect(alerts()[0].MessageAttributes.severity.StringValue).toBe('CRITICAL');
  });

  it('observe mode: nothing written, still CRITICAL', async () => {
    const d = await handle({ userName: 'break-glass-oncall' }, settings('observe'));
    expect(d).toMatchObject({ severity: 'CRITICAL', remediation: { outcome: 'WOULD_CHANGE' } });
    expect(iamWrites()).toEqual([]);
  });

  it('a break-glass name from a trusted creator is left alone, without an alert', async () => {
    const d = await handle({ userName: 'break-glass-oncall', creatorArn: PIPELINE_SESSION });
    expect(d.ignored).toBe(true);
    expect(aws.sns.calls()).toHaveLength(0);
  });
});

describe('observe mode: alert only', () => {
  it('reads the user, writes nothing to IAM, alerts that it would have quarantined', async () => {
    const d = await handle({}, settings('observe'));
    expect(d).toMatchObject({ ignored: false, mode: 'observe', remediation: { status: 'OBSERVE_ONLY', outcome: 'WOULD_CHANGE' } });
    expect(iamWrites()).toEqual([]);
    expect(aws.iam.commandCalls(GetUserCommand)).toHaveLength(1);
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0].Subject).toMatch(/observe: not quarantined/);
    expect(d.calls.map((c) => c.service)).toEqual(['sns']);
  });

  it('off: no IAM call at all, still an alert', async () => {
    const d = await handle({}, settings('off'));
    expect(d.remediation?.status).toBe('DISABLED');
    expect(aws.iam.calls()).toHaveLength(0);
    expect(alerts()).toHaveLength(1);
  });
});

describe('enforce mode: quarantine', () => {
  it('sets the deny-all boundary, deactivates the key the creator made, and tags the user with who, from where, when and why', async () => {
    const d = await handle({ userName: 'support-backup', sourceIp: '198.51.100.77' });
    expect(d).toMatchObject({ ignored: false, mode: 'enforce', remediation: { status: 'PLANNED', outcome: 'REMEDIATED' } });
    expect(inputsOf(aws.iam, PutUserPermissionsBoundaryCommand)).toEqual([{ UserName: 'support-backup', PermissionsBoundary: POLICY }]);
    expect(inputsOf(aws.iam, UpdateAccessKeyCommand)).toEqual([{ UserName: 'support-backup', AccessKeyId: 'AKIAVRUVRQ7EXAMPLE42', Status: 'Inactive' }]);
    expect(aws.iam).not.toHaveReceivedCommand(AttachUserPolicyCommand);
    const [tag] = inputsOf(aws.iam, TagUserCommand);
    expect(tag.UserName).toBe('support-backup');
    expect(Object.fromEntries(tag.Tags.map((t: { Key: string; Value: string }) => [t.Key, t.Value]))).toEqual({
      'security-response:quarantined-at': NOW.toISOString(),
      'security-response:quarantined-by': 'quarantine-new-iam-users',
      'security-response:reason': 'created outside the trusted pipelines',
      'security-response:created-by': UNKNOWN_CREATOR,
      'security-response:source-ip': '198.51.100.77',
      'security-response:deactivated-keys': 'AKIAVRUVRQ7EXAMPLE42',
    });
    expect(d.calls.map((c) => `${c.service}:${c.operation}`)).toEqual(['iam:PutUserPermissionsBoundary', 'iam:UpdateAccessKey', 'iam:TagUser', 'sns:Publish']);
  });

  it('reads the live user before writing, and uses the IAM endpoint region us-east-1', async () => {
    await handle();
    expect(aws.iam.calls().map((c) => operationOf(c.args[0] as object))).toEqual([
      'GetUser',
      'ListAccessKeys',
      'PutUserPermissionsBoundary',
      'UpdateAccessKey',
      'TagUser',
    ]);
    for (const c of aws.iam.calls()) expect(await regionOf(c)).toBe('us-east-1');
  });

  it("alerts with the creator's identity, source IP, user agent and how to undo", async () => {
    await handle({ userAgent: 'aws-cli/2.22.4 md/command#iam.create-user', sourceIp: '203.0.113.9' });
    const [a] = alerts();
    expect(a.Subject).toBe('[HIGH] payments-prod: new IAM user support-backup quarantined');
    expect(a.Message).toContain(UNKNOWN_CREATOR);
    expect(a.Message).toContain('203.0.113.9');
    expect(a.Message).toContain('aws-cli/2.22.4 md/command#iam.create-user');
    expect(a.Message).toContain(
      'Its console password, if any, is left in place: the boundary denies every call a console session could make, changing the password included.',
    );
    expect(a.Message).toContain(
      'How to undo: On IAM user support-backup: reactivate access key AKIAVRUVRQ7EXAMPLE42, then remove the quarantine permissions boundary, then remove the quarantine tags',
    );
    expect(a.MessageAttributes).toMatchObject({
      severity: { StringValue: 'HIGH' },
      account: { StringValue: ACCOUNT },
      team: { StringValue: 'payments' },
      category: { StringValue: 'iam-user-created' },
      action: { StringValue: 'QUARANTINE_IAM_USER' },
    });
    expect(await regionOf(aws.sns.commandCalls(PublishCommand)[0])).toBe('us-east-1');
  });

  it('a user that already carries the boundary and has no active key: NO_CHANGE, no write, still an alert', async () => {
    aws.iam.on(GetUserCommand).resolves({
      User: {
        UserName: 'support-backup',
        UserId: 'AIDAEXAMPLE000000001',
        Arn: `arn:aws:iam::${ACCOUNT}:user/support-backup`,
        Path: '/',
        CreateDate: NOW,
        PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: POLICY },
      },
    });
    aws.iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    const d = await handle();
    expect(d.remediation).toMatchObject({ outcome: 'NO_CHANGE', status: 'NOT_APPLICABLE' });
    expect(iamWrites()).toEqual([]);
  });

  it('a user its creator tagged security-response:exempt=true is quarantined all the same', async () => {
    aws.iam.on(ListUserTagsCommand).resolves({ Tags: [{ Key: 'security-response:exempt', Value: 'true' }] });
    const d = await handle();
    expect(d.remediation).toMatchObject({ status: 'PLANNED', outcome: 'REMEDIATED' });
    expect(iamWrites()).toEqual(['PutUserPermissionsBoundary', 'UpdateAccessKey', 'TagUser']);
  });

  it('AccessDenied on PutUserPermissionsBoundary: the alert says the quarantine FAILED and names the permission', async () => {
    aws.iam
      .on(PutUserPermissionsBoundaryCommand)
      .rejects(
        awsError(
          'AccessDenied',
          `User: arn:aws:sts::${ACCOUNT}:assumed-role/acme-quarantine-user/x is not authorized to perform: iam:PutUserPermissionsBoundary on resource: user support-backup`,
          403,
        ),
      );
    const log = new CollectingLog();
    const d = await handle({}, settings(), log);
    expect(d.remediation).toMatchObject({ outcome: 'FAILED' });
    const [a] = alerts();
    expect(a.Message).toMatch(/The quarantine FAILED: AccessDenied: .*\(missing permission iam:PutUserPermissionsBoundary\)/);
    expect(a.MessageAttributes.outcome.StringValue).toBe('FAILED');
    expect(log.errors()).toHaveLength(1);
  });

  it('ThrottlingException on the read: FAILED in the alert, nothing thrown', async () => {
    aws.iam.on(GetUserCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    const d = await handle();
    expect(d.remediation?.outcome).toBe('FAILED');
    expect(iamWrites()).toEqual([]);
    expect(alerts()).toHaveLength(1);
  });

  it('the user was deleted meanwhile (NoSuchEntity): NO_CHANGE, alert', async () => {
    aws.iam.on(GetUserCommand).rejects(awsError('NoSuchEntity', 'The user with name support-backup cannot be found.', 404));
    expect((await handle()).remediation?.outcome).toBe('NO_CHANGE');
    expect(iamWrites()).toEqual([]);
  });
});

describe('events the function must not act on', () => {
  it('a CreateUser of another account: ignored, no call, no alert', async () => {
    const d = await handle({ account: OTHER_ACCOUNT });
    expect(d.ignored).toBe(true);
    expect(aws.iam.calls()).toHaveLength(0);
    expect(aws.sns.calls()).toHaveLength(0);
  });

  it('a failed CreateUser (errorCode): no user exists, nothing done', async () => {
    const d = await handle({ errorCode: 'AccessDenied' });
    expect(d).toMatchObject({ ignored: true, reason: expect.stringMatching(/failed \(AccessDenied\)/) });
    expect(aws.iam.calls()).toHaveLength(0);
    expect(aws.sns.calls()).toHaveLength(0);
  });
});
