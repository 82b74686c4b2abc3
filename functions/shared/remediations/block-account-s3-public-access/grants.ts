import type { ResponderSettings } from '../../settings';
import type { ActionGrant } from '../grant-scope';

export function grants(_s: ResponderSettings): ActionGrant {
  return {
    read: [{ Sid: 'ReadAccountPublicAccess', Effect: 'Allow', Action: 's3:GetAccountPublicAccessBlock', Resource: '*' }],
    write: [{ Sid: 'BlockAccountPublicAccess', Effect: 'Allow', Action: 's3:PutAccountPublicAccessBlock', Resource: '*' }],
  };
}

/** The reverse requests run.ts records (restore or delete the account's block), which undo may replay. */
export const reverseOperations = ['s3control:PutPublicAccessBlock', 's3control:DeletePublicAccessBlock'] as const;
