import { SEVERITIES, severityRank, type Severity } from '../catalogue';
import type { Attributes } from './intake';

/**
 * Alert storm control. Enabling one standard in one account can raise hundreds of findings in
 * minutes; a person reads the first few and needs the rest as one list. Windows are fixed and
 * aligned to the epoch (UTC), so every account's windows start on the same minutes and a digest
 * covers a window a reader can name ("10:05–10:10 UTC").
 */

export interface StormSettings {
  /** Alerts of one account sent at once within a window; the rest of the window is held for its digest. */
  readonly threshold: number;
  readonly windowMinutes: number;
}

export interface StormWindow {
  readonly start: Date;
  readonly end: Date;
}

export function windowOf(at: Date, windowMinutes: number): StormWindow {
  const ms = windowMinutes * 60_000;
  const start = Math.floor(at.getTime() / ms) * ms;
  return { start: new Date(start), end: new Date(start + ms) };
}

/** The kinds of alert that count toward a storm: findings the responders acted on, quarantines, unreadable findings. */
const COUNTED_KINDS = new Set(['finding', 'quarantine', 'error']);

/**
 * Sent at once whatever the storm: CRITICAL findings, escalations (a person asked), and anything
 * that is not about one finding (alarm state changes carry no attributes). Attributes are set by
 * our own functions, never by the actor under investigation.
 */
export function alwaysImmediate(attributes: Attributes): boolean {
  if (attributes.severity === 'CRITICAL') return true;
  return !COUNTED_KINDS.has(attributes.kind ?? '') || !attributes.account;
}

export function severityOf(attributes: Attributes): Severity {
  const s = attributes.severity;
  return (SEVERITIES as readonly string[]).includes(s ?? '') ? (s as Severity) : 'INFORMATIONAL';
}

/** The highest severity of a list (a digest is as severe as its worst finding). */
export function highestSeverity(severities: readonly Severity[]): Severity {
  return severities.reduce<Severity>((worst, s) => (severityRank(s) > severityRank(worst) ? s : worst), 'INFORMATIONAL');
}
