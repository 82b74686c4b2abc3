import { exampleConfig } from '../../helpers/config';
import { buildTestFleet, findResource, resourcesOf, synthJson } from '../../helpers/fleet';

/**
 * security-response:exempt=true stops every remediation, so the tag is only as strong as who may
 * set it: the management stack ships a service control policy that leaves that to the product's
 * own roles, the deployers and the named exemption admins.
 */
const config = exampleConfig();
config.organization.tagAdminRoleNames = ['SecurityExemptionAdmin'];
config.accounts[0].deploymentRoleName = 'ManagementDeployer';
const management = synthJson(buildTestFleet(config).stacks.get('management-us-east-1')!);
const policy = findResource(management, 'aws_organizations_policy', (p) => p.name === 'acme-protect-security-response-tags');
const document = JSON.parse(policy.content);
const statement = (sid: string) => document.Statement.find((s: { Sid: string }) => s.Sid === sid);

describe('tag-protection service control policy (organization.protectTags, on by default)', () => {
  it('is a service control policy attached to the organization root', () => {
    expect(policy.type).toBe('SERVICE_CONTROL_POLICY');
    const attachment = Object.values<any>(resourcesOf(management, 'aws_organizations_policy_attachment'))[0];
    expect(attachment.target_id).toBe('r-ab12');
    expect(attachment.policy_id).toMatch(/^\$\{aws_organizations_policy\.[\w-]+\.id\}$/);
  });

  it('denies any request carrying a security-response:* tag key, or the exempt request tag, to everyone else', () => {
    for (const sid of ['ProtectSecurityResponseTagKeys', 'ProtectExemptRequestTag']) {
      expect(statement(sid)).toMatchObject({ Effect: 'Deny', Action: '*', Resource: '*' });
    }
    expect(statement('ProtectSecurityResponseTagKeys').Condition['ForAnyValue:StringLike']).toEqual({ 'aws:TagKeys': 'security-response:*' });
    expect(statement('ProtectExemptRequestTag').Condition.Null).toEqual({ 'aws:RequestTag/security-response:exempt': 'false' });
  });

  it('leaves tagging to the response roles, every deployer (per-account overrides and the CI apply role) and the exemption admins', () => {
    const allowed = statement('ProtectSecurityResponseTagKeys').Condition.ArnNotLike['aws:PrincipalArn'];
    expect([...allowed].sort()).toEqual([
      'arn:aws:iam::*:role/ManagementDeployer',
      'arn:aws:iam::*:role/OrganizationAccountAccessRole',
      'arn:aws:iam::*:role/SecurityExemptionAdmin',
      'arn:aws:iam::*:role/acme-quarantine-user',
      'arn:aws:iam::*:role/acme-respond-*',
      'arn:aws:iam::*:role/security-response-apply',
    ]);
    // Never a session name: the exception is on the role ARN, which the caller cannot choose.
    for (const arn of allowed) expect(arn).not.toMatch(/:sts:|assumed-role/);
  });

  it('keeps a quarantined user quarantined: nobody else may lift its boundary or give it working credentials', () => {
    const hold = statement('KeepQuarantineInPlace');
    expect(hold).toMatchObject({ Effect: 'Deny', Resource: 'arn:aws:iam::*:user/*' });
    expect(hold.Action).toEqual(
      expect.arrayContaining([
        'iam:DeleteUserPermissionsBoundary',
        'iam:PutUserPermissionsBoundary',
        'iam:UpdateAccessKey',
        'iam:CreateAccessKey',
        'iam:CreateLoginProfile',
        'iam:UpdateLoginProfile',
      ]),
    );
    expect(hold.Condition.Null).toEqual({ 'aws:ResourceTag/security-response:quarantined-at': 'false' });
    const sorted = (arns: string[]) => [...arns].sort();
    expect(sorted(hold.Condition.ArnNotLike['aws:PrincipalArn'])).toEqual(
      sorted(statement('ProtectSecurityResponseTagKeys').Condition.ArnNotLike['aws:PrincipalArn']),
    );
  });

  it('keeps anyone but a deployer from creating or changing a role of those names', () => {
    const roles = statement('ProtectTaggingRoles');
    expect(roles.Effect).toBe('Deny');
    expect(roles.Action).toEqual(expect.arrayContaining(['iam:CreateRole', 'iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy', 'iam:AttachRolePolicy']));
    expect(roles.Resource).toEqual(['arn:aws:iam::*:role/acme-*', 'arn:aws:iam::*:role/SecurityExemptionAdmin']);
    expect([...roles.Condition.ArnNotLike['aws:PrincipalArn']].sort()).toEqual([
      'arn:aws:iam::*:role/ManagementDeployer',
      'arn:aws:iam::*:role/OrganizationAccountAccessRole',
      'arn:aws:iam::*:role/security-response-apply',
    ]);
  });

  it('fits the 5,120-character limit of a service control policy', () => {
    expect(policy.content.length).toBeLessThanOrEqual(5120);
  });

  it('is not synthesized with protectTags false, and only ever in the management stack', () => {
    const off = exampleConfig();
    off.organization.protectTags = false;
    expect(resourcesOf(synthJson(buildTestFleet(off).stacks.get('management-us-east-1')!), 'aws_organizations_policy')).toEqual({});
    const { stacks } = buildTestFleet();
    for (const [name, stack] of stacks) {
      if (name !== 'management-us-east-1') expect(resourcesOf(synthJson(stack), 'aws_organizations_policy')).toEqual({});
    }
  });
});
