import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SweptDecision } from '../../../functions/shared/sweep/decision';
import type { BacklogEntry } from './list';

/**
 * A sweep's progress, saved after every invocation: the backlog as listed, how far it got, and
 * what `respond` answered. A stopped sweep resumes from `next`; what was sent is never sent again
 * by the same sweep (and `respond` leaves a finding it already moved off NEW alone anyway).
 */
export interface SweepState {
  version: 1;
  stack: string;
  sweepId: string;
  startedAt: string;
  /** The window the backlog was listed for. */
  since: string;
  until: string;
  backlog: BacklogEntry[];
  /** Index of the next backlog entry to send. */
  next: number;
  decisions: SweptDecision[];
  /** Listed, then gone from the hub before `respond` read it. */
  notFound: string[];
  /** AWS requests by `service:Operation`: the sweep's own and those `respond` reported. */
  calls: Record<string, number>;
  invocations: number;
  /** Invocations that failed (the function threw or could not be invoked); their findings stay NEW. */
  failedInvocations: number;
  /** Time spent sending, summed over the runs of this sweep. */
  sendingMs: number;
  finishedAt?: string;
}

/** The saved state, or undefined when there is none; a file that is not a sweep's state is an error naming it. */
export function loadState(file: string): SweepState | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not a sweep's state (${(error as Error).message}); remove it or pass --restart`, { cause: error });
  }
  const s = parsed as Partial<SweepState>;
  if (s.version !== 1 || typeof s.stack !== 'string' || !Array.isArray(s.backlog) || typeof s.next !== 'number' || !Array.isArray(s.decisions))
    throw new Error(`${file} is not a sweep's state (version 1 with stack, backlog, next, decisions); remove it or pass --restart`);
  return s as SweepState;
}

/** Writes the state whole or not at all (a temporary file renamed over the old one). */
export function saveState(file: string, state: SweepState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state)}\n`);
  renameSync(temporary, file);
}

/** Adds `respond`'s (or the sweep's own) request counts into the running totals. */
export function addCalls(total: Record<string, number>, more: Record<string, number>): void {
  for (const [name, n] of Object.entries(more)) total[name] = (total[name] ?? 0) + n;
}
