import { flushDigests, MemoryStormStore, routeAlert, type OutgoingAlert } from '../functions/shared/routing/route';
import type { IntakeAlert } from '../functions/shared/routing/intake';

/**
 * `npm run bench:storm`: 1,000 findings of one account within one minute (1 in 20 CRITICAL, one
 * owning team), through the router's own code with the storm settings of the issue (threshold 20, 5-minute
 * windows) and the deployed flush schedule (every minute). Prints how many messages go out, that
 * every finding is in exactly one, and the delay the digest adds (publish to digest), median and
 * worst. Runs BENCH_RUNS times with different start seconds within the window; figures per run.
 */
const FINDINGS = Number(process.env.BENCH_FINDINGS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const storm = { threshold: Number(process.env.BENCH_THRESHOLD ?? 20), windowMinutes: Number(process.env.BENCH_WINDOW_MINUTES ?? 5) };
const FLUSH_EVERY_MS = 60_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function run(startOffsetSeconds: number) {
  const store = new MemoryStormStore();
  const sent: { at: number; out: OutgoingAlert }[] = [];
  let clock = 0;
  const deps = { store, send: (out: OutgoingAlert) => Promise.resolve(void sent.push({ at: clock, out })) };
  const base = Date.parse('2026-11-26T10:00:00Z') + startOffsetSeconds * 1000;
  const alerts: IntakeAlert[] = Array.from({ length: FINDINGS }, (_, i) => {
    const severity = i % 20 === 7 ? 'CRITICAL' : i % 3 === 0 ? 'HIGH' : 'MEDIUM';
    return {
      id: `finding-${i}`,
      subject: `[${severity}] payments-prod: finding ${i}`,
      message: `finding ${i}`,
      attributes: { kind: 'finding', severity, account: '111111111111', accountName: 'payments-prod', team: 'payments' },
      publishedAt: new Date(base + Math.floor((i * 60_000) / FINDINGS)),
    };
  });
  const started = process.hrtime.bigint();
  let nextFlush = Math.ceil(base / FLUSH_EVERY_MS) * FLUSH_EVERY_MS;
  for (const a of alerts) {
    while (nextFlush <= a.publishedAt.getTime()) {
      clock = nextFlush;
      await flushDigests(new Date(nextFlush), storm, deps);
      nextFlush += FLUSH_EVERY_MS;
    }
    clock = a.publishedAt.getTime();
    await routeAlert(a, storm, deps);
  }
  for (let i = 0; i < storm.windowMinutes + 2; i++, nextFlush += FLUSH_EVERY_MS) {
    clock = nextFlush;
    await flushDigests(new Date(nextFlush), storm, deps);
  }
  const cpuMs = Number(process.hrtime.bigint() - started) / 1e6;

  const critical = alerts.filter((a) => a.attributes.severity === 'CRITICAL').length;
  const digests = sent.filter((s) => s.out.alert.attributes.kind === 'digest');
  const oneByOne = sent.length - digests.length;
  const carried = sent.flatMap((s) => s.out.alertIds);
  const exactlyOnce = carried.length === alerts.length && new Set(carried).size === alerts.length;
  const published = new Map(alerts.map((a) => [a.id, a.publishedAt.getTime()]));
  const delays = digests.flatMap((d) => d.out.alertIds.map((id) => (d.at - (published.get(id) ?? d.at)) / 1000));
  const windows = new Set(alerts.map((a) => Math.floor(a.publishedAt.getTime() / (storm.windowMinutes * 60_000)))).size;
  return { critical, oneByOne, digests: digests.length, windows, exactlyOnce, delays, cpuMs };
}

async function main() {
  console.log(`${FINDINGS} findings of one account within one minute; threshold ${storm.threshold}, ${storm.windowMinutes}-minute windows, flush every minute`);
  console.log(
    'start s  windows  CRITICAL (at once)  others at once  digests  limit (threshold+1 per window, + CRITICAL)  each finding once  digest delay s median / max  router ms',
  );
  for (let r = 0; r < RUNS; r++) {
    const start = Math.floor((r * storm.windowMinutes * 60) / RUNS) + 7;
    const x = await run(start);
    const limit = x.windows * (storm.threshold + 1) + x.critical;
    console.log(
      `${String(start).padStart(7)}  ${String(x.windows).padStart(7)}  ${String(x.critical).padStart(18)}  ${String(x.oneByOne - x.critical).padStart(13)}  ${String(x.digests).padStart(7)}  ${String(limit).padStart(42)}  ${String(x.exactlyOnce).padStart(17)}  ${median(x.delays).toFixed(0).padStart(21)} / ${Math.max(...x.delays).toFixed(0)}  ${x.cpuMs.toFixed(1).padStart(9)}`,
    );
    if (!x.exactlyOnce || x.oneByOne + x.digests > limit) process.exitCode = 1;
  }
}

void main();
