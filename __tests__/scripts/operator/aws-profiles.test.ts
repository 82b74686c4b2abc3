import { parseConfig } from '../../../config/load';
import { accountProfiles, awsProfilesConfig } from '../../../scripts/operator/aws-profiles';
import { exampleConfig } from '../../helpers/config';
import { buildTestFleet, synthJson } from '../../helpers/fleet';

describe('aws-profiles', () => {
  const config = exampleConfig();
  config.accounts.find((a) => a.name === 'management')!.deploymentRoleName = 'management-deployer';
  const fleet = parseConfig(config);

  it('has one profile per account, named as the stacks providers name it', () => {
    const { stacks } = buildTestFleet(config);
    const named = new Set([...stacks.values()].flatMap((s) => (synthJson(s).provider.aws as any[]).map((p) => p.profile)));
    expect(new Set(accountProfiles(fleet, 'read').map((p) => p.profile))).toEqual(named);
  });

  it('read profiles assume only the read-only role: a plan never names a deployment role', () => {
    const text = awsProfilesConfig(fleet, 'read', { credentialSource: 'Environment' });
    expect(text).toContain('[profile acme-payments-prod]\nrole_arn = arn:aws:iam::333333333333:role/security-response-read\ncredential_source = Environment\n');
    for (const account of fleet.accounts) expect(text).not.toContain(account.deploymentRoleName);
    expect(text.match(/^role_arn = /gm)).toHaveLength(fleet.accounts.length);
  });

  it('deploy profiles assume each account deployment role, the per-account one included', () => {
    const text = awsProfilesConfig(fleet, 'deploy', { sourceProfile: 'admin' });
    expect(text).toContain('[profile acme-management]\nrole_arn = arn:aws:iam::111111111111:role/management-deployer\nsource_profile = admin\n');
    expect(text).toContain('[profile acme-payments-prod]\nrole_arn = arn:aws:iam::333333333333:role/OrganizationAccountAccessRole\n');
    expect(text).not.toContain('security-response-read');
  });

  it('the synthesized stacks name no role at all', () => {
    const { stacks } = buildTestFleet(config);
    for (const [name, stack] of stacks) {
      const providers = synthJson(stack).provider.aws as any[];
      expect({ name, roles: providers.filter((p) => p.assume_role || p.assume_role_with_web_identity) }).toEqual({ name, roles: [] });
    }
  });
});
