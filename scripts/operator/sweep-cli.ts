import { setTimeout as delay } from 'node:timers/promises';
import { configPath, loadFleet } from '../../config/load';
import { createLiveAws } from '../../functions/shared/aws';
import { EXIT, runCli } from '../cli';
import { ProgressLine } from './progress';
import { parseSweepArgs } from './sweep/options';
import { runSweep } from './sweep/run';
import { formatSweep } from './sweep/table';

/**
 * `npm run sweep -- --stack <account>-<region> [--since 90d] [--limit N] [--rate 5] [--i-know] [--restart]`
 * with credentials of the stack's account: the account's backlog of old findings through the
 * deployed `respond` (README "Backlog sweep"). A progress bar on stderr, the summary on stdout. Exit 0 done,
 * 1 stopped (interrupted, invocations failing; run it again to resume), 2 bad arguments or refused,
 * 3 no credentials.
 */
runCli('sweep', async () => {
  const options = parseSweepArgs(process.argv.slice(2), new Date());
  const fleet = loadFleet(configPath());

  // First signal: finish the invocation under way, save, stop. Second: leave at once (the saved state still resumes).
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      console.error(`\nsweep: ${signal}: stopping after the invocation under way (${signal} again to quit at once)`);
      controller.abort();
      return;
    }
    process.exit(EXIT.error);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const report = await runSweep(options, fleet, {
    aws: createLiveAws(),
    now: () => Date.now(),
    sleep: (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined),
    progress: new ProgressLine(process.stderr),
    say: (line) => {
      console.error(line);
    },
    signal: controller.signal,
  });
  await new Promise<void>((resolve) =>
    process.stdout.write(`${formatSweep(report)}\n`, () => {
      resolve();
    }),
  );
  if (report.listingInterrupted) console.error('sweep: interrupted while listing; nothing was sent or saved');
  else if (report.interrupted) console.error(`sweep: interrupted; the same command resumes it (${options.stateFile})`);
  if (report.error) console.error(`sweep: stopped: ${report.error}`);
  return report.exitCode;
});
