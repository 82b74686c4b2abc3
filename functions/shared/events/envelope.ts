import { EventError, isObject, type Json } from './errors';

/** The EventBridge envelope every event shares. */
export interface Envelope {
  id: string;
  source: string;
  detailType: string;
  account: string;
  region: string;
  time: string;
  resources: string[];
  detail: Json;
}

export function parseEnvelope(input: unknown): Envelope {
  if (!isObject(input)) throw new EventError('the event is not a JSON object');
  const missing = ['source', 'detail-type', 'account', 'region'].filter((k) => typeof input[k] !== 'string');
  if (missing.length > 0) throw new EventError(`not an EventBridge event: ${missing.join(', ')} missing`);
  if (!isObject(input.detail)) throw new EventError('not an EventBridge event: detail is missing or not an object');
  return {
    id: typeof input.id === 'string' ? input.id : '',
    source: input.source as string,
    detailType: input['detail-type'] as string,
    account: input.account as string,
    region: input.region as string,
    time: typeof input.time === 'string' ? input.time : '',
    resources: Array.isArray(input.resources) ? input.resources.filter((r): r is string => typeof r === 'string') : [],
    detail: input.detail,
  };
}

/**
 * An EventBridge-shaped event for a direct Invoke by an operator command (the sweep, the evidence
 * replay): the envelope the functions parse, with an id unique to the run and the moment.
 */
export function operatorEvent(
  kind: { source: string; detailType: string },
  runId: string,
  where: { accountId: string; region: string },
  now: Date,
  detail: Json,
): Json {
  return {
    version: '0',
    id: `${runId}-${now.getTime().toString(36)}`,
    source: kind.source,
    'detail-type': kind.detailType,
    account: where.accountId,
    region: where.region,
    time: now.toISOString(),
    resources: [],
    detail,
  };
}
