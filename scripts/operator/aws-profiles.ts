import type { Fleet } from '../../config/fleet';
import { arns } from '../../functions/shared/naming';

/** Which role the profiles assume: the read-only role (every plan) or the deployment role (apply). */
export type ProfileRole = 'read' | 'deploy';

/** Where the profiles' own credentials come from before they assume their role. */
export type ProfileSource = { credentialSource: 'Environment' } | { sourceProfile: string };

export interface AccountProfile {
  profile: string;
  accountId: string;
  roleArn: string;
}

/** The role each account's profile assumes for `role`. */
export function accountProfiles(fleet: Fleet, role: ProfileRole): AccountProfile[] {
  const ci = fleet.config.organization.ci;
  return fleet.accounts.map((a) => ({
    profile: a.profile,
    accountId: a.id,
    roleArn: arns.role(a.id, role === 'read' ? ci.readRoleName : a.deploymentRoleName),
  }));
}

/**
 * An AWS shared config file (INI) with one profile per account, named as the stacks' providers
 * name them. The same synthesized stacks then plan read-only or apply with the deployment role,
 * depending only on which file the run uses (AWS_CONFIG_FILE).
 */
export function awsProfilesConfig(fleet: Fleet, role: ProfileRole, source: ProfileSource): string {
  const org = fleet.config.organization.name;
  const from = 'credentialSource' in source ? `credential_source = ${source.credentialSource}` : `source_profile = ${source.sourceProfile}`;
  const header = `# ${org}: ${role === 'read' ? 'read-only plan' : 'deployment'} profiles, written by npm run aws-profiles -- --role ${role}\n`;
  return (
    header +
    accountProfiles(fleet, role)
      .map((p) => `\n[profile ${p.profile}]\nrole_arn = ${p.roleArn}\n${from}\nrole_session_name = ${org}-security-response-${role}\n`)
      .join('')
  );
}
