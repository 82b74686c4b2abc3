import type { Handled } from '../respond/index';
import type { FindingRef } from './event';

/**
 * One finding's decision as the sweep prints and counts it: small, because `respond` sends it back
 * in the Invoke answer (6 MB at most) and the sweep keeps it in its state file.
 */
export interface SweptDecision {
  findingId: string;
  /** Security Hub's control id (S3.8) or the GuardDuty type, when the finding has one. */
  kind?: string;
  /** The catalogue action, NONE, or absent when the finding was left alone. */
  action?: string;
  mode?: string;
  /** REMEDIATED, WOULD_CHANGE, NO_CHANGE, EXEMPT, FAILED; or the status when no module ran (DISABLED, NOT_APPLICABLE). */
  outcome?: string;
  /** Why the function left the finding alone (no longer NEW, below the threshold). */
  ignored?: string;
  /** The finding could not be read. */
  unreadable?: string;
  /** Recorded on the finding (its workflow moved off NEW). */
  recorded?: boolean;
  alerted?: boolean;
  /** `s3://…` of its evidence record, or where the record waits instead. */
  evidence?: string;
}

export function sweptDecision(h: Handled): SweptDecision {
  const j = h.judgement;
  const kind = j.finding.controlId ?? j.finding.guardDutyType;
  const base = { findingId: j.finding.id, ...(kind ? { kind } : {}) };
  if (j.kind === 'ignored') return { ...base, ignored: j.ignoredBecause };
  const r = j.remediation;
  return {
    ...base,
    action: r.action,
    mode: j.mode,
    outcome: r.outcome ?? r.status,
    recorded: h.record?.ok ?? false,
    alerted: h.publish?.ok ?? false,
    ...(h.evidence ? { evidence: h.evidence.where } : {}),
  };
}

/** What `respond` answers the sweep's Invoke with (small: a few hundred bytes a finding). */
export interface SweepReply {
  sweepId: string;
  /** Why the function refused the whole invocation (nothing was read or changed). */
  refused?: string;
  decisions: SweptDecision[];
  /** Named by the sweep, no longer in the hub. */
  notFound: FindingRef[];
  /** Every AWS request the function made for this invocation, by `service:Operation`. */
  calls: Record<string, number>;
}
