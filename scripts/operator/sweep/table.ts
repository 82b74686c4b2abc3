import type { SweepReport } from './run';
import { tally } from './run';

const n = (x: number) => x.toLocaleString('en-US');

function columns(rows: string[][]): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  '));
}

/**
 * What the sweep did: one row per (action, mode, outcome) with its findings, the findings left
 * alone and why, then the rate and the AWS requests per finding (the sweep's own and `respond`'s).
 * In observe mode the WOULD_CHANGE rows are what enforce would have done.
 */
export function formatSweep(report: SweepReport): string {
  const { state, stack } = report;
  if (!state) return `Sweep of ${stack.name}: nothing listed.`;
  const { rows, leftAlone } = tally(state.decisions);
  const handled = state.decisions.length;
  const lines = [
    `Sweep ${state.sweepId} of ${stack.name} (${stack.settings.accountId} ${stack.region}), findings created ${state.since} to ${state.until}:`,
    `${n(state.backlog.length)} listed, ${n(state.next)} sent${state.next < state.backlog.length ? `, ${n(state.backlog.length - state.next)} still to send (run the same command to resume)` : ''}.`,
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
  if (state.notFound.length > 0) lines.push(`Gone from the hub before respond read them: ${n(state.notFound.length)}.`);
  if (state.failedInvocations > 0) lines.push(`Failed invocations: ${n(state.failedInvocations)} (their findings stay NEW; the next sweep lists them again).`);
  const perSecond = state.sendingMs > 0 ? (state.next / state.sendingMs) * 1000 : 0;
  const totalCalls = Object.values(state.calls).reduce((s, c) => s + c, 0);
  const per = (c: number) => (state.next > 0 ? (c / state.next).toFixed(2) : '-');
  lines.push(
    '',
    `${n(state.next)} findings sent in ${(state.sendingMs / 1000).toFixed(1)} s: ${perSecond.toFixed(2)} findings/s; ${n(handled)} decisions.`,
    `AWS requests: ${n(totalCalls)}, ${per(totalCalls)} per finding sent:`,
    ...columns(
      Object.entries(state.calls)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([op, c]) => [op, n(c), per(c)]),
    ).map((l) => `  ${l}`),
  );
  return lines.join('\n');
}
