import { CreateBucketCommand, GetObjectCommand, ListObjectVersionsCommand, PutObjectLockConfigurationCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SynthesizedOrganization } from './synth';
import { accountClients } from './world';

/** The security home stack: where the organization's evidence bucket lives. */
export interface EvidenceHome {
  stack: string;
  account: string;
  region: string;
}

/** The evidence bucket of the security home stack: its name and Object Lock default retention, as synthesized. */
export function evidenceStoreOf(org: SynthesizedOrganization, stack: string): { bucket: string; mode: string; days: number } {
  const resources = org.stackJson(stack).resource;
  const locked = Object.entries<any>(resources.aws_s3_bucket ?? {}).filter(([, b]) => b.object_lock_enabled === true);
  if (locked.length !== 1) throw new Error(`${stack} has ${locked.length} buckets with Object Lock, not one`);
  const [id, bucket] = locked[0];
  const lock = Object.values<any>(resources.aws_s3_bucket_object_lock_configuration ?? {}).find((l) => l.bucket === `\${aws_s3_bucket.${id}.id}`);
  const retention = ([] as any[]).concat(([] as any[]).concat(lock?.rule ?? [])[0]?.default_retention ?? [])[0];
  if (!retention?.mode || !retention.days) throw new Error(`${stack} has no default retention in days for ${bucket.bucket}`);
  return { bucket: bucket.bucket, mode: retention.mode, days: retention.days };
}

/** S3 as the security account in its home region (moto credentials of its OrganizationAccountAccessRole). */
export async function evidenceS3Of(motoUrl: string, account: string, region: string): Promise<S3Client> {
  return (await accountClients(motoUrl, account, region)).s3;
}

/** Creates the evidence bucket at moto as the stack does: Object Lock on at creation, then the default retention. */
export async function createEvidenceBucketAt(motoUrl: string, org: SynthesizedOrganization, home: EvidenceHome): Promise<void> {
  const { bucket, mode, days } = evidenceStoreOf(org, home.stack);
  const s3 = await evidenceS3Of(motoUrl, home.account, home.region);
  await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
  await s3.send(
    new PutObjectLockConfigurationCommand({
      Bucket: bucket,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: mode as 'COMPLIANCE', Days: days } } },
    }),
  );
}

/** Every object version under decisions/ in the evidence bucket, with its record. */
export async function evidenceRecordsAt(
  motoUrl: string,
  org: SynthesizedOrganization,
  home: EvidenceHome,
): Promise<Array<{ key: string; versionId: string; record: any }>> {
  const { bucket } = evidenceStoreOf(org, home.stack);
  const s3 = await evidenceS3Of(motoUrl, home.account, home.region);
  const out: Array<{ key: string; versionId: string; record: any }> = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const listed = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'decisions/', ...(keyMarker ? { KeyMarker: keyMarker, VersionIdMarker: versionMarker } : {}) }),
    );
    for (const v of listed.Versions ?? []) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: v.Key!, VersionId: v.VersionId! }));
      out.push({ key: v.Key!, versionId: v.VersionId!, record: JSON.parse(await got.Body!.transformToString()) });
    }
    keyMarker = listed.IsTruncated ? listed.NextKeyMarker : undefined;
    versionMarker = listed.NextVersionIdMarker;
  } while (keyMarker);
  return out;
}
