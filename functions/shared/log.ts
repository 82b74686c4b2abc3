/**
 * The logging the decision code needs. Deployed functions pass Powertools' Logger (structured JSON,
 * one line per call); the simulator and tests pass `silentLog` or a collecting logger.
 */
export interface Log {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
  /** Keys added to every following line (Powertools `appendKeys`). */
  appendKeys(keys: Record<string, unknown>): void;
  removeKeys(keys: string[]): void;
}

export const silentLog: Log = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  appendKeys: () => undefined,
  removeKeys: () => undefined,
};

/** Runs `fn` with `findingId` on every log line it writes, removed afterwards even if it throws. */
export async function withFindingId<T>(log: Log, findingId: string, fn: () => Promise<T>): Promise<T> {
  log.appendKeys({ findingId });
  try {
    return await fn();
  } finally {
    log.removeKeys(['findingId']);
  }
}
