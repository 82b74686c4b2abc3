import type { AwsPort } from '../shared/aws';
import { EventError, parseEvent, type ParsedEvent } from '../shared/events';
import { isObject } from '../shared/events/errors';
import type { Log } from '../shared/log';
import { publishAlert } from '../shared/notify';
import { unreadableFindingAlert } from '../shared/alerts';
import type { ResponderSettings } from '../shared/settings';

export type ReadEvent<K extends ParsedEvent['kind']> =
  { ok: true; event: Extract<ParsedEvent, { kind: K }> } | { ok: false; summary: { rejected: string } | { ignored: string } };

/**
 * Parses a function's event and keeps only the kinds it handles. An unreadable event is logged and
 * alerted (something may need a person's eyes), never thrown: a retry cannot make it readable.
 * Unreadable findings inside a readable batch are alerted one by one; the rest go on.
 */
export async function readEvent<K extends ParsedEvent['kind']>(
  event: unknown,
  kinds: K[],
  ctx: { settings: ResponderSettings; aws: AwsPort; log: Log },
): Promise<ReadEvent<K>> {
  const { settings, aws, log } = ctx;
  let parsed: ParsedEvent;
  try {
    parsed = parseEvent(event);
  } catch (error) {
    if (!(error instanceof EventError)) throw error;
    log.error('event rejected', { problem: error.message });
    const eventId = isObject(event) && typeof event.id === 'string' ? event.id : '';
    await publishAlert(
      aws,
      settings.alertTopicArn,
      unreadableFindingAlert(settings, eventId, { message: `the event could not be read: ${error.message}` }),
      log,
    );
    return { ok: false, summary: { rejected: error.message } };
  }
  if (!kinds.includes(parsed.kind as K)) {
    log.warn('event of another kind ignored', { kind: parsed.kind, source: parsed.envelope.source, detailType: parsed.envelope.detailType });
    return { ok: false, summary: { ignored: parsed.kind } };
  }
  if ('problems' in parsed) {
    for (const problem of parsed.problems) {
      log.error('finding unreadable', { findingId: problem.findingId, index: problem.index, problem: problem.message });
      await publishAlert(aws, settings.alertTopicArn, unreadableFindingAlert(settings, parsed.envelope.id, problem), log);
    }
  }
  return { ok: true, event: parsed as Extract<ParsedEvent, { kind: K }> };
}
