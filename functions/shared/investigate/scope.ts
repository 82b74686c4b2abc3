const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How far before the finding's first sighting the investigation looks: the activity that led up to it. */
export const LOOKBACK_MS = DAY_MS;
/**
 * Our bounds on the scope: Detective's API reference documents none for StartInvestigation; its
 * User Guide's scope time (of the console's profiles) is 1 hour to 1 year with both ends on an hour.
 * At least 3 hours, so a finding seen a minute ago still gets context; at most 30 days, so a
 * long-lived finding looks at its recent month; both ends on the hour, within either reading.
 */
export const MIN_SCOPE_MS = 3 * HOUR_MS;
export const MAX_SCOPE_MS = 30 * DAY_MS;

export interface InvestigationScope {
  readonly start: Date;
  readonly end: Date;
}

const hourOf = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

/**
 * From the hour a day before the finding was first seen until the last full hour, held within
 * 3 hours to 30 days. A first sighting in the future (a clock that runs ahead) or none at all looks
 * at the last day; one older than 30 days keeps the newest 30. (Detective's data of the current hour
 * is still arriving: ending at the hour loses little.)
 */
export function investigationScope(firstSeenAt: string | undefined, now: Date): InvestigationScope {
  const end = hourOf(now.getTime());
  const first = firstSeenAt === undefined ? NaN : Date.parse(firstSeenAt);
  const wanted = hourOf(Number.isNaN(first) || first > end ? end - LOOKBACK_MS : first - LOOKBACK_MS);
  const start = Math.max(end - MAX_SCOPE_MS, Math.min(wanted, end - MIN_SCOPE_MS));
  return { start: new Date(start), end: new Date(end) };
}
