import { createLiveAws } from '../functions/shared/aws';
import { configPath, loadFleet } from '../config/load';
import { undoFinding, undoQuarantine } from './undo';

/**
 * `npm run undo -- <finding id | IAM user name> [--dry-run]`, with credentials of the account the
 * finding or user belongs to. Prints what it replayed (or would replay) as JSON.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const target = args.find((a) => !a.startsWith('--'));
  if (!target) {
    console.error('usage: npm run undo -- <finding id | IAM user name> [--dry-run]');
    process.exit(2);
  }
  const aws = createLiveAws();
  const who = process.env.USER ?? 'an operator';
  const result = target.startsWith('arn:')
    ? await undoFinding(target, aws, { dryRun, who })
    : await undoQuarantine(target, loadFleet(configPath()).config.organization.name, aws, { dryRun });
  console.log(JSON.stringify({ ...result, dryRun }, null, 2));
  if (result.nothingToUndo) process.exit(1);
}

main().catch((error: Error) => {
  console.error(`undo failed: ${error.message}`);
  process.exit(1);
});
