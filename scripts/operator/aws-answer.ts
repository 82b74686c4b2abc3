/**
 * What an AWS call answered, as the operator scripts read it. The SDK resolves every command to an
 * output object, but the tests' stand-in clients (aws-sdk-client-mock) resolve a command they have
 * no answer for to `undefined`; the smoke test reads that as an empty answer (no groups, no keys,
 * no tags), so its readers take `?.` and the type says why.
 */
export function answerOf<T>(sent: Promise<T>): Promise<T | undefined> {
  return sent;
}

/**
 * A field AWS always fills in its answer though the SDK types it optional (a created group's
 * GroupId, a tag's Key): a missing one is an error that names it.
 */
export function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`AWS answered no ${what}`);
  return value;
}
