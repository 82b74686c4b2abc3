import { configPath, loadFleet } from '../../config/load';
import { createLiveAws } from '../../functions/shared/aws';
import { runCli } from '../cli';
import { formatReplay, parseReplayArgs, runReplay } from './replay-evidence';

/**
 * `npm run replay-evidence -- --stack <account>-<region> [--function respond]` with credentials of
 * the stack's account: the deployed function moves the evidence records waiting in its own
 * dead-letter queue into the evidence bucket (README "Evidence"). Exit 0 all moved, 1 some still
 * waiting, 2 bad arguments or refused, 3 no credentials.
 */
runCli('replay-evidence', async () => {
  const options = parseReplayArgs(process.argv.slice(2));
  const report = await runReplay(options, loadFleet(configPath()), { aws: createLiveAws(), now: () => new Date() });
  console.log(formatReplay(report));
  return report.exitCode;
});
