import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListUserTagsCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { assumeRole, LOOPBACK_DNS, type AwsCredentials } from './functions';

// The test process reaches S3 Control at `<account>.localhost` too (see loopback-dns.cjs).
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(LOOPBACK_DNS);

/** SDK clients of one account (moto credentials of its OrganizationAccountAccessRole) in one region. */
export interface AccountClients {
  accountId: string;
  region: string;
  credentials: AwsCredentials;
  ec2: EC2Client;
  s3: S3Client;
  s3control: S3ControlClient;
  iam: IAMClient;
  sns: SNSClient;
}

export async function accountClients(motoUrl: string, accountId: string, region: string): Promise<AccountClients> {
  const credentials = await assumeRole(motoUrl, `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, 'emulator-world');
  const common = { region, endpoint: motoUrl, credentials, maxAttempts: 1 };
  return {
    accountId,
    region,
    credentials,
    ec2: new EC2Client(common),
    s3: new S3Client({ ...common, forcePathStyle: true }),
    s3control: new S3ControlClient({ ...common, endpoint: motoUrl.replace('127.0.0.1', 'localhost') }),
    iam: new IAMClient({ ...common, region: 'us-east-1' }),
    sns: new SNSClient(common),
  };
}

/** A world of resources the catalogue acts on, in one account and region of moto. */
export interface World {
  accountId: string;
  region: string;
  vpcId: string;
  /** EC2.19: 22 open to 0.0.0.0/0 (described), ::/0 and 10.0.0.0/8; 443 open to 0.0.0.0/0; 5432 from 10.0.0.0/8. */
  openGroupId: string;
  /** The instance's launch group. */
  appGroupId: string;
  instanceId: string;
  eniId: string;
  /** Without Block Public Access (S3.8). */
  publicBucket: string;
  /** With a policy that does not deny plain HTTP (S3.5). */
  plainBucket: string;
  plainBucketPolicy: string;
  /** GuardDuty IAMUser finding names its key `compromisedKey`; `otherKey` is not named. */
  keyUser: string;
  compromisedKey: string;
  otherKey: string;
  /** GuardDuty IAMUser finding names the user (no key): quarantine. */
  suspectUser: string;
  suspectKey: string;
  /** The stack's deny-all quarantine policy, created here as the primary stack creates it. */
  quarantinePolicyArn: string;
}

export const OPEN_GROUP_RULES = [
  {
    IpProtocol: 'tcp',
    FromPort: 22,
    ToPort: 22,
    IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh from anywhere' }, { CidrIp: '10.0.0.0/8' }],
    Ipv6Ranges: [{ CidrIpv6: '::/0' }],
  },
  { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
  { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
];

/**
 * Builds the world in the account and region: VPC and subnet, the world-open group and the
 * instance's own group, an instance tagged app=payments, two buckets, two users with access keys,
 * and the quarantine policy (its document taken from the stack, as Terraform would create it).
 */
export async function buildWorld(c: AccountClients, options: { quarantinePolicy: { name: string; document: string } }): Promise<World> {
  const suffix = `${c.accountId}-${c.region}`;
  const vpc = await c.ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
  const vpcId = vpc.Vpc!.VpcId!;
  const subnet = await c.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.3.0/24' }));
  const open = await c.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'payments-api-bastion', Description: 'bastion', VpcId: vpcId }));
  await c.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: open.GroupId, IpPermissions: OPEN_GROUP_RULES }));
  const app = await c.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'payments-batch-worker', Description: 'batch workers', VpcId: vpcId }));
  await c.ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: app.GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: '10.20.0.0/16' }] }],
    }),
  );
  const run = await c.ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-12c6146b',
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.medium',
      SubnetId: subnet.Subnet!.SubnetId,
      SecurityGroupIds: [app.GroupId!],
      TagSpecifications: [
        {
          ResourceType: 'instance',
          Tags: [
            { Key: 'app', Value: 'payments' },
            { Key: 'Name', Value: 'payments-batch-worker-2' },
          ],
        },
      ],
    }),
  );
  const instance = run.Instances![0];

  const publicBucket = `payments-exports-${suffix}`;
  const plainBucket = `payments-archive-${suffix}`;
  const location = c.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: c.region as never } };
  const s3 = c.s3;
  await s3.send(new CreateBucketCommand({ Bucket: publicBucket, ...location }));
  await s3.send(new CreateBucketCommand({ Bucket: plainBucket, ...location }));
  await s3.send(new PutBucketTaggingCommand({ Bucket: plainBucket, Tagging: { TagSet: [{ Key: 'app', Value: 'payments' }] } }));
  const plainBucketPolicy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadForReports',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${c.accountId}:root` },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${plainBucket}/*`,
      },
    ],
  });
  await s3.send(new PutBucketPolicyCommand({ Bucket: plainBucket, Policy: plainBucketPolicy }));

  const keyUser = 'ci-deploy-bot';
  const suspectUser = 'reporting-export';
  await c.iam.send(new CreateUserCommand({ UserName: keyUser }));
  const compromised = await c.iam.send(new CreateAccessKeyCommand({ UserName: keyUser }));
  const other = await c.iam.send(new CreateAccessKeyCommand({ UserName: keyUser }));
  await c.iam.send(new CreateUserCommand({ UserName: suspectUser }));
  const suspect = await c.iam.send(new CreateAccessKeyCommand({ UserName: suspectUser }));
  const policy = await c.iam.send(new CreatePolicyCommand({ PolicyName: options.quarantinePolicy.name, PolicyDocument: options.quarantinePolicy.document }));

  return {
    accountId: c.accountId,
    region: c.region,
    vpcId,
    openGroupId: open.GroupId!,
    appGroupId: app.GroupId!,
    instanceId: instance.InstanceId!,
    eniId: instance.NetworkInterfaces![0].NetworkInterfaceId!,
    publicBucket,
    plainBucket,
    plainBucketPolicy,
    keyUser,
    compromisedKey: compromised.AccessKey!.AccessKeyId!,
    otherKey: other.AccessKey!.AccessKeyId!,
    suspectUser,
    suspectKey: suspect.AccessKey!.AccessKeyId!,
    quarantinePolicyArn: policy.Policy!.Arn!,
  };
}

/** An SDK answer without its per-request metadata (request ids differ on every call). */
function answer<T extends { $metadata?: unknown }>(out: T): Omit<T, '$metadata'> {
  const { $metadata: _metadata, ...rest } = out;
  return rest;
}

async function orMissing<T>(read: () => Promise<T>, missing: string[]): Promise<T | string> {
  try {
    return await read();
  } catch (error) {
    const name = (error as Error).name;
    if (missing.includes(name)) return `(${name})`;
    throw error;
  }
}

/**
 * Everything the catalogue could change, as the describe calls answer it (minus request ids), in
 * the order the calls were made. Two snapshots compare as JSON text: byte for byte.
 */
export async function snapshot(c: AccountClients, w: World, extraUsers: string[] = []): Promise<Record<string, unknown>> {
  const groups = await c.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [w.vpcId] }] }));
  const instances = await c.ec2.send(new DescribeInstancesCommand({ InstanceIds: [w.instanceId] }));
  const buckets: Record<string, unknown> = {};
  for (const bucket of [w.publicBucket, w.plainBucket]) {
    buckets[bucket] = {
      publicAccessBlock: await orMissing(
        async () => answer(await c.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))),
        ['NoSuchPublicAccessBlockConfiguration'],
      ),
      policy: await orMissing(async () => answer(await c.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))), ['NoSuchBucketPolicy']),
      tags: await orMissing(async () => answer(await c.s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))), ['NoSuchTagSet']),
    };
  }
  const account = await orMissing(
    async () => answer(await c.s3control.send(new GetAccountPublicAccessBlockCommand({ AccountId: w.accountId }))),
    ['NoSuchPublicAccessBlockConfiguration'],
  );
  const users: Record<string, unknown> = {};
  for (const userName of [w.keyUser, w.suspectUser, ...extraUsers]) {
    users[userName] = {
      user: answer(await c.iam.send(new GetUserCommand({ UserName: userName }))),
      keys: answer(await c.iam.send(new ListAccessKeysCommand({ UserName: userName }))),
      attached: answer(await c.iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }))),
      tags: answer(await c.iam.send(new ListUserTagsCommand({ UserName: userName }))),
    };
  }
  return { securityGroups: answer(groups), instances: answer(instances), buckets, accountPublicAccessBlock: account, users };
}

/** The alert topic (named by the functions' settings) in the security account, and an SQS queue subscribed to it. */
export interface AlertCapture {
  topicArn: string;
  queueUrl: string;
  /** Receives and deletes every message delivered so far: the SNS envelope of each, parsed. */
  drain(): Promise<SnsDelivery[]>;
}

export interface SnsDelivery {
  Subject?: string;
  Message: string;
  TopicArn: string;
  MessageAttributes: Partial<Record<string, { Type: string; Value: string }>>;
}

/** SQS through its JSON protocol (the project has no SQS client); moto reads the account from the access key. */
async function sqs(motoUrl: string, region: string, credentials: AwsCredentials, operation: string, input: Record<string, unknown>): Promise<any> {
  const response = await fetch(`${motoUrl}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${operation}`,
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20260101/${region}/sqs/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`SQS ${operation}: ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : {};
}

export async function captureAlerts(motoUrl: string, topicArn: string): Promise<AlertCapture> {
  const [, , , region, accountId, topicName] = topicArn.split(':');
  const c = await accountClients(motoUrl, accountId, region);
  const topic = await c.sns.send(new CreateTopicCommand({ Name: topicName }));
  if (topic.TopicArn !== topicArn) throw new Error(`created topic ${topic.TopicArn}, expected ${topicArn}`);
  const queue = await sqs(motoUrl, region, c.credentials, 'CreateQueue', { QueueName: `${topicName}-capture` });
  const attributes = await sqs(motoUrl, region, c.credentials, 'GetQueueAttributes', { QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] });
  await c.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: attributes.Attributes.QueueArn }));
  return {
    topicArn,
    queueUrl: queue.QueueUrl,
    async drain() {
      const out: SnsDelivery[] = [];
      for (;;) {
        const got = await sqs(motoUrl, region, c.credentials, 'ReceiveMessage', {
          QueueUrl: queue.QueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ['All'],
        });
        const messages = (got.Messages ?? []) as { Body: string; ReceiptHandle: string }[];
        if (messages.length === 0) return out;
        for (const m of messages) {
          out.push(JSON.parse(m.Body) as SnsDelivery);
          await sqs(motoUrl, region, c.credentials, 'DeleteMessage', { QueueUrl: queue.QueueUrl, ReceiptHandle: m.ReceiptHandle });
        }
      }
    },
  };
}
