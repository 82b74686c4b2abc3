import type { ResponderSettings } from '../../settings';
import { grantScope, tagKeysOurs, type ActionGrant } from '../grant-scope';

export function grants(s: ResponderSettings): ActionGrant {
  const { ec2 } = grantScope(s);
  return {
    read: [{ Sid: 'ReadSecurityGroups', Effect: 'Allow', Action: ['ec2:DescribeSecurityGroupRules', 'ec2:DescribeSecurityGroups'], Resource: '*' }],
    write: [
      // Authorize only to add the configured replacement range in place of a revoked one.
      {
        Sid: 'RevokePublicIngress',
        Effect: 'Allow',
        Action: s.replacementIngressCidr ? ['ec2:RevokeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupIngress'] : 'ec2:RevokeSecurityGroupIngress',
        Resource: ec2('security-group'),
      },
      { Sid: 'TagSecurityGroups', Effect: 'Allow', Action: 'ec2:CreateTags', Resource: ec2('security-group'), Condition: tagKeysOurs },
    ],
  };
}

/** The reverse requests run.ts records (re-authorize the revoked rules, revoke the replacement, remove our tags), which undo may replay. */
export const reverseOperations = ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteTags'] as const;
