import { join } from 'node:path';
import { CliError, EXIT, integerOption, parseCliArgs, runCli } from '../cli';
import { applyShard } from './terraform-shard';

const USAGE = 'usage: npm run --silent apply-shard -- [--parallel N] [--stacks-dir <dir>] <stack> ...';

/**
 * `npm run --silent apply-shard -- <stack> ...`: `terraform apply tfplan` in each stack folder,
 * the saved plan of plan-shard and nothing else. Exit 4 when any stack failed to apply.
 */
runCli('apply-shard', async () => {
  const { values, positionals } = parseCliArgs(
    { args: process.argv.slice(2), options: { parallel: { type: 'string' }, 'stacks-dir': { type: 'string' } }, allowPositionals: true },
    USAGE,
  );
  if (positionals.length === 0) throw new CliError(`no stack named\n${USAGE}`, EXIT.usage);
  const results = await applyShard({
    stacks: positionals,
    stacksDir: values['stacks-dir'] ?? join('cdktf.out', 'stacks'),
    parallel: integerOption('parallel', values.parallel, 4),
    progress: (line) => {
      console.error(`apply-shard: ${line}`);
    },
  });
  for (const r of results.filter((x) => !x.ok)) console.error(`apply-shard: ${r.stack} failed:\n${r.output.split('\n').slice(-20).join('\n')}`);
  return results.every((r) => r.ok) ? EXIT.ok : EXIT.checkFailed;
});
