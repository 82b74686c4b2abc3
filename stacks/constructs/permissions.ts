import type { RemediationAction } from '../../functions/shared/catalogue';
import { names, PARTITION, TAG_PREFIX } from '../../functions/shared/naming';
import type { ResponderSettings } from '../../functions/shared/settings';
import type { PolicyStatement } from './policy';

/**
 * Actions AWS authorizes only on `Resource: "*"` (no resource-level permissions), with the reason.
 * The one place such grants are allowed; the guard rails read this list.
 */
export const WILDCARD_RESOURCE_EXCEPTIONS: Record<string, string> = {
  'ec2:DescribeSecurityGroupRules': 'EC2 Describe* actions support no resource-level permissions',
  'ec2:DescribeSecurityGroups': 'EC2 Describe* actions support no resource-level permissions',
  'ec2:DescribeInstances': 'EC2 Describe* actions support no resource-level permissions',
  'ec2:DescribeNetworkInterfaces': 'EC2 Describe* actions support no resource-level permissions',
  'ec2:DescribeIamInstanceProfileAssociations': 'EC2 Describe* actions support no resource-level permissions',
  's3:GetAccountPublicAccessBlock': 'account-level S3 setting; the action has no resource type',
  's3:PutAccountPublicAccessBlock': 'account-level S3 setting; the action has no resource type',
};

const tagKeysOurs = { 'ForAllValues:StringLike': { 'aws:TagKeys': `${TAG_PREFIX}*` } };

interface ActionGrant {
  read: PolicyStatement[];
  write: PolicyStatement[];
}

/** The permissions each catalogue action needs, scoped to this account and region. */
function grantsFor(action: RemediationAction, s: ResponderSettings): ActionGrant {
  const { accountId: acct, region } = s;
  const ec2 = (type: string) => `arn:${PARTITION}:ec2:${region}:${acct}:${type}/*`;
  const iamUser = `arn:${PARTITION}:iam::${acct}:user/*`;
  const bucket = `arn:${PARTITION}:s3:::*`;
  switch (action) {
    case 'REVOKE_PUBLIC_INGRESS':
      return {
        read: [{ Sid: 'ReadSecurityGroups', Effect: 'Allow', Action: ['ec2:DescribeSecurityGroupRules', 'ec2:DescribeSecurityGroups'], Resource: '*' }],
        write: [
          // Authorize only to add the configured replacement range in place of a revoked one.
          { Sid: 'RevokePublicIngress', Effect: 'Allow', Action: s.replacementIngressCidr ? ['ec2:RevokeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupIngress'] : 'ec2:RevokeSecurityGroupIngress', Resource: ec2('security-group') },
          { Sid: 'TagSecurityGroups', Effect: 'Allow', Action: 'ec2:CreateTags', Resource: ec2('security-group'), Condition: tagKeysOurs },
        ],
      };
    case 'BLOCK_S3_PUBLIC_ACCESS':
      return {
        read: [{ Sid: 'ReadBucketPublicAccess', Effect: 'Allow', Action: ['s3:GetBucketPublicAccessBlock', 's3:GetBucketTagging'], Resource: bucket, Condition: { StringEquals: { 's3:ResourceAccount': acct } } }],
        write: [{ Sid: 'BlockBucketPublicAccess', Effect: 'Allow', Action: 's3:PutBucketPublicAccessBlock', Resource: bucket, Condition: { StringEquals: { 's3:ResourceAccount': acct } } }],
      };
    case 'BLOCK_ACCOUNT_S3_PUBLIC_ACCESS':
      return {
        read: [{ Sid: 'ReadAccountPublicAccess', Effect: 'Allow', Action: 's3:GetAccountPublicAccessBlock', Resource: '*' }],
        write: [{ Sid: 'BlockAccountPublicAccess', Effect: 'Allow', Action: 's3:PutAccountPublicAccessBlock', Resource: '*' }],
      };
    case 'ENFORCE_S3_TLS':
      return {
        read: [{ Sid: 'ReadBucketPolicy', Effect: 'Allow', Action: ['s3:GetBucketPolicy', 's3:GetBucketTagging'], Resource: bucket, Condition: { StringEquals: { 's3:ResourceAccount': acct } } }],
        write: [{ Sid: 'AddTlsStatement', Effect: 'Allow', Action: 's3:PutBucketPolicy', Resource: bucket, Condition: { StringEquals: { 's3:ResourceAccount': acct } } }],
      };
    case 'QUARANTINE_IAM_USER':
      return {
        read: [{ Sid: 'ReadUsersForQuarantine', Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListUserTags', 'iam:ListAccessKeys'], Resource: iamUser }],
        write: [
          // The only boundary this role can set is the organization's deny-all quarantine policy;
          // removing a boundary (undo) is left to the operator's credentials.
          { Sid: 'SetQuarantineBoundary', Effect: 'Allow', Action: 'iam:PutUserPermissionsBoundary', Resource: iamUser, Condition: { StringEquals: { 'iam:PermissionsBoundary': s.quarantinePolicyArn } } },
          { Sid: 'DeactivateQuarantinedUserKeys', Effect: 'Allow', Action: 'iam:UpdateAccessKey', Resource: iamUser },
          { Sid: 'TagQuarantinedUsers', Effect: 'Allow', Action: 'iam:TagUser', Resource: iamUser, Condition: tagKeysOurs },
        ],
      };
    case 'DEACTIVATE_ACCESS_KEY':
      return {
        read: [{ Sid: 'ReadAccessKeys', Effect: 'Allow', Action: ['iam:ListAccessKeys', 'iam:ListUserTags'], Resource: iamUser }],
        write: [{ Sid: 'DeactivateAccessKeys', Effect: 'Allow', Action: 'iam:UpdateAccessKey', Resource: iamUser }],
      };
    case 'ISOLATE_EC2_INSTANCE':
      return {
        read: [
          {
            Sid: 'ReadInstances',
            Effect: 'Allow',
            Action: ['ec2:DescribeInstances', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces', ...(s.detachInstanceProfileOnIsolation ? ['ec2:DescribeIamInstanceProfileAssociations'] : [])],
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
          { Sid: 'MoveIntoIsolation', Effect: 'Allow', Action: 'ec2:ModifyNetworkInterfaceAttribute', Resource: [ec2('network-interface'), ec2('instance'), ec2('security-group')] },
          // Tags on the isolation group only as it is created (its Name), on instances only ours.
          { Sid: 'TagIsolationGroup', Effect: 'Allow', Action: 'ec2:CreateTags', Resource: ec2('security-group'), Condition: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' } } },
          { Sid: 'TagIsolated', Effect: 'Allow', Action: 'ec2:CreateTags', Resource: ec2('instance'), Condition: tagKeysOurs },
        ],
      };
  }
}

/** Statements for every catalogue action that is not off: reads in observe mode, reads and writes in enforce. */
export function remediationStatements(settings: ResponderSettings, only?: RemediationAction[]): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  for (const [action, mode] of Object.entries(settings.actions) as [RemediationAction, string][]) {
    if (only && !only.includes(action)) continue;
    if (mode === 'off') continue;
    const grant = grantsFor(action, settings);
    statements.push(...grant.read, ...(mode === 'enforce' ? grant.write : []));
  }
  return mergeBySid(statements);
}

/** Two actions can ask for the same statement (e.g. tag reads); keep one of each Sid. */
function mergeBySid(statements: PolicyStatement[]): PolicyStatement[] {
  const seen = new Map<string, PolicyStatement>();
  for (const st of statements) if (!seen.has(st.Sid ?? JSON.stringify(st))) seen.set(st.Sid ?? JSON.stringify(st), st);
  return [...seen.values()];
}

/** Publishing to the organization's alert topic, encrypted with its KMS key (found by alias). */
export function alertPublishStatements(settings: ResponderSettings, homeRegion: string, securityAccountId: string): PolicyStatement[] {
  return [
    { Sid: 'PublishAlerts', Effect: 'Allow', Action: 'sns:Publish', Resource: settings.alertTopicArn },
    {
      Sid: 'EncryptAlerts',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: `arn:${PARTITION}:kms:${homeRegion}:${securityAccountId}:key/*`,
      Condition: {
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': names.alertKeyAlias(settings.organization) },
        StringEquals: { 'kms:ViaService': `sns.${homeRegion}.amazonaws.com` },
      },
    },
  ];
}

/**
 * Updating findings of this account and region (the function's own hub). BatchUpdateFindingsV2
 * has no IAM action of its own: AWS authorizes it as securityhub:BatchUpdateFindings (API reference).
 */
export function recordFindingStatements(accountId: string, region: string): PolicyStatement[] {
  return [
    {
      Sid: 'RecordOnFindings',
      Effect: 'Allow',
      Action: 'securityhub:BatchUpdateFindings',
      Resource: `arn:${PARTITION}:securityhub:${region}:${accountId}:hub/default`,
    },
  ];
}
