import { createHash } from 'node:crypto';
import type { IntakeAlert } from '../routing/intake';
import type { TicketRecord, TicketStatus } from '../routing/tickets';
import { EVIDENCE_SCHEMA_VERSION, type EvidenceRecord } from './record';

/**
 * The evidence record of a ticket (`function` route): which ticket the router opened or commented
 * for which alert of which finding. The deciding function wrote its own record before it published
 * the alert, and a record is never changed, so the ticket reference is a record of its own that a
 * query joins to the decision by `finding_id` (the open-escalations KPI does).
 *
 * Everything in it comes from the alert, which only our functions' roles may publish, and from the
 * ticket system's answer; no KPI counts a route record as a decision (they have action NONE and are
 * left out of "waiting in observe mode" by function), so a record can add a ticket to a finding's
 * story and never take a decision out of it.
 */
export interface TicketEvidence {
  readonly alert: Pick<IntakeAlert, 'id' | 'subject' | 'attributes' | 'detail'>;
  readonly findingId: string;
  readonly ticket: Pick<TicketRecord, 'system' | 'key' | 'url'>;
  readonly status: TicketStatus;
}

export interface TicketEvidenceContext {
  readonly organization: string;
  /** The router's region: the record's region when the alert names none. */
  readonly region: string;
  readonly handledAt: Date;
}

/** The outcome of a ticket record: TICKET_OPENED, TICKET_COMMENTED or TICKET_UNCHANGED. */
export function ticketOutcome(status: TicketStatus): string {
  return `TICKET_${status.toUpperCase()}`;
}

export function ticketEvidenceRecord(evidence: TicketEvidence, context: TicketEvidenceContext): EvidenceRecord {
  const { alert, ticket } = evidence;
  const a: Partial<Record<string, string>> = alert.attributes;
  const accountId = a.account ?? 'unknown';
  const region = alert.detail?.region ?? context.region;
  // No time in the id: the same alert, system and status give the same key (on the same day), so
  // a retried write is a new version of the same object, which Athena does not read twice. A
  // redelivered alert whose ticket work was done (status unchanged) writes a record of its own: it
  // cannot tell whether the first delivery's record was written before it failed.
  const recordId = createHash('sha256')
    .update(['route', accountId, region, evidence.findingId, alert.id, ticket.system, evidence.status].join('\n'))
    .digest('hex')
    .slice(0, 32);
  const status = ticketOutcome(evidence.status);
  return {
    schema_version: EVIDENCE_SCHEMA_VERSION,
    record_id: recordId,
    function: 'route',
    organization: context.organization,
    account_id: accountId,
    account_name: a.accountName ?? alert.detail?.accountName ?? accountId,
    region,
    finding_id: evidence.findingId,
    product_arn: alert.detail?.productArn ?? null,
    control_id: null,
    severity: a.severity ?? 'UNKNOWN',
    category: a.category ?? null,
    escalate: a.kind === 'escalation',
    action: 'NONE',
    mode: 'none',
    status,
    outcome: status,
    ignored: false,
    reason: `${ticket.system} ${ticket.key} ${evidence.status} for the alert "${alert.subject}"`,
    would_remediate: false,
    calls: [],
    undo: null,
    alert: { subject: alert.subject, attributes: alert.attributes },
    first_seen_at: null,
    handled_at: context.handledAt.toISOString(),
    remediated_at: null,
    investigation: null,
    ticket: { system: ticket.system, key: ticket.key, url: ticket.url, status: evidence.status, alert_id: alert.id },
  };
}
