import { configPath, loadFleet } from '../../config/load';
import { awsProfilesConfig } from './aws-profiles';
import { CliError, EXIT, parseCliArgs, runCli } from '../cli';

const USAGE = 'usage: npm run --silent aws-profiles -- --role read|deploy [--source-profile <name>] > <aws config file>';

/**
 * `npm run --silent aws-profiles -- --role read|deploy [--source-profile <name>]`: prints an AWS
 * config file with one profile per account of accounts.json (the names the stacks' providers
 * use). Without --source-profile the profiles start from the environment's credentials
 * (`credential_source = Environment`: what GitHub OIDC leaves in a job).
 */
runCli('aws-profiles', () => {
  const { values } = parseCliArgs({ args: process.argv.slice(2), options: { role: { type: 'string' }, 'source-profile': { type: 'string' } } }, USAGE);
  const role = values.role;
  if (role !== 'read' && role !== 'deploy')
    throw new CliError(`--role must be read or deploy, got ${role === undefined ? 'nothing' : `"${role}"`}\n${USAGE}`, EXIT.usage);
  const sourceProfile = values['source-profile'];
  if (sourceProfile !== undefined && !/^[\w.@+-]+$/.test(sourceProfile))
    throw new CliError(`--source-profile "${sourceProfile}" is not a profile name`, EXIT.usage);
  const source = sourceProfile ? { sourceProfile } : { credentialSource: 'Environment' as const };
  process.stdout.write(awsProfilesConfig(loadFleet(configPath()), role, source));
});
