import { readFileSync } from 'node:fs';
import { configPath, loadFleet } from '../../config/load';
import { ciMatrix, DEFAULT_MAX_JOBS } from './ci-matrix';
import { CliError, EXIT, integerOption, parseCliArgs, runCli } from '../cli';

const USAGE = 'usage: npm run --silent ci-matrix -- [--wave 0|1|2] [--max-jobs N] [--stacks-file <file>] [stack ...]';

/**
 * `npm run --silent ci-matrix -- [--wave N] [--max-jobs N] [--stacks-file F] [stack ...]`: the
 * workflow's matrix as JSON, the named stacks (or those listed one per line in F, or all) packed
 * into at most N shards (default 64) of one deploy wave each.
 */
runCli('ci-matrix', () => {
  const { values, positionals } = parseCliArgs(
    {
      args: process.argv.slice(2),
      options: { wave: { type: 'string' }, 'max-jobs': { type: 'string' }, 'stacks-file': { type: 'string' } },
      allowPositionals: true,
    },
    USAGE,
  );
  if (values.wave !== undefined && !['0', '1', '2'].includes(values.wave))
    throw new CliError(`--wave must be 0, 1 or 2, got "${values.wave}"\n${USAGE}`, EXIT.usage);
  const maxJobs = integerOption('max-jobs', values['max-jobs'], DEFAULT_MAX_JOBS);
  if (maxJobs > 256) throw new CliError(`--max-jobs ${maxJobs}: GitHub runs at most 256 jobs per matrix`, EXIT.usage);
  const fromFile = values['stacks-file']
    ? readFileSync(values['stacks-file'], 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
    : [];
  const stacks = [...positionals, ...fromFile];
  if (values['stacks-file'] && stacks.length === 0) {
    // An empty list means "no stack changed", never "every stack".
    process.stdout.write('[]\n');
    return EXIT.ok;
  }
  let shards;
  try {
    shards = ciMatrix(loadFleet(configPath()), { stacks, maxJobs, ...(values.wave !== undefined ? { wave: Number(values.wave) } : {}) });
  } catch (error) {
    if ((error as Error).message.startsWith('unknown stack') || (error as Error).message.startsWith('--max-jobs'))
      throw new CliError((error as Error).message, EXIT.usage);
    throw error;
  }
  process.stdout.write(`${JSON.stringify(shards)}\n`);
  return EXIT.ok;
});
