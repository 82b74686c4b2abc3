import { STACK_ROLES, type StackRole } from './stack-roles';
import { effectiveActionMode, REMEDIATION_ACTIONS, type RemediationAction, type ActionMode } from '../functions/shared/catalogue';
import { arns, names } from '../functions/shared/naming';
import type { ResponderSettings } from '../functions/shared/settings';
import type { AccountConfig, Config } from './schema';

/** One account with every setting resolved against `defaults`. */
export interface ResolvedAccount {
  id: string;
  name: string;
  owner?: string;
  production: boolean;
  regions: string[];
  /** First listed region: holds the account's global pieces (IAM). */
  primaryRegion: string;
  /** Role the deployer assumes here: accounts[].deploymentRoleName, else organization.deploymentRoleName. */
  deploymentRoleName: string;
  /**
   * The AWS shared-config profile the stack's providers use (`<org>-<account name>`). The stacks
   * name no role: the profile decides, so a plan can run read-only and an apply with the
   * deployment role from the same synthesized code (`npm run aws-profiles`).
   */
  profile: string;
  /** accounts[].retired: its stacks hold only provider and backend, so applying them destroys the responders. */
  retired: boolean;
  /** accounts[].email: the Detective member resource needs it (required with organization.detective). */
  email?: string;
  /** Reserved concurrency of `respond` (quarantine-user and escalate: 2), or undefined for none. */
  reservedConcurrency?: number;
  settingsFor(region: string): ResponderSettings;
}

/** What one `<account name>-<region>` stack holds; the stacks/ code turns it into resources. */
export interface StackPlan {
  name: string;
  account: ResolvedAccount;
  region: string;
  /** The account's first region: quarantine policy and the us-east-1 CreateUser detection. */
  primary: boolean;
  /** What kind of stack it is (config/stack-roles.ts): its Terraform class, deploy wave and diagram. */
  role: StackRole;
  settings: ResponderSettings;
  /** Stacks to deploy first (names). */
  dependsOn: string[];
}

export interface Fleet {
  config: Config;
  accounts: ResolvedAccount[];
  stacks: StackPlan[];
  alertTopicArn: string;
}

export function stackName(accountName: string, region: string): string {
  return `${accountName}-${region}`;
}

function resolveAccount(config: Config, account: AccountConfig): ResolvedAccount {
  const d = config.defaults;
  const org = config.organization.name;
  const regions = account.regions ?? d.regions;
  const mode = account.mode ?? d.mode;
  const actionSettings = { ...d.remediations, ...account.remediations };
  const actions = Object.fromEntries(REMEDIATION_ACTIONS.map((a) => [a, effectiveActionMode(mode, actionSettings[a])])) as Record<
    RemediationAction,
    ActionMode
  >;
  const alertTopicArn = arns.alertTopic(config.organization.securityAccountId, config.organization.homeRegion, org);
  const reserved = account.reservedConcurrency ?? d.reservedConcurrency;
  return {
    id: account.id,
    name: account.name,
    owner: account.owner,
    production: account.production,
    regions,
    primaryRegion: regions[0],
    deploymentRoleName: account.deploymentRoleName ?? config.organization.deploymentRoleName,
    profile: `${org}-${account.name}`,
    retired: account.retired,
    ...(account.email ? { email: account.email } : {}),
    ...(reserved === 'off' ? {} : { reservedConcurrency: reserved }),
    settingsFor: (region) => ({
      organization: org,
      accountId: account.id,
      accountName: account.name,
      region,
      ...(account.owner ? { owner: account.owner } : {}),
      production: account.production,
      mode,
      actions,
      notifyMinSeverity: account.notifyMinSeverity ?? d.notifyMinSeverity,
      criticalResourceTags: account.criticalResourceTags,
      authorizedPublicPorts: account.authorizedPublicPorts ?? d.authorizedPublicPorts,
      ...((account.replacementIngressCidr ?? d.replacementIngressCidr)
        ? { replacementIngressCidr: account.replacementIngressCidr ?? d.replacementIngressCidr }
        : {}),
      ...((account.findingsFeed ?? d.findingsFeed) === 'ocsf' ? { findingsFeed: 'ocsf' as const } : {}),
      ...((account.detachInstanceProfileOnIsolation ?? d.detachInstanceProfileOnIsolation) ? { detachInstanceProfileOnIsolation: true } : {}),
      alertTopicArn,
      evidence: {
        bucket: names.evidenceBucket(org, config.organization.securityAccountId, config.organization.homeRegion),
        region: config.organization.homeRegion,
      },
      quarantinePolicyArn: arns.quarantinePolicy(account.id, org),
      quarantine: {
        trustedCreators: account.quarantine?.trustedCreators ?? [],
        exemptUserNames: account.quarantine?.exemptUserNames ?? [],
      },
    }),
  };
}

/**
 * Resolves a validated configuration into the list of stacks, in deploy order:
 * the management home stack (delegated administrators) first, then the security home stack
 * (aggregation, central configuration, alert topic), then every other stack.
 */
export function planFleet(config: Config): Fleet {
  const org = config.organization;
  const accounts = config.accounts.map((a) => resolveAccount(config, a));
  const homeStackOf = (accountId: string, field: string): string => {
    const account = accounts.find((a) => a.id === accountId);
    if (!account) throw new Error(`organization.${field} ${accountId} is not one of the accounts`);
    return stackName(account.name, org.homeRegion);
  };
  const managementHome = homeStackOf(org.managementAccountId, 'managementAccountId');
  const securityHome = homeStackOf(org.securityAccountId, 'securityAccountId');

  const stacks: StackPlan[] = [];
  for (const account of accounts) {
    for (const region of account.regions) {
      const name = stackName(account.name, region);
      const isManagementHome = account.id === org.managementAccountId && region === org.homeRegion;
      const isSecurity = account.id === org.securityAccountId;
      const isSecurityHome = isSecurity && region === org.homeRegion;
      const dependsOn = isManagementHome ? [] : isSecurityHome ? [managementHome] : [securityHome];
      const role: StackRole = account.retired
        ? 'retired'
        : isManagementHome
          ? 'management-home'
          : isSecurityHome
            ? 'security-home'
            : isSecurity
              ? 'security-region'
              : 'workload';
      stacks.push({
        name,
        account,
        region,
        primary: region === account.primaryRegion,
        role,
        settings: account.settingsFor(region),
        dependsOn: dependsOn.filter((d) => d !== name),
      });
    }
  }
  stacks.sort((a, b) => STACK_ROLES[a.role].wave - STACK_ROLES[b.role].wave);
  return { config, accounts, stacks, alertTopicArn: arns.alertTopic(org.securityAccountId, org.homeRegion, org.name) };
}

/** Every region any active account of the organization lists, sorted (the security account lists them all). */
export function organizationRegions(fleet: Fleet): string[] {
  return [...new Set(activeStacks(fleet).map((s) => s.region))].sort();
}

/** The stacks of accounts that are not retired: what the security and management stacks serve. */
export function activeStacks(fleet: Fleet): StackPlan[] {
  return fleet.stacks.filter((s) => s.role !== 'retired');
}

/** The security account's home-region stack: escalation, aggregation, the alert topic. */
export function securityHomeStack(fleet: Fleet): StackPlan {
  const stack = fleet.stacks.find((s) => s.role === 'security-home');
  if (!stack) throw new Error('the fleet has no security-home stack');
  return stack;
}
