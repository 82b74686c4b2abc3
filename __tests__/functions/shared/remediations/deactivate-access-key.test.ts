import {
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
  PutUserPermissionsBoundaryCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import type { Finding } from '../../../../functions/shared/finding';
import { selectRemediation } from '../../../../functions/shared/remediations';
import { runner } from '../../../../functions/shared/remediations/deactivate-access-key/run';
import { selectDeactivateAccessKey } from '../../../../functions/shared/remediations/deactivate-access-key/select';
import {
  ACCOUNT,
  NOW,
  OTHER_ACCOUNT,
  OTHER_REGION,
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

const iam = mockClient(IAMClient);
const USER = 'ci-deployer';
const KEY = 'AKIAIOSFODNN7EXAMPLE';
const OTHER_KEY = 'AKIAI44QH8DHBEXAMPLE';
const keys = (status: 'Active' | 'Inactive') => ({
  AccessKeyMetadata: [
    { UserName: USER, AccessKeyId: OTHER_KEY, Status: 'Active' as const, CreateDate: NOW },
    { UserName: USER, AccessKeyId: KEY, Status: status, CreateDate: NOW },
  ],
});
beforeEach(() => {
  iam.reset();
  iam.on(ListUserTagsCommand).resolves({ Tags: [] });
  iam.on(ListAccessKeysCommand).resolves(keys('Active'));
});

const accessKey = (keyId: string, principalType = 'IAMUser', details: Record<string, unknown> = {}) => ({
  Type: 'AwsIamAccessKey',
  Id: `AWS::IAM::AccessKey:${keyId}`,
  Details: { AwsIamAccessKey: { PrincipalId: 'AIDAEXAMPLE000000002', PrincipalType: principalType, PrincipalName: USER, ...details } },
});
const TYPE = 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS';
const finding = (keyId = KEY, where = {}) => guardDutyFinding('CredentialAccess:IAMUser/AnomalousBehavior', [accessKey(keyId)], where);

async function run(f: Finding, options: Parameters<typeof context>[1] = {}) {
  const ctx = context(f, options);
  const selected = selectDeactivateAccessKey(f, ctx.settings);
  if (!selected) throw new Error('not selected');
  return { result: await runner.run(selected.target, ctx), calls: ctx.aws.calls };
}

describe('DEACTIVATE_ACCESS_KEY select', () => {
  it('is chosen over quarantining the user when the finding names a long-term AKIA key', async () => {
    expect(selectDeactivateAccessKey(finding(), settings())?.target).toEqual({ userName: USER, accessKeyId: KEY });
    expect((await remediate(finding())).action).toBe('DEACTIVATE_ACCESS_KEY');
  });

  it('takes the key id from the details when present', () => {
    const f = guardDutyFinding(TYPE, [{ ...accessKey('unknown', 'IAMUser', { AccessKeyId: KEY }) }]);
    expect(selectDeactivateAccessKey(f, settings())?.target.accessKeyId).toBe(KEY);
  });

  it('temporary ASIA credentials cannot be deactivated: not selected, the user is quarantined instead', () => {
    const f = finding('ASIAEXAMPLE000000009');
    expect(selectDeactivateAccessKey(f, settings())).toBeUndefined();
    expect(selectRemediation(f, settings())?.module.action).toBe('QUARANTINE_IAM_USER');
  });

  // GuardDuty puts the key id in the details: a long-term key (AKIA…) is deactivated; temporary
  // credentials (ASIA…, an STS session of the user) are no key of the user's, so deactivating "it"
  // would find nothing and leave the user as it is: the user is quarantined instead.
  const TEMPORARY = 'ASIAEXAMPLE000000009';
  it('a temporary ASIA key id in the finding details is never deactivated: the user is quarantined (boundary set) and the ASIA id is sent nowhere', async () => {
    const f = guardDutyFinding(TYPE, [accessKey(TEMPORARY, 'IAMUser', { AccessKeyId: TEMPORARY })]);
    expect(selectDeactivateAccessKey(f, settings())).toBeUndefined();
    iam
      .on(GetUserCommand)
      .resolves({ User: { UserName: USER, UserId: 'AIDAEXAMPLE000000002', Arn: `arn:aws:iam::${ACCOUNT}:user/${USER}`, Path: '/', CreateDate: NOW } });
    const { action, result } = await remediate(f);
    expect(action).toBe('QUARANTINE_IAM_USER');
    expect(result.outcome).toBe('REMEDIATED');
    expect(inputsOf(iam, PutUserPermissionsBoundaryCommand)).toStrictEqual([{ UserName: USER, PermissionsBoundary: settings().quarantinePolicyArn }]);
    expect(JSON.stringify(iam.calls().map((c) => c.args[0].input))).not.toContain(TEMPORARY);
  });

  it('a long-term AKIA key id in the finding details is the key deactivated, and the user is not quarantined', async () => {
    const f = guardDutyFinding(TYPE, [accessKey(TEMPORARY, 'IAMUser', { AccessKeyId: KEY })]);
    const { action, result } = await remediate(f);
    expect(action).toBe('DEACTIVATE_ACCESS_KEY');
    expect(result.outcome).toBe('REMEDIATED');
    expect(inputsOf(iam, UpdateAccessKeyCommand)).toStrictEqual([{ UserName: USER, AccessKeyId: KEY, Status: 'Inactive' }]);
    expect(iam).not.toHaveReceivedCommand(PutUserPermissionsBoundaryCommand);
  });

  it('ignores keys of assumed roles, and findings of another account or region', () => {
    expect(selectDeactivateAccessKey(guardDutyFinding(TYPE, [accessKey(KEY, 'AssumedRole')]), settings())).toBeUndefined();
    expect(selectDeactivateAccessKey(finding(KEY, { account: OTHER_ACCOUNT }), settings())).toBeUndefined();
    expect(selectDeactivateAccessKey(finding(KEY, { region: OTHER_REGION }), settings())).toBeUndefined();
  });
});

describe('DEACTIVATE_ACCESS_KEY enforce', () => {
  it("sets exactly the named key Inactive and leaves the user's other key alone", async () => {
    const { result, calls } = await run(finding());
    expect(result.outcome).toBe('REMEDIATED');
    expect(inputsOf(iam, UpdateAccessKeyCommand)).toStrictEqual([{ UserName: USER, AccessKeyId: KEY, Status: 'Inactive' }]);
    expect(inputsOf(iam, ListAccessKeysCommand)).toStrictEqual([{ UserName: USER }]);
    expect(calls.map((c) => `${c.operation}@${c.region}`)).toEqual(['UpdateAccessKey@us-east-1']);
  });

  it('undo sets the key Active again', async () => {
    const { result } = await run(finding());
    if (result.outcome !== 'REMEDIATED') throw new Error(result.outcome);
    expect(result.undo.calls).toEqual([
      { service: 'iam', operation: 'UpdateAccessKey', region: 'us-east-1', input: { UserName: USER, AccessKeyId: KEY, Status: 'Active' } },
    ]);
    await expect(commandOf(result.undo.calls[0])).resolves.toBeDefined();
  });
});

describe('DEACTIVATE_ACCESS_KEY observe, idempotence, exemption', () => {
  it("observe mode reads the user's tags and keys and sends no UpdateAccessKey", async () => {
    const { result, calls } = await run(finding(), { dryRun: true });
    expect(result.outcome).toBe('WOULD_CHANGE');
    expect(sentOperations(iam)).toEqual(['ListUserTags', 'ListAccessKeys']);
    expect(calls).toEqual([]);
  });

  it('a key that is already Inactive is NO_CHANGE with no write', async () => {
    iam.on(ListAccessKeysCommand).resolves(keys('Inactive'));
    expect((await run(finding())).result.outcome).toBe('NO_CHANGE');
    expect(iam).not.toHaveReceivedCommand(UpdateAccessKeyCommand);
  });

  it('a key that no longer exists is NO_CHANGE with no write', async () => {
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ UserName: USER, AccessKeyId: OTHER_KEY, Status: 'Active' }] });
    expect((await run(finding())).result.outcome).toBe('NO_CHANGE');
    expect(iam).not.toHaveReceivedCommand(UpdateAccessKeyCommand);
  });

  it('a user tagged security-response:exempt=true is EXEMPT: keys are not even listed', async () => {
    iam.on(ListUserTagsCommand).resolves({ Tags: [{ Key: 'security-response:exempt', Value: 'TRUE' }] });
    expect((await run(finding())).result.outcome).toBe('EXEMPT');
    expect(sentOperations(iam)).toEqual(['ListUserTags']);
  });
});

describe('DEACTIVATE_ACCESS_KEY AWS errors', () => {
  it('a user deleted meanwhile (NoSuchEntityException) is NO_CHANGE', async () => {
    iam
      .on(ListUserTagsCommand)
      .rejects(new NoSuchEntityException({ message: `The user with name ${USER} cannot be found.`, $metadata: { httpStatusCode: 404 } }));
    expect((await run(finding())).result.outcome).toBe('NO_CHANGE');
  });

  it('ThrottlingException is a FAILED result, not a thrown error', async () => {
    iam.on(ListAccessKeysCommand).rejects(throttled());
    expect((await run(finding())).result).toMatchObject({ outcome: 'FAILED', error: 'ThrottlingException: Rate exceeded' });
    expect(iam).not.toHaveReceivedCommand(UpdateAccessKeyCommand);
  });

  it('AccessDenied on the update names iam:UpdateAccessKey', async () => {
    iam
      .on(UpdateAccessKeyCommand)
      .rejects(
        awsError(
          'AccessDenied',
          `User: arn:aws:sts::${ACCOUNT}:assumed-role/acme-respond-eu-west-1/fn is not authorized to perform: iam:UpdateAccessKey on resource: user ${USER}`,
          403,
        ),
      );
    expect((await run(finding())).result).toMatchObject({ outcome: 'FAILED', missingPermission: 'iam:UpdateAccessKey' });
  });

  it('AccessDenied on listing keys, with a message that names no action, names iam:ListAccessKeys', async () => {
    iam.on(ListAccessKeysCommand).rejects(awsError('AccessDenied', 'Access denied', 403));
    expect((await run(finding())).result).toMatchObject({ outcome: 'FAILED', missingPermission: 'iam:ListAccessKeys' });
  });
});
