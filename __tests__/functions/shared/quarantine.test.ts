import { AttachUserPolicyCommand, GetUserCommand, ListAttachedUserPoliciesCommand, ListUserTagsCommand, TagUserCommand } from '@aws-sdk/client-iam';
import { PublishCommand } from '@aws-sdk/client-sns';
import { createLiveAws } from '../../../functions/shared/aws';
import { REMEDIATION_ACTIONS, type ActionMode } from '../../../functions/shared/catalogue';
import { parseEvent, type CreateUserEvent } from '../../../functions/shared/events';
import { quarantineNewUser, roleOfSession, trustedBecause } from '../../../functions/shared/quarantine';
import type { ResponderSettings } from '../../../functions/shared/settings';
import { settings as baseSettings } from './remediations/helpers';
import { awsError, inputsOf, isRead, mockAllClients, operationOf, regionOf } from './respond/aws-mocks';
import { ACCOUNT, CollectingLog, OTHER_ACCOUNT, PIPELINE_ROLE, PIPELINE_SESSION, UNKNOWN_CREATOR, createUserEvent, type CreateUserOptions } from './respond/events';

const aws = mockAllClients();
beforeEach(() => aws.reset());

const NOW = new Date('2026-03-14T02:17:45.000Z');
const POLICY = `arn:aws:iam::${ACCOUNT}:policy/acme-quarantine-deny-all`;

/** quarantine-user's settings: payments-prod's primary stack, the function in us-east-1. */
function settings(mode: ActionMode = 'enforce', quarantine: Partial<ResponderSettings['quarantine']> = {}): ResponderSettings {
  return baseSettings({
    region: 'us-east-1',
    mode: mode === 'enforce' ? 'enforce' : 'observe',
    actions: Object.fromEntries(REMEDIATION_ACTIONS.map((a) => [a, mode])) as ResponderSettings['actions'],
    quarantinePolicyArn: POLICY,
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

const iamWrites = () => aws.iam.calls().map((c) => operationOf(c.args[0] as object)).filter((op) => !isRead(op));
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

  it('an assumed-role session of the trusted role even without sessionContext (role taken from the session ARN)', async () => {
    const event = createUserEvent({ creatorArn: PIPELINE_SESSION });
    delete event.detail.userIdentity.sessionContext;
    const parsed = parseEvent(event);
    if (parsed.kind !== 'iam-create-user') throw new Error('kind');
    const d = await quarantineNewUser(parsed.createUser, settings(), { aws: createLiveAws(), log: new CollectingLog(), now: NOW });
    expect(d.ignored).toBe(true);
    expect(aws.sns.calls()).toHaveLength(0);
  });

  it('a trusted role with a path: the issuer ARN keeps the path the session ARN drops', async () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/ci/deployer`;
    const d = await handle({ creatorArn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/run-1`, issuerArn: role }, settings('enforce', { trustedCreators: [role] }));
    expect(d.ignored).toBe(true);
    expect(aws.iam.calls()).toHaveLength(0);
  });

  it('a trusted IAM user by exact ARN, and a pattern with a wildcard', async () => {
    expect((await handle({ creatorArn: `arn:aws:iam::${ACCOUNT}:user/admin` }, settings('enforce', { trustedCreators: [`arn:aws:iam::${ACCOUNT}:user/admin`] }))).ignored).toBe(true);
    expect((await handle({ creatorArn: PIPELINE_SESSION }, settings('enforce', { trustedCreators: [`arn:aws:iam::${ACCOUNT}:role/terraform-*`] }))).ignored).toBe(true);
    expect(aws.sns.calls()).toHaveLength(0);
  });

  it('does not trust a role whose name only starts like the trusted one', async () => {
    const d = await handle({ creatorArn: `arn:aws:sts::${ACCOUNT}:assumed-role/terraform-pipeline-evil/x` });
    expect(d.ignored).toBe(false);
    expect(iamWrites()).toEqual(['AttachUserPolicy', 'TagUser']);
  });

  it('does not trust the same role name in another account', async () => {
    const other = createUser({ creatorArn: `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/terraform-pipeline/x` });
    expect(trustedBecause(other, settings())).toBeUndefined();
  });

  it('roleOfSession maps a session ARN to its role and nothing else', () => {
    expect(roleOfSession(PIPELINE_SESSION)).toBe(PIPELINE_ROLE);
    expect(roleOfSession(UNKNOWN_CREATOR)).toBeUndefined();
    expect(roleOfSession('arn:aws-us-gov:sts::333333333333:assumed-role/r/s')).toBe('arn:aws-us-gov:iam::333333333333:role/r');
  });
});

describe('exempt user names: no write, an alert', () => {
  it('break-glass-* in enforce mode: EXEMPT, no IAM write, one alert naming the user and the pattern', async () => {
    const d = await handle({ userName: 'break-glass-oncall' });
    expect(d).toMatchObject({ ignored: false, remediation: { action: 'QUARANTINE_IAM_USER', status: 'EXEMPT' } });
    expect(iamWrites()).toEqual([]);
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0].Subject).toMatch(/exempt IAM user break-glass-oncall created/);
    expect(alerts()[0].Message).toMatch(/break-glass-oncall is exempt \(break-glass-\*\)/);
    expect(d.calls.map((c) => `${c.service}:${c.operation}`)).toEqual(['sns:Publish']);
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
  it('attaches the quarantine policy and tags the user with who, from where, when and why', async () => {
    const d = await handle({ userName: 'support-backup', sourceIp: '198.51.100.77' });
    expect(d).toMatchObject({ ignored: false, mode: 'enforce', remediation: { status: 'PLANNED', outcome: 'REMEDIATED' } });
    expect(inputsOf(aws.iam, AttachUserPolicyCommand)).toEqual([{ UserName: 'support-backup', PolicyArn: POLICY }]);
    const [tag] = inputsOf(aws.iam, TagUserCommand);
    expect(tag.UserName).toBe('support-backup');
    expect(Object.fromEntries(tag.Tags.map((t: { Key: string; Value: string }) => [t.Key, t.Value]))).toEqual({
      'security-response:quarantined-at': NOW.toISOString(),
      'security-response:quarantined-by': 'quarantine-new-iam-users',
      'security-response:reason': 'created outside the trusted pipelines',
      'security-response:created-by': UNKNOWN_CREATOR,
      'security-response:source-ip': '198.51.100.77',
    });
    expect(d.calls.map((c) => `${c.service}:${c.operation}`)).toEqual(['iam:AttachUserPolicy', 'iam:TagUser', 'sns:Publish']);
  });

  it('reads the live user before writing, and uses the IAM endpoint region us-east-1', async () => {
    await handle();
    expect(aws.iam.calls().map((c) => operationOf(c.args[0] as object))).toEqual(['GetUser', 'ListUserTags', 'ListAttachedUserPolicies', 'AttachUserPolicy', 'TagUser']);
    for (const c of aws.iam.calls()) expect(await regionOf(c)).toBe('us-east-1');
  });

  it("alerts with the creator's identity, source IP, user agent and how to undo", async () => {
    await handle({ userAgent: 'aws-cli/2.22.4 md/command#iam.create-user', sourceIp: '203.0.113.9' });
    const [a] = alerts();
    expect(a.Subject).toBe('[HIGH] payments-prod: new IAM user support-backup quarantined');
    expect(a.Message).toContain(UNKNOWN_CREATOR);
    expect(a.Message).toContain('203.0.113.9');
    expect(a.Message).toContain('aws-cli/2.22.4 md/command#iam.create-user');
    expect(a.Message).toMatch(/How to undo: Detach .*acme-quarantine-deny-all/);
    expect(a.MessageAttributes).toMatchObject({
      severity: { StringValue: 'HIGH' }, account: { StringValue: ACCOUNT }, team: { StringValue: 'payments' },
      category: { StringValue: 'iam-user-created' }, action: { StringValue: 'QUARANTINE_IAM_USER' },
    });
    expect(await regionOf(aws.sns.commandCalls(PublishCommand)[0])).toBe('us-east-1');
  });

  it('a user that already carries the policy: NO_CHANGE, no write, still an alert', async () => {
    aws.iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [{ PolicyName: 'acme-quarantine-deny-all', PolicyArn: POLICY }] });
    const d = await handle();
    expect(d.remediation).toMatchObject({ outcome: 'NO_CHANGE', status: 'NOT_APPLICABLE' });
    expect(iamWrites()).toEqual([]);
  });

  it('a user tagged security-response:exempt=true is left alone', async () => {
    aws.iam.on(ListUserTagsCommand).resolves({ Tags: [{ Key: 'security-response:exempt', Value: 'true' }] });
    const d = await handle();
    expect(d.remediation?.status).toBe('EXEMPT');
    expect(iamWrites()).toEqual([]);
  });

  it('AccessDenied on AttachUserPolicy: the alert says the quarantine FAILED and names iam:AttachUserPolicy', async () => {
    aws.iam.on(AttachUserPolicyCommand).rejects(awsError('AccessDenied', `User: arn:aws:sts::${ACCOUNT}:assumed-role/acme-quarantine-user/x is not authorized to perform: iam:AttachUserPolicy on resource: user support-backup`, 403));
    const log = new CollectingLog();
    const d = await handle({}, settings(), log);
    expect(d.remediation).toMatchObject({ outcome: 'FAILED' });
    const [a] = alerts();
    expect(a.Message).toMatch(/The quarantine FAILED: AccessDenied: .*\(missing permission iam:AttachUserPolicy\)/);
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
