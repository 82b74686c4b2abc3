import type { AwsPort } from '../shared/aws';
import type { ParsedEvent } from '../shared/events';
import { replayEvidence, type ReplaySummary } from '../shared/evidence/replay';
import type { Log } from '../shared/log';
import { METRIC } from '../shared/metrics';
import type { FunctionName } from '../shared/naming';
import type { ResponderSettings } from '../shared/settings';
import type { MetricCount } from './metrics';

export type ReplayReply = ReplaySummary | { replayId: string; refused: string };

/**
 * An evidence replay (`npm run replay-evidence`) on any function that writes evidence: refused, before the
 * queue is read, when the event names another account or region than the function's (the operator
 * asked another stack's function); else the function's own dead-letter queue is worked off.
 */
export async function handleEvidenceReplay(
  fn: FunctionName,
  event: Extract<ParsedEvent, { kind: 'evidence-replay' }>,
  settings: Pick<ResponderSettings, 'organization' | 'accountId' | 'region' | 'evidence'>,
  deps: { aws: AwsPort; log: Log },
): Promise<{ reply: ReplayReply; metrics: MetricCount[] }> {
  const { envelope, replay } = event;
  if (envelope.account !== settings.accountId || envelope.region !== settings.region) {
    const refused = `the replay names ${envelope.account} ${envelope.region}; this ${fn} is of ${settings.accountId} ${settings.region}`;
    deps.log.error('evidence replay refused', { replayId: replay.replayId, problem: refused });
    return { reply: { replayId: replay.replayId, refused }, metrics: [] };
  }
  const summary = await replayEvidence(fn, replay, settings, deps);
  return { reply: summary, metrics: [{ name: METRIC.evidenceReplayed, value: summary.replayed.length }] };
}
