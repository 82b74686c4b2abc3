import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, configPath, loadFleet, parseConfig } from '../../config/load';
import type { RawConfig } from '../../config/schema';
import { exampleConfig } from '../helpers/config';

/** The lines a bad configuration produces (the same lines synthesis prints). */
function problems(mutate: (c: any) => void): string[] {
  const config = exampleConfig() as any;
  mutate(config);
  try {
    parseConfig(config as RawConfig, 'accounts.json');
  } catch (error) {
    if (error instanceof ConfigError) return error.lines();
    throw error;
  }
  throw new Error('configuration was accepted');
}

describe('accounts.json validation', () => {
  it('accepts the shipped example organization', () => {
    const fleet = parseConfig(exampleConfig());
    expect(fleet.stacks).toHaveLength(12);
  });

  it.each([
    ['an account id that is not 12 digits', (c: any) => (c.accounts[2].id = '33333333333'), '$.accounts[2].id: must be a 12-digit AWS account id (got "33333333333")'],
    ['a duplicate account id', (c: any) => (c.accounts[3].id = c.accounts[2].id), '$.accounts[3].id: duplicate account id, also at accounts[2] (got "333333333333")'],
    ['a duplicate account name', (c: any) => (c.accounts[4].name = 'payments-prod'), '$.accounts[4].name: duplicate account name, also at accounts[2] (got "payments-prod")'],
    ['an unknown region', (c: any) => (c.accounts[2].regions[1] = 'eu-west-9'), '$.accounts[2].regions[1]: must be an AWS region code such as us-east-1 (got "eu-west-9")'],
    ['a management account that is not listed', (c: any) => (c.organization.managementAccountId = '999999999999'), '$.organization.managementAccountId: the management account is not listed in accounts (got "999999999999")'],
    ['a security account that is not listed', (c: any) => (c.organization.securityAccountId = '999999999999'), '$.organization.securityAccountId: the security account is not listed in accounts (got "999999999999")'],
    ['a home region the security account does not list', (c: any) => (c.organization.homeRegion = 'eu-central-1'), '$.organization.homeRegion: the home region is not among the management account\'s regions (us-east-1, eu-west-1) (got "eu-central-1")'],
    ['an unknown mode', (c: any) => (c.accounts[2].mode = 'fix'), '$.accounts[2].mode: must be one of observe, enforce (got "fix")'],
    ['an unknown remediation action', (c: any) => (c.defaults.remediations.NUKE_ACCOUNT = 'enforce'), '$.defaults.remediations.NUKE_ACCOUNT: is not a catalogue action (REVOKE_PUBLIC_INGRESS'],
    ['an unknown action mode', (c: any) => (c.defaults.remediations.ISOLATE_EC2_INSTANCE = 'maybe'), '$.defaults.remediations.ISOLATE_EC2_INSTANCE: must be one of off, observe, enforce (got "maybe")'],
    ['an unknown severity', (c: any) => (c.defaults.notifyMinSeverity = 'SEVERE'), '$.defaults.notifyMinSeverity: must be one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL (got "SEVERE")'],
    ['an unknown standard', (c: any) => (c.defaults.standards[1] = 'iso-27001/v/1.0.0'), '$.defaults.standards[1]: must be a known standard'],
    ['an account with no region', (c: any) => (c.accounts[3].regions = []), '$.accounts[3].regions: must list at least one region (got [])'],
    ['a misspelt field', (c: any) => (c.accounts[2].remediation = {}), '$.accounts[2].remediation: unknown field'],
    ['a missing organization id', (c: any) => delete c.organization.id, '$.organization.id: is required'],
    ['an owner that is no team', (c: any) => (c.accounts[4].owner = 'marketing'), '$.accounts[4].owner: owner is not a team in notifications.teams'],
    ['a workload region the security account does not cover', (c: any) => c.accounts[3].regions.push('ap-southeast-2'), '$.accounts[3].regions[2]: region is not among the security account\'s regions (us-east-1, eu-west-1, eu-central-1); its automation rules would not reach data-lake-prod there (got "ap-southeast-2")'],
    ['a region listed twice', (c: any) => (c.accounts[2].regions = ['us-east-1', 'us-east-1']), '$.accounts[2].regions[1]: region listed twice (got "us-east-1")'],
  ])('rejects %s with one line naming the path and the value', (_case, mutate, expected) => {
    const lines = problems(mutate);
    expect(lines).toEqual([expect.stringContaining(`accounts.json: ${expected}`)]);
  });

  it('reports every problem of a file, one line each', () => {
    const lines = problems((c) => {
      c.accounts[2].id = 'abc';
      c.accounts[3].regions = ['mars-north-1'];
      c.defaults.mode = 'panic';
    });
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).toMatch(/\$\.accounts\[2\]\.id/);
    expect(lines.join('\n')).toMatch(/\$\.accounts\[3\]\.regions\[0\]/);
    expect(lines.join('\n')).toMatch(/\$\.defaults\.mode/);
  });

  it('rejects a home region outside the security account regions', () => {
    const lines = problems((c) => (c.accounts[1].regions = ['eu-west-1', 'eu-central-1']));
    expect(lines).toContain('accounts.json: $.organization.homeRegion: the home region is not among the security account\'s regions (eu-west-1, eu-central-1) (got "us-east-1")');
  });

  it('rejects more automation rules than Security Hub allows in a region', () => {
    const lines = problems((c) => {
      c.acceptedRisks = Array.from({ length: 99 }, () => ({ controlId: 'IAM.6', reason: 'accepted for the test case' }));
    });
    expect(lines[0]).toContain('needs 101 automation rules');
  });

  it('names a file that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'accounts.json');
    writeFileSync(file, '{ "organization": ');
    expect(() => loadFleet(file)).toThrow(/accounts\.json: 1 problem\(s\)\n\$: not valid JSON/);
  });

  it('reads ACCOUNTS_FILE when it is set, else accounts.json in the working directory', () => {
    expect(configPath({ ACCOUNTS_FILE: 'orgs/other.json' }, '/repo')).toBe('/repo/orgs/other.json');
    expect(configPath({}, '/repo')).toBe('/repo/accounts.json');
  });
});

describe('resolved settings', () => {
  const fleet = parseConfig(exampleConfig());
  const settings = (stack: string) => fleet.stacks.find((s) => s.name === stack)!.settings;

  it('an account in observe mode never gets an enforced action, whatever defaults say', () => {
    expect(Object.values(settings('web-staging-us-east-1').actions)).not.toContain('enforce');
  });

  it('an enforce account keeps per-action overrides: off stays off, observe stays observe', () => {
    expect(settings('security-us-east-1').actions.ISOLATE_EC2_INSTANCE).toBe('observe');
    expect(settings('payments-prod-eu-west-1').actions.ISOLATE_EC2_INSTANCE).toBe('enforce');
    expect(settings('payments-prod-eu-west-1').actions.REVOKE_PUBLIC_INGRESS).toBe('enforce');
  });

  it('account fields override defaults', () => {
    expect(settings('web-staging-us-east-1').notifyMinSeverity).toBe('HIGH');
    expect(settings('data-lake-prod-eu-west-1').notifyMinSeverity).toBe('MEDIUM');
  });

  it('puts the management home stack first and makes every other stack wait for the security home stack', () => {
    expect(fleet.stacks[0].name).toBe('management-us-east-1');
    expect(fleet.stacks[1]).toMatchObject({ name: 'security-us-east-1', dependsOn: ['management-us-east-1'] });
    for (const stack of fleet.stacks.slice(2)) expect(stack.dependsOn).toEqual(['security-us-east-1']);
  });
});
