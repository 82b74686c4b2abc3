import { createHash } from 'node:crypto';
import type { RecordedCall } from '../aws';
import type { Decision, DecisionCall } from '../decision';
import type { Finding } from '../finding';
import type { FunctionName } from '../naming';

/**
 * The evidence record: one JSON object per decision of every function, observe mode and ignored
 * findings included, written once to the organization's evidence bucket (S3 Object Lock, compliance
 * mode) and never changed. Field names are snake_case and flat where a KPI reads them, so Athena
 * (Glue's JSON SerDe) and DuckDB read the same file the same way. Adding a field is compatible;
 * renaming or retyping one is a new `schema_version`.
 */
export const EVIDENCE_SCHEMA_VERSION = 1;

export interface EvidenceRecord {
  readonly schema_version: typeof EVIDENCE_SCHEMA_VERSION;
  /** 32 hex characters, the same for the same decision: a retried write lands on the same key. */
  readonly record_id: string;
  readonly function: FunctionName;
  readonly organization: string;
  readonly account_id: string;
  readonly account_name: string;
  readonly region: string;
  /** The finding (for quarantine-user: the CloudTrail event id of the CreateUser). */
  readonly finding_id: string;
  readonly product_arn: string | null;
  readonly control_id: string | null;
  readonly severity: string;
  readonly category: string | null;
  readonly escalate: boolean;
  readonly action: string;
  /** The mode the decision ran in: `observe` or `enforce` (a disabled action: `disabled`). */
  readonly mode: string;
  /** PLANNED, OBSERVE_ONLY, EXEMPT, DISABLED, NOT_APPLICABLE; IGNORED when the finding was left alone. */
  readonly status: string;
  /** What the remediation reported: REMEDIATED, WOULD_CHANGE, NO_CHANGE, EXEMPT, FAILED; ESCALATED; null when none ran. */
  readonly outcome: string | null;
  readonly ignored: boolean;
  readonly reason: string;
  /** Observe mode held back a change enforce would have made (outcome WOULD_CHANGE). */
  readonly would_remediate: boolean;
  /** Every AWS write request made for the decision, as the simulator shows them. */
  readonly calls: readonly DecisionCall[];
  /** The requests that reverse the remediation (`npm run undo` replays them); null when nothing changed. */
  readonly undo: readonly RecordedCall[] | null;
  /** The alert as published (subject and filter attributes); null when none was sent. */
  readonly alert: { readonly subject: string; readonly attributes: Readonly<Record<string, string>> } | null;
  /** When Security Hub first saw the finding (ASFF FirstObservedAt or CreatedAt; OCSF first_seen_time). */
  readonly first_seen_at: string | null;
  /** When the function decided. */
  readonly handled_at: string;
  /** When the remediation was done (outcome REMEDIATED), else null. */
  readonly remediated_at: string | null;
  /** The Detective investigation `investigate` started, or its result; null in every other function's records. */
  readonly investigation: EvidenceInvestigation | null;
  /** The ticket `route` opened or commented for the finding's alert; null in every other function's records. */
  readonly ticket: EvidenceTicket | null;
}

/**
 * A ticket as `route`'s record keeps it. The deciding function's record is written before its alert
 * reaches the router, and records are never changed (Object Lock), so the ticket reference is a
 * record of its own, joined to the decision by `finding_id`.
 */
export interface EvidenceTicket {
  readonly system: string;
  /** The issue key (Jira) or incident number (ServiceNow). */
  readonly key: string;
  readonly url: string;
  /** opened; commented (the finding had one: this alert was added to it); unchanged (a redelivered alert, done before). */
  readonly status: string;
  /** The alert (SNS MessageId) that opened or commented it. */
  readonly alert_id: string;
}

/** A Detective investigation as the evidence record keeps it. */
export interface EvidenceInvestigation {
  readonly investigation_id: string;
  readonly graph_arn: string;
  readonly entity_arn: string;
  readonly entity_type: string;
  readonly scope_start: string;
  readonly scope_end: string;
  /** RUNNING when started; SUCCESSFUL or FAILED with the result; RUNNING still when the checks gave up. */
  readonly status: string;
  /** Detective's severity of the investigation (INFORMATIONAL … CRITICAL), once known. */
  readonly severity: string | null;
  /** The indicators Detective found, counted by type (TTP_OBSERVED, IMPOSSIBLE_TRAVEL, …), once known. */
  readonly indicators: Readonly<Record<string, number>> | null;
  readonly console_link: string;
}

function stringAt(raw: unknown, path: readonly string[]): string | undefined {
  let v: unknown = raw;
  for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** When Security Hub first saw the finding: ASFF FirstObservedAt (else CreatedAt), OCSF first_seen_time_dt (else created_time_dt). */
export function firstSeenAt(finding: Pick<Finding, 'format' | 'raw'>): string | undefined {
  const at =
    finding.format === 'ocsf'
      ? (stringAt(finding.raw, ['finding_info', 'first_seen_time_dt']) ?? stringAt(finding.raw, ['finding_info', 'created_time_dt']))
      : (stringAt(finding.raw, ['FirstObservedAt']) ?? stringAt(finding.raw, ['CreatedAt']));
  const time = at === undefined ? NaN : Date.parse(at);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** Where decisions go in the bucket: one partition folder per UTC day (Athena projects `dt`). */
export const EVIDENCE_PREFIX = 'decisions';

/** The object key: `decisions/dt=YYYY-MM-DD/<account>-<region>-<function>-<record id>.json`. */
export function evidenceKey(r: Pick<EvidenceRecord, 'handled_at' | 'account_id' | 'region' | 'function' | 'record_id'>): string {
  return `${EVIDENCE_PREFIX}/dt=${r.handled_at.slice(0, 10)}/${r.account_id}-${r.region}-${r.function}-${r.record_id}.json`;
}

/** What the function knows besides the decision. */
export interface EvidenceContext {
  readonly function: FunctionName;
  readonly organization: string;
  readonly accountName: string;
  readonly productArn?: string;
  readonly controlId?: string;
  readonly firstSeenAt?: string;
  readonly undo?: readonly RecordedCall[];
  readonly investigation?: EvidenceInvestigation;
  readonly handledAt: Date;
}

export function evidenceRecord(decision: Decision, context: EvidenceContext): EvidenceRecord {
  const r = decision.remediation;
  const handledAt = context.handledAt.toISOString();
  const recordId = createHash('sha256')
    .update([context.function, decision.accountId, decision.region, decision.findingId, handledAt].join('\n'))
    .digest('hex')
    .slice(0, 32);
  return {
    schema_version: EVIDENCE_SCHEMA_VERSION,
    record_id: recordId,
    function: context.function,
    organization: context.organization,
    account_id: decision.accountId,
    account_name: context.accountName,
    region: decision.region,
    finding_id: decision.findingId,
    product_arn: context.productArn ?? null,
    control_id: context.controlId ?? null,
    severity: decision.severity,
    category: decision.classification?.category ?? null,
    escalate: decision.classification?.escalate ?? false,
    action: r?.action ?? 'NONE',
    mode: decision.mode,
    status: decision.ignored ? 'IGNORED' : (r?.status ?? 'NOT_APPLICABLE'),
    // An escalation runs no remediation; its alert says ESCALATED, which the open-escalations KPI counts.
    outcome: decision.notification?.attributes.outcome === 'ESCALATED' ? 'ESCALATED' : (r?.outcome ?? null),
    ignored: decision.ignored,
    reason: decision.reason,
    would_remediate: r?.outcome === 'WOULD_CHANGE',
    calls: decision.calls,
    undo: context.undo && context.undo.length > 0 ? context.undo : null,
    alert: decision.notification ? { subject: decision.notification.subject, attributes: decision.notification.attributes } : null,
    first_seen_at: context.firstSeenAt ?? null,
    handled_at: handledAt,
    remediated_at: r?.outcome === 'REMEDIATED' ? handledAt : null,
    investigation: context.investigation ?? null,
    ticket: null,
  };
}
