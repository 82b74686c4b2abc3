import { configPath, loadFleet } from '../../config/load';
import { createLiveAws } from '../../functions/shared/aws';
import { CliError, EXIT, runCli } from '../cli';
import { abortableSleep, CleanupLedger, formatTable, parseSmokeArgs, runSmoke, USAGE } from './smoke';

/**
 * `npm run smoke -- --stack <account>-<region> [--i-know] [--timeout <s>] [--poll <s>] [--keep-going] [--vpc-id <id>]`
 * with credentials of the stack's account (docs/smoke-test.md). Progress on stderr, the table on
 * stdout. Exit 0 all checks pass, 2 bad arguments or refused, 3 no credentials, 4 a check failed,
 * 1 an error, an interruption or something left behind.
 */
runCli('smoke', async () => {
  const options = parseSmokeArgs(process.argv.slice(2));
  if ('error' in options) throw new CliError(`${options.error}\n${USAGE}`, EXIT.usage);
  const fleet = loadFleet(configPath());

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
    process.exit(EXIT.error);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const report = await runSmoke(options, fleet, {
    aws: createLiveAws(),
    now: () => new Date(),
    sleep: abortableSleep,
    signal: controller.signal,
    progress: (line) => {
      console.error(`smoke: ${line}`);
    },
    ledger,
  });
  if (report.refused) {
    console.error(`smoke: refused: ${report.refused}`);
    return report.exitCode;
  }
  if (report.rows.length > 0)
    await new Promise<void>((resolve) =>
      process.stdout.write(`${formatTable(report.rows)}\n`, () => {
        resolve();
      }),
    );
  if (report.interrupted) console.error('smoke: interrupted: the checks did not finish');
  if (report.error) {
    const what = report.exitCode === EXIT.credentials ? 'no usable AWS credentials' : 'failed';
    const todo = report.exitCode === EXIT.credentials ? '; sign in to the account (AWS_PROFILE, aws sso login) and run it again' : '';
    console.error(`smoke: ${what}: ${report.error}${todo}`);
  }
  for (const line of report.leftBehind) console.error(`left behind: ${line}`);
  if (report.exitCode === EXIT.checkFailed) console.error('smoke: a check failed (FAIL rows above)');
  return report.exitCode;
});
