import type { SweepReport } from './run';
import type { SweepLine } from './state';

const n = (x: number) => x.toLocaleString('en-US');

function columns(rows: string[][]): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  '));
}

/** Decisions grouped for the table: findings per (action, mode, outcome), per reason left alone, and of failed invocations. */
export function tally(lines: SweepLine[]): {
  rows: { action: string; mode: string; outcome: string; findings: number }[];
  leftAlone: Map<string, number>;
  invocationFailed: number;
} {
  const rows = new Map<string, { action: string; mode: string; outcome: string; findings: number }>();
  const leftAlone = new Map<string, number>();
  let invocationFailed = 0;
  for (const d of lines) {
    if ('invocationFailed' in d) {
      invocationFailed += 1;
      continue;
    }
    if (d.ignored !== undefined || d.unreadable !== undefined) {
      const why = d.ignored ?? `unreadable: ${d.unreadable ?? ''}`;
      leftAlone.set(why, (leftAlone.get(why) ?? 0) + 1);
      continue;
    }
    const key = `${d.action} ${d.mode} ${d.outcome}`;
    const row = rows.get(key) ?? { action: d.action ?? 'NONE', mode: d.mode ?? '', outcome: d.outcome ?? '', findings: 0 };
    row.findings += 1;
    rows.set(key, row);
  }
  return { rows: [...rows.values()].sort((a, b) => b.findings - a.findings || a.action.localeCompare(b.action)), leftAlone, invocationFailed };
}

/**
 * What the sweep did: one row per (action, mode, outcome) with its findings, the findings left
 * alone and why, then the rate and the AWS requests per finding (the sweep's own and `respond`'s).
 * In observe mode the WOULD_CHANGE rows are what enforce would have done.
 */
export function formatSweep(report: SweepReport): string {
  const { state, stack } = report;
  if (!state) return `Sweep of ${stack.name}: nothing ${report.listingInterrupted ? 'sent: interrupted while listing' : 'listed'}.`;
  const { rows, leftAlone, invocationFailed } = tally(report.decisions);
  const lines = [
    `Sweep ${state.sweepId} of ${stack.name} (${stack.settings.accountId} ${stack.region}), findings created ${state.since} to ${state.until}:`,
    `${n(state.total)} listed, ${n(state.next)} sent${state.next < state.total ? `, ${n(state.total - state.next)} still to send (run the same command to resume)` : ''}.`,
    '',
  ];
  if (rows.length > 0) {
    lines.push(
      ...columns([['action', 'mode', 'outcome', 'findings'], ...rows.map((r) => [r.action, r.mode, r.outcome, n(r.findings)])]).map((l) => `  ${l}`),
      '',
    );
  }
  const wouldChange = rows.filter((r) => r.outcome === 'WOULD_CHANGE').reduce((s, r) => s + r.findings, 0);
  if (wouldChange > 0) lines.push(`Observe mode: ${n(wouldChange)} findings would have been changed in enforce (WOULD_CHANGE).`);
  for (const [why, count] of [...leftAlone.entries()].sort((a, b) => b[1] - a[1])) lines.push(`Left alone: ${n(count)} (${why}).`);
  if (state.notFound > 0) lines.push(`Gone from the hub before respond read them: ${n(state.notFound)}.`);
  if (invocationFailed > 0)
    lines.push(
      `In failed invocations: ${n(invocationFailed)} findings (${n(state.failedInvocations)} invocations; possibly partly handled, those still NEW are listed by the next sweep).`,
    );
  const perSecond = state.sendingMs > 0 ? (state.next / state.sendingMs) * 1000 : 0;
  const totalCalls = Object.values(state.calls).reduce((s, c) => s + c, 0);
  const per = (c: number) => (state.next > 0 ? (c / state.next).toFixed(2) : '-');
  lines.push(
    '',
    `${n(state.next)} findings sent in ${(state.sendingMs / 1000).toFixed(1)} s: ${perSecond.toFixed(2)} findings/s; ${n(report.decisions.length)} decisions.`,
    `AWS requests: ${n(totalCalls)}, ${per(totalCalls)} per finding sent:`,
    ...columns(
      Object.entries(state.calls)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([op, c]) => [op, n(c), per(c)]),
    ).map((l) => `  ${l}`),
  );
  return lines.join('\n');
}
