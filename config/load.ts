import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { MAX_AUTOMATION_RULES, MAX_LAMBDA_ENV_BYTES } from './aws';
import { planFleet, stackName, type Fleet } from './fleet';
import { ConfigSchema, type Config } from './schema';
import { SETTINGS_ENV } from '../functions/shared/settings';
import { REMEDIATION_ACTIONS } from '../functions/shared/catalogue';

/** One problem in accounts.json: where (a JSON path), what is wrong, and the offending value. */
export interface ConfigProblem {
  path: (string | number)[];
  message: string;
  value?: unknown;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`${file}: ${problems.length} problem(s)\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'ConfigError';
  }
  /** One line per problem, as printed by synthesis. */
  lines(): string[] {
    return this.problems.map((p) => `${this.file}: ${formatProblem(p)}`);
  }
}

export function formatPath(path: (string | number)[]): string {
  let out = '$';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`;
  return out;
}

function formatProblem(p: ConfigProblem): string {
  const value = p.value === undefined ? '' : ` (got ${truncate(JSON.stringify(p.value))})`;
  return `${formatPath(p.path)}: ${p.message}${value}`;
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key as string];
  }
  return cur;
}

function fromZod(raw: unknown, issues: z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      // Keys of `remediations` are action names; elsewhere an unknown key is a misspelt field.
      const message = issue.path.at(-1) === 'remediations' ? `is not a catalogue action (${REMEDIATION_ACTIONS.join(', ')})` : 'unknown field';
      return issue.keys.map((key) => ({ path: [...issue.path, key] as (string | number)[], message }));
    }
    const path = issue.path as (string | number)[];
    const value = valueAt(raw, path);
    const message = value === undefined && issue.code === 'invalid_type' ? 'is required' : issue.message;
    return [{ path, message, value }];
  });
}

/** Rules that span fields: uniqueness, references between sections, AWS limits. */
export function crossFieldProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { organization: org, accounts } = config;
  const seenIds = new Map<string, number>();
  const seenNames = new Map<string, number>();
  const seenStacks = new Map<string, string>();
  accounts.forEach((account, i) => {
    if (seenIds.has(account.id))
      problems.push({ path: ['accounts', i, 'id'], message: `duplicate account id, also at accounts[${seenIds.get(account.id)}]`, value: account.id });
    else seenIds.set(account.id, i);
    if (seenNames.has(account.name))
      problems.push({
        path: ['accounts', i, 'name'],
        message: `duplicate account name, also at accounts[${seenNames.get(account.name)}]`,
        value: account.name,
      });
    else seenNames.set(account.name, i);
    const regions = account.regions ?? config.defaults.regions;
    const seenRegions = new Set<string>();
    regions.forEach((region, r) => {
      if (seenRegions.has(region)) problems.push({ path: ['accounts', i, 'regions', r], message: 'region listed twice', value: region });
      seenRegions.add(region);
      const name = stackName(account.name, region);
      const other = seenStacks.get(name);
      if (other && other !== account.name)
        problems.push({ path: ['accounts', i, 'name'], message: `stack name ${name} is also produced by account ${other}`, value: account.name });
      seenStacks.set(name, account.name);
    });
    // CSPM automation rules (accepted risks, critical resource tags) act on ASFF findings only, so
    // an account on the OCSF feed would remediate an accepted risk and miss a critical tag's raise.
    if ((account.findingsFeed ?? config.defaults.findingsFeed) === 'ocsf') {
      const path = account.findingsFeed ? ['accounts', i, 'findingsFeed'] : ['defaults', 'findingsFeed'];
      const risks = config.acceptedRisks.filter((r) => !r.accountIds || r.accountIds.includes(account.id));
      if (risks.length > 0) {
        problems.push({
          path,
          message: `account ${account.name} takes the OCSF feed, but acceptedRisks (${risks.map((r) => r.controlId).join(', ')}) apply to it and Security Hub CSPM automation rules do not act on OCSF findings: an accepted risk would be remediated; use "asff" for this account`,
          value: 'ocsf',
        });
      }
      if (account.criticalResourceTags.length > 0) {
        problems.push({
          path,
          message: `account ${account.name} takes the OCSF feed, but its criticalResourceTags are raised by a Security Hub CSPM automation rule, which does not act on OCSF findings; use "asff" for this account`,
          value: 'ocsf',
        });
      }
    }
    if (org.detective && !account.retired && account.id !== org.securityAccountId && !account.email) {
      problems.push({
        path: ['accounts', i, 'email'],
        message: `is required when organization.detective is true: account ${account.name} becomes a member of the security account's Detective graph, and Terraform's member resource needs the account's email address (as Organizations lists it)`,
      });
    }
    if (account.owner && Object.keys(config.notifications.teams).length > 0 && !(account.owner in config.notifications.teams)) {
      problems.push({
        path: ['accounts', i, 'owner'],
        message: `owner is not a team in notifications.teams (${Object.keys(config.notifications.teams).join(', ')})`,
        value: account.owner,
      });
    }
  });
  const management = accounts.find((a) => a.id === org.managementAccountId);
  if (!management)
    problems.push({
      path: ['organization', 'managementAccountId'],
      message: 'the management account is not listed in accounts',
      value: org.managementAccountId,
    });
  const security = accounts.find((a) => a.id === org.securityAccountId);
  if (!security)
    problems.push({ path: ['organization', 'securityAccountId'], message: 'the security account is not listed in accounts', value: org.securityAccountId });
  accounts.forEach((a, i) => {
    if (a.retired && (a.id === org.managementAccountId || a.id === org.securityAccountId)) {
      problems.push({
        path: ['accounts', i, 'retired'],
        message: `the ${a.id === org.managementAccountId ? 'management' : 'security'} account cannot be retired: every other stack depends on it`,
        value: true,
      });
    }
  });
  if (org.managementAccountId === org.securityAccountId)
    problems.push({
      path: ['organization', 'securityAccountId'],
      message: 'the security account must not be the management account (AWS does not allow the management account as delegated administrator)',
      value: org.securityAccountId,
    });
  if (security && !(security.regions ?? config.defaults.regions).includes(org.homeRegion)) {
    problems.push({
      path: ['organization', 'homeRegion'],
      message: `the home region is not among the security account's regions (${(security.regions ?? config.defaults.regions).join(', ')})`,
      value: org.homeRegion,
    });
  }
  if (management && !(management.regions ?? config.defaults.regions).includes(org.homeRegion)) {
    problems.push({
      path: ['organization', 'homeRegion'],
      message: `the home region is not among the management account's regions (${(management.regions ?? config.defaults.regions).join(', ')})`,
      value: org.homeRegion,
    });
  }
  // Security Hub CSPM automation rules act only in the region that holds them, so the security
  // account (which holds them) must be in every region any account uses.
  if (security) {
    const securityRegions = new Set(security.regions ?? config.defaults.regions);
    accounts.forEach((account, i) => {
      if (account === security) return;
      const own = account.regions;
      (own ?? config.defaults.regions).forEach((region, r) => {
        if (!securityRegions.has(region)) {
          problems.push({
            path: own ? ['accounts', i, 'regions', r] : ['defaults', 'regions', r],
            message: `region is not among the security account's regions (${[...securityRegions].join(', ')}); its automation rules would not reach ${account.name} there`,
            value: region,
          });
        }
      });
    });
  }
  config.acceptedRisks.forEach((risk, i) =>
    risk.accountIds?.forEach((id, j) => {
      if (!seenIds.has(id)) problems.push({ path: ['acceptedRisks', i, 'accountIds', j], message: 'account is not listed in accounts', value: id });
    }),
  );
  const ruleCount = accounts.filter((a) => a.criticalResourceTags.length > 0).length + config.acceptedRisks.length;
  if (ruleCount > MAX_AUTOMATION_RULES) {
    problems.push({
      path: ['acceptedRisks'],
      message: `needs ${ruleCount} automation rules (one per account with criticalResourceTags, one per accepted risk); Security Hub allows ${MAX_AUTOMATION_RULES} per region`,
      value: config.acceptedRisks.length,
    });
  }
  return problems;
}

/** Limits only visible once settings are resolved, such as Lambda's 4 KB of environment. */
function fleetProblems(config: Config, fleet: Fleet): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const stack of fleet.stacks) {
    const bytes = Buffer.byteLength(SETTINGS_ENV + JSON.stringify(stack.settings));
    if (bytes > MAX_LAMBDA_ENV_BYTES - 256) {
      const i = config.accounts.findIndex((a) => a.id === stack.account.id);
      problems.push({
        path: ['accounts', i],
        message: `resolved function settings for ${stack.name} take ${bytes} bytes; Lambda allows 4 KB of environment (shorten quarantine lists or tags)`,
      });
    }
  }
  return problems;
}

/** Parses and validates a configuration document; throws ConfigError with every problem found. */
export function parseConfig(raw: unknown, file = 'accounts.json'): Fleet {
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(file, fromZod(raw, parsed.error.issues));
  const cross = crossFieldProblems(parsed.data);
  if (cross.length > 0) throw new ConfigError(file, cross);
  const fleet = planFleet(parsed.data);
  const limits = fleetProblems(parsed.data, fleet);
  if (limits.length > 0) throw new ConfigError(file, limits);
  return fleet;
}

/** The configuration file: `ACCOUNTS_FILE` when set, else accounts.json at the repository root. */
export function configPath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return resolve(cwd, env.ACCOUNTS_FILE || 'accounts.json');
}

export function loadFleet(file = configPath()): Fleet {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [{ path: [], message: `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [{ path: [], message: `not valid JSON: ${(error as Error).message}` }]);
  }
  return parseConfig(raw, file);
}
