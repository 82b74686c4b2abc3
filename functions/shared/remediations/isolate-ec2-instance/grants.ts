import { names } from '../../naming';
import type { ResponderSettings } from '../../settings';
import { grantScope, tagKeysOurs, type ActionGrant } from '../grant-scope';

export function grants(s: ResponderSettings): ActionGrant {
  const { ec2 } = grantScope(s);
  return {
    read: [
      {
        Sid: 'ReadInstances',
        Effect: 'Allow',
        Action: [
          'ec2:DescribeInstances',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeNetworkInterfaces',
          ...(s.detachInstanceProfileOnIsolation ? ['ec2:DescribeIamInstanceProfileAssociations'] : []),
        ],
        Resource: '*',
      },
    ],
    write: [
      { Sid: 'CreateIsolationGroup', Effect: 'Allow', Action: 'ec2:CreateSecurityGroup', Resource: [ec2('vpc'), ec2('security-group')] },
      {
        Sid: 'EmptyIsolationGroup',
        Effect: 'Allow',
        Action: ['ec2:RevokeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress'],
        Resource: ec2('security-group'),
        Condition: { StringEquals: { 'ec2:ResourceTag/Name': names.isolationSecurityGroup(s.organization) } },
      },
      // The per-instance all-traffic step group (untracks connections), deleted right after.
      {
        Sid: 'UntrackStepGroup',
        Effect: 'Allow',
        Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:DeleteSecurityGroup'],
        Resource: ec2('security-group'),
        Condition: { StringLike: { 'ec2:ResourceTag/Name': names.untrackSecurityGroup(s.organization, '*') } },
      },
      ...(s.detachInstanceProfileOnIsolation
        ? [{ Sid: 'DetachInstanceProfile', Effect: 'Allow' as const, Action: 'ec2:DisassociateIamInstanceProfile', Resource: ec2('instance') }]
        : []),
      {
        Sid: 'MoveIntoIsolation',
        Effect: 'Allow',
        Action: 'ec2:ModifyNetworkInterfaceAttribute',
        Resource: [ec2('network-interface'), ec2('instance'), ec2('security-group')],
      },
      // Tags on the isolation group only as it is created (its Name), on instances only ours.
      {
        Sid: 'TagIsolationGroup',
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: ec2('security-group'),
        Condition: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' } },
      },
      { Sid: 'TagIsolated', Effect: 'Allow', Action: 'ec2:CreateTags', Resource: ec2('instance'), Condition: tagKeysOurs },
    ],
  };
}

/** The reverse requests run.ts records (restore each interface's groups, re-attach the instance profile, remove our tags), which undo may replay. */
export const reverseOperations = ['ec2:ModifyNetworkInterfaceAttribute', 'ec2:AssociateIamInstanceProfile', 'ec2:DeleteTags'] as const;
