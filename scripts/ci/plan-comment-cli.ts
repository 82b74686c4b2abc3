import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, EXIT, parseCliArgs, runCli } from '../cli';
import { planComment, type StackPlanResult } from './plan-comment';

const USAGE = 'usage: npm run --silent plan-comment -- <plans dir>';

/**
 * `npm run --silent plan-comment -- <dir>`: <dir> holds, per stack, `<stack>.txt` (terraform show
 * -no-color, or the error) and `<stack>.json` (terraform show -json) when the plan succeeded.
 * Prints the comment's markdown. Exit 2 when <dir> is not a folder, 5 when it holds no plan.
 */
runCli('plan-comment', async () => {
  const { positionals } = parseCliArgs({ args: process.argv.slice(2), options: {}, allowPositionals: true }, USAGE);
  if (positionals.length !== 1)
    throw new CliError(
      `${positionals.length === 0 ? 'the plans folder is required' : `one plans folder only (got ${positionals.join(', ')})`}\n${USAGE}`,
      EXIT.usage,
    );
  const [dir] = positionals;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CliError(`${dir}: no such folder; pass the folder the plan artifacts were downloaded to\n${USAGE}`, EXIT.usage);
  }
  const plans = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort();
  if (plans.length === 0) throw new CliError(`${dir} holds no plan (<stack>.txt): no stack was planned, nothing to comment`, EXIT.nothingToDo);
  const results: StackPlanResult[] = plans.map((f) => {
    const stack = f.slice(0, -4);
    const json = join(dir, `${stack}.json`);
    let planJson: StackPlanResult['planJson'];
    if (existsSync(json)) {
      try {
        planJson = JSON.parse(readFileSync(json, 'utf8')) as StackPlanResult['planJson'];
      } catch (error) {
        throw new Error(`${json}: not JSON (${(error as Error).message}); write it with terraform show -json`, { cause: error });
      }
    }
    return { stack, text: readFileSync(join(dir, f), 'utf8'), planJson };
  });
  // Written out before runCli exits: a pipe may take a 64 KB comment in several writes.
  await new Promise<void>((resolve) =>
    process.stdout.write(planComment(results, process.env.GITHUB_RUN_URL), () => {
      resolve();
    }),
  );
});
