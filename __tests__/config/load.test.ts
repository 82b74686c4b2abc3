import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { AWS_REGIONS, STANDARDS } from '../../config/aws';
import { stackName } from '../../config/fleet';
import { REMEDIATION_ACTIONS } from '../../functions/shared/catalogue';
import { ConfigError, configPath, loadFleet, parseConfig } from '../../config/load';
import type { RawConfig } from '../../config/schema';
import { synthesizeFleet } from '../../stacks/synthesize';
import { exampleConfig } from '../helpers/config';
import { ROOT } from '../helpers/fleet';

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

/** Writes a changed copy of the example to a file and synthesizes it as main.ts does. */
function synthesizeMutated(mutate: (c: any) => void) {
  const work = mkdtempSync(join(tmpdir(), 'bad-config-'));
  const file = join(work, 'accounts.json');
  const config = exampleConfig() as any;
  mutate(config);
  writeFileSync(file, JSON.stringify(config));
  const outdir = join(work, 'cdktf.out');
  const result = synthesizeFleet({ accountsFile: file, rootDir: ROOT, outdir });
  return { file, result, wroteOutput: existsSync(outdir) };
}

describe('organization.detective', () => {
  it('needs the email of every active account but the security account, naming each one missing', () => {
    const lines = problems((c) => {
      c.organization.detective = true;
      for (const a of c.accounts) a.email = `aws+${a.name}@example.com`;
      delete c.accounts[2].email;
      delete c.accounts[1].email; // the security account: the graph is its own
    });
    expect(lines).toEqual([
      expect.stringMatching(
        /^accounts\.json: \$\.accounts\[2\]\.email: is required when organization\.detective is true: account payments-prod becomes a member/,
      ),
    ]);
  });

  it('accepts a retired account without email, and refuses an email that is not one', () => {
    const config = exampleConfig() as any;
    config.organization.detective = true;
    for (const a of config.accounts) a.email = `aws+${a.name}@example.com`;
    delete config.accounts[4].email;
    config.accounts[4].retired = true;
    expect(parseConfig(config as RawConfig).config.organization.detective).toBe(true);
    expect(problems((c) => (c.accounts[0].email = 'not-an-address')).join('\n')).toMatch(/\$\.accounts\[0\]\.email: must be an email address/);
  });
});

describe('findingsFeed: one Security Hub feed per account', () => {
  it('refuses the OCSF feed for an account an accepted risk applies to, naming the account and the fix', () => {
    expect(problems((c) => (c.accounts[4].findingsFeed = 'ocsf'))).toEqual([
      expect.stringMatching(
        /^accounts\.json: \$\.accounts\[4\]\.findingsFeed: account web-staging takes the OCSF feed, but acceptedRisks \(EC2\.18\) apply to it .* use "asff" for this account/,
      ),
    ]);
  });

  it('refuses the OCSF feed as the default where an account has critical resource tags', () => {
    expect(
      problems((c) => {
        c.defaults.findingsFeed = 'ocsf';
        c.acceptedRisks = [];
      }).join('\n'),
    ).toMatch(/\$\.defaults\.findingsFeed: account payments-prod takes the OCSF feed, but its criticalResourceTags/);
  });

  it('accepts the OCSF feed where no CSPM automation rule applies, and refuses an unknown feed', () => {
    const config = exampleConfig() as any;
    config.accounts[0].findingsFeed = 'ocsf';
    const fleet = parseConfig(config as RawConfig);
    expect(fleet.stacks.find((s) => s.name === 'management-eu-west-1')!.settings.findingsFeed).toBe('ocsf');
    expect(fleet.stacks.find((s) => s.name === 'security-eu-west-1')!.settings.findingsFeed).toBeUndefined();
    expect(problems((c) => (c.accounts[0].findingsFeed = 'both')).join('\n')).toMatch(/findingsFeed: must be "asff"/);
  });
});

describe('accounts.json validation', () => {
  it('accepts the test organization (the example the repository ships, as a fixture)', () => {
    const fleet = parseConfig(exampleConfig());
    expect(fleet.stacks).toHaveLength(12);
  });

  // One case per rule docs/architecture.md lists ("Rules the validator enforces"), then the others.
  it.each([
    ['12-digit account ids', (c: any) => (c.accounts[2].id = '33333333333'), '$.accounts[2].id: must be a 12-digit AWS account id (got "33333333333")'],
    [
      'unique account ids',
      (c: any) => (c.accounts[3].id = c.accounts[2].id),
      '$.accounts[3].id: duplicate account id, also at accounts[2] (got "333333333333")',
    ],
    [
      'unique account names (and so unique stack names)',
      (c: any) => (c.accounts[4].name = 'payments-prod'),
      '$.accounts[4].name: duplicate account name, also at accounts[2] (got "payments-prod")',
    ],
    [
      'real AWS region codes',
      (c: any) => (c.accounts[2].regions[1] = 'eu-west-9'),
      '$.accounts[2].regions[1]: must be an AWS region code such as us-east-1 (got "eu-west-9")',
    ],
    [
      'the management account listed in accounts',
      (c: any) => (c.organization.managementAccountId = '999999999999'),
      '$.organization.managementAccountId: the management account is not listed in accounts (got "999999999999")',
    ],
    [
      'the security account listed in accounts',
      (c: any) => (c.organization.securityAccountId = '999999999999'),
      '$.organization.securityAccountId: the security account is not listed in accounts (got "999999999999")',
    ],
    ['known account modes', (c: any) => (c.accounts[2].mode = 'fix'), '$.accounts[2].mode: must be one of observe, enforce (got "fix")'],
    [
      'known remediation actions',
      (c: any) => (c.defaults.remediations.NUKE_ACCOUNT = 'enforce'),
      `$.defaults.remediations.NUKE_ACCOUNT: is not a catalogue action (${REMEDIATION_ACTIONS.join(', ')})`,
    ],
    [
      'known action modes',
      (c: any) => (c.defaults.remediations.ISOLATE_EC2_INSTANCE = 'maybe'),
      '$.defaults.remediations.ISOLATE_EC2_INSTANCE: must be one of off, observe, enforce (got "maybe")',
    ],
    [
      'known severities',
      (c: any) => (c.defaults.notifyMinSeverity = 'SEVERE'),
      '$.defaults.notifyMinSeverity: must be one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL (got "SEVERE")',
    ],
    [
      'known standards',
      (c: any) => (c.defaults.standards[1] = 'iso-27001/v/1.0.0'),
      `$.defaults.standards[1]: must be a known standard: ${Object.keys(STANDARDS).join(', ')} (got "iso-27001/v/1.0.0")`,
    ],
    ['at least one region per account', (c: any) => (c.accounts[3].regions = []), '$.accounts[3].regions: must list at least one region (got [])'],
    [
      'a home region the management account lists',
      (c: any) => (c.organization.homeRegion = 'eu-central-1'),
      '$.organization.homeRegion: the home region is not among the management account\'s regions (us-east-1, eu-west-1) (got "eu-central-1")',
    ],
    ['no misspelt field', (c: any) => (c.accounts[2].remediation = {}), '$.accounts[2].remediation: unknown field'],
    ['an organization id', (c: any) => delete c.organization.id, '$.organization.id: is required'],
    [
      'owners that are teams',
      (c: any) => (c.accounts[4].owner = 'marketing'),
      '$.accounts[4].owner: owner is not a team in notifications.teams (payments, data, web) (got "marketing")',
    ],
    [
      'the security account in every region of the fleet',
      (c: any) => c.accounts[3].regions.push('ap-southeast-2'),
      '$.accounts[3].regions[2]: region is not among the security account\'s regions (us-east-1, eu-west-1, eu-central-1); its automation rules would not reach data-lake-prod there (got "ap-southeast-2")',
    ],
    [
      'each region once per account',
      (c: any) => (c.accounts[2].regions = ['us-east-1', 'us-east-1']),
      '$.accounts[2].regions[1]: region listed twice (got "us-east-1")',
    ],
    [
      'AWS tag characters in critical resource tags',
      (c: any) => (c.accounts[2].criticalResourceTags[0].value = 'pay"ments'),
      '$.accounts[2].criticalResourceTags[0].value: must use only letters, digits, spaces and _ . : / = + - @ (AWS tag characters) (got "pay\\"ments")',
    ],
    [
      'no Terraform expression in free text',
      (c: any) => (c.acceptedRisks[0].reason = 'Costs ${var.x}, accepted'),
      '$.acceptedRisks[0].reason: must not contain double quotes, backslashes, control characters, ${ or %{ (got "Costs ${var.x}, accepted")',
    ],
  ])('requires %s: one line naming the path and the value, and no output written', (_rule, mutate, expected) => {
    const { file, result, wroteOutput } = synthesizeMutated(mutate);
    expect(result).toEqual({ ok: false, problems: [`${file}: ${expected}`] });
    expect(wroteOutput).toBe(false);
  });

  it("requires the home region among the security account's regions, with no output written", () => {
    const { file, result, wroteOutput } = synthesizeMutated((c) => (c.accounts[1].regions = ['eu-west-1', 'eu-central-1']));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toContain(
      `${file}: $.organization.homeRegion: the home region is not among the security account's regions (eu-west-1, eu-central-1) (got "us-east-1")`,
    );
    expect(wroteOutput).toBe(false);
  });

  it('requires unique stack names, which unique account names guarantee: no region code ends another after a hyphen', () => {
    const name = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/);
    const region = fc.constantFrom(...AWS_REGIONS);
    fc.assert(
      fc.property(name, region, name, region, (n1, r1, n2, r2) => {
        fc.pre(n1 !== n2 || r1 !== r2);
        return stackName(n1, r1) !== stackName(n2, r2);
      }),
      { numRuns: 2000 },
    );
    // The exhaustive form of the same argument: no region is a hyphen-suffix of another.
    for (const a of AWS_REGIONS) for (const b of AWS_REGIONS) if (a !== b) expect(b.endsWith(`-${a}`)).toBe(false);
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

describe('notifications.tickets: Jira Cloud and ServiceNow', () => {
  it('accepts both systems, each with its own secret, and takes minSeverity HIGH when it is left out', () => {
    expect(parseConfig(exampleConfig()).config.notifications.tickets).toEqual({
      jira: { baseUrl: 'https://acme.atlassian.net', projectKey: 'SEC', issueType: 'Bug', secretName: 'security-response/jira', minSeverity: 'HIGH' },
      serviceNow: { instanceUrl: 'https://acme.service-now.com', assignmentGroup: 'SecOps', secretName: 'security-response/servicenow', minSeverity: 'HIGH' },
    });
    const config = exampleConfig() as any;
    delete config.notifications.tickets.serviceNow;
    delete config.notifications.tickets.jira.minSeverity;
    expect(parseConfig(config as RawConfig).config.notifications.tickets).toEqual({
      jira: { baseUrl: 'https://acme.atlassian.net', projectKey: 'SEC', issueType: 'Bug', secretName: 'security-response/jira', minSeverity: 'HIGH' },
    });
  });

  it.each([
    [
      'an https:// Jira site (the credentials travel in a header)',
      (c: any) => (c.notifications.tickets.jira.baseUrl = 'http://acme.atlassian.net'),
      'accounts.json: $.notifications.tickets.jira.baseUrl: must be a plain https:// URL (no user, query or fragment): the Jira Cloud site (got "http://acme.atlassian.net")',
    ],
    [
      'a ServiceNow instance URL without credentials in it',
      (c: any) => (c.notifications.tickets.serviceNow.instanceUrl = 'https://admin:pw@acme.service-now.com'),
      'accounts.json: $.notifications.tickets.serviceNow.instanceUrl: must be a plain https:// URL (no user, query or fragment): the ServiceNow instance (got "https://admin:pw@acme.service-now.com")',
    ],
    [
      'a Jira project key',
      (c: any) => (c.notifications.tickets.jira.projectKey = 'sec-1'),
      'accounts.json: $.notifications.tickets.jira.projectKey: must be a Jira project key such as SEC (2–10 capitals, digits, _) (got "sec-1")',
    ],
    [
      'a ServiceNow group name with the encoded-query separator',
      (c: any) => (c.notifications.tickets.serviceNow.assignmentGroup = 'SecOps^ORname=Everyone'),
      'accounts.json: $.notifications.tickets.serviceNow.assignmentGroup: must not contain ^ (ServiceNow encoded queries reserve it) (got "SecOps^ORname=Everyone")',
    ],
    [
      'a secret name Secrets Manager will not read as an ARN suffix',
      (c: any) => (c.notifications.tickets.serviceNow.secretName = 'security-response/servicenow-abcdef'),
      'accounts.json: $.notifications.tickets.serviceNow.secretName: must not end in a hyphen and six characters: Secrets Manager reads that as the suffix of an ARN (got "security-response/servicenow-abcdef")',
    ],
  ])('requires %s: one line naming the path and the value', (_rule, mutate, expected) => {
    expect(problems(mutate)).toEqual([expected]);
  });

  it('refuses one secret for both systems, naming notifications.tickets', () => {
    const lines = problems((c) => (c.notifications.tickets.serviceNow.secretName = c.notifications.tickets.jira.secretName));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^accounts\.json: \$\.notifications\.tickets: jira and serviceNow need a secret each \(their credentials differ\)/);
  });

  it('refuses a misspelt field of a system', () => {
    expect(problems((c) => (c.notifications.tickets.jira.apiToken = 'x'))).toEqual(['accounts.json: $.notifications.tickets.jira.apiToken: unknown field']);
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
