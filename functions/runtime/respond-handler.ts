import { readEvent } from './read-event';
import type { ResponderSettings } from '../shared/settings';
import { respondToFindings, type ActedJudgement, type Handled, type ResponseDeps } from '../shared/respond/index';

export interface RespondSummary {
  kind: string;
  findings: number;
  acted: number;
  ignored: number;
  unreadable: number;
  remediated: number;
  failed: number;
  /** The whole event could not be read (reported and alerted, not thrown). */
  rejected?: string;
  handled: Handled[];
}

/**
 * The `respond` function's work on one EventBridge event. Never throws for a bad event or finding:
 * an unusable event is logged and alerted; a malformed finding is alerted and the others are
 * handled. (Throwing would only make Lambda retry an event that cannot get better.)
 */
export async function handleRespondEvent(event: unknown, settings: ResponderSettings, deps: ResponseDeps): Promise<RespondSummary> {
  const { log, aws } = deps;
  const empty = { findings: 0, acted: 0, ignored: 0, unreadable: 0, remediated: 0, failed: 0, handled: [] };
  // Only the account's feed: the same finding may also arrive in the other format, and handling
  // both would remediate twice and alert twice (the stack synthesizes only this feed's rule).
  const feedKind = settings.findingsFeed === 'ocsf' ? 'securityhub-finding-v2' : 'securityhub-finding';
  const read = await readEvent(event, [feedKind], { settings, aws, log });
  if (!read.ok) return 'rejected' in read.summary ? { kind: 'rejected', ...empty, rejected: read.summary.rejected } : { kind: read.summary.ignored, ...empty };
  const parsed = read.event;
  const handled = await respondToFindings(
    parsed.findings.map((finding) => ({ finding, settings })),
    deps,
  );
  const acted = handled.map((h) => h.judgement).filter((j): j is ActedJudgement => j.kind === 'acted');
  return {
    kind: parsed.kind,
    findings: parsed.findings.length + parsed.problems.length,
    acted: acted.length,
    ignored: handled.length - acted.length,
    unreadable: parsed.problems.length,
    remediated: acted.filter((j) => j.remediation.outcome === 'REMEDIATED').length,
    failed: acted.filter((j) => j.remediation.outcome === 'FAILED').length,
    handled,
  };
}
