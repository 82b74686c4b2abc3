import { join } from 'node:path';
import { changedStacks } from './changed-stacks';
import { CliError, EXIT, parseCliArgs, runCli } from '../cli';

const USAGE = 'usage: npm run --silent changed-stacks -- <base-ref>';

/**
 * `npm run --silent changed-stacks -- <base-ref>`: prints the stacks a change affects, one per
 * line (added and changed; the plan workflow plans exactly these). Removed stacks go to stderr:
 * removing an account from accounts.json orphans its responders; retire it instead.
 */
runCli('changed-stacks', () => {
  const { positionals } = parseCliArgs({ args: process.argv.slice(2), options: {}, allowPositionals: true }, USAGE);
  if (positionals.length !== 1) throw new CliError(`give exactly one base ref\n${USAGE}`, EXIT.usage);
  const [baseRef] = positionals;
  const changes = changedStacks({ repoRoot: join(__dirname, '..', '..'), baseRef });
  for (const name of [...changes.added, ...changes.changed].sort()) console.log(name);
  if (changes.everyStackBecause) console.error(`every stack: ${changes.everyStackBecause}`);
  for (const name of changes.removed) {
    console.error(
      `removed: ${name}: its responders stay deployed and unmanaged; put the account back with "retired": true to destroy them (README "Retiring an account")`,
    );
  }
  console.error(`${changes.added.length} added, ${changes.changed.length} changed, ${changes.removed.length} removed since ${baseRef}`);
});
