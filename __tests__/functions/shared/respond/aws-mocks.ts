/**
 * Every AWS client the functions use, replaced by aws-sdk-client-mock, with reads that answer like a
 * real account whose resources are still open (so remediation modules get as far as they can), and
 * writes that succeed. Call `mockAllClients()` once per test file; `reset()` before each test.
 */
import { CreateSecurityGroupCommand, DescribeInstancesCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetUserCommand, IAMClient, ListAccessKeysCommand, ListAttachedUserPoliciesCommand, ListUserTagsCommand } from '@aws-sdk/client-iam';
import { GetBucketPolicyCommand, GetBucketTaggingCommand, GetPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { BatchUpdateFindingsCommand, BatchUpdateFindingsV2Command, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { ACCOUNT, HTTPS_WORLD, INSTANCE, SG, SSH_WORLD_AND_PRIVATE } from './events';

/** An AWS service error as the SDK rejects with it (name = error code). */
export function awsError(code: string, message = code, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name: code, $fault: 'client', $metadata: { httpStatusCode } });
}

const NONE_BLOCKED = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };
export const ISOLATION_GROUP = 'sg-0150la7e0000000aa';

export type Mock = AwsStub<any, any, any>;

export interface AllMocks {
  ec2: Mock;
  s3: Mock;
  s3control: Mock;
  iam: Mock;
  securityhub: Mock;
  sns: Mock;
  /** Resets every mock and installs the plausible answers again. */
  reset(): void;
}

/** Operation name of a command (`RevokeSecurityGroupIngressCommand` → `RevokeSecurityGroupIngress`). */
export const operationOf = (command: object) => command.constructor.name.replace(/Command$/, '');

/** Reads: everything else a resource client receives is a write. */
export const isRead = (operation: string) => /^(Get|List|Describe|Head)/.test(operation);

/** The region of the client instance that sent a mocked call. */
export function regionOf(call: { thisValue: any }): Promise<string> {
  return call.thisValue.config.region();
}

export function mockAllClients(): AllMocks {
  const mocks = {
    ec2: mockClient(EC2Client),
    s3: mockClient(S3Client),
    s3control: mockClient(S3ControlClient),
    iam: mockClient(IAMClient),
    securityhub: mockClient(SecurityHubClient),
    sns: mockClient(SNSClient),
  };
  const plausible = () => {
    for (const m of Object.values(mocks) as Mock[]) m.reset();
    // Unanswered commands (writes) resolve with an empty body, as most AWS writes do.
    for (const m of Object.values(mocks) as Mock[]) m.onAnyCommand().resolves({});
    mocks.ec2.on(DescribeSecurityGroupsCommand).callsFake((input: { GroupIds?: string[]; Filters?: unknown[] }) =>
      Promise.resolve(
        input.Filters
          ? { SecurityGroups: [] }
          : {
              SecurityGroups: (input.GroupIds ?? [SG]).map((GroupId) => ({
                GroupId,
                GroupName: 'payments-api-bastion',
                VpcId: 'vpc-0a9b8c7d6e5f40312',
                OwnerId: ACCOUNT,
                IpPermissions: [SSH_WORLD_AND_PRIVATE, HTTPS_WORLD],
                IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
                Tags: [],
              })),
            },
      ),
    );
    mocks.ec2.on(DescribeInstancesCommand).callsFake((input: { InstanceIds?: string[] }) =>
      Promise.resolve({
        Reservations: [
          {
            Instances: [
              {
                InstanceId: input.InstanceIds?.[0] ?? INSTANCE,
                VpcId: 'vpc-0a9b8c7d6e5f40312',
                State: { Name: 'running' },
                Tags: [],
                NetworkInterfaces: [
                  { NetworkInterfaceId: 'eni-0123456789abcdef0', VpcId: 'vpc-0a9b8c7d6e5f40312', Groups: [{ GroupId: SG, GroupName: 'app' }] },
                ],
              },
            ],
          },
        ],
      }),
    );
    mocks.ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: ISOLATION_GROUP });
    mocks.s3.on(GetBucketTaggingCommand).rejects(awsError('NoSuchTagSet', 'The TagSet does not exist', 404));
    mocks.s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: NONE_BLOCKED });
    mocks.s3.on(GetBucketPolicyCommand).resolves({
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ReadForAnalytics',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/analytics` },
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::b/*',
          },
        ],
      }),
    });
    mocks.s3control.on(GetAccountPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: NONE_BLOCKED });
    mocks.iam.on(GetUserCommand).callsFake((input: { UserName: string }) =>
      Promise.resolve({
        User: {
          UserName: input.UserName,
          UserId: 'AIDAEXAMPLE000000001',
          Arn: `arn:aws:iam::${ACCOUNT}:user/${input.UserName}`,
          Path: '/',
          CreateDate: new Date('2026-03-14T02:17:44Z'),
        },
      }),
    );
    mocks.iam.on(ListUserTagsCommand).resolves({ Tags: [] });
    mocks.iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [] });
    mocks.iam
      .on(ListAccessKeysCommand)
      .callsFake((input: { UserName: string }) =>
        Promise.resolve({ AccessKeyMetadata: [{ UserName: input.UserName, AccessKeyId: 'AKIAVRUVRQ7EXAMPLE42', Status: 'Active' }] }),
      );
    mocks.securityhub
      .on(BatchUpdateFindingsCommand)
      .callsFake((input: { FindingIdentifiers?: unknown[] }) =>
        Promise.resolve({ ProcessedFindings: input.FindingIdentifiers ?? [], UnprocessedFindings: [] }),
      );
    mocks.securityhub
      .on(BatchUpdateFindingsV2Command)
      .callsFake((input: { MetadataUids?: string[] }) =>
        Promise.resolve({ ProcessedFindings: (input.MetadataUids ?? []).map((MetadataUid) => ({ MetadataUid })), UnprocessedFindings: [] }),
      );
    mocks.sns.on(PublishCommand).resolves({ MessageId: '00000000-0000-0000-0000-000000000000' });
  };
  plausible();
  return { ...mocks, reset: plausible };
}

/** An evidence record's PutObject into the organization's evidence bucket: not a change to a resource. */
export const isEvidenceWrite = (command: object) =>
  operationOf(command) === 'PutObject' && /-evidence-\d{12}-/.test(String((command as { input: { Bucket?: unknown } }).input.Bucket));

/** Every write command the resource clients (EC2, S3, S3 Control, IAM) received, as `service:Operation` (evidence records apart). */
export function resourceWrites(m: AllMocks): string[] {
  const out: string[] = [];
  for (const [service, mock] of [
    ['ec2', m.ec2],
    ['s3', m.s3],
    ['s3control', m.s3control],
    ['iam', m.iam],
  ] as const) {
    for (const call of mock.calls()) {
      const command = call.args[0] as object;
      const op = operationOf(command);
      if (!isRead(op) && !isEvidenceWrite(command)) out.push(`${service}:${op}`);
    }
  }
  return out;
}

/** The evidence records the S3 mock received, parsed. */
export function evidenceRecords(m: AllMocks): any[] {
  return m.s3
    .calls()
    .map((call) => call.args[0] as { input: { Body?: unknown } })
    .filter((command) => isEvidenceWrite(command))
    .map((command) => JSON.parse(String(command.input.Body)));
}

/** The inputs of every command of one class a mock received, in order. */
export function inputsOf(mock: Mock, command: new (input: any) => any): any[] {
  return mock.commandCalls(command).map((call) => call.args[0].input);
}
