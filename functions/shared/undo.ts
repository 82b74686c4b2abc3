import type { RecordedCall } from './aws';

/**
 * How a remediation's reverse requests travel with the finding: compact JSON in Security Hub
 * user-defined fields (`undo.1`, `undo.2`, ...; each value at most 1,024 characters), written by the
 * record step and read back by `npm run undo`. The same calls are logged and put in the alert.
 */
export const UNDO_FIELD_PREFIX = 'undo.';
/**
 * How the note `npm run undo` leaves on the finding begins. The router's undo-notes rule matches
 * it to comment on the finding's ticket; the note is quoted there, never trusted for a decision.
 */
export const UNDO_NOTE_PREFIX = 'Remediation undone by';
/** The user-defined field the router records a finding's tickets in, for people (never read for a decision). */
export const TICKET_FIELD = 'security-response:ticket';
const MAX_VALUE = 1024;
/** Room left for the other fields of the 50 Security Hub allows. */
const MAX_FIELDS = 20;

interface CompactCall {
  s: string;
  o: string;
  r: string;
  i: unknown;
}

export function encodeUndo(calls: RecordedCall[]): Record<string, string> {
  if (calls.length === 0) return {};
  const json = JSON.stringify(calls.map((c): CompactCall => ({ s: c.service, o: c.operation, r: c.region, i: c.input })));
  const fields: Record<string, string> = {};
  for (let i = 0, n = 1; i < json.length; i += MAX_VALUE, n++) fields[`${UNDO_FIELD_PREFIX}${n}`] = json.slice(i, i + MAX_VALUE);
  if (Object.keys(fields).length > MAX_FIELDS) {
    throw new Error(`undo record of ${json.length} characters does not fit in ${MAX_FIELDS} user-defined fields`);
  }
  return fields;
}

export function decodeUndo(fields: Record<string, string> | undefined): RecordedCall[] {
  const parts = Object.entries(fields ?? {})
    .filter(([k]) => k.startsWith(UNDO_FIELD_PREFIX))
    .map(([k, v]) => [Number(k.slice(UNDO_FIELD_PREFIX.length)), v] as const)
    .sort(([a], [b]) => a - b);
  if (parts.length === 0) return [];
  const compact = JSON.parse(parts.map(([, v]) => v).join('')) as CompactCall[];
  return compact.map((c) => ({ service: c.s, operation: c.o, region: c.r, input: c.i }));
}
