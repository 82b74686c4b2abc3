import { DeleteSecurityGroupCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  DeleteUserPermissionsBoundaryCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
} from '@aws-sdk/client-iam';
import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { AwsPort } from '../../../functions/shared/aws';
import { IAM_EVENTS_REGION } from '../../../functions/shared/naming';
import { errorCode } from '../../../functions/shared/remediations/common';
import { answerOf, present } from '../aws-answer';
import { archivedFindings, MAX_IMPORT } from './findings';
import { describe, type BucketEntry, type CleanupLedger, type FindingsEntry, type SecurityGroupEntry, type UserEntry } from './ledger';
import { SMOKE_TAG_KEY } from './resources';

/** Every "it is already gone" answer the deletes can give: cleanup is idempotent. */
const GONE = new Set(['InvalidGroup.NotFound', 'InvalidGroupId.NotFound', 'NoSuchBucket', 'NoSuchEntity', 'NoSuchEntityException', 'NotFound']);
const gone = (error: unknown) => GONE.has(errorCode(error));

async function ignoreGone(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!gone(error)) throw error;
  }
}

async function archive(aws: AwsPort, entry: FindingsEntry, now: Date): Promise<void> {
  const findings = archivedFindings(entry.findings, now);
  for (let i = 0; i < findings.length; i += MAX_IMPORT) {
    const out = await answerOf(
      aws.client(SecurityHubClient, entry.region).send(new BatchImportFindingsCommand({ Findings: findings.slice(i, i + MAX_IMPORT) })),
    );
    if (out?.FailedCount && out.FailedCount > 0)
      throw new Error(
        `Security Hub did not archive ${out.FailedCount}: ${(out.FailedFindings ?? []).map((f: { Id?: string; ErrorCode?: string }) => `${f.Id} ${f.ErrorCode}`).join('; ')}`,
      );
  }
}

async function deleteUser(aws: AwsPort, entry: UserEntry): Promise<void> {
  const iam = aws.client(IAMClient, IAM_EVENTS_REGION);
  const UserName = entry.userName;
  try {
    if (!entry.confirmed) {
      // CreateUser never answered: delete the user only if it is this run's (the tag came with the create).
      const tags = await answerOf(iam.send(new ListUserTagsCommand({ UserName })));
      if (!(tags?.Tags ?? []).some((t: { Key?: string; Value?: string }) => t.Key === SMOKE_TAG_KEY && t.Value === entry.runId)) return;
    }
    // quarantine-user may act on the user while we clean up (and older versions attached a policy):
    // remove what it may have added, and once more if DeleteUser reports a conflict.
    for (let attempt = 0; ; attempt++) {
      for (const k of (await answerOf(iam.send(new ListAccessKeysCommand({ UserName }))))?.AccessKeyMetadata ?? [])
        await ignoreGone(() => iam.send(new DeleteAccessKeyCommand({ UserName, AccessKeyId: k.AccessKeyId })));
      for (const p of (await answerOf(iam.send(new ListAttachedUserPoliciesCommand({ UserName }))))?.AttachedPolicies ?? [])
        await ignoreGone(() => iam.send(new DetachUserPolicyCommand({ UserName, PolicyArn: p.PolicyArn })));
      for (const name of (await answerOf(iam.send(new ListUserPoliciesCommand({ UserName }))))?.PolicyNames ?? [])
        await ignoreGone(() => iam.send(new DeleteUserPolicyCommand({ UserName, PolicyName: name })));
      await ignoreGone(() => iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName })));
      await ignoreGone(() => iam.send(new DeleteLoginProfileCommand({ UserName })));
      try {
        await iam.send(new DeleteUserCommand({ UserName }));
        return;
      } catch (error) {
        if (attempt > 0 || !/DeleteConflict/.test(errorCode(error))) throw error;
      }
    }
  } catch (error) {
    if (!gone(error)) throw error;
  }
}

async function deleteBucket(aws: AwsPort, entry: BucketEntry): Promise<void> {
  const s3 = aws.client(S3Client, entry.region);
  try {
    for (;;) {
      const page = await answerOf(s3.send(new ListObjectVersionsCommand({ Bucket: entry.bucket })));
      const objects = [...(page?.Versions ?? []), ...(page?.DeleteMarkers ?? [])].map((o: { Key?: string; VersionId?: string }) => ({
        Key: present(o.Key, `Key of an object version in ${entry.bucket}`),
        VersionId: o.VersionId,
      }));
      if (objects.length === 0) break;
      await s3.send(new DeleteObjectsCommand({ Bucket: entry.bucket, Delete: { Objects: objects, Quiet: true } }));
      if (!page?.IsTruncated) break;
    }
    await s3.send(new DeleteBucketCommand({ Bucket: entry.bucket }));
  } catch (error) {
    if (!gone(error)) throw error;
  }
}

async function deleteSecurityGroup(aws: AwsPort, entry: SecurityGroupEntry): Promise<void> {
  const ec2 = aws.client(EC2Client, entry.region);
  let ids = entry.groupId ? [entry.groupId] : [];
  if (!entry.groupId) {
    // CreateSecurityGroup never answered: find the group by this run's tag (set in the create call itself).
    const out = await answerOf(
      ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            { Name: `tag:${SMOKE_TAG_KEY}`, Values: [entry.runId] },
            { Name: 'vpc-id', Values: [entry.vpcId] },
          ],
        }),
      ),
    );
    ids = (out?.SecurityGroups ?? []).map((g: { GroupId?: string }) => present(g.GroupId, `GroupId of a security group in ${entry.vpcId}`));
  }
  for (const GroupId of ids) {
    try {
      await ec2.send(new DeleteSecurityGroupCommand({ GroupId }));
    } catch (error) {
      if (gone(error)) continue;
      if (errorCode(error) === 'DependencyViolation') throw new Error(`still referenced by another resource (DependencyViolation)`, { cause: error });
      throw error;
    }
  }
}

/**
 * Removes everything in the ledger, last created first. Each step is idempotent and tolerates
 * "not found"; a step that fails does not stop the others. Returns `<what> (<why>)` per leftover.
 */
export async function cleanUp(aws: AwsPort, ledger: CleanupLedger, now: Date, progress: (line: string) => void = () => undefined): Promise<string[]> {
  const leftBehind: string[] = [];
  for (const entry of ledger.pending()) {
    progress(`cleaning up: ${describe(entry)}`);
    try {
      if (entry.type === 'findings') await archive(aws, entry, now);
      else if (entry.type === 'iam-user') await deleteUser(aws, entry);
      else if (entry.type === 'bucket') await deleteBucket(aws, entry);
      else await deleteSecurityGroup(aws, entry);
      ledger.done(entry);
    } catch (error) {
      leftBehind.push(`${describe(entry)} (${errorCode(error) === 'Error' ? '' : `${errorCode(error)}: `}${(error as Error).message})`);
    }
  }
  return leftBehind;
}
