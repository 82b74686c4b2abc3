import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, PutBucketTaggingCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import type { AwsPort } from '../../../functions/shared/aws';
import { IAM_EVENTS_REGION } from '../../../functions/shared/naming';
import { errorCode } from '../../../functions/shared/remediations/common';
import { present } from '../aws-answer';
import type { CleanupLedger, SecurityGroupEntry, UserEntry } from './ledger';

/** Port 22 (in EC2.19's high-risk list) open to the world, plus a private range that must survive the revoke. */
export const SMOKE_PORT = 22;
export const WORLD_V4 = '0.0.0.0/0';
export const WORLD_V6 = '::/0';
export const PRIVATE_CIDR = '10.0.0.0/8';

/** Tag on everything the smoke test creates: `security-response-smoke=<runId>` (outside the `security-response:` keys the tag-protection policy reserves). */
export const SMOKE_TAG_KEY = 'security-response-smoke';

export interface SmokeNames {
  runId: string;
  /** `<org>-smoke-<runId>`: security group, bucket and IAM user name. */
  name: string;
}

export function smokeTags(names: SmokeNames): { Key: string; Value: string }[] {
  return [
    { Key: 'Name', Value: names.name },
    { Key: SMOKE_TAG_KEY, Value: names.runId },
  ];
}

export const SMOKE_INGRESS = [
  {
    IpProtocol: 'tcp',
    FromPort: SMOKE_PORT,
    ToPort: SMOKE_PORT,
    IpRanges: [
      { CidrIp: WORLD_V4, Description: 'smoke test: world-open, to be revoked' },
      { CidrIp: PRIVATE_CIDR, Description: 'smoke test: private, must stay' },
    ],
    Ipv6Ranges: [{ CidrIpv6: WORLD_V6, Description: 'smoke test: world-open, to be revoked' }],
  },
];

/** A security group with port 22 open to 0.0.0.0/0 and ::/0 and from 10.0.0.0/8. */
export async function createOpenSecurityGroup(
  aws: AwsPort,
  ledger: CleanupLedger,
  names: SmokeNames,
  region: string,
  vpcId: string,
): Promise<{ groupId: string; groupName: string }> {
  const entry = ledger.record<SecurityGroupEntry>({ type: 'security-group', region, vpcId, groupName: names.name, runId: names.runId });
  const ec2 = aws.client(EC2Client, region);
  // Not answered (or InvalidGroup.Duplicate after a retried call): groupId stays unset and cleanup
  // looks the group up by its run tag, which only a group of this run carries.
  const created = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: names.name,
      Description: `security-response smoke test ${names.runId}: deleted when the test ends`,
      VpcId: vpcId,
      // Tagged in the same call, so cleanup can always find it by its tag.
      TagSpecifications: [{ ResourceType: 'security-group', Tags: smokeTags(names) }],
    }),
  );
  entry.groupId = present(created.GroupId, `GroupId of the new security group ${names.name}`);
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: entry.groupId, IpPermissions: SMOKE_INGRESS }));
  return { groupId: entry.groupId, groupName: names.name };
}

export const ALL_OFF = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };

/** A bucket with every bucket-level Block Public Access setting off: "public-ish", no public policy. */
export async function createPublicishBucket(aws: AwsPort, ledger: CleanupLedger, names: SmokeNames, region: string): Promise<string> {
  const bucket = names.name;
  const entry = ledger.record({ type: 'bucket', region, bucket });
  const s3 = aws.client(S3Client, region);
  try {
    // us-east-1 takes no location constraint; every other region requires one.
    await s3.send(
      new CreateBucketCommand({ Bucket: bucket, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }) }),
    );
  } catch (error) {
    // Another account owns the name: not ours to delete.
    if (errorCode(error) === 'BucketAlreadyExists') ledger.forget(entry);
    throw error;
  }
  await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: smokeTags(names) } }));
  await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: ALL_OFF }));
  return bucket;
}

/** A new IAM user (its CreateUser triggers quarantine-user) with one access key. */
export async function createUserWithKey(aws: AwsPort, ledger: CleanupLedger, names: SmokeNames): Promise<{ userName: string; accessKeyId?: string }> {
  const userName = names.name;
  const entry = ledger.record<UserEntry>({ type: 'iam-user', userName, runId: names.runId, confirmed: false });
  const iam = aws.client(IAMClient, IAM_EVENTS_REGION);
  // Tagged in the same call: if the call fails unanswered, cleanup deletes the user only if it carries this run's tag.
  await iam.send(new CreateUserCommand({ UserName: userName, Tags: smokeTags(names) }));
  entry.confirmed = true;
  // The secret is never printed or kept: the key exists only to be named by the finding.
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return { userName, accessKeyId: key.AccessKey?.AccessKeyId };
}
