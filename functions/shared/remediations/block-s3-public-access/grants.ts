import type { ResponderSettings } from '../../settings';
import { grantScope, type ActionGrant } from '../grant-scope';

export function grants(s: ResponderSettings): ActionGrant {
  const { acct, bucket } = grantScope(s);
  return {
    read: [
      {
        Sid: 'ReadBucketPublicAccess',
        Effect: 'Allow',
        Action: ['s3:GetBucketPublicAccessBlock', 's3:GetBucketTagging'],
        Resource: bucket,
        Condition: { StringEquals: { 's3:ResourceAccount': acct } },
      },
    ],
    write: [
      {
        Sid: 'BlockBucketPublicAccess',
        Effect: 'Allow',
        Action: 's3:PutBucketPublicAccessBlock',
        Resource: bucket,
        Condition: { StringEquals: { 's3:ResourceAccount': acct } },
      },
    ],
  };
}

/** The reverse requests run.ts records (restore or delete the bucket's block), which undo may replay. */
export const reverseOperations = ['s3:PutPublicAccessBlock', 's3:DeletePublicAccessBlock'] as const;
