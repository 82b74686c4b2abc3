import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SweptDecision } from '../../../functions/shared/sweep/decision';
import type { BacklogEntry } from './list';

/**
 * A sweep's progress: the cursor and counters (`<file>`, rewritten after every invocation and
 * small), the backlog as listed (`<file>.backlog.json`, written once) and what `respond` answered
 * (`<file>.decisions.jsonl`, appended). A stopped sweep resumes from `next`; what was sent is never
 * sent again by the same sweep (and `respond` leaves a finding it already moved off NEW alone anyway).
 */
export interface SweepState {
  version: 2;
  stack: string;
  sweepId: string;
  startedAt: string;
  /** The window the backlog was listed for. */
  since: string;
  until: string;
  /** Findings listed. */
  total: number;
  /** Index of the next backlog entry to send. */
  next: number;
  /** Listed, then gone from the hub before `respond` read them. */
  notFound: number;
  /** AWS requests by `service:Operation`: the sweep's own and those `respond` reported. */
  calls: Record<string, number>;
  invocations: number;
  /** Invocations the function answered with an error: their findings may be partly handled. */
  failedInvocations: number;
  /** Time spent sending, summed over the runs of this sweep. */
  sendingMs: number;
  finishedAt?: string;
}

/** One line of the decisions file: `respond`'s decision, or a finding of an invocation that failed. */
export type SweepLine = SweptDecision | { findingId: string; invocationFailed: string };

/** The files of one sweep, and the lock that keeps two runs of the same sweep apart. */
export class SweepFiles {
  readonly backlogFile: string;
  readonly decisionsFile: string;
  readonly lockFile: string;

  constructor(readonly file: string) {
    this.backlogFile = `${file}.backlog.json`;
    this.decisionsFile = `${file}.decisions.jsonl`;
    this.lockFile = `${file}.lock`;
  }

  /** Takes the lock (created exclusively), or says who holds it. */
  lock(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    let fd: number;
    try {
      fd = openSync(this.lockFile, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readFileSync(this.lockFile, 'utf8').trim();
      throw new Error(`another sweep holds ${this.lockFile} (${holder || 'no pid'}); if none is running, remove the file`, { cause: error });
    }
    writeSync(fd, `pid ${process.pid}\n`);
    closeSync(fd);
  }

  unlock(): void {
    rmSync(this.lockFile, { force: true });
  }

  /** The saved state, or undefined; files that are not a sweep's are an error naming them. */
  load(): SweepState | undefined {
    if (!existsSync(this.file)) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (error) {
      throw new Error(`${this.file} is not a sweep's state (${(error as Error).message}); remove it or pass --restart`, { cause: error });
    }
    const s = parsed as Partial<SweepState>;
    if (s.version !== 2 || typeof s.stack !== 'string' || typeof s.next !== 'number' || typeof s.total !== 'number')
      throw new Error(`${this.file} is not a sweep's state (version 2 with stack, total, next); remove it or pass --restart`);
    if (!s.finishedAt && !existsSync(this.backlogFile)) throw new Error(`${this.backlogFile} is missing: the half-done sweep cannot resume; pass --restart`);
    return s as SweepState;
  }

  backlog(): BacklogEntry[] {
    return JSON.parse(readFileSync(this.backlogFile, 'utf8')) as BacklogEntry[];
  }

  decisions(): SweepLine[] {
    if (!existsSync(this.decisionsFile)) return [];
    return readFileSync(this.decisionsFile, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as SweepLine);
  }

  /** A new sweep: its backlog, no decisions yet, its state. */
  start(state: SweepState, backlog: BacklogEntry[]): void {
    writeFileSync(this.backlogFile, JSON.stringify(backlog));
    writeFileSync(this.decisionsFile, '');
    this.save(state);
  }

  /** What one invocation answered, then the state that counts it. */
  record(lines: SweepLine[], state: SweepState): void {
    if (lines.length > 0) appendFileSync(this.decisionsFile, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    this.save(state);
  }

  /** Writes the state whole or not at all (a temporary file renamed over the old one). */
  save(state: SweepState): void {
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(state)}\n`);
    renameSync(temporary, this.file);
  }

  /** Forgets the sweep (--restart), the lock excepted. */
  remove(): void {
    for (const f of [this.file, this.backlogFile, this.decisionsFile]) rmSync(f, { force: true });
  }
}

/** Adds `respond`'s (or the sweep's own) request counts into the running totals. */
export function addCalls(total: Record<string, number>, more: Record<string, number>): void {
  for (const [name, n] of Object.entries(more)) total[name] = (total[name] ?? 0) + n;
}
