import { configPath, loadFleet } from '../../config/load';
import { createLiveAws } from '../../functions/shared/aws';
import { CliError, EXIT, parseCliArgs, runCli } from '../cli';
import { findingLocation, undo } from './undo';

const USAGE = 'usage: npm run undo -- <finding id | IAM user name> [--dry-run]';

/**
 * `npm run undo -- <finding id | IAM user name> [--dry-run]`, with credentials of the account the
 * finding or user belongs to. Prints what it replayed (or would replay) as JSON, with who did it
 * (the caller's ARN). Exit 0 undone, 2 bad arguments, 3 no credentials, 5 nothing to undo.
 */
runCli('undo', async () => {
  const { values, positionals } = parseCliArgs(
    { args: process.argv.slice(2), options: { 'dry-run': { type: 'boolean', default: false } }, allowPositionals: true },
    USAGE,
  );
  if (positionals.length !== 1) {
    throw new CliError(
      `${positionals.length === 0 ? 'a finding id or an IAM user name is required' : `one finding id or user name at a time (got ${positionals.join(', ')})`}\n${USAGE}`,
      EXIT.usage,
    );
  }
  const [target] = positionals;
  if (target.startsWith('arn:')) {
    try {
      findingLocation(target);
    } catch (error) {
      throw new CliError(`${(error as Error).message}: pass the finding's Id as Security Hub shows it\n${USAGE}`, EXIT.usage);
    }
  }
  const dryRun = values['dry-run'];
  const result = await undo(target, { aws: createLiveAws(), dryRun, organization: () => loadFleet(configPath()).config.organization.name });
  await new Promise<void>((resolve) =>
    process.stdout.write(`${JSON.stringify({ ...result, dryRun }, null, 2)}\n`, () => {
      resolve();
    }),
  );
  if (result.nothingToUndo) {
    console.error(`undo: nothing to undo: ${result.nothingToUndo}`);
    return EXIT.nothingToDo;
  }
  return EXIT.ok;
});
