import { setTimeout as delay } from 'node:timers/promises';
import { AthenaClient } from '@aws-sdk/client-athena';
import { configPath, loadFleet } from '../../config/load';
import { runCli } from '../cli';
import { ProgressLine } from './progress';
import { formatReport, parseReportArgs, reportOutcome, reportTarget, runReport } from './report';

/**
 * `npm run report -- [--since 30d] [--until <time>] [--stack <security home stack> | --profile <profile>]`:
 * the evidence store's KPIs, run in Athena in the organization's home region (workgroup
 * `<org>-evidence`), with credentials of the security account: the stack's profile, the profile
 * named, or the default chain (AWS_PROFILE, environment). A progress line on stderr, one table per
 * KPI on stdout. Exit 0 all queries succeeded, 1 one failed (the others are still printed) or
 * interrupted, 2 bad arguments or accounts.json, 3 no credentials.
 */
runCli('report', async () => {
  const options = parseReportArgs(process.argv.slice(2), new Date());
  const target = reportTarget(loadFleet(configPath()), options);
  const athena = new AthenaClient({ region: target.region, retryMode: 'adaptive', maxAttempts: 6, ...(target.profile ? { profile: target.profile } : {}) });

  // First signal: stop the running query (Athena would finish and bill it otherwise). Second: leave at once.
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      console.error(`\nreport: ${signal}: stopping the running query (${signal} again to quit at once)`);
      controller.abort();
      return;
    }
    process.exit(1);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const results = await runReport(target, options.window, {
    athena,
    now: () => Date.now(),
    // Cut short by the first signal: the loop then stops the query.
    sleep: (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined),
    progress: new ProgressLine(process.stderr),
    signal: controller.signal,
  });
  await new Promise<void>((resolve) =>
    process.stdout.write(`${formatReport(results, target, options.window)}\n`, () => {
      resolve();
    }),
  );
  const outcome = reportOutcome(results);
  if (outcome.line) console.error(outcome.line);
  return outcome.code;
});
