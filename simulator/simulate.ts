import { securityHomeStack, type Fleet } from '../config/fleet';
import type { Decision, DecisionCall } from '../functions/shared/decision';
import { escalateFindings } from '../functions/shared/escalate';
import { parseEvent, EventError, type EventKind } from '../functions/shared/events';
import type { Finding } from '../functions/shared/finding';
import { silentLog } from '../functions/shared/log';
import { IAM_EVENTS_REGION } from '../functions/shared/naming';
import { quarantineNewUser } from '../functions/shared/quarantine';
import { respondToFindings, type FindingItem } from '../functions/shared/respond';
import type { ResponderSettings } from '../functions/shared/settings';
import { routeDecisions } from './route';
import { EventWorld } from './world';

export interface Simulation {
  kind: EventKind;
  decisions: Decision[];
  /** Storm digests the router would send after the event's window (absent when none). */
  digests?: { calls: DecisionCall[] }[];
}

/** Each published alert through the router (simulator/route.ts), on the decisions as they are printed. */
async function routed(kind: EventKind, decisions: Decision[], fleet: Fleet, world: EventWorld, at: Date): Promise<Simulation> {
  const routing = await routeDecisions(decisions, fleet, world.port(), at);
  const out = decisions.map((d, i) => {
    const r = routing.alerts[i];
    return r ? { ...d, routing: { admission: r.admission, calls: r.calls } } : d;
  });
  return { kind, decisions: out, ...(routing.digests.length > 0 ? { digests: routing.digests } : {}) };
}

/** Options of one simulation: judge as one stack's functions would, or each finding with its own account's settings. */
export interface SimulateOptions {
  /** Stack name (`<account>-<region>`); default: every finding is judged by its own account's responder. */
  stack?: string;
}

function ignoredDecision(finding: Pick<Finding, 'id' | 'accountId' | 'region' | 'severity'>, mode: Decision['mode'], reason: string): Decision {
  return { findingId: finding.id, accountId: finding.accountId, region: finding.region, severity: finding.severity, mode, ignored: true, reason, calls: [] };
}

/**
 * Runs the deployed functions' own decision code on one EventBridge event against the world the
 * event describes. Throws EventError for an event that is not usable, naming what is wrong.
 */
export async function simulate(event: unknown, fleet: Fleet, options: SimulateOptions = {}): Promise<Simulation> {
  const parsed = parseEvent(event);
  const stack = options.stack === undefined ? undefined : fleet.stacks.find((s) => s.name === options.stack);
  if (options.stack !== undefined && !stack)
    throw new EventError(`--stack ${options.stack}: no such stack in the configuration (${fleet.stacks.length} stacks, e.g. ${fleet.stacks[0]?.name})`);
  if (stack?.role === 'retired') throw new EventError(`--stack ${stack.name}: the account is retired, no responder runs there`);
  if (parsed.kind === 'unsupported') return { kind: parsed.kind, decisions: [] };
  // It names findings by id; respond reads them from its hub, which the simulator does not have.
  if (parsed.kind === 'sweep') throw new EventError("a sweep event names findings by id only: simulate the findings' own Imported event instead");
  if (parsed.kind === 'evidence-replay')
    throw new EventError('an evidence replay moves records a deployed function could not write: there is nothing to simulate');
  if (parsed.kind !== 'iam-create-user' && parsed.problems.length > 0) {
    // A deployed function reports such a finding and handles the rest; the simulator's contract is to name it and stop.
    throw new EventError(parsed.problems[0].message);
  }
  const defaultMode = fleet.config.defaults.mode;
  const now = new Date(Number.isNaN(Date.parse(parsed.envelope.time)) ? 0 : Date.parse(parsed.envelope.time));

  if (parsed.kind === 'iam-create-user') {
    const ev = parsed.createUser;
    // A new user has no access keys yet; its boundary is whatever the creator asked for.
    const world = new EventWorld([], { [ev.userName]: { permissionsBoundary: ev.requestedBoundary } });
    const account = fleet.accounts.find((a) => a.id === ev.accountId);
    const pseudo = { id: ev.eventId, accountId: ev.accountId, region: ev.region, severity: 'HIGH' as const };
    if (!account) return { kind: parsed.kind, decisions: [ignoredDecision(pseudo, defaultMode, `account ${ev.accountId} is not in the configuration`)] };
    if (account.retired)
      return { kind: parsed.kind, decisions: [ignoredDecision(pseudo, defaultMode, `account ${account.name} is retired: nothing of the product runs there`)] };
    if (stack && !(stack.account.id === account.id && stack.primary)) {
      return {
        kind: parsed.kind,
        decisions: [
          ignoredDecision(
            pseudo,
            stack.settings.mode,
            `stack ${stack.name} does not run quarantine-user for account ${ev.accountId} (its primary stack ${account.name}-${account.primaryRegion} does)`,
          ),
        ],
      };
    }
    const settings: ResponderSettings = { ...account.settingsFor(account.primaryRegion), region: IAM_EVENTS_REGION };
    return routed(parsed.kind, [await quarantineNewUser(ev, settings, { aws: world.port(), log: silentLog, now })], fleet, world, now);
  }

  const world = new EventWorld(parsed.findings);
  if (parsed.kind === 'securityhub-custom-action') {
    const security = securityHomeStack(fleet);
    if (stack && stack !== security) {
      return {
        kind: parsed.kind,
        decisions: parsed.findings.map((f) => ignoredDecision(f, stack.settings.mode, `stack ${stack.name} does not run escalate (${security.name} does)`)),
      };
    }
    return routed(
      parsed.kind,
      await escalateFindings(parsed.findings, parsed.action, security.settings, { aws: world.port(), log: silentLog, now }),
      fleet,
      world,
      now,
    );
  }

  // Findings: each judged by the responder that would receive it, all recorded and notified together.
  const decisions: (Decision | undefined)[] = [];
  const items: FindingItem[] = [];
  const slots: number[] = [];
  parsed.findings.forEach((finding, i) => {
    let settings: ResponderSettings | undefined;
    if (stack) settings = stack.settings;
    else {
      const account = fleet.accounts.find((a) => a.id === finding.accountId);
      if (!account) decisions[i] = ignoredDecision(finding, defaultMode, `account ${finding.accountId} is not in the configuration`);
      else if (account.retired) decisions[i] = ignoredDecision(finding, defaultMode, `account ${account.name} is retired: nothing of the product runs there`);
      else if (!account.regions.includes(finding.region))
        decisions[i] = ignoredDecision(
          finding,
          defaultMode,
          `account ${account.name} has no responder in ${finding.region} (regions: ${account.regions.join(', ')})`,
        );
      else settings = account.settingsFor(finding.region);
    }
    // As the deployed rule and handler do: an account takes one Security Hub feed, never both.
    const feed = settings?.findingsFeed ?? 'asff';
    if (settings && (parsed.kind === 'securityhub-finding-v2') !== (feed === 'ocsf')) {
      decisions[i] = ignoredDecision(
        finding,
        settings.mode,
        `${settings.accountName} takes the ${feed.toUpperCase()} feed (findingsFeed), not this event's format`,
      );
      settings = undefined;
    }
    if (settings) {
      items.push({ finding, settings });
      slots.push(i);
    }
  });
  const handled = await respondToFindings(items, { aws: world.port(), log: silentLog, now });
  handled.forEach((h, k) => (decisions[slots[k]] = h.decision));
  return routed(parsed.kind, decisions as Decision[], fleet, world, now);
}
