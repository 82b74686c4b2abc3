import { readEvent } from './read-event';
import { countingAws } from '../shared/aws';
import type { ParsedEvent } from '../shared/events';
import { publishAlert } from '../shared/notify';
import { unreadableFindingAlert } from '../shared/alerts';
import type { ResponderSettings } from '../shared/settings';
import { respondToFindings, type ActedJudgement, type Handled, type ResponseDeps } from '../shared/respond/index';
import { sweepRefusal } from '../shared/sweep/event';
import { findingsOfSweep } from '../shared/sweep/fetch';
import { sweptDecision, type SweepReply } from '../shared/sweep/decision';
import { handleEvidenceReplay, type ReplayReply } from './evidence-replay';

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
  /** A sweep's invocation: what the sweep prints per finding, and what it counts. */
  sweep?: SweepReply;
  /** An evidence replay's invocation (npm run replay-evidence). */
  replay?: ReplayReply;
}

const empty = { findings: 0, acted: 0, ignored: 0, unreadable: 0, remediated: 0, failed: 0, handled: [] };

/**
 * The `respond` function's work on one EventBridge event. Never throws for a bad event or finding:
 * an unusable event is logged and alerted; a malformed finding is alerted and the others are
 * handled. (Throwing would only make Lambda retry an event that cannot get better.)
 */
export async function handleRespondEvent(event: unknown, settings: ResponderSettings, deps: ResponseDeps): Promise<RespondSummary> {
  const { log, aws } = deps;
  // Only the account's feed: the same finding may also arrive in the other format, and handling
  // both would remediate twice and alert twice (the stack synthesizes only this feed's rule).
  const feedKind = settings.findingsFeed === 'ocsf' ? 'securityhub-finding-v2' : 'securityhub-finding';
  const read = await readEvent(event, [feedKind, 'sweep', 'evidence-replay'], { settings, aws, log });
  if (!read.ok) return 'rejected' in read.summary ? { kind: 'rejected', ...empty, rejected: read.summary.rejected } : { kind: read.summary.ignored, ...empty };
  if (read.event.kind === 'sweep') return handleSweep(read.event, settings, deps);
  if (read.event.kind === 'evidence-replay')
    return { kind: 'evidence-replay', ...empty, replay: (await handleEvidenceReplay('respond', read.event, settings, deps)).reply };
  const parsed = read.event;
  const handled = await respondToFindings(
    parsed.findings.map((finding) => ({ finding, settings })),
    deps,
  );
  return {
    kind: parsed.kind,
    findings: parsed.findings.length + parsed.problems.length,
    unreadable: parsed.problems.length,
    ...countsOf(handled),
    handled,
  };
}

/** The counts every summary carries, from what the pipeline handled. */
function countsOf(handled: Handled[]): Pick<RespondSummary, 'acted' | 'ignored' | 'remediated' | 'failed'> {
  const acted = handled.map((h) => h.judgement).filter((j): j is ActedJudgement => j.kind === 'acted');
  return {
    acted: acted.length,
    ignored: handled.length - acted.length,
    remediated: acted.filter((j) => j.remediation.outcome === 'REMEDIATED').length,
    failed: acted.filter((j) => j.remediation.outcome === 'FAILED').length,
  };
}

/**
 * A sweep's invocation: the named findings are read from this hub, then go through the same
 * pipeline as an Imported event's (a finding no longer ACTIVE and NEW is left alone). Refused as a
 * whole, before any read, when it is not this responder's or lacks the operator's --i-know.
 */
async function handleSweep(event: Extract<ParsedEvent, { kind: 'sweep' }>, settings: ResponderSettings, deps: ResponseDeps): Promise<RespondSummary> {
  const { sweep, envelope } = event;
  const refusal = sweepRefusal(sweep, envelope, settings);
  if (refusal) {
    deps.log.error('sweep refused', { sweepId: sweep.sweepId, problem: refusal });
    // Not `rejected`: the event was read; the refusal is the operator's to fix, not an alarm's.
    return { kind: 'sweep', ...empty, sweep: { sweepId: sweep.sweepId, refused: refusal, decisions: [], notFound: [], calls: {} } };
  }
  const counted = countingAws(deps.aws);
  const fetched = await findingsOfSweep(sweep.findings, settings, counted.aws);
  for (const problem of fetched.problems) {
    deps.log.error('finding unreadable', { findingId: problem.findingId, problem: problem.message, sweepId: sweep.sweepId });
    await publishAlert(counted.aws, settings.alertTopicArn, unreadableFindingAlert(settings, envelope.id, problem), deps.log);
  }
  if (fetched.notFound.length > 0) deps.log.warn('swept findings not in the hub', { sweepId: sweep.sweepId, findingIds: fetched.notFound.map((f) => f.id) });
  const handled = await respondToFindings(
    fetched.findings.map((finding) => ({ finding, settings })),
    { ...deps, aws: counted.aws },
  );
  return {
    kind: 'sweep',
    findings: sweep.findings.length,
    unreadable: fetched.problems.length,
    ...countsOf(handled),
    handled,
    sweep: {
      sweepId: sweep.sweepId,
      decisions: [...handled.map(sweptDecision), ...fetched.problems.map((p) => ({ findingId: p.findingId ?? '', unreadable: p.message }))],
      notFound: fetched.notFound,
      calls: counted.counts,
    },
  };
}
