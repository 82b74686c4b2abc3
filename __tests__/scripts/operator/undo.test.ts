import { mockClient } from 'aws-sdk-client-mock';
import { AssociateIamInstanceProfileCommand, AuthorizeSecurityGroupIngressCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DeleteUserPermissionsBoundaryCommand,
  DetachUserPolicyCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListUserTagsCommand,
  PutUserPermissionsBoundaryCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { BatchUpdateFindingsCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createLiveAws } from '../../../functions/shared/aws';
import { encodeUndo } from '../../../functions/shared/undo';
import { describeFailure, EXIT } from '../../../scripts/cli';
import { findingLocation, undo, undoFinding, undoQuarantine } from '../../../scripts/operator/undo';

const hub = mockClient(SecurityHubClient);
const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
beforeEach(() => {
  hub.reset();
  ec2.reset();
  iam.reset();
  sts.reset();
});

const FINDING = 'arn:aws:securityhub:eu-west-1:333333333333:security-control/EC2.19/finding/0b7e0a9c';
const revoked = { GroupId: 'sg-0abc', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] };

describe('npm run undo <finding id>', () => {
  it('re-authorizes exactly the revoked rule from the record on the finding and notes who undid it', async () => {
    hub.on(GetFindingsCommand).resolves({
      Findings: [
        {
          Id: FINDING,
          ProductArn: 'arn:aws:securityhub:eu-west-1::product/aws/securityhub',
          UserDefinedFields: encodeUndo([{ service: 'ec2', operation: 'AuthorizeSecurityGroupIngress', region: 'eu-west-1', input: revoked }]),
        } as any,
      ],
    });
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
    hub.on(BatchUpdateFindingsCommand).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });

    const result = await undoFinding(FINDING, createLiveAws(), { who: 'alice' });

    expect(ec2).toHaveReceivedCommandWith(AuthorizeSecurityGroupIngressCommand, revoked);
    expect(hub).toHaveReceivedCommandWith(GetFindingsCommand, { Filters: { Id: [{ Value: FINDING, Comparison: 'EQUALS' }] }, MaxResults: 1 });
    const update = hub.commandCalls(BatchUpdateFindingsCommand)[0].args[0].input;
    expect(update.Workflow).toEqual({ Status: 'NOTIFIED' });
    expect(update.Note?.Text).toContain('undone by alice');
    expect(result.calls).toEqual([{ service: 'ec2', operation: 'AuthorizeSecurityGroupIngress', region: 'eu-west-1', input: revoked }]);
  });

  it('re-attaches an instance profile that isolation detached', async () => {
    const reattach = { InstanceId: 'i-0123', IamInstanceProfile: { Arn: 'arn:aws:iam::333333333333:instance-profile/web' } };
    hub.on(GetFindingsCommand).resolves({
      Findings: [
        {
          Id: FINDING,
          ProductArn: 'p',
          UserDefinedFields: encodeUndo([{ service: 'ec2', operation: 'AssociateIamInstanceProfile', region: 'eu-west-1', input: reattach }]),
        } as any,
      ],
    });
    ec2.on(AssociateIamInstanceProfileCommand).resolves({});
    hub.on(BatchUpdateFindingsCommand).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
    await undoFinding(FINDING, createLiveAws(), { who: 'alice' });
    expect(ec2).toHaveReceivedCommandWith(AssociateIamInstanceProfileCommand, reattach);
  });

  it('never replays the undo record of another finding, even when the endpoint ignores the Id filter', async () => {
    const other = 'arn:aws:securityhub:eu-west-1:333333333333:security-control/EC2.19/finding/ffffffff';
    hub.on(GetFindingsCommand).resolves({
      Findings: [
        {
          Id: other,
          ProductArn: 'p',
          UserDefinedFields: encodeUndo([{ service: 'ec2', operation: 'AuthorizeSecurityGroupIngress', region: 'eu-west-1', input: revoked }]),
        } as any,
      ],
    });
    await expect(undoFinding(FINDING, createLiveAws())).rejects.toThrow(`no finding ${FINDING}`);
    expect(ec2.calls()).toHaveLength(0);
  });

  it('changes nothing for a finding without an undo record', async () => {
    hub.on(GetFindingsCommand).resolves({ Findings: [{ Id: FINDING, ProductArn: 'p', UserDefinedFields: { category: 'public-exposure' } } as any] });
    const result = await undoFinding(FINDING, createLiveAws());
    expect(result.nothingToUndo).toMatch(/no undo record/);
    expect(ec2.calls()).toHaveLength(0);
    expect(hub).not.toHaveReceivedCommand(BatchUpdateFindingsCommand);
  });

  it('refuses to replay an operation that is not a reverse operation of the catalogue', async () => {
    hub.on(GetFindingsCommand).resolves({
      Findings: [
        {
          Id: FINDING,
          ProductArn: 'p',
          UserDefinedFields: encodeUndo([{ service: 'ec2', operation: 'TerminateInstances', region: 'eu-west-1', input: { InstanceIds: ['i-1'] } }]),
        } as any,
      ],
    });
    await expect(undoFinding(FINDING, createLiveAws())).rejects.toThrow('refusing to replay ec2:TerminateInstances');
    expect(ec2.calls()).toHaveLength(0);
  });

  it('in dry-run prints the calls it would make without making them', async () => {
    hub.on(GetFindingsCommand).resolves({
      Findings: [
        {
          Id: FINDING,
          ProductArn: 'p',
          UserDefinedFields: encodeUndo([{ service: 'ec2', operation: 'AuthorizeSecurityGroupIngress', region: 'eu-west-1', input: revoked }]),
        } as any,
      ],
    });
    const result = await undoFinding(FINDING, createLiveAws(), { dryRun: true });
    expect(result.calls).toHaveLength(1);
    expect(ec2.calls()).toHaveLength(0);
    expect(hub).not.toHaveReceivedCommand(BatchUpdateFindingsCommand);
  });

  it('reads region and account from GuardDuty and Security Hub finding ARNs', () => {
    expect(findingLocation('arn:aws:guardduty:us-east-1:555555555555:detector/12abc/finding/34def')).toEqual({
      region: 'us-east-1',
      accountId: '555555555555',
    });
    expect(() => findingLocation('i-12345')).toThrow('is not a finding ARN');
  });

  it.each([
    ['aws-cn', 'arn:aws-cn:securityhub:cn-north-1:333333333333:security-control/EC2.19/finding/0b7e0a9c', 'cn-north-1'],
    ['aws-us-gov', 'arn:aws-us-gov:guardduty:us-gov-west-1:333333333333:detector/12abc/finding/34def', 'us-gov-west-1'],
  ])('reads region and account from a finding ARN of the %s partition', (_, id, region) => {
    expect(findingLocation(id)).toEqual({ region, accountId: '333333333333' });
  });

  it.each([
    ['without a region', 'arn:aws:securityhub::333333333333:security-control/EC2.19/finding/0b7e0a9c'],
    ['whose region is not a region', 'arn:aws:securityhub:global:333333333333:security-control/EC2.19/finding/0b7e0a9c'],
    ['whose region has characters after it', 'arn:aws:securityhub:eu-west-1x:333333333333:security-control/EC2.19/finding/0b7e0a9c'],
    ['without an account', 'arn:aws:securityhub:eu-west-1::security-control/EC2.19/finding/0b7e0a9c'],
    ['whose account is not 12 digits', 'arn:aws:securityhub:eu-west-1:3333333333333:security-control/EC2.19/finding/0b7e0a9c'],
    ['without a service', 'arn:aws::eu-west-1:333333333333:security-control/EC2.19/finding/0b7e0a9c'],
    ['outside the aws partitions', 'arn:evil:securityhub:eu-west-1:333333333333:security-control/EC2.19/finding/0b7e0a9c'],
    ['whose partition only starts with aws', 'arn:awsx:securityhub:eu-west-1:333333333333:security-control/EC2.19/finding/0b7e0a9c'],
    ['cut short after the account', 'arn:aws:securityhub:eu-west-1:333333333333'],
  ])('refuses a finding ARN %s', (_, id) => {
    expect(() => findingLocation(id)).toThrow(`${id} is not a finding ARN with a region and an account`);
  });

  it('refuses a malformed finding ARN before any AWS call', async () => {
    await expect(undo('arn:aws:securityhub:global:333333333333:x', { aws: createLiveAws(), organization: () => 'acme' })).rejects.toThrow(
      'is not a finding ARN',
    );
    expect(sts.calls()).toHaveLength(0);
    expect(hub.calls()).toHaveLength(0);
  });
});

describe('npm run undo <user name>', () => {
  const QUARANTINE = 'arn:aws:iam::333333333333:policy/acme-quarantine-deny-all';
  const CREATOR_BOUNDARY = 'arn:aws:iam::333333333333:policy/mallory-boundary';
  const bounded = (arn?: string) => ({
    User: {
      UserName: 'backup-admin',
      UserId: 'AIDAEXAMPLE',
      Arn: 'arn:aws:iam::333333333333:user/backup-admin',
      Path: '/',
      CreateDate: new Date(0),
      ...(arn ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const, PermissionsBoundaryArn: arn } } : {}),
    },
  });
  beforeEach(() => {
    iam
      .on(ListAttachedUserPoliciesCommand)
      .resolves({ AttachedPolicies: [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] });
    iam.on(ListAccessKeysCommand).resolves({
      AccessKeyMetadata: [
        { AccessKeyId: 'AKIAKEY1', Status: 'Inactive' },
        { AccessKeyId: 'AKIAKEY2', Status: 'Inactive' },
      ],
    });
  });

  it('reactivates the keys the quarantine deactivated, then restores the boundary the user had, then removes only our tags', async () => {
    iam.on(GetUserCommand).resolves(bounded(QUARANTINE));
    iam.on(ListUserTagsCommand).resolves({
      Tags: [
        { Key: 'security-response:quarantined-at', Value: 't' },
        { Key: 'security-response:previous-boundary', Value: CREATOR_BOUNDARY },
        { Key: 'security-response:deactivated-keys', Value: 'AKIAKEY1' },
        { Key: 'team', Value: 'data' },
      ],
    });

    const result = await undoQuarantine('backup-admin', 'acme', createLiveAws());

    expect(result.calls.map((c) => c.operation)).toEqual(['UpdateAccessKey', 'PutUserPermissionsBoundary', 'UntagUser']);
    expect(iam).toHaveReceivedCommandWith(UpdateAccessKeyCommand, { UserName: 'backup-admin', AccessKeyId: 'AKIAKEY1', Status: 'Active' });
    expect(iam).toHaveReceivedCommandTimes(UpdateAccessKeyCommand, 1);
    expect(iam).toHaveReceivedCommandWith(PutUserPermissionsBoundaryCommand, { UserName: 'backup-admin', PermissionsBoundary: CREATOR_BOUNDARY });
    expect(iam).toHaveReceivedCommandWith(UntagUserCommand, {
      UserName: 'backup-admin',
      TagKeys: ['security-response:quarantined-at', 'security-response:previous-boundary', 'security-response:deactivated-keys'],
    });
    expect(iam).not.toHaveReceivedCommand(DetachUserPolicyCommand);
  });

  it('removes our boundary when the user had none before', async () => {
    iam.on(GetUserCommand).resolves(bounded(QUARANTINE));
    iam.on(ListUserTagsCommand).resolves({ Tags: [{ Key: 'security-response:quarantined-at', Value: 't' }] });
    const result = await undoQuarantine('backup-admin', 'acme', createLiveAws());
    expect(result.calls.map((c) => c.operation)).toEqual(['DeleteUserPermissionsBoundary', 'UntagUser']);
    expect(iam).toHaveReceivedCommandWith(DeleteUserPermissionsBoundaryCommand, { UserName: 'backup-admin' });
  });

  it('leaves a boundary that is not ours, and still detaches the deny-all policy an earlier version attached', async () => {
    iam.on(GetUserCommand).resolves(bounded(CREATOR_BOUNDARY));
    iam.on(ListAttachedUserPoliciesCommand).resolves({
      AttachedPolicies: [
        { PolicyName: 'acme-quarantine-deny-all', PolicyArn: QUARANTINE },
        { PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
      ],
    });
    iam.on(ListUserTagsCommand).resolves({ Tags: [{ Key: 'security-response:quarantined-at', Value: 't' }] });
    const result = await undoQuarantine('backup-admin', 'acme', createLiveAws(), { dryRun: true });
    expect(result.calls.map((c) => c.operation)).toEqual(['DetachUserPolicy', 'UntagUser']);
    expect(result.calls[0].input).toEqual({ UserName: 'backup-admin', PolicyArn: QUARANTINE });
    expect(iam).not.toHaveReceivedCommand(DetachUserPolicyCommand);
  });

  it('says so when the user is not quarantined', async () => {
    iam.on(GetUserCommand).resolves(bounded());
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [] });
    iam.on(ListUserTagsCommand).resolves({ Tags: [] });
    const result = await undoQuarantine('alice', 'acme', createLiveAws());
    expect(result.nothingToUndo).toBe('alice has no acme-quarantine-deny-all boundary or attachment and no security-response: tags');
    expect(iam).not.toHaveReceivedCommand(DetachUserPolicyCommand);
    expect(iam).not.toHaveReceivedCommand(DeleteUserPermissionsBoundaryCommand);
  });
});

describe('npm run undo: who undid it is the AWS caller', () => {
  const CALLER = 'arn:aws:sts::333333333333:assumed-role/SecurityOperator/alice@example.com';
  const withRecord = () => {
    hub.on(GetFindingsCommand).resolves({
      Findings: [
        {
          Id: FINDING,
          ProductArn: 'p',
          UserDefinedFields: encodeUndo([{ service: 'ec2', operation: 'AuthorizeSecurityGroupIngress', region: 'eu-west-1', input: revoked }]),
        } as any,
      ],
    });
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
    hub.on(BatchUpdateFindingsCommand).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
  };
  const noOrganization = () => {
    throw new Error('the organization is only read for a user name');
  };

  it("notes the ARN STS GetCallerIdentity gives, asked in the finding's region, not $USER", async () => {
    withRecord();
    sts.on(GetCallerIdentityCommand).resolves({ Account: '333333333333', Arn: CALLER, UserId: 'AROAEXAMPLE:alice@example.com' });
    const result = await undo(FINDING, { aws: createLiveAws(), organization: noOrganization });
    expect(result.undoneBy).toBe(CALLER);
    expect(sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
    expect(await sts.call(0).thisValue.config.region()).toBe('eu-west-1');
    expect(hub.commandCalls(BatchUpdateFindingsCommand)[0].args[0].input.Note?.Text).toContain(`undone by ${CALLER} (npm run undo)`);
  });

  it('takes another caller lookup when given one', async () => {
    withRecord();
    const result = await undo(FINDING, {
      aws: createLiveAws(),
      organization: noOrganization,
      caller: (_aws, region) => Promise.resolve(`tester in ${region}`),
    });
    expect(result.undoneBy).toBe('tester in eu-west-1');
    expect(sts.calls()).toHaveLength(0);
    expect(hub.commandCalls(BatchUpdateFindingsCommand)[0].args[0].input.Note?.Text).toContain('undone by tester in eu-west-1');
  });

  it('without credentials stops before reading anything, as a credentials failure (exit 3)', async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const failure = await undo(FINDING, { aws: createLiveAws(), organization: noOrganization }).catch((error: unknown) => error);
    expect(describeFailure('undo', failure).code).toBe(EXIT.credentials);
    expect(hub.calls()).toHaveLength(0);
  });

  it('for a user name asks STS in us-east-1 and reads the organization name', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Arn: CALLER });
    iam
      .on(GetUserCommand)
      .resolves({ User: { UserName: 'alice', UserId: 'AIDAEXAMPLE', Arn: 'arn:aws:iam::333333333333:user/alice', Path: '/', CreateDate: new Date(0) } });
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [] });
    iam.on(ListUserTagsCommand).resolves({ Tags: [] });
    const result = await undo('alice', { aws: createLiveAws(), organization: () => 'acme', dryRun: true });
    expect(result).toMatchObject({ target: 'alice', undoneBy: CALLER, nothingToUndo: expect.stringMatching(/acme-quarantine-deny-all/) });
    expect(await sts.call(0).thisValue.config.region()).toBe('us-east-1');
  });
});
