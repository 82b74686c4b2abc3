import type { AwsPort } from '../shared/aws';
import { parseEnvelope } from '../shared/events/envelope';
import { EventError, isObject } from '../shared/events/errors';
import { EVIDENCE_REPLAY_DETAIL_TYPE, EVIDENCE_REPLAY_SOURCE, parseReplayDetail } from '../shared/evidence/replay-event';
import { ticketEvidenceRecord, type TicketEvidence } from '../shared/evidence/ticket-record';
import type { EvidenceWrite } from '../shared/evidence/write';
import type { Log } from '../shared/log';
import type { RouterSettings } from '../shared/routing/settings';
import type { MetricCount } from './metrics';
import type { ReplayReply } from './evidence-replay';

/**
 * route's evidence: the record of each ticket it opens, and the replay of the records its bucket
 * refused. The S3 client (about 40 KB of route's zip) is imported only when a record is written or
 * replayed, so the alerts that open no ticket, most of them, never load it: it sits in a chunk of
 * its own (stacks/bundles.ts splits dynamic imports).
 */
type RouteEvidenceSettings = Pick<RouterSettings, 'organization' | 'accountId' | 'region' | 'evidence'>;

/** The writer route's ticket step calls (TicketDeps.recordTicket). */
export function ticketEvidenceWriter(
  settings: RouteEvidenceSettings,
  deps: { aws: AwsPort; log: Log; now: () => Date },
): (evidence: TicketEvidence) => Promise<EvidenceWrite> {
  return async (evidence) => {
    const record = ticketEvidenceRecord(evidence, { organization: settings.organization, region: settings.region, handledAt: deps.now() });
    const { writeEvidence } = await import('../shared/evidence/write');
    return writeEvidence(record, settings, settings.region, deps.aws, deps.log);
  };
}

/** `npm run replay-evidence -- --function route`, as opposed to an intake batch or the minute's flush. */
export function isEvidenceReplay(event: unknown): boolean {
  return isObject(event) && event.source === EVIDENCE_REPLAY_SOURCE && event['detail-type'] === EVIDENCE_REPLAY_DETAIL_TYPE;
}

/** The replay on route: refused for another account or region, or a replay event it cannot read. */
export async function replayRouteEvidence(
  event: unknown,
  settings: RouteEvidenceSettings,
  deps: { aws: AwsPort; log: Log },
): Promise<{ reply: ReplayReply; metrics: MetricCount[] }> {
  let envelope;
  let replay;
  try {
    envelope = parseEnvelope(event);
    replay = parseReplayDetail(envelope.detail);
  } catch (e) {
    if (!(e instanceof EventError)) throw e;
    deps.log.error('evidence replay refused', { problem: e.message });
    return { reply: { replayId: '', refused: `the replay event cannot be read: ${e.message}` }, metrics: [] };
  }
  const { handleEvidenceReplay } = await import('./evidence-replay');
  return handleEvidenceReplay('route', { kind: 'evidence-replay', envelope, replay }, settings, deps);
}
