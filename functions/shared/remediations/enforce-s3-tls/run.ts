import { GetBucketPolicyCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { bucketTags } from '../block-s3-public-access/run';
import type { BucketTarget } from '../block-s3-public-access/select';
import { EXEMPT_RESULT, errorCode, failed, isExempt } from '../common';
import type { RemediationResult, RemediationRunner } from '../types';

interface Statement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
  /** Read from the bucket's policy JSON, where an operator may be null. */
  Condition?: Record<string, Record<string, unknown> | null>;
  [k: string]: unknown;
}
interface Policy {
  Version?: string;
  Id?: string;
  Statement: Statement[];
}

const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

const isEveryone = (principal: unknown): boolean =>
  principal === '*' || (typeof principal === 'object' && principal !== null && list((principal as { AWS?: unknown }).AWS).includes('*'));

/**
 * Does a statement already deny every S3 action over plain HTTP on the bucket and its objects, to
 * everyone? A deny for some principals only, or narrowed by any other condition, does not count.
 */
export function deniesInsecureTransport(st: Statement, bucketArn: string): boolean {
  if (st.Effect !== 'Deny' || !isEveryone(st.Principal)) return false;
  if (st.NotPrincipal !== undefined || st.NotAction !== undefined || st.NotResource !== undefined) return false;
  if (!list(st.Action).some((a) => a === 's3:*' || a === '*')) return false;
  const resources = list(st.Resource);
  if (!(resources.includes(bucketArn) || resources.includes('*')) || !(resources.includes(`${bucketArn}/*`) || resources.includes('*'))) return false;
  const conditions = Object.entries(st.Condition ?? {}).flatMap(([op, keys]) => Object.entries(keys ?? {}).map(([key, value]) => ({ op, key, value })));
  return (
    conditions.length === 1 &&
    ['Bool', 'BoolIfExists'].includes(conditions[0].op) &&
    conditions[0].key.toLowerCase() === 'aws:securetransport' &&
    list(conditions[0].value).some((x) => x === false || x === 'false')
  );
}

/** The policy with a deny-insecure-transport statement appended; every existing statement kept as is. */
export function withTlsStatement(policy: Policy | undefined, bucket: string): Policy {
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const statements = policy ? list(policy.Statement) : [];
  const sids = new Set(statements.map((s) => s.Sid));
  let sid = 'DenyInsecureTransport';
  for (let n = 2; sids.has(sid); n++) sid = `DenyInsecureTransport${n}`;
  return {
    ...(policy ?? { Version: '2012-10-17' }),
    Statement: [
      ...statements,
      {
        Sid: sid,
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}

export const runner: RemediationRunner<BucketTarget> = {
  async run({ bucket }, ctx): Promise<RemediationResult> {
    const region = ctx.settings.region;
    const what = `bucket ${bucket}`;
    let operation = 's3:GetBucketTagging';
    try {
      if (isExempt(await bucketTags(ctx, bucket))) return EXEMPT_RESULT(what);
      operation = 's3:GetBucketPolicy';
      let text: string | undefined;
      try {
        text = (await ctx.aws.read(S3Client, region, new GetBucketPolicyCommand({ Bucket: bucket }))).Policy;
      } catch (error) {
        if (errorCode(error) !== 'NoSuchBucketPolicy') throw error;
      }
      const policy = text ? (JSON.parse(text) as Policy) : undefined;
      if (policy && list(policy.Statement).some((st) => deniesInsecureTransport(st, `arn:aws:s3:::${bucket}`))) {
        return { outcome: 'NO_CHANGE', summary: `${what} already denies requests without TLS.` };
      }
      const updated = JSON.stringify(withTlsStatement(policy, bucket));
      const undo = {
        description: text ? `Put back the previous policy of ${what}` : `Delete the policy of ${what} (it had none)`,
        calls: [
          text
            ? { service: 's3', operation: 'PutBucketPolicy', region, input: { Bucket: bucket, Policy: text } }
            : { service: 's3', operation: 'DeleteBucketPolicy', region, input: { Bucket: bucket } },
        ],
      };
      if (ctx.dryRun)
        return {
          outcome: 'WOULD_CHANGE',
          summary: `Would add a deny-insecure-transport statement to the policy of ${what}, keeping its ${policy ? list(policy.Statement).length : 0} statement(s).`,
          undo,
        };
      operation = 's3:PutBucketPolicy';
      await ctx.aws.write(S3Client, region, new PutBucketPolicyCommand({ Bucket: bucket, Policy: updated }));
      return {
        outcome: 'REMEDIATED',
        summary: `Added a deny-insecure-transport statement to the policy of ${what}, keeping its ${policy ? list(policy.Statement).length : 0} statement(s).`,
        undo,
      };
    } catch (error) {
      if (errorCode(error) === 'NoSuchBucket') return { outcome: 'NO_CHANGE', summary: `${what} no longer exists.` };
      return failed(error, operation, `Could not enforce TLS on ${what}`);
    }
  },
};
