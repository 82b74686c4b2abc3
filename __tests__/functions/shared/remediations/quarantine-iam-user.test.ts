import {
  AttachUserPolicyCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
  PutUserPermissionsBoundaryCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { CallLog, createLiveAws } from '../../../../functions/shared/aws';
import type { Finding } from '../../../../functions/shared/finding';
import { quarantineUser, runner } from '../../../../functions/shared/remediations/quarantine-iam-user/run';
import { selectQuarantineIamUser } from '../../../../functions/shared/remediations/quarantine-iam-user/select';
import {
  ACCOUNT,
  NOW,
  OTHER_ACCOUNT,
  OTHER_REGION,
  awsError,
  commandOf,
  context,
  controlFinding,
  guardDutyFinding,
  inputsOf,
  remediate,
  sentOperations,
  settings,
  throttled,
} from './helpers';

const iam = mockClient(IAMClient);
const POLICY = settings().quarantinePolicyArn;
const USER = 'alice';
const KEY = 'AKIAEXAMPLE000000001';
const OLD_KEY = 'AKIAEXAMPLE000000002';
const CREATOR_BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/creator-chosen-boundary`;
const userWith = (boundary?: string) => ({
  User: {
    UserName: USER,
    UserId: 'AIDAEXAMPLE000000001',
    Arn: `arn:aws:iam::${ACCOUNT}:user/${USER}`,
    Path: '/',
    CreateDate: NOW,
    ...(boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const, PermissionsBoundaryArn: boundary } } : {}),
  },
});
beforeEach(() => {
  iam.reset();
  iam.on(GetUserCommand).resolves(userWith());
  iam.on(ListUserTagsCommand).resolves({ Tags: [{ Key: 'team', Value: 'payments' }] });
  iam.on(ListAccessKeysCommand).resolves({
    AccessKeyMetadata: [
      { UserName: USER, AccessKeyId: KEY, Status: 'Active' },
      { UserName: USER, AccessKeyId: OLD_KEY, Status: 'Inactive' },
    ],
  });
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
const WRITES = ['PutUserPermissionsBoundary', 'UpdateAccessKey', 'TagUser', 'AttachUserPolicy'];
const tagsOf = (input: { Tags: { Key: string; Value: string }[] }) => Object.fromEntries(input.Tags.map((t) => [t.Key, t.Value]));
const createUserWhy = {
  reason: 'CreateUser by an untrusted principal',
  rule: 'iam-create-user',
  createdBy: `arn:aws:iam::${ACCOUNT}:user/mallory`,
  sourceIp: '203.0.113.7',
  honourExemptTag: false,
};
const quarantineNew = () => quarantineUser(USER, { settings: settings(), aws: new CallLog(createLiveAws()), dryRun: false, now: NOW }, createUserWhy);

describe('QUARANTINE_IAM_USER select', () => {
  it('is the catalogue action for a GuardDuty IAMUser finding on an IAM user with temporary credentials', async () => {
    expect(selectQuarantineIamUser(finding(), settings())?.target).toEqual({ userName: USER, accessKeyId: undefined });
    iam.on(GetUserCommand).resolves(userWith(POLICY));
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    expect((await remediate(finding())).action).toBe('QUARANTINE_IAM_USER');
  });

  it.each(['Persistence:IAMUser/AnomalousBehavior', 'CredentialAccess:IAMUser/AnomalousBehavior', 'Exfiltration:IAMUser/AnomalousBehavior'])(
    'selects %s on an IAM user',
    (type) => {
      expect(selectQuarantineIamUser(guardDutyFinding(type, [accessKey('IAMUser')]), settings())?.target.userName).toBe(USER);
    },
  );

  it('finds the user name in an AwsIamUser resource ARN with a path', () => {
    const f = guardDutyFinding(TYPE, [{ Type: 'AwsIamUser', Id: `arn:aws:iam::${ACCOUNT}:user/engineering/bob` }]);
    expect(selectQuarantineIamUser(f, settings())?.target).toEqual({ userName: 'bob' });
  });

  it('ignores assumed roles and root (no user to quarantine), and non-IAMUser GuardDuty types', () => {
    expect(selectQuarantineIamUser(guardDutyFinding(TYPE, [accessKey('AssumedRole', 'ASIAEXAMPLE000000001', 'deploy')]), settings())).toBeUndefined();
    expect(
      selectQuarantineIamUser(guardDutyFinding('Policy:IAMUser/RootCredentialUsage', [accessKey('Root', 'ASIAEXAMPLE000000001', 'Root')]), settings()),
    ).toBeUndefined();
    expect(selectQuarantineIamUser(guardDutyFinding('Recon:EC2/PortProbeUnprotectedPort', [accessKey('IAMUser')]), settings())).toBeUndefined();
    expect(selectQuarantineIamUser(controlFinding('IAM.6', { Type: 'AwsAccount', Id: `AWS::::Account:${ACCOUNT}` }), settings())).toBeUndefined();
  });

  it('ignores findings of another account or region', () => {
    expect(selectQuarantineIamUser(finding({ account: OTHER_ACCOUNT }), settings())).toBeUndefined();
    expect(selectQuarantineIamUser(finding({ region: OTHER_REGION }), settings())).toBeUndefined();
  });
});

describe('QUARANTINE_IAM_USER enforce: a deny-all permissions boundary, then the keys', () => {
  it('sets exactly the configured deny-all policy as the boundary, deactivates the active key only, and tags who, when, why and what to restore', async () => {
    const f = finding();
    const { result, calls } = await run(f);
    expect(result.outcome).toBe('REMEDIATED');
    expect(inputsOf(iam, PutUserPermissionsBoundaryCommand)).toStrictEqual([
      { UserName: USER, PermissionsBoundary: 'arn:aws:iam::333333333333:policy/acme-quarantine-deny-all' },
    ]);
    expect(inputsOf(iam, UpdateAccessKeyCommand)).toStrictEqual([{ UserName: USER, AccessKeyId: KEY, Status: 'Inactive' }]);
    expect(inputsOf(iam, TagUserCommand)).toStrictEqual([
      {
        UserName: USER,
        Tags: [
          { Key: 'security-response:quarantined-at', Value: '2024-05-01T12:00:00.000Z' },
          { Key: 'security-response:quarantined-by', Value: `finding ${f.id}` },
          { Key: 'security-response:reason', Value: `GuardDuty ${TYPE}` },
          { Key: 'security-response:deactivated-keys', Value: KEY },
        ],
      },
    ]);
    expect(calls.map((c) => `${c.operation}@${c.region}`)).toEqual(['PutUserPermissionsBoundary@us-east-1', 'UpdateAccessKey@us-east-1', 'TagUser@us-east-1']);
    expect(result.summary).toBe(`Set the deny-all quarantine boundary on IAM user ${USER} and deactivate its access key ${KEY}, and tagged it.`);
  });

  it('holds when the creator filled the managed-policy quota first: nothing is attached, so the 10-policy limit cannot refuse it', async () => {
    iam
      .on(ListAttachedUserPoliciesCommand)
      .resolves({ AttachedPolicies: Array.from({ length: 10 }, (_, i) => ({ PolicyName: `p${i}`, PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/p${i}` })) });
    iam.on(AttachUserPolicyCommand).rejects(awsError('LimitExceeded', 'Cannot exceed quota for PoliciesPerUser: 10', 409));
    const result = await quarantineNew();
    expect(result.outcome).toBe('REMEDIATED');
    expect(iam).not.toHaveReceivedCommand(AttachUserPolicyCommand);
    expect(iam).toHaveReceivedCommandWith(PutUserPermissionsBoundaryCommand, { UserName: USER, PermissionsBoundary: POLICY });
  });

  it('records the boundary the creator set and restores it on undo; keys are reactivated before the boundary goes', async () => {
    iam.on(GetUserCommand).resolves(userWith(CREATOR_BOUNDARY));
    const result = await quarantineNew();
    if (result.outcome !== 'REMEDIATED') throw new Error(result.outcome);
    expect(tagsOf(inputsOf(iam, TagUserCommand)[0] as never)['security-response:previous-boundary']).toBe(CREATOR_BOUNDARY);
    expect(result.undo.calls).toEqual([
      { service: 'iam', operation: 'UpdateAccessKey', region: 'us-east-1', input: { UserName: USER, AccessKeyId: KEY, Status: 'Active' } },
      { service: 'iam', operation: 'PutUserPermissionsBoundary', region: 'us-east-1', input: { UserName: USER, PermissionsBoundary: CREATOR_BOUNDARY } },
      {
        service: 'iam',
        operation: 'UntagUser',
        region: 'us-east-1',
        input: {
          UserName: USER,
          TagKeys: [
            'security-response:quarantined-at',
            'security-response:quarantined-by',
            'security-response:reason',
            'security-response:created-by',
            'security-response:source-ip',
            'security-response:previous-boundary',
            'security-response:deactivated-keys',
          ],
        },
      },
    ]);
    expect(result.undo.description).toBe(
      `On IAM user ${USER}: reactivate access key ${KEY}, then restore the previous permissions boundary ${CREATOR_BOUNDARY}, then remove the quarantine tags`,
    );
    for (const call of result.undo.calls) await expect(commandOf(call)).resolves.toBeDefined();
  });

  it('without a previous boundary, undo deletes ours', async () => {
    const { result } = await run(finding());
    if (result.outcome !== 'REMEDIATED') throw new Error(result.outcome);
    expect(result.undo.calls.map((c) => c.operation)).toEqual(['UpdateAccessKey', 'DeleteUserPermissionsBoundary', 'UntagUser']);
    expect(result.undo.calls[1].input).toEqual({ UserName: USER });
    for (const call of result.undo.calls) await expect(commandOf(call)).resolves.toBeDefined();
  });

  it('the CreateUser path ignores security-response:exempt=true (its creator chose the tags) and does not even read them', async () => {
    iam.on(ListUserTagsCommand).resolves({ Tags: [{ Key: 'security-response:exempt', Value: 'true' }] });
    const result = await quarantineNew();
    expect(result.outcome).toBe('REMEDIATED');
    expect(iam).not.toHaveReceivedCommand(ListUserTagsCommand);
    expect(tagsOf(inputsOf(iam, TagUserCommand)[0] as never)).toMatchObject({
      'security-response:created-by': `arn:aws:iam::${ACCOUNT}:user/mallory`,
      'security-response:source-ip': '203.0.113.7',
    });
  });
});

describe('QUARANTINE_IAM_USER observe, idempotence, exemption', () => {
  it('observe mode reads the user and its keys and writes nothing', async () => {
    const { result, calls } = await run(finding(), { dryRun: true });
    expect(result).toMatchObject({
      outcome: 'WOULD_CHANGE',
      summary: `Would set the deny-all quarantine boundary on IAM user ${USER} and deactivate its access key ${KEY}.`,
    });
    expect(sentOperations(iam)).toEqual(['GetUser', 'ListUserTags', 'ListAccessKeys']);
    expect(calls).toEqual([]);
  });

  it('a user with the quarantine boundary and no active key is NO_CHANGE with no write', async () => {
    iam.on(GetUserCommand).resolves(userWith(POLICY));
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: KEY, Status: 'Inactive' }] });
    expect((await run(finding())).result.outcome).toBe('NO_CHANGE');
    expect(sentOperations(iam).filter((op) => WRITES.includes(op))).toEqual([]);
  });

  it('a key made after the quarantine is deactivated on the next run, and the boundary is left as it is', async () => {
    iam.on(GetUserCommand).resolves(userWith(POLICY));
    const { result } = await run(finding());
    if (result.outcome !== 'REMEDIATED') throw new Error(result.outcome);
    expect(iam).not.toHaveReceivedCommand(PutUserPermissionsBoundaryCommand);
    expect(result.undo.calls.map((c) => c.operation)).toEqual(['UpdateAccessKey', 'UntagUser']);
  });

  it('on the respond path a user tagged security-response:exempt=true is EXEMPT with no write', async () => {
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
    iam.on(ListAccessKeysCommand).rejects(throttled());
    expect((await run(finding())).result).toMatchObject({ outcome: 'FAILED', error: 'ThrottlingException: Rate exceeded' });
    expect(iam).not.toHaveReceivedCommand(PutUserPermissionsBoundaryCommand);
  });

  it('AccessDenied on the boundary names iam:PutUserPermissionsBoundary and nothing else is written', async () => {
    iam
      .on(PutUserPermissionsBoundaryCommand)
      .rejects(
        awsError(
          'AccessDenied',
          `User: arn:aws:sts::${ACCOUNT}:assumed-role/acme-respond-eu-west-1/fn is not authorized to perform: iam:PutUserPermissionsBoundary on resource: user ${USER} because no identity-based policy allows the iam:PutUserPermissionsBoundary action`,
          403,
        ),
      );
    const { result } = await run(finding());
    expect(result).toMatchObject({ outcome: 'FAILED', missingPermission: 'iam:PutUserPermissionsBoundary' });
    expect(result).not.toHaveProperty('undo');
    expect(iam).not.toHaveReceivedCommand(UpdateAccessKeyCommand);
    expect(iam).not.toHaveReceivedCommand(TagUserCommand);
  });

  it('when a key cannot be deactivated after the boundary was set, FAILED says so and how to remove the boundary', async () => {
    iam.on(UpdateAccessKeyCommand).rejects(awsError('AccessDenied', 'no message naming the action', 403));
    const { result } = await run(finding());
    expect(result).toMatchObject({
      outcome: 'FAILED',
      missingPermission: 'iam:UpdateAccessKey',
      undo: { calls: [{ service: 'iam', operation: 'DeleteUserPermissionsBoundary', region: 'us-east-1', input: { UserName: USER } }] },
    });
    expect(result.summary).toMatch(
      /^Quarantined IAM user alice only in part: permission iam:UpdateAccessKey is missing\. Some changes were already made: On IAM user alice: remove the quarantine permissions boundary\./,
    );
  });

  it('when tagging fails, the undo of the partial quarantine reactivates the key and then removes the boundary', async () => {
    iam.on(TagUserCommand).rejects(awsError('LimitExceeded', 'Cannot exceed quota for TagsPerUser: 50', 409));
    const { result } = await run(finding());
    expect(result.outcome).toBe('FAILED');
    if (result.outcome !== 'FAILED') return;
    expect(result.undo?.calls.map((c) => c.operation)).toEqual(['UpdateAccessKey', 'DeleteUserPermissionsBoundary']);
  });
});
