import { Construct } from 'constructs';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import { names, PARTITION, TAG_PREFIX } from '../../functions/shared/naming';

export interface TagProtectionPolicyProps {
  /** organization.name: prefix of the roles this product deploys. */
  readonly organization: string;
  /** The organization root (`r-…`) the policy is attached to. */
  readonly rootId: string;
  /** Role names that deploy the stacks (organization and per-account deploymentRoleName, the CI apply role). */
  readonly deploymentRoleNames: readonly string[];
  /** Role names a person uses to grant or lift an exemption (organization.tagAdminRoleNames). @default none */
  readonly tagAdminRoleNames?: readonly string[];
}

/** The policy document: exported so the tests read exactly what is deployed. */
export function tagProtectionDocument(props: TagProtectionPolicyProps): Record<string, unknown> {
  const role = (name: string) => `arn:${PARTITION}:iam::*:role/${name}`;
  const deployers = [...new Set(props.deploymentRoleNames)].sort().map(role);
  const admins = [...new Set(props.tagAdminRoleNames ?? [])].sort().map(role);
  // The functions tag what they change (security-response:isolated-at, …); only these roles may.
  const functionRoles = [role(names.role(props.organization, 'respond', '*')), role(names.role(props.organization, 'quarantine-user', ''))];
  const mayTag = [...deployers, ...functionRoles, ...admins];
  const notAllowed = { ArnNotLike: { 'aws:PrincipalArn': mayTag } };
  return {
    Version: '2012-10-17',
    Statement: [
      {
        // Any request that sets, changes or removes a security-response:* tag key (TagResource,
        // UntagResource, CreateTags, DeleteTags, TagUser, and Create* calls that carry tags).
        Sid: 'ProtectSecurityResponseTagKeys',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': `${TAG_PREFIX}*` }, ...notAllowed },
      },
      {
        Sid: 'ProtectExemptRequestTag',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { Null: { [`aws:RequestTag/${TAG_PREFIX}exempt`]: 'false' }, ...notAllowed },
      },
      {
        // A quarantined user stays quarantined: only the same roles may lift its boundary, turn its
        // keys back on or give it new credentials (`npm run undo -- <user>` runs as one of them).
        Sid: 'KeepQuarantineInPlace',
        Effect: 'Deny',
        Action: [
          'iam:CreateAccessKey',
          'iam:CreateLoginProfile',
          'iam:DeleteUserPermissionsBoundary',
          'iam:PutUserPermissionsBoundary',
          'iam:UpdateAccessKey',
          'iam:UpdateLoginProfile',
        ],
        Resource: `arn:${PARTITION}:iam::*:user/*`,
        Condition: { Null: { [`aws:ResourceTag/${TAG_PREFIX}quarantined-at`]: 'false' }, ...notAllowed },
      },
      {
        // The exception above is by role name, so nobody else may create or change a role of
        // those names (its trust policy or permissions would make its caller a tagger).
        Sid: 'ProtectTaggingRoles',
        Effect: 'Deny',
        Action: [
          'iam:AttachRolePolicy',
          'iam:CreateRole',
          'iam:DeleteRole',
          'iam:DeleteRolePermissionsBoundary',
          'iam:DeleteRolePolicy',
          'iam:DetachRolePolicy',
          'iam:PutRolePermissionsBoundary',
          'iam:PutRolePolicy',
          'iam:UpdateAssumeRolePolicy',
          'iam:UpdateRole',
        ],
        Resource: [role(`${props.organization}-*`), ...admins],
        Condition: { ArnNotLike: { 'aws:PrincipalArn': deployers } },
      },
    ],
  };
}

/**
 * A service control policy on the organization root: only the roles this product deploys, the
 * deployers and the named exemption admins may create, change or remove `security-response:*`
 * tags, and may lift a quarantine. `security-response:exempt=true` stops every remediation, so without it whoever can tag a
 * resource (including whoever just opened the security group) could exempt it. SCPs do not apply
 * to the management account or to service-linked roles.
 */
export class TagProtectionPolicy extends Construct {
  readonly policy: OrganizationsPolicy;

  constructor(scope: Construct, id: string, props: TagProtectionPolicyProps) {
    super(scope, id);
    this.policy = new OrganizationsPolicy(this, 'policy', {
      name: `${props.organization}-protect-security-response-tags`,
      description: 'security-response: only the response roles, deployers and exemption admins may set security-response:* tags',
      type: 'SERVICE_CONTROL_POLICY',
      content: JSON.stringify(tagProtectionDocument(props)),
    });
    new OrganizationsPolicyAttachment(this, 'root', { policyId: this.policy.id, targetId: props.rootId });
  }
}
