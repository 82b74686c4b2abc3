import {
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import { EXEMPT_RESULT, errorCode, failed, isExempt } from '../common';
import type { RemediationContext, RemediationResult, RemediationRunner } from '../types';
import type { BucketTarget } from './select';

export const ALL_BLOCKED: Required<
  Pick<PublicAccessBlockConfiguration, 'BlockPublicAcls' | 'IgnorePublicAcls' | 'BlockPublicPolicy' | 'RestrictPublicBuckets'>
> = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

export function allBlocked(c: PublicAccessBlockConfiguration | undefined): boolean {
  return !!c && c.BlockPublicAcls === true && c.IgnorePublicAcls === true && c.BlockPublicPolicy === true && c.RestrictPublicBuckets === true;
}

/** Bucket tags; a bucket without tags answers NoSuchTagSet. */
export async function bucketTags(ctx: RemediationContext, bucket: string): Promise<{ Key?: string; Value?: string }[]> {
  try {
    return (await ctx.aws.read(S3Client, ctx.settings.region, new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet ?? [];
  } catch (error) {
    if (errorCode(error) === 'NoSuchTagSet') return [];
    throw error;
  }
}

export const runner: RemediationRunner<BucketTarget> = {
  async run({ bucket }, ctx): Promise<RemediationResult> {
    const region = ctx.settings.region;
    const what = `bucket ${bucket}`;
    let operation = 's3:GetBucketTagging';
    try {
      if (isExempt(await bucketTags(ctx, bucket))) return EXEMPT_RESULT(what);
      operation = 's3:GetBucketPublicAccessBlock';
      let before: PublicAccessBlockConfiguration | undefined;
      try {
        before = (await ctx.aws.read(S3Client, region, new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration;
      } catch (error) {
        if (errorCode(error) !== 'NoSuchPublicAccessBlockConfiguration') throw error;
      }
      if (allBlocked(before)) return { outcome: 'NO_CHANGE', summary: `${what} already blocks all public access.` };
      const undo = {
        description: before ? `Restore the previous Block Public Access settings of ${what}` : `Remove the Block Public Access configuration of ${what}`,
        calls: [
          before
            ? { service: 's3', operation: 'PutPublicAccessBlock', region, input: { Bucket: bucket, PublicAccessBlockConfiguration: before } }
            : { service: 's3', operation: 'DeletePublicAccessBlock', region, input: { Bucket: bucket } },
        ],
      };
      if (ctx.dryRun) return { outcome: 'WOULD_CHANGE', summary: `Would turn on all four Block Public Access settings of ${what}.`, undo };
      operation = 's3:PutBucketPublicAccessBlock';
      await ctx.aws.write(S3Client, region, new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: ALL_BLOCKED }));
      return { outcome: 'REMEDIATED', summary: `Turned on all four Block Public Access settings of ${what}.`, undo };
    } catch (error) {
      if (errorCode(error) === 'NoSuchBucket') return { outcome: 'NO_CHANGE', summary: `${what} no longer exists.` };
      return failed(error, operation, `Could not block public access on ${what}`);
    }
  },
};
