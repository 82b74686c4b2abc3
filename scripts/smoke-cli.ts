import { configPath, ConfigError, loadFleet } from '../config/load';
import { createLiveAws } from '../functions/shared/aws';
import { abortableSleep, CleanupLedger, formatTable, parseSmokeArgs, runSmoke, USAGE } from './smoke';

/**
 * `npm run smoke -- --stack <account>-<region> [--i-know] [--timeout <s>] [--poll <s>] [--keep-going] [--vpc-id <id>]`
 * with credentials of the stack's account (docs/smoke-test.md). Progress on stderr, the table on
 * stdout. Exit 0 all checks pass, 1 a check failed or something was left behind, 2 refused.
 */
async function main(): Promise<number> {
  const options = parseSmokeArgs(process.argv.slice(2));
  if ('error' in options) {
    console.error(`smoke: ${options.error}\n${USAGE}`);
    return 2;
  }
  let fleet;
  try {
    fleet = loadFleet(configPath());
  } catch (error) {
    console.error(error instanceof ConfigError ? error.lines().join('\n') : `smoke: ${(error as Error).message}`);
    return 2;
  }

  // First signal: stop and clean up. Second: leave at once, saying what may still exist.
  const controller = new AbortController();
  const ledger = new CleanupLedger();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      console.error(`smoke: ${signal}: stopping and cleaning up what this run created (${signal} again to quit at once)`);
      controller.abort();
      return;
    }
    const left = ledger.remaining();
    console.error(`smoke: ${signal} again: quitting without finishing the cleanup.${left.length > 0 ? ' May be left behind:' : ''}`);
    for (const line of left) console.error(`  ${line}`);
    process.exit(1);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const report = await runSmoke(options, fleet, {
    aws: createLiveAws(),
    now: () => new Date(),
    sleep: abortableSleep,
    signal: controller.signal,
    progress: (line) => console.error(`smoke: ${line}`),
    ledger,
  });
  if (report.refused) {
    console.error(`smoke: refused: ${report.refused}`);
    return report.exitCode;
  }
  if (report.rows.length > 0) console.log(formatTable(report.rows));
  if (report.interrupted) console.error('smoke: interrupted: the checks did not finish');
  if (report.error) console.error(`smoke: failed: ${report.error}`);
  for (const line of report.leftBehind) console.error(`left behind: ${line}`);
  return report.exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`smoke failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
