import {
  AttachUserPolicyCommand,
  GetUserCommand,
  IAMClient,
  ListAttachedUserPoliciesCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { CallLog, createLiveAws } from '../../../../functions/shared/aws';
import type { Finding } from '../../../../functions/shared/finding';
import { quarantineUser, runner } from '../../../../functions/shared/remediations/quarantine-iam-user/run';
import { selectQuarantineIamUser } from '../../../../functions/shared/remediations/quarantine-iam-user/select';
import {
  ACCOUNT, NOW, OTHER_ACCOUNT, OTHER_REGION, awsError, commandOf, context, controlFinding, guardDutyFinding, inputsOf, remediate, sentOperations, settings, throttled,
} from './helpers';

const iam = mockClient(IAMClient);
const POLICY = settings().quarantinePolicyArn;
const USER = 'alice';
beforeEach(() => {
  iam.reset();
  iam.on(GetUserCommand).resolves({ User: { UserName: USER, UserId: 'AIDAEXAMPLE000000001', Arn: `arn:aws:iam::${ACCOUNT}:user/${USER}`, Path: '/', CreateDate: NOW } });
  iam.on(ListUserTagsCommand).resolves({ Tags: [{ Key: 'team', Value: 'payments' }] });
  iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] });
});

/** GuardDuty names the principal in an AwsIamAccessKey resource; console sign-in uses temporary (ASIA) credentials. */
const accessKey = (principalType: string, keyId = 'ASIAEXAMPLE000000001', name = USER) => ({
  Type: 'AwsIamAccessKey',
  Id: `AWS::IAM::AccessKey:${keyId}`,
  Details: { AwsIamAccessKey: { PrincipalId: 'AIDAEXAMPLE000000001', PrincipalType: principalType, PrincipalName: name } },
});
const TYPE = 'UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B';
const finding = (where = {}) => guardDutyFinding(TYPE, [accessKey('IAMUser')], where);

async function run(f: Finding, options: Parameters<typeof context>[1] = {}) {
  const ctx = context(f, options);
  const selected = selectQuarantineIamUser(f, ctx.settings);
  if (!selected) throw new Error('not selected');
  return { result: await runner.run(selected.target, ctx), calls: ctx.aws.calls };
}
const WRITES = ['AttachUserPolicy', 'TagUser'];

describe('QUARANTINE_IAM_USER select', () => {
  it('is the catalogue action for a GuardDuty IAMUser finding on an IAM user with temporary credentials', async () => {
    expect(selectQuarantineIamUser(finding(), settings())?.target).toEqual({ userName: USER, accessKeyId: undefined });
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: POLICY }] });
    expect((await remediate(finding())).action).toBe('QUARANTINE_IAM_USER');
  });

  it.each(['Persistence:IAMUser/AnomalousBehavior', 'CredentialAccess:IAMUser/AnomalousBehavior', 'Exfiltration:IAMUser/AnomalousBehavior'])(
    'selects %s on an IAM user', (type) => {
      expect(selectQuarantineIamUser(guardDutyFinding(type, [accessKey('IAMUser')]), settings())?.target.userName).toBe(USER);
    },
  );

  it('finds the user name in an AwsIamUser resource ARN with a path', () => {
    const f = guardDutyFinding(TYPE, [{ Type: 'AwsIamUser', Id: `arn:aws:iam::${ACCOUNT}:user/engineering/bob` }]);
    expect(selectQuarantineIamUser(f, settings())?.target).toEqual({ userName: 'bob' });
  });

  it('ignores assumed roles and root (no user to quarantine), and non-IAMUser GuardDuty types', () => {
    expect(selectQuarantineIamUser(guardDutyFinding(TYPE, [accessKey('AssumedRole', 'ASIAEXAMPLE000000001', 'deploy')]), settings())).toBeUndefined();
    expect(selectQuarantineIamUser(guardDutyFinding('Policy:IAMUser/RootCredentialUsage', [accessKey('Root', 'ASIAEXAMPLE000000001', 'Root')]), settings())).toBeUndefined();
    expect(selectQuarantineIamUser(guardDutyFinding('Recon:EC2/PortProbeUnprotectedPort', [accessKey('IAMUser')]), settings())).toBeUndefined();
    expect(selectQuarantineIamUser(controlFinding('IAM.6', { Type: 'AwsAccount', Id: `AWS::::Account:${ACCOUNT}` }), settings())).toBeUndefined();
  });

  it('ignores findings of another account or region', () => {
    expect(selectQuarantineIamUser(finding({ account: OTHER_ACCOUNT }), settings())).toBeUndefined();
    expect(selectQuarantineIamUser(finding({ region: OTHER_REGION }), settings())).toBeUndefined();
  });
});

describe('QUARANTINE_IAM_USER enforce', () => {
  it('attaches exactly the configured deny-all policy and tags the user with when, which finding and why', async () => {
    const f = finding();
    const { result, calls } = await run(f);
    expect(result.outcome).toBe('REMEDIATED');
    expect(inputsOf(iam, AttachUserPolicyCommand)).toStrictEqual([{ UserName: USER, PolicyArn: 'arn:aws:iam::333333333333:policy/acme-quarantine-deny-all' }]);
    expect(inputsOf(iam, TagUserCommand)).toStrictEqual([{
      UserName: USER,
      Tags: [
        { Key: 'security-response:quarantined-at', Value: '2024-05-01T12:00:00.000Z' },
        { Key: 'security-response:quarantined-by', Value: `finding ${f.id}` },
        { Key: 'security-response:reason', Value: `GuardDuty ${TYPE}` },
      ],
    }]);
    expect(calls.map((c) => `${c.operation}@${c.region}`)).toEqual(['AttachUserPolicy@us-east-1', 'TagUser@us-east-1']);
  });

  it('undo detaches the policy and removes exactly the tags it added', async () => {
    const { result } = await run(finding());
    if (result.outcome !== 'REMEDIATED') throw new Error(result.outcome);
    expect(result.undo.calls).toEqual([
      { service: 'iam', operation: 'DetachUserPolicy', region: 'us-east-1', input: { UserName: USER, PolicyArn: POLICY } },
      { service: 'iam', operation: 'UntagUser', region: 'us-east-1', input: { UserName: USER, TagKeys: ['security-response:quarantined-at', 'security-response:quarantined-by', 'security-response:reason'] } },
    ]);
    for (const call of result.undo.calls) await expect(commandOf(call)).resolves.toBeDefined();
  });

  it('quarantineUser (the CreateUser path, no finding) also records who created the user and from where', async () => {
    const ctx = { settings: settings(), aws: new CallLog(createLiveAws()), dryRun: false, now: NOW };
    const result = await quarantineUser('new-user', ctx, { reason: 'CreateUser by an untrusted principal', rule: 'iam-create-user', createdBy: `arn:aws:iam::${ACCOUNT}:user/mallory`, sourceIp: '203.0.113.7' });
    expect(result.outcome).toBe('REMEDIATED');
    expect(inputsOf(iam, TagUserCommand)).toStrictEqual([{
      UserName: 'new-user',
      Tags: [
        { Key: 'security-response:quarantined-at', Value: '2024-05-01T12:00:00.000Z' },
        { Key: 'security-response:quarantined-by', Value: 'iam-create-user' },
        { Key: 'security-response:reason', Value: 'CreateUser by an untrusted principal' },
        { Key: 'security-response:created-by', Value: `arn:aws:iam::${ACCOUNT}:user/mallory` },
        { Key: 'security-response:source-ip', Value: '203.0.113.7' },
      ],
    }]);
  });
});

describe('QUARANTINE_IAM_USER observe, idempotence, exemption', () => {
  it('observe mode reads the user, its tags and policies, and attaches nothing', async () => {
    const { result, calls } = await run(finding(), { dryRun: true });
    expect(result.outcome).toBe('WOULD_CHANGE');
    expect(sentOperations(iam)).toEqual(['GetUser', 'ListUserTags', 'ListAttachedUserPolicies']);
    expect(calls).toEqual([]);
  });

  it('a user that already carries the quarantine policy is NO_CHANGE with no write', async () => {
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [{ PolicyName: 'acme-quarantine-deny-all', PolicyArn: POLICY }] });
    expect((await run(finding())).result.outcome).toBe('NO_CHANGE');
    expect(sentOperations(iam).filter((op) => WRITES.includes(op))).toEqual([]);
  });

  it('a user tagged security-response:exempt=true is EXEMPT with no write', async () => {
    iam.on(ListUserTagsCommand).resolves({ Tags: [{ Key: 'security-response:exempt', Value: 'true' }] });
    expect((await run(finding())).result.outcome).toBe('EXEMPT');
    expect(sentOperations(iam)).toEqual(['GetUser', 'ListUserTags']);
  });
});

describe('QUARANTINE_IAM_USER AWS errors', () => {
  it('a user deleted meanwhile (NoSuchEntityException) is NO_CHANGE', async () => {
    iam.on(GetUserCommand).rejects(new NoSuchEntityException({ message: `The user with name ${USER} cannot be found.`, $metadata: { httpStatusCode: 404 } }));
    expect((await run(finding())).result.outcome).toBe('NO_CHANGE');
  });

  it('ThrottlingException is a FAILED result, not a thrown error', async () => {
    iam.on(ListAttachedUserPoliciesCommand).rejects(throttled());
    expect((await run(finding())).result).toMatchObject({ outcome: 'FAILED', error: 'ThrottlingException: Rate exceeded' });
    expect(iam).not.toHaveReceivedCommand(AttachUserPolicyCommand);
  });

  it('AccessDenied names the IAM action from the message', async () => {
    iam.on(AttachUserPolicyCommand).rejects(awsError('AccessDenied', `User: arn:aws:sts::${ACCOUNT}:assumed-role/acme-respond-eu-west-1/fn is not authorized to perform: iam:AttachUserPolicy on resource: user ${USER} because no identity-based policy allows the iam:AttachUserPolicy action`, 403));
    expect((await run(finding())).result).toMatchObject({ outcome: 'FAILED', missingPermission: 'iam:AttachUserPolicy' });
    expect(iam).not.toHaveReceivedCommand(TagUserCommand);
  });

  it('when tagging fails after the policy was attached, FAILED says the policy is attached and how to detach it', async () => {
    iam.on(TagUserCommand).rejects(awsError('AccessDenied', 'no message naming the action', 403));
    const { result } = await run(finding());
    expect(result).toMatchObject({
      outcome: 'FAILED',
      missingPermission: 'iam:TagUser',
      undo: { calls: [{ service: 'iam', operation: 'DetachUserPolicy', region: 'us-east-1', input: { UserName: USER, PolicyArn: POLICY } }] },
    });
    expect(result.summary).toMatch(/^Attached the deny-all quarantine policy to IAM user alice but could not tag it/);
  });
});
