import { EventError, parseEvent } from '../events';
import { publishAlert } from '../notify';
import type { ResponderSettings } from '../settings';
import { unreadableFindingAlert } from './alert';
import { respondToFindings, type Handled, type ResponseDeps } from './index';

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
  let parsed;
  try {
    parsed = parseEvent(event);
  } catch (error) {
    if (!(error instanceof EventError)) throw error;
    log.error('event rejected', { problem: error.message });
    const eventId = typeof (event as { id?: unknown })?.id === 'string' ? (event as { id: string }).id : '';
    await publishAlert(aws, settings.alertTopicArn, unreadableFindingAlert(settings, eventId, { message: `the event could not be read: ${error.message}` }), log);
    return { kind: 'rejected', ...empty, rejected: error.message };
  }
  if (parsed.kind !== 'securityhub-finding' && parsed.kind !== 'securityhub-finding-v2') {
    log.warn('event of another kind ignored', { kind: parsed.kind, source: parsed.envelope.source, detailType: parsed.envelope.detailType });
    return { kind: parsed.kind, ...empty };
  }
  for (const problem of parsed.problems) {
    log.error('finding unreadable', { findingId: problem.findingId, index: problem.index, problem: problem.message });
    await publishAlert(aws, settings.alertTopicArn, unreadableFindingAlert(settings, parsed.envelope.id, problem), log);
  }
  const handled = await respondToFindings(parsed.findings.map((finding) => ({ finding, settings })), deps);
  const acted = handled.filter((h) => !h.judgement.ignoredBecause);
  return {
    kind: parsed.kind,
    findings: parsed.findings.length + parsed.problems.length,
    acted: acted.length,
    ignored: handled.length - acted.length,
    unreadable: parsed.problems.length,
    remediated: acted.filter((h) => h.judgement.remediation?.outcome === 'REMEDIATED').length,
    failed: acted.filter((h) => h.judgement.remediation?.outcome === 'FAILED').length,
    handled,
  };
}
