/**
 * The kinds of stack, in one table: what decides a stack's deploy wave and what the diagram lists
 * for it. The Terraform class of each role is `STACK_CLASSES` in stacks/fleet.ts, typed by the
 * same union so that a new role fails to compile until it has one; it lives there so that config
 * and the CLIs never load the provider bindings.
 */
export type StackRole = 'management-home' | 'security-home' | 'security-region' | 'workload' | 'retired';

export interface StackRoleInfo {
  /** Deploy wave: a stack applies after every stack of the earlier waves (stack dependencies). */
  readonly wave: 0 | 1 | 2;
  /** What the stack holds beyond the local responder, as the diagram lists it. */
  diagramLabels(services: OrganizationServices): string[];
}

/** The organization-wide services accounts.json turns on (organization.guardDuty, organization.detective). */
export interface OrganizationServices {
  guardDuty: boolean;
  detective: boolean;
}

/** `GuardDuty and Detective`, `GuardDuty`, ... for the labels. */
const delegated = ({ guardDuty, detective }: OrganizationServices) => [...(guardDuty ? ['GuardDuty'] : []), ...(detective ? ['Detective'] : [])];
const adminLabels = (services: OrganizationServices) => delegated(services).map((s) => (s === 'Detective' ? 'Detective graph' : `${s} admin`));

export const STACK_ROLES: Readonly<Record<StackRole, StackRoleInfo>> = {
  /** Management account, home region: the delegated administrators. */
  'management-home': {
    wave: 0,
    diagramLabels: (services) => {
      const every = delegated(services);
      return [every.length > 0 ? `delegated admin (${every.join(', ')}: every region)` : 'delegated admin'];
    },
  },
  /** Security account, home region: aggregation, central configuration, alert topic, escalation, relay, dashboard. */
  'security-home': {
    wave: 1,
    diagramLabels: (services) => [
      'Security Hub on (every region)',
      'aggregator',
      'central configuration',
      'insights',
      'escalate',
      'alarm relay',
      'dashboard',
      'automation rules',
      ...adminLabels(services),
    ],
  },
  /** Security account, other regions: automation rules (they act only in the region that holds them). */
  'security-region': { wave: 2, diagramLabels: (services) => ['automation rules', ...adminLabels(services)] },
  /** Every other account and region (the management account's other regions included). */
  workload: { wave: 2, diagramLabels: () => [] },
  /** A retired account: provider and backend only, so applying it destroys the responders. */
  retired: { wave: 2, diagramLabels: () => [] },
};
