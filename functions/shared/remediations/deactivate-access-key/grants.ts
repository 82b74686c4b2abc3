import type { ResponderSettings } from '../../settings';
import { grantScope, type ActionGrant } from '../grant-scope';

export function grants(s: ResponderSettings): ActionGrant {
  const { iamUser } = grantScope(s);
  return {
    read: [{ Sid: 'ReadAccessKeys', Effect: 'Allow', Action: ['iam:ListAccessKeys', 'iam:ListUserTags'], Resource: iamUser }],
    write: [{ Sid: 'DeactivateAccessKeys', Effect: 'Allow', Action: 'iam:UpdateAccessKey', Resource: iamUser }],
  };
}

/** The reverse request run.ts records (reactivate the key), which undo may replay. */
export const reverseOperations = ['iam:UpdateAccessKey'] as const;
