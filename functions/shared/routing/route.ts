import type { Alert } from '../notify';
import { digestAlerts } from './digest';
import type { AlertDetail, Attributes, IntakeAlert } from './intake';
import { alwaysImmediate, windowOf, type StormSettings, type StormWindow } from './storm';
import type { TicketRecord, TicketStore } from './tickets';
import type { TicketSystem } from '../tickets/ticket';

/** An alert kept for its window's digest. */
export interface HeldAlert {
  readonly account: string;
  readonly team: string;
  readonly window: StormWindow;
  readonly alert: IntakeAlert;
}

/**
 * Where the router keeps its storm state (DynamoDB when deployed, memory in the simulator and the
 * benchmark). Every operation is keyed so that a redelivered alert finds what was decided for it.
 */
export interface StormStore {
  /** What was decided for this alert already, if it was delivered before. */
  decided(alertId: string): Promise<'sent' | 'held' | undefined>;
  /** Adds one to the account's count in the window and returns the new count. */
  count(account: string, window: StormWindow): Promise<number>;
  /** Keeps the alert for the window's digest and marks it decided. */
  hold(held: HeldAlert): Promise<void>;
  /** Marks the alert sent, so a redelivery does not send it again. */
  markSent(alertId: string, window: StormWindow): Promise<void>;
  /** Held alerts of windows that ended at or before `now`. */
  due(now: Date): Promise<HeldAlert[]>;
  /** Forgets held alerts whose digest went out. */
  release(held: readonly HeldAlert[]): Promise<void>;
  /**
   * Takes the flush lease for `owner` until `until`, unless another owner holds an unexpired one:
   * two flushes that overlap must not send the same digest twice.
   */
  lease(owner: string, now: Date, until: Date): Promise<boolean>;
  /** Gives the lease back, if `owner` still holds it. */
  unlease(owner: string): Promise<void>;
}

/** How long a flush may hold its lease: twice the function's timeout, so a crashed flush blocks the next one or two at most. */
export const FLUSH_LEASE_MS = 2 * 60_000;

export type Admission = 'now' | 'held' | 'duplicate';

/**
 * Sends at once or holds for the digest. CRITICAL findings and escalations are never counted nor
 * held. The window is the one the alert was published in (SNS's timestamp), so a queue backlog
 * does not move an alert into a later window.
 */
export async function admit(
  alert: IntakeAlert,
  storm: StormSettings,
  store: StormStore,
): Promise<{ admission: Admission; window: StormWindow; count?: number }> {
  const window = windowOf(alert.publishedAt, storm.windowMinutes);
  if (await store.decided(alert.id)) return { admission: 'duplicate', window };
  if (alwaysImmediate(alert.attributes)) return { admission: 'now', window };
  const attributes: Attributes = alert.attributes;
  const account = attributes.account ?? 'unknown';
  const count = await store.count(account, window);
  if (count <= storm.threshold) return { admission: 'now', window, count };
  await store.hold({ account, team: attributes.team ?? 'security', window, alert });
  return { admission: 'held', window, count };
}

/** Held alerts grouped into one digest per window, account and team, oldest window first. */
export function groupDigests(held: readonly HeldAlert[]): HeldAlert[][] {
  const groups = new Map<string, HeldAlert[]>();
  for (const h of held) {
    const key = `${h.window.start.toISOString()}|${h.account}|${h.team}`;
    const group = groups.get(key) ?? [];
    group.push(h);
    groups.set(key, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, group]) => group.sort((a, b) => a.alert.publishedAt.getTime() - b.alert.publishedAt.getTime() || a.alert.id.localeCompare(b.alert.id)));
}

/** The store in memory: the simulator's and the benchmark's, and the model the DynamoDB store is tested against. */
export class MemoryStormStore implements StormStore, TicketStore {
  private readonly decisions = new Map<string, 'sent' | 'held'>();
  private readonly tickets = new Map<string, TicketRecord>();

  ticketOf(system: TicketSystem, findingId: string): Promise<TicketRecord | undefined> {
    return Promise.resolve(this.tickets.get(`${system}|${findingId}`));
  }

  saveTicket(findingId: string, record: TicketRecord): Promise<void> {
    this.tickets.set(`${record.system}|${findingId}`, record);
    return Promise.resolve();
  }

  private readonly claims = new Map<string, { alertId: string; until: Date }>();

  claimTicket(system: TicketSystem, findingId: string, alertId: string, now: Date, until: Date, replacing?: string): Promise<boolean> {
    const key = `${system}|${findingId}`;
    const claim = this.claims.get(key);
    const ticket = this.tickets.get(key);
    if (ticket && ticket.key === replacing) this.tickets.delete(key);
    else if (ticket || (claim && claim.alertId !== alertId && claim.until.getTime() >= now.getTime())) return Promise.resolve(false);
    this.claims.set(key, { alertId, until });
    return Promise.resolve(true);
  }

  private readonly counts = new Map<string, number>();
  private readonly held = new Map<string, HeldAlert>();

  decided(alertId: string): Promise<'sent' | 'held' | undefined> {
    return Promise.resolve(this.decisions.get(alertId));
  }

  count(account: string, window: StormWindow): Promise<number> {
    const key = `${account}|${window.start.toISOString()}`;
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return Promise.resolve(n);
  }

  hold(held: HeldAlert): Promise<void> {
    this.held.set(held.alert.id, held);
    this.decisions.set(held.alert.id, 'held');
    return Promise.resolve();
  }

  markSent(alertId: string): Promise<void> {
    this.decisions.set(alertId, 'sent');
    return Promise.resolve();
  }

  due(now: Date): Promise<HeldAlert[]> {
    return Promise.resolve([...this.held.values()].filter((h) => h.window.end.getTime() <= now.getTime()));
  }

  release(held: readonly HeldAlert[]): Promise<void> {
    for (const h of held) this.held.delete(h.alert.id);
    return Promise.resolve();
  }

  private leaseHeld?: { owner: string; until: Date };

  lease(owner: string, now: Date, until: Date): Promise<boolean> {
    if (this.leaseHeld && this.leaseHeld.owner !== owner && this.leaseHeld.until.getTime() > now.getTime()) return Promise.resolve(false);
    this.leaseHeld = { owner, until };
    return Promise.resolve(true);
  }

  unlease(owner: string): Promise<void> {
    if (this.leaseHeld?.owner === owner) this.leaseHeld = undefined;
    return Promise.resolve();
  }
}

/** One message the router sends out: an alert as published, or one digest (part). */
export interface OutgoingAlert {
  readonly alert: Alert;
  readonly detail?: AlertDetail;
  /** The intake alerts this message carries (one, or a digest's). */
  readonly alertIds: readonly string[];
  /** A digest's findings, one line each (chat lists these). */
  readonly entries?: readonly string[];
}

export interface RouterDeps {
  readonly store: StormStore;
  /** Delivers one message to e-mail and chat; throws when it could not. */
  readonly send: (message: OutgoingAlert) => Promise<void>;
  /** The ticket step (tickets.ts): returns the alert with its ticket lines. @default no tickets */
  readonly tickets?: (alert: IntakeAlert) => Promise<IntakeAlert>;
}

/**
 * Routes one intake alert: its tickets, then sent now (and marked sent), held for the digest, or
 * recognised as a redelivery. A send that throws leaves the alert unmarked, so the queue's retry sends it again.
 */
export async function routeAlert(intake: IntakeAlert, storm: StormSettings, deps: RouterDeps): Promise<Admission> {
  if (await deps.store.decided(intake.id)) return 'duplicate';
  // Tickets first, whatever the storm: a held alert's digest line names its ticket too.
  const alert = deps.tickets ? await deps.tickets(intake) : intake;
  const { admission, window } = await admit(alert, storm, deps.store);
  if (admission !== 'now') return admission;
  await deps.send({ alert: { subject: alert.subject, message: alert.message, attributes: alert.attributes }, detail: alert.detail, alertIds: [alert.id] });
  await deps.store.markSent(alert.id, window);
  return admission;
}

/**
 * Sends the digests of every window that has ended, then forgets their alerts. A digest whose send
 * throws stays held and is tried again at the next flush; the others still go out.
 */
export async function flushDigests(
  now: Date,
  storm: StormSettings,
  deps: RouterDeps,
  owner = `flush-${now.toISOString()}-${Math.random().toString(36).slice(2, 10)}`,
): Promise<{ digests: number; alerts: number; failed: number; skipped: boolean }> {
  let digests = 0;
  let alerts = 0;
  let failed = 0;
  // Another flush is still at work (one that ran past a minute): it sends these digests.
  if (!(await deps.store.lease(owner, now, new Date(now.getTime() + FLUSH_LEASE_MS)))) return { digests, alerts, failed, skipped: true };
  try {
    for (const group of groupDigests(await deps.store.due(now))) {
      try {
        for (const part of digestAlerts(group, storm.threshold)) {
          await deps.send(part);
          digests += 1;
        }
        await deps.store.release(group);
        alerts += group.length;
      } catch {
        failed += 1;
      }
    }
  } finally {
    await deps.store.unlease(owner);
  }
  return { digests, alerts, failed, skipped: false };
}
