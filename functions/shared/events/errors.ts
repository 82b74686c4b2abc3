/** The event as a whole is unusable: not an EventBridge event, or a recognised kind missing fields. */
export class EventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventError';
  }
}

/** One finding of a batch is unusable; the others are still handled. */
export class FindingError extends Error {
  constructor(
    message: string,
    readonly index: number,
    readonly findingId?: string,
  ) {
    super(message);
    this.name = 'FindingError';
  }
}

export type Json = Record<string, unknown>;

export function isObject(x: unknown): x is Json {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** Reads a path; `undefined` when any step is missing. */
export function at(root: unknown, path: (string | number)[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Json)[key as string];
  }
  return cur;
}

export function pathText(prefix: string, path: (string | number)[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : `${s}.${p}`), prefix);
}

/**
 * A field as text: `fallback` when it is missing or null, else exactly what `String()` prints. A
 * well-formed finding has a string there; a malformed one keeps reading as it always did (an
 * object as `[object Object]`), so no field changes meaning for the decision code.
 */
export function textOf(value: unknown, fallback: string): string {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- untrusted event JSON: a non-string field must print as String() always printed it
  return String(value ?? fallback);
}

/** A required non-empty string at `path`, or a FindingError naming it. */
export function requireString(root: unknown, path: (string | number)[], prefix: string, index: number, id?: string): string {
  const value = at(root, path);
  if (typeof value !== 'string' || value.length === 0) {
    throw new FindingError(
      `${pathText(prefix, path)} is ${value === undefined ? 'missing' : `not a non-empty string (${(JSON.stringify(value) as string | undefined)?.slice(0, 60) ?? 'undefined'})`}`,
      index,
      id,
    );
  }
  return value;
}
