import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { configPath, loadFleet } from '../../config/load';
import { CliError, EXIT, integerOption, parseCliArgs, runCli } from '../cli';
import { planComment } from './plan-comment';
import { planShard } from './terraform-shard';

const USAGE = 'usage: npm run --silent plan-shard -- [--parallel N] [--out <dir>] [--stacks-dir <dir>] [--summary <file>] <stack> ...';

/**
 * `npm run --silent plan-shard -- <stack> ...`: terraform init and plan of a CI shard's stacks
 * (synthesized in cdktf.out/stacks), `tfplan` saved in each stack folder, `<stack>.txt`/`.json`
 * in --out (default plans) for plan-comment, and with --summary the plans' markdown appended to
 * that file (the job summary the approver reads). Exit 4 when a plan failed or destroys a
 * responder of a stack that is not retired.
 */
runCli('plan-shard', async () => {
  const { values, positionals } = parseCliArgs(
    {
      args: process.argv.slice(2),
      options: { parallel: { type: 'string' }, out: { type: 'string' }, 'stacks-dir': { type: 'string' }, summary: { type: 'string' } },
      allowPositionals: true,
    },
    USAGE,
  );
  if (positionals.length === 0) throw new CliError(`no stack named\n${USAGE}`, EXIT.usage);
  const fleet = loadFleet(configPath());
  const known = new Set(fleet.stacks.map((s) => s.name));
  const unknown = positionals.filter((s) => !known.has(s));
  if (unknown.length > 0) throw new CliError(`unknown stack(s): ${unknown.join(', ')}`, EXIT.usage);
  const results = await planShard({
    stacks: positionals,
    stacksDir: values['stacks-dir'] ?? join('cdktf.out', 'stacks'),
    outDir: values.out ?? 'plans',
    parallel: integerOption('parallel', values.parallel, 4),
    retired: new Set(fleet.stacks.filter((s) => s.role === 'retired').map((s) => s.name)),
    progress: (line) => {
      console.error(`plan-shard: ${line}`);
    },
  });
  if (values.summary) appendFileSync(values.summary, planComment(results, process.env.GITHUB_RUN_URL));
  const refused = results.filter((r) => !r.ok);
  for (const r of refused) console.error(`plan-shard: ${r.stack}: not to be applied: ${r.refusal}`);
  return refused.length > 0 ? EXIT.checkFailed : EXIT.ok;
});
