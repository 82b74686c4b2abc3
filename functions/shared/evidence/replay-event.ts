import { operatorEvent } from '../events/envelope';
import { EventError, type Json } from '../events/errors';

/**
 * `npm run replay-evidence` invokes an evidence-writing function with this event: the function
 * moves the evidence records that wait in its own dead-letter queue (kind `evidence`, written there
 * when the bucket refused them) into the evidence bucket. Only the functions' roles may write the
 * bucket, so a person cannot do it by hand. Only a direct Invoke can carry it: no rule of ours
 * matches the source, and PutEvents cannot reach the function without one.
 *
 * Kept apart from replay.ts (the S3 and SQS work) so that a function can recognise the event
 * without loading the S3 client (route loads it only when it writes).
 */
export const EVIDENCE_REPLAY_SOURCE = 'security-response.operator';
export const EVIDENCE_REPLAY_DETAIL_TYPE = 'Evidence Replay';
const EVIDENCE_REPLAY = { source: EVIDENCE_REPLAY_SOURCE, detailType: EVIDENCE_REPLAY_DETAIL_TYPE };

export interface ReplayRequest {
  replayId: string;
}

export function replayEvent(request: ReplayRequest, where: { accountId: string; region: string }, now: Date): Json {
  return operatorEvent(EVIDENCE_REPLAY, request.replayId, where, now, { replayId: request.replayId });
}

export function parseReplayDetail(detail: Json): ReplayRequest {
  if (typeof detail.replayId !== 'string' || detail.replayId === '') throw new EventError('detail.replayId is missing or not a string');
  return { replayId: detail.replayId };
}
