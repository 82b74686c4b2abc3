import { configPath } from './config/load';
import { synthesizeFleet } from './stacks/synthesize';

/**
 * The cdktf app (cdktf.json): reads accounts.json (or ACCOUNTS_FILE), validates all of it before
 * anything is written, bundles the functions once, synthesizes one stack per account and region,
 * and runs the guard rails over them: a violation stops synthesis with nothing written.
 */
const result = synthesizeFleet({ accountsFile: configPath(), rootDir: __dirname });
if (!result.ok) {
  for (const line of result.problems) console.error(line);
  process.exit(1);
}
for (const line of result.notes) console.error(line);
