import type { ResponderSettings } from '../../settings';
import { grantScope, tagKeysOurs, type ActionGrant } from '../grant-scope';

export function grants(s: ResponderSettings): ActionGrant {
  const { iamUser } = grantScope(s);
  return {
    read: [{ Sid: 'ReadUsersForQuarantine', Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListUserTags', 'iam:ListAccessKeys'], Resource: iamUser }],
    write: [
      // The only boundary this role can set is the organization's deny-all quarantine policy;
      // removing a boundary (undo) is left to the operator's credentials.
      {
        Sid: 'SetQuarantineBoundary',
        Effect: 'Allow',
        Action: 'iam:PutUserPermissionsBoundary',
        Resource: iamUser,
        Condition: { StringEquals: { 'iam:PermissionsBoundary': s.quarantinePolicyArn } },
      },
      { Sid: 'DeactivateQuarantinedUserKeys', Effect: 'Allow', Action: 'iam:UpdateAccessKey', Resource: iamUser },
      { Sid: 'TagQuarantinedUsers', Effect: 'Allow', Action: 'iam:TagUser', Resource: iamUser, Condition: tagKeysOurs },
    ],
  };
}

/** The reverse requests run.ts records (reactivate keys, restore or remove the boundary, remove our tags), which undo may replay. */
export const reverseOperations = ['iam:UpdateAccessKey', 'iam:PutUserPermissionsBoundary', 'iam:DeleteUserPermissionsBoundary', 'iam:UntagUser'] as const;
