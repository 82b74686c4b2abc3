import { parseConfig } from '../../config/load';
import { accountProfiles } from '../../scripts/operator/aws-profiles';
import { exampleConfig } from '../helpers/config';
import { buildTestFleet, resourcesOf, synthJson } from '../helpers/fleet';

/** The test organization with the management account deployed through its own role and reservations on. */
function customized() {
  const config = exampleConfig();
  const management = config.accounts.find((a) => a.id === config.organization.managementAccountId)!;
  management.deploymentRoleName = 'management-deployer';
  config.defaults.reservedConcurrency = 5;
  const web = config.accounts.find((a) => a.name === 'web-staging')!;
  web.reservedConcurrency = 'off';
  return config;
}

describe('accounts[].deploymentRoleName', () => {
  const { fleet, stacks } = buildTestFleet(customized());
  /** The profiles a stack's providers name, once each (aliased providers name the same one). */
  const profiles = (name: string) => [...new Set((synthJson(stacks.get(name)!).provider.aws as any[]).map((p) => p.profile as string))];
  const deployRoles = new Map(accountProfiles(fleet, 'deploy').map((p) => [p.profile, p.roleArn]));

  it('every provider of an account names the account profile, aliased providers included, and no role', () => {
    for (const plan of fleet.stacks.filter((s) => s.account.name === 'management')) {
      const providers = synthJson(stacks.get(plan.name)!).provider.aws as any[];
      expect(new Set(providers.map((p) => p.profile))).toEqual(new Set(['acme-management']));
      for (const p of providers) expect(p.assume_role).toBeUndefined();
    }
  });

  it('is the role the deploy profile of that account assumes', () => {
    expect(profiles('management-us-east-1').map((p) => deployRoles.get(p))).toEqual(['arn:aws:iam::111111111111:role/management-deployer']);
  });

  it('leaves the other accounts on organization.deploymentRoleName', () => {
    expect(profiles('payments-prod-eu-west-1').map((p) => deployRoles.get(p))).toEqual(['arn:aws:iam::333333333333:role/OrganizationAccountAccessRole']);
  });

  it('is validated as an IAM role name', () => {
    const config = exampleConfig();
    config.accounts[0].deploymentRoleName = 'not a role';
    expect(() => parseConfig(config)).toThrow('$.accounts[0].deploymentRoleName: must be an IAM role name');
  });
});

describe('reservedConcurrency', () => {
  const reservations = (json: any) =>
    Object.fromEntries(Object.values(resourcesOf(json, 'aws_lambda_function')).map((f: any) => [f.function_name, f.reserved_concurrent_executions]));

  it('reserves nothing by default: a new account may have a concurrency quota of 10', () => {
    const { stacks } = buildTestFleet();
    expect(reservations(synthJson(stacks.get('security-us-east-1')!))).toEqual({
      'acme-respond': undefined,
      'acme-quarantine-user': undefined,
      'acme-escalate': undefined,
    });
  });

  it('reserves the setting for respond, 2 for quarantine-user and escalate, and room for route’s pollers, flush and an evidence replay when on; an account can turn it off', () => {
    const { stacks } = buildTestFleet(customized());
    expect(reservations(synthJson(stacks.get('security-us-east-1')!))).toEqual({
      'acme-respond': 5,
      'acme-quarantine-user': 2,
      'acme-escalate': 2,
      // Two pollers each for the intake and the ticket job queue, and the minute's flush.
      'acme-route': 6,
    });
    const withoutTickets = customized();
    delete withoutTickets.notifications!.tickets;
    expect(reservations(synthJson(buildTestFleet(withoutTickets).stacks.get('security-us-east-1')!))['acme-route']).toBe(4);
    expect(reservations(synthJson(stacks.get('payments-prod-eu-west-1')!))).toEqual({ 'acme-respond': 5 });
    expect(reservations(synthJson(stacks.get('web-staging-us-east-1')!))).toEqual({ 'acme-respond': undefined, 'acme-quarantine-user': undefined });
  });

  it('refuses 0, which would throttle every invocation', () => {
    const config = exampleConfig();
    config.defaults.reservedConcurrency = 0;
    expect(() => parseConfig(config)).toThrow('$.defaults.reservedConcurrency: must be "off" or a whole number of executions from 1 to 1000');
  });
});
