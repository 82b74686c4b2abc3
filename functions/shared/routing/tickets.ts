import { BatchUpdateFindingsCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CallLog, type AwsPort, type RecordedCall } from '../aws';
import { severitiesAtOrAbove, type Severity } from '../catalogue';
import type { TicketEvidence } from '../evidence/ticket-record';
import type { EvidenceWrite } from '../evidence/write';
import type { Log } from '../log';
import { NOTE_AUTHOR } from '../naming';
import { alertSubject } from '../notify';
import { TicketSystemError } from '../tickets/http';
import { jiraCreateBody } from '../tickets/jira';
import { serviceNowCreateBody } from '../tickets/servicenow';
import { ticketRequestFor, type Ticket, type TicketClient, type TicketRequest, type TicketRequestRecord, type TicketSystem } from '../tickets/ticket';
import { TICKET_FIELD, UNDO_NOTE_PREFIX } from '../undo';
import type { Attributes, IntakeAlert } from './intake';
import type { OutgoingAlert } from './route';
import { severityOf } from './storm';
import type { TicketSettings } from './settings';

/**
 * Tickets, opened by the router in the security account: one per finding at or above a system's
 * minSeverity, or escalated by hand. The router's own table remembers each finding's ticket (Jira's
 * search is eventually consistent); the systems' dedupe keys (Jira label, ServiceNow correlation_id)
 * find it when the table does not. The ticket key is written on the finding for people
 * (`security-response:ticket`), and never read back to decide anything: the finding's fields can
 * be written by anyone in its account, including the actor under investigation.
 */

/** A finding's ticket as the router remembers it. */
export interface TicketRecord {
  readonly system: TicketSystem;
  readonly key: string;
  readonly url: string;
  readonly sysId?: string;
  /** The last alert that opened or commented on it: a redelivered alert adds no second comment. */
  readonly lastAlertId?: string;
  /** The undo note already commented (its UpdatedAt): a finding imported again with the same note adds none. */
  readonly lastUndoNoteAt?: string;
}

/** Where the router keeps its tickets: the routing table when deployed, memory in the simulator. */
export interface TicketStore {
  ticketOf(system: TicketSystem, findingId: string): Promise<TicketRecord | undefined>;
  saveTicket(findingId: string, record: TicketRecord): Promise<void>;
  /**
   * Claims the right to open the finding's ticket in the system until `until`: false when another
   * alert holds an unexpired claim or the ticket is known (but for `replacing`, a ticket key the system
   * no longer has). Two pollers that see the same finding at once must not both create.
   */
  claimTicket(system: TicketSystem, findingId: string, alertId: string, now: Date, until: Date, replacing?: string): Promise<boolean>;
}

/** How long a claim to open a ticket holds: twice the function's timeout. */
export const TICKET_CLAIM_MS = 2 * 60_000;
/**
 * The part of a batch's 60 s the ticket step may start work in; later alerts of the batch queue
 * their tickets for the retry, so a slow system cannot push the batch past the function's timeout.
 */
export const TICKET_BUDGET_MS = 20_000;

/** What the ticket step needs; the clients read their credentials when first used. */
export interface TicketDeps {
  readonly settings: TicketSettings;
  /** The security account's home region: its Security Hub (aggregated findings) and the job queue. */
  readonly region: string;
  readonly clients: { get(system: TicketSystem): Promise<TicketClient>; forget(system: TicketSystem): void };
  readonly store: TicketStore;
  readonly aws: AwsPort;
  readonly log: Log;
  /**
   * Systems that failed earlier in this batch, with why: not asked again until the retry, so one
   * system that does not answer costs a batch one timeout, not one per alert. @default none
   */
  readonly unavailable?: Map<TicketSystem, string>;
  /** When the batch's time for tickets ends (epoch ms). @default no limit */
  readonly deadline?: number;
  /** @default the system clock */
  readonly now?: () => Date;
  /**
   * Writes the evidence record of a ticket opened or commented (route's, loading the S3 client only
   * then). Never throws for a bucket that refuses: the record goes to the dead-letter queue.
   * @default no record (the simulator)
   */
  readonly recordTicket?: (evidence: TicketEvidence) => Promise<EvidenceWrite>;
}

/** Writes the ticket's evidence record; returns the alert's line when it could not be written, else nothing. */
async function recordTicketEvidence(evidence: TicketEvidence, deps: Pick<TicketDeps, 'recordTicket' | 'log'>): Promise<string | undefined> {
  if (!deps.recordTicket) return undefined;
  const what = `The evidence record of ${evidence.ticket.system} ${evidence.ticket.key}`;
  try {
    const written = await deps.recordTicket(evidence);
    if (written.written) return undefined;
    return `${what} was NOT written to the evidence bucket (${written.problem ?? 'error'}); it waits in ${written.where} (an alarm is raised).`;
  } catch (e) {
    // Only the writer's own loading can throw here (writeEvidence keeps every failure of the write).
    deps.log.error('ticket evidence record not written', { findingId: evidence.findingId, ticket: evidence.ticket.key, error: describe(e) });
    return `${what} was NOT written: ${describe(e)}. Look at route's log.`;
  }
}

/** Why a system is not asked now (failed earlier in the batch, or the batch's time is spent), or nothing. */
function notNow(system: TicketSystem, deps: Pick<TicketDeps, 'unavailable' | 'deadline' | 'now'>): string | undefined {
  const down = deps.unavailable?.get(system);
  if (down !== undefined) return `not tried: ${system} failed earlier in this batch (${down})`;
  const now = (deps.now?.() ?? new Date()).getTime();
  if (deps.deadline !== undefined && now > deps.deadline) return `not tried yet: this batch's time for tickets was spent on earlier alerts`;
  return undefined;
}

/** Another alert holds the claim to open the finding's ticket: this one waits for the retry. */
export class TicketClaimedError extends Error {
  override readonly name = 'TicketClaimedError';
}

/** Marks a system down for the rest of the batch after an error that the next request would meet too. */
function noteFailure(system: TicketSystem, e: unknown, deps: Pick<TicketDeps, 'clients' | 'unavailable'>): void {
  if (e instanceof TicketClaimedError) return;
  // Refused credentials: the secret may have been rotated since this container read it.
  if (e instanceof TicketSystemError && (e.status === 401 || e.status === 403)) deps.clients.forget(system);
  // No answer, an overloaded system or credentials that cannot be read fail the next alert too.
  if (!(e instanceof TicketSystemError) || e.status === undefined || e.status === 429 || e.status >= 500) deps.unavailable?.set(system, describe(e));
}

/** Seconds a failed ticket request waits in the job queue before its first retry. */
export const TICKET_RETRY_DELAY_SECONDS = 60;

/**
 * The systems an alert opens (or comments on) a ticket in: a finding at or above the system's
 * minSeverity, or an escalation, whatever its severity. The attributes are set by our own
 * functions, never by the actor under investigation.
 */
export function ticketSystemsFor(attributes: Attributes, settings: Pick<TicketSettings, 'jira' | 'serviceNow'>): TicketSystem[] {
  const wanted = (minSeverity: Severity | undefined) =>
    minSeverity !== undefined &&
    (attributes.kind === 'escalation' || (attributes.kind === 'finding' && (severitiesAtOrAbove(minSeverity) as string[]).includes(attributes.severity ?? '')));
  return [...(wanted(settings.jira?.minSeverity) ? (['jira'] as const) : []), ...(wanted(settings.serviceNow?.minSeverity) ? (['servicenow'] as const) : [])];
}

/**
 * The create requests an alert would send to a finding without a ticket yet, for the simulator: the
 * bodies only (no credentials). A ServiceNow group configured by name shows as configured; the
 * client sends the sys_id it looks up.
 */
export function ticketRequestsFor(alert: IntakeAlert, settings: Pick<TicketSettings, 'jira' | 'serviceNow'>): TicketRequestRecord[] {
  const request = ticketRequestFor(alert);
  if (!request) return [];
  return ticketSystemsFor(alert.attributes, settings).map((system): TicketRequestRecord => {
    if (system === 'jira' && settings.jira) return { service: 'jira', operation: 'CreateIssue', input: jiraCreateBody(settings.jira, request) };
    if (system === 'servicenow' && settings.serviceNow)
      return { service: 'servicenow', operation: 'CreateIncident', input: serviceNowCreateBody(settings.serviceNow, request) };
    throw new Error(`${system} is not configured`);
  });
}

function configuredSystems(settings: Pick<TicketSettings, 'jira' | 'serviceNow'>): TicketSystem[] {
  return [...(settings.jira ? (['jira'] as const) : []), ...(settings.serviceNow ? (['servicenow'] as const) : [])];
}

/** Work the router retries from the job queue: one system's ticket for one alert. */
export interface TicketJob {
  readonly type: 'ticket';
  readonly system: TicketSystem;
  readonly alertId: string;
  readonly request: TicketRequest;
  /** What to comment when the finding has a ticket already. */
  readonly comment: string;
  /** The alert's subject and attributes, for the alert that says the ticket is open at last. */
  readonly subject: string;
  readonly attributes: Record<string, string>;
  /** The finding's ProductArn, for the ticket's evidence record (a finding is its Id with its product). @default none (older jobs) */
  readonly productArn?: string;
}

export type TicketStatus = 'opened' | 'commented' | 'unchanged';

/** The comment a later alert about a ticketed finding adds: what happened this time. */
export function laterAlertComment(alert: Pick<IntakeAlert, 'subject' | 'message' | 'publishedAt'>): string {
  return `security-response alert of ${alert.publishedAt.toISOString()}: ${alert.subject}\n\n${alert.message}`;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function ticketLine(t: Pick<TicketRecord, 'system' | 'key' | 'url'>, status: TicketStatus): string {
  const what = status === 'opened' ? 'opened' : status === 'commented' ? 'already open; commented' : 'already open';
  return `${t.system} ${t.key} ${t.url} (${what})`;
}

/**
 * One system's ticket for one alert: the remembered one gets a comment (unless this very alert
 * already made it, a redelivery), else the system opens one or finds the one it has.
 */
export async function ticketFor(
  system: TicketSystem,
  request: TicketRequest,
  alertId: string,
  comment: string,
  deps: Pick<TicketDeps, 'clients' | 'store' | 'unavailable' | 'deadline' | 'now'>,
): Promise<{ record: TicketRecord; status: TicketStatus }> {
  const known = await deps.store.ticketOf(system, request.findingId);
  if (known?.lastAlertId === alertId) return { record: known, status: 'unchanged' };
  const why = notNow(system, deps);
  if (why !== undefined) throw new Error(why);
  try {
    const client = await deps.clients.get(system);
    let replacing: string | undefined;
    if (known) {
      try {
        await client.annotate(asTicket(known), comment);
        const record = { ...known, lastAlertId: alertId };
        await deps.store.saveTicket(request.findingId, record);
        return { record, status: 'commented' };
      } catch (e) {
        // The ticket was deleted or moved: forget it and find or open the finding's ticket again.
        if (!(e instanceof TicketSystemError && e.status === 404)) throw e;
        replacing = known.key;
      }
    }
    const now = deps.now?.() ?? new Date();
    if (!(await deps.store.claimTicket(system, request.findingId, alertId, now, new Date(now.getTime() + TICKET_CLAIM_MS), replacing))) {
      throw new TicketClaimedError(`another alert of this finding is opening its ${system} ticket right now`);
    }
    const ticket = await client.create(request);
    if (!ticket.created) await client.annotate(ticket, comment);
    const record: TicketRecord = { system, key: ticket.key, url: ticket.url, ...(ticket.sysId ? { sysId: ticket.sysId } : {}), lastAlertId: alertId };
    await deps.store.saveTicket(request.findingId, record);
    return { record, status: ticket.created ? 'opened' : 'commented' };
  } catch (e) {
    noteFailure(system, e, deps);
    throw e;
  }
}

function asTicket(r: TicketRecord): Ticket {
  return { system: r.system, key: r.key, url: r.url, created: false, ...(r.sysId ? { sysId: r.sysId } : {}) };
}

/**
 * Writes the finding's tickets into its `security-response:ticket` field, through the security
 * account's hub in the home region (the administrator may update members' aggregated findings).
 * The other user-defined fields (the undo record) are sent back unchanged: the API does not say
 * whether it merges or replaces the map, and the undo record must survive either way. Nothing is
 * written when the field already says the same, so our own update (an Imported event) cannot loop.
 * Returns what went wrong, or nothing.
 */
export async function recordTickets(
  findingId: string,
  deps: Pick<TicketDeps, 'aws' | 'region' | 'store' | 'settings'>,
  calls: CallLog,
): Promise<string | undefined> {
  // Every system's ticket the router knows, not only this call's: one system's retry must not drop the other's.
  const records: TicketRecord[] = [];
  for (const system of configuredSystems(deps.settings)) {
    const record = await deps.store.ticketOf(system, findingId);
    if (record) records.push(record);
  }
  if (records.length === 0) return undefined;
  const value = records
    .map((r) => `${r.system} ${r.key} ${r.url}`)
    .join('; ')
    .slice(0, 1024);
  try {
    const found = await calls.read(
      SecurityHubClient,
      deps.region,
      new GetFindingsCommand({ Filters: { Id: [{ Value: findingId, Comparison: 'EQUALS' }] }, MaxResults: 1 }),
    );
    const finding = found.Findings?.find((f) => f.Id === findingId);
    if (!finding?.ProductArn) return `not recorded on the finding: it is not in Security Hub in ${deps.region} (yet)`;
    // A NEW finding's update would reach its responder again as a NEW finding (its own record failed).
    if (finding.Workflow?.Status === 'NEW') return 'not recorded on the finding: it is still NEW, and an update would start its responder again';
    const fields = finding.UserDefinedFields ?? {};
    if (fields[TICKET_FIELD] === value) return undefined;
    const out = await calls.write(
      SecurityHubClient,
      deps.region,
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: findingId, ProductArn: finding.ProductArn }],
        UserDefinedFields: { ...fields, [TICKET_FIELD]: value },
      }),
    );
    const refused = out.UnprocessedFindings?.[0];
    return refused ? `not recorded on the finding: ${refused.ErrorCode ?? 'error'} ${refused.ErrorMessage ?? ''}`.trim() : undefined;
  } catch (e) {
    return `not recorded on the finding: ${describe(e)}`;
  }
}

export interface TicketOutcome {
  /** The alert with its ticket lines (or why no ticket was opened) added. */
  readonly alert: IntakeAlert;
  readonly calls: RecordedCall[];
  readonly opened: number;
  readonly comments: number;
  /** Systems that could not be reached or refused: their requests wait in the job queue. */
  readonly failures: number;
}

function withTicketLines(alert: IntakeAlert, lines: readonly string[]): IntakeAlert {
  if (lines.length === 0) return alert;
  return {
    ...alert,
    message: `${alert.message.trimEnd()}\n\nTickets:\n${lines.map((l) => `  ${l}`).join('\n')}\n`,
    ...(alert.detail ? { detail: { ...alert.detail, tickets: lines.join('; ') } } : {}),
  };
}

/**
 * The ticket step of one intake alert. A system that fails (after the client's own retries) does
 * not hold the alert back: its request goes to the job queue, retried for about half an hour, then
 * kept in the dead-letter queue, which raises an alarm; the alert says no ticket was opened. Only a
 * job queue that cannot be written throws, so the intake queue retries the whole alert.
 */
export async function ticketAlert(alert: IntakeAlert, deps: TicketDeps): Promise<TicketOutcome> {
  const none = { alert, calls: [], opened: 0, comments: 0, failures: 0 };
  const request = ticketRequestFor(alert);
  const systems = request ? ticketSystemsFor(alert.attributes, deps.settings) : [];
  if (!request || systems.length === 0) return none;
  const calls = new CallLog(deps.aws);
  const lines: string[] = [];
  const records: TicketRecord[] = [];
  let opened = 0;
  let comments = 0;
  let failures = 0;
  const comment = laterAlertComment(alert);
  for (const system of systems) {
    try {
      const { record, status } = await ticketFor(system, request, alert.id, comment, deps);
      records.push(record);
      lines.push(ticketLine(record, status));
      const unrecorded = await recordTicketEvidence({ alert, findingId: request.findingId, ticket: record, status }, deps);
      if (unrecorded) lines.push(unrecorded);
      if (status === 'opened') opened += 1;
      if (status === 'commented') comments += 1;
    } catch (e) {
      failures += 1;
      deps.log.error('ticket not opened or updated; queued for retry', { system, findingId: request.findingId, error: describe(e) });
      const known = await deps.store.ticketOf(system, request.findingId).catch(() => undefined);
      const job: TicketJob = {
        type: 'ticket',
        system,
        alertId: alert.id,
        request,
        comment,
        subject: alert.subject,
        attributes: alert.attributes,
        ...(alert.detail?.productArn ? { productArn: alert.detail.productArn } : {}),
      };
      await calls.write(
        SQSClient,
        deps.region,
        new SendMessageCommand({ QueueUrl: deps.settings.jobQueueUrl, MessageBody: JSON.stringify(job), DelaySeconds: TICKET_RETRY_DELAY_SECONDS }),
      );
      const what = known ? `The ${system} ticket ${known.key} ${known.url} could not be updated` : `No ${system} ticket was opened`;
      lines.push(
        `${what}: ${describe(e)}. The request is retried for about half an hour; after that it waits in ${deps.settings.jobDeadLetterQueue}, which raises an alarm.`,
      );
    }
  }
  const problem = records.length > 0 ? await recordTickets(request.findingId, deps, calls) : undefined;
  if (problem) lines.push(`The ticket key was ${problem}.`);
  return { alert: withTicketLines(alert, lines), calls: calls.calls, opened, comments, failures };
}

/** One note `npm run undo` left on a finding, as the undo-notes rule delivers it. */
export interface UndoNote {
  readonly findingId: string;
  readonly text: string;
  readonly updatedAt: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The undo notes of a "Security Hub Findings - Imported" event (the rule matches them; checked again here). */
export function undoNotesOf(event: unknown): UndoNote[] | undefined {
  if (!isRecord(event) || event['detail-type'] !== 'Security Hub Findings - Imported' || !isRecord(event.detail)) return undefined;
  const findings = Array.isArray(event.detail.findings) ? (event.detail.findings as unknown[]) : [];
  return findings.flatMap((f): UndoNote[] => {
    if (!isRecord(f) || typeof f.Id !== 'string' || !isRecord(f.Note)) return [];
    const { Text: text, UpdatedBy: by, UpdatedAt: at } = f.Note;
    if (by !== NOTE_AUTHOR || typeof text !== 'string' || !text.startsWith(UNDO_NOTE_PREFIX) || typeof at !== 'string') return [];
    return [{ findingId: f.Id, text, updatedAt: at }];
  });
}

export interface JobOutcome {
  readonly opened: number;
  readonly comments: number;
}

/**
 * One message of the job queue: a ticket request that failed before, or an Imported event with
 * an undo note. Throws when a system still fails, so the queue retries it, then dead-letters it.
 * A request that succeeds at last is announced, so the people who read "no ticket was opened" learn
 * that one is.
 */
export async function handleTicketJob(
  body: string,
  deps: TicketDeps & { readonly send: (message: OutgoingAlert) => Promise<void> },
  systems: readonly TicketSystem[],
): Promise<JobOutcome> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error('the job is not JSON');
  }
  const notes = undoNotesOf(parsed);
  if (notes) return commentUndoNotes(notes, systems, deps);
  if (!isRecord(parsed) || parsed.type !== 'ticket') throw new Error('the job is neither a ticket request nor an undo note event');
  const job = parsed as unknown as TicketJob;
  // 'unchanged': this job's work was done by an earlier receive whose announcement failed; announce it now.
  const { record, status } = await ticketFor(job.system, job.request, job.alertId, job.comment, deps);
  const unrecorded = await recordTicketEvidence(
    {
      alert: {
        id: job.alertId,
        subject: job.subject,
        attributes: job.attributes,
        detail: {
          title: job.request.title,
          findingId: job.request.findingId,
          ...(job.request.region ? { region: job.request.region } : {}),
          ...(job.productArn ? { productArn: job.productArn } : {}),
        },
      },
      findingId: job.request.findingId,
      ticket: record,
      status,
    },
    deps,
  );
  const calls = new CallLog(deps.aws);
  const problem = await recordTickets(job.request.findingId, deps, calls);
  const a: Attributes = job.attributes;
  await deps.send({
    alert: {
      subject: alertSubject(
        severityOf(a),
        a.accountName ?? job.request.accountName,
        `ticket ${record.key} ${status === 'commented' ? 'updated' : 'opened'}: ${job.request.title}`,
      ),
      message: [
        `The ${job.system} ticket for this finding could not be ${status === 'commented' ? 'updated' : 'opened'} at first; it is now.`,
        '',
        `Ticket:      ${ticketLine(record, status)}`,
        `Alert:       ${job.subject}`,
        `Finding id:  ${job.request.findingId}`,
        ...(job.request.link ? [`Finding:     ${job.request.link}`] : []),
        ...(problem ? ['', `The ticket key was ${problem}.`] : []),
        ...(unrecorded ? ['', unrecorded] : []),
        '',
      ].join('\n'),
      // Not a finding alert: sent at once, never counted in a storm, and no ticket of its own.
      attributes: { ...job.attributes, kind: 'ticket' },
    },
    alertIds: [`${job.alertId}#${job.system}`],
  });
  return { opened: status === 'opened' ? 1 : 0, comments: status === 'commented' ? 1 : 0 };
}

async function commentUndoNotes(notes: readonly UndoNote[], systems: readonly TicketSystem[], deps: TicketDeps): Promise<JobOutcome> {
  let comments = 0;
  for (const note of notes) {
    for (const system of systems) {
      const known = await deps.store.ticketOf(system, note.findingId);
      if (known?.lastUndoNoteAt === note.updatedAt) continue;
      const why = notNow(system, deps);
      if (why !== undefined) throw new Error(why);
      try {
        const client = await deps.clients.get(system);
        const ticket = known ? asTicket(known) : await client.find(note.findingId);
        if (!ticket) continue;
        // Quoted as what the finding says, never as a fact: anyone who may update the finding in its
        // account can write a note that looks like ours.
        await client.annotate(
          ticket,
          `The finding's note says its remediation was undone (npm run undo writes this note; it is not verified here). Note of ${note.updatedAt}: ${note.text}`,
        );
        await deps.store.saveTicket(note.findingId, {
          ...(known ?? { system, key: ticket.key, url: ticket.url, ...(ticket.sysId ? { sysId: ticket.sysId } : {}) }),
          lastUndoNoteAt: note.updatedAt,
        });
        comments += 1;
      } catch (e) {
        noteFailure(system, e, deps);
        throw e;
      }
    }
  }
  return { opened: 0, comments };
}
