import { createHash } from 'node:crypto';
import { SEVERITIES, type Severity } from '../catalogue';
import type { Alert } from '../notify';

/** What a ticket is opened from: one alert about one finding. */
export interface TicketRequest {
  readonly findingId: string;
  readonly title: string;
  /** The alert's severity attribute; UNKNOWN when it carries none we know (the ticket still opens). */
  readonly severity: Severity | 'UNKNOWN';
  readonly accountId: string;
  readonly accountName: string;
  readonly region?: string;
  /** Plain text: the alert's e-mail body, which has the whole story. */
  readonly description: string;
  readonly link?: string;
  readonly done?: string;
  readonly undo?: string;
}

export type TicketSystem = 'jira' | 'servicenow';

/** A ticket as opened or found: `created` is false when the finding had one already. */
export interface Ticket {
  readonly system: TicketSystem;
  /** The issue key (Jira) or incident number (ServiceNow): what people quote. */
  readonly key: string;
  readonly url: string;
  readonly created: boolean;
  /** ServiceNow's record id, which its API addresses the incident by. */
  readonly sysId?: string;
}

/** The create request as the simulator shows it: no credentials, no headers. */
export interface TicketRequestRecord {
  readonly service: TicketSystem;
  readonly operation: 'CreateIssue' | 'CreateIncident';
  readonly input: Readonly<Record<string, unknown>>;
}

export interface TicketClient {
  readonly system: TicketSystem;
  /** Opens the finding's ticket, or returns the one the system already has for it (`created` false). */
  create(req: TicketRequest): Promise<Ticket>;
  /** The ticket the system has for the finding, found by its dedupe key. */
  find(findingId: string): Promise<Ticket | undefined>;
  /** Adds a comment (Jira) or work note (ServiceNow) to the ticket. */
  annotate(ticket: Ticket, text: string): Promise<void>;
  requestsFor(req: TicketRequest): TicketRequestRecord[];
}

/** Only findings get tickets: an alert without a finding id (alarms, digests) has nothing to dedupe on. */
export function ticketRequestFor(alert: Alert): TicketRequest | undefined {
  const detail = alert.detail;
  if (!detail?.findingId) return undefined;
  const a: Partial<Record<string, string>> = alert.attributes;
  const severity = SEVERITIES.find((s) => s === a.severity) ?? 'UNKNOWN';
  const accountId = a.account ?? 'unknown';
  return {
    findingId: detail.findingId,
    title: detail.title,
    severity,
    accountId,
    accountName: a.accountName ?? detail.accountName ?? accountId,
    description: alert.message,
    ...(detail.region ? { region: detail.region } : {}),
    ...(detail.link ? { link: detail.link } : {}),
    ...(detail.done ? { done: detail.done } : {}),
    ...(detail.undo ? { undo: detail.undo } : {}),
  };
}

/**
 * The key both systems find a finding's ticket by: a Jira label (no spaces, ≤255) and a ServiceNow
 * correlation_id (≤100). Finding ids are ARNs far longer than that, so a hash: 80 bits make a
 * collision between two findings of one organization practically impossible.
 */
export function dedupeKey(findingId: string): string {
  return `sr-${createHash('sha256').update(findingId).digest('hex').slice(0, 20)}`;
}

/** One line (line breaks and tabs become spaces), at most `max` characters, cut with an ellipsis. */
export function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

/** The ticket's title: what the e-mail subject says, in the systems' one-line fields. */
export function ticketSummary(req: TicketRequest, max: number): string {
  return oneLine(`[${req.severity}] ${req.accountName}: ${req.title || 'security finding'}`, max);
}

/** The ticket's body: the e-mail text, plus the finding id and console link when the text lacks them. */
export function ticketText(req: TicketRequest): string {
  const missing: string[] = [];
  if (!req.description.includes(req.findingId)) missing.push(`Finding ID: ${req.findingId}`);
  if (req.link && !req.description.includes(req.link)) missing.push(`Finding: ${req.link}`);
  return [req.description.trimEnd(), missing.join('\n')].filter(Boolean).join('\n\n');
}
