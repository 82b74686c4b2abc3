import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planComment, type StackPlanResult } from './plan-comment';

/**
 * `npm run --silent plan-comment -- <dir>`: <dir> holds, per stack, `<stack>.txt` (terraform show
 * -no-color, or the error) and `<stack>.json` (terraform show -json) when the plan succeeded.
 * Prints the comment's markdown.
 */
const dir = process.argv[2];
if (!dir) {
  console.error('usage: npm run --silent plan-comment -- <plans dir>');
  process.exit(2);
}
const results: StackPlanResult[] = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => {
    const stack = f.slice(0, -4);
    const json = join(dir, `${stack}.json`);
    return { stack, text: readFileSync(join(dir, f), 'utf8'), planJson: existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : undefined };
  });
const runUrl = process.env.GITHUB_RUN_URL;
process.stdout.write(planComment(results, runUrl));
