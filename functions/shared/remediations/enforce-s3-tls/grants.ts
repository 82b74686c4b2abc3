import type { ResponderSettings } from '../../settings';
import { grantScope, type ActionGrant } from '../grant-scope';

export function grants(s: ResponderSettings): ActionGrant {
  const { acct, bucket } = grantScope(s);
  return {
    read: [
      {
        Sid: 'ReadBucketPolicy',
        Effect: 'Allow',
        Action: ['s3:GetBucketPolicy', 's3:GetBucketTagging'],
        Resource: bucket,
        Condition: { StringEquals: { 's3:ResourceAccount': acct } },
      },
    ],
    write: [
      { Sid: 'AddTlsStatement', Effect: 'Allow', Action: 's3:PutBucketPolicy', Resource: bucket, Condition: { StringEquals: { 's3:ResourceAccount': acct } } },
    ],
  };
}

/** The reverse requests run.ts records (restore or delete the bucket policy), which undo may replay. */
export const reverseOperations = ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy'] as const;
