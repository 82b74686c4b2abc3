import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { AwsPort } from '../shared/aws';
import type { Log } from '../shared/log';
import { deliver, type DeliveryTargets } from '../shared/routing/delivery';
import { IntakeError, readIntake, type IntakeAlert } from '../shared/routing/intake';
import { flushDigests, routeAlert, type OutgoingAlert, type StormStore } from '../shared/routing/route';
import type { TicketSettings } from '../shared/routing/settings';
import type { StormSettings } from '../shared/routing/storm';
import { handleTicketJob, TICKET_BUDGET_MS, ticketAlert, type TicketDeps, type TicketStore } from '../shared/routing/tickets';
import type { TicketSystem } from '../shared/tickets/ticket';

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

export interface RouterDeps {
  readonly aws: AwsPort;
  readonly store: StormStore & TicketStore;
  readonly log: Log;
  readonly now: () => Date;
  /** The ticket systems' clients. @default none (no tickets configured) */
  readonly ticketClients?: TicketDeps['clients'] & { systems(): TicketSystem[] };
  /** Writes each ticket's evidence record (route-evidence.ts). @default no records */
  readonly recordTicket?: TicketDeps['recordTicket'];
}

export interface RouterConfig {
  readonly storm: StormSettings;
  readonly targets: DeliveryTargets;
  /** With the security account's home region, where the router runs. @default no tickets */
  readonly tickets?: TicketSettings & { readonly region: string };
}

/** The ticket step's dependencies, when tickets are configured: one per batch (what failed is forgotten with it). */
function ticketDeps(config: RouterConfig, deps: RouterDeps): TicketDeps | undefined {
  if (!config.tickets || !deps.ticketClients) return undefined;
  return {
    settings: config.tickets,
    region: config.tickets.region,
    clients: deps.ticketClients,
    store: deps.store,
    aws: deps.aws,
    log: deps.log,
    unavailable: new Map(),
    deadline: deps.now().getTime() + TICKET_BUDGET_MS,
    now: deps.now,
    ...(deps.recordTicket ? { recordTicket: deps.recordTicket } : {}),
  };
}

/** A record of the ticket job queue (retries and undo notes), as opposed to the intake queue. */
function fromJobQueue(record: SQSRecord, tickets: TicketSettings | undefined): boolean {
  const queueName = tickets?.jobQueueUrl.split('/').pop();
  return queueName !== undefined && record.eventSourceARN.split(':').pop() === queueName;
}

export interface IntakeSummary {
  readonly now: number;
  readonly held: number;
  readonly duplicates: number;
  /** Messages that are not SNS notifications: left to the queue's retries and its dead-letter queue, where the alarm sees them. */
  readonly unreadable: number;
  /** Alerts whose e-mail could not be published: retried by the queue. */
  readonly failed: number;
  readonly chatFailures: number;
  readonly ticketsOpened: number;
  readonly ticketComments: number;
  /** Ticket requests that failed and went to the job queue, or job queue messages that failed again. */
  readonly ticketFailures: number;
}

/**
 * One batch of the intake queue. Each message is handled on its own: one that fails is returned as
 * a batch item failure (the queue retries it, then dead-letters it), the rest are still delivered.
 */
export async function handleIntake(event: SQSEvent, config: RouterConfig, deps: RouterDeps): Promise<{ response: SQSBatchResponse; summary: IntakeSummary }> {
  const failures: string[] = [];
  const summary = { now: 0, held: 0, duplicates: 0, unreadable: 0, failed: 0, chatFailures: 0, ticketsOpened: 0, ticketComments: 0, ticketFailures: 0 };
  const send = async (out: OutgoingAlert) => {
    const outcome = await deliver(out, config.targets, deps.aws, deps.log);
    summary.chatFailures += outcome.chatFailures.length;
  };
  const tickets = ticketDeps(config, deps);
  for (const record of event.Records) {
    if (fromJobQueue(record, config.tickets)) {
      try {
        if (!tickets || !deps.ticketClients) throw new Error('a ticket job arrived, but no ticket system is configured');
        const done = await handleTicketJob(record.body, { ...tickets, send }, deps.ticketClients.systems());
        summary.ticketsOpened += done.opened;
        summary.ticketComments += done.comments;
      } catch (e) {
        summary.ticketFailures += 1;
        deps.log.error('ticket job failed; the queue retries it, then keeps it in its dead-letter queue', { messageId: record.messageId, error: describe(e) });
        failures.push(record.messageId);
      }
      continue;
    }
    try {
      const alert = readIntake(record.body);
      const admission = await routeAlert(alert, config.storm, {
        store: deps.store,
        send,
        ...(tickets
          ? {
              tickets: async (a: IntakeAlert) => {
                const outcome = await ticketAlert(a, tickets);
                summary.ticketsOpened += outcome.opened;
                summary.ticketComments += outcome.comments;
                summary.ticketFailures += outcome.failures;
                return outcome.alert;
              },
            }
          : {}),
      });
      if (admission === 'now') summary.now += 1;
      else if (admission === 'held') summary.held += 1;
      else summary.duplicates += 1;
    } catch (e) {
      const error = describe(e);
      if (e instanceof IntakeError) summary.unreadable += 1;
      else summary.failed += 1;
      deps.log.error('intake message not routed', { messageId: record.messageId, error });
      failures.push(record.messageId);
    }
  }
  return { response: { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) }, summary };
}

/** The scheduled flush: every digest whose window has ended. */
export async function handleFlush(config: RouterConfig, deps: RouterDeps) {
  let chatFailures = 0;
  const result = await flushDigests(deps.now(), config.storm, {
    store: deps.store,
    send: async (out) => {
      chatFailures += (await deliver(out, config.targets, deps.aws, deps.log)).chatFailures.length;
    },
  });
  if (result.failed > 0) deps.log.error('digests not sent; they stay held for the next flush', { failed: result.failed });
  return { ...result, chatFailures };
}

/** The scheduled rule's event (EventBridge "Scheduled Event"), as opposed to a batch of the intake queue. */
export function isScheduledFlush(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as Record<string, unknown>)['detail-type'] === 'Scheduled Event';
}
