import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackPlanResult } from './plan-comment';

/**
 * Plans and applies the stacks of one CI shard: init one stack at a time (Terraform's plugin
 * cache is not safe for concurrent installs), then plan or apply with bounded parallelism.
 */

export interface TerraformResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one terraform command; the shard's environment (AWS_CONFIG_FILE, TF_PLUGIN_CACHE_DIR) passes through. */
export type TerraformRunner = (cwd: string, args: string[]) => Promise<TerraformResult>;

export function terraformRunner(bin = process.env.TERRAFORM_BIN ?? 'terraform', env: NodeJS.ProcessEnv = process.env): TerraformRunner {
  return (cwd, args) =>
    new Promise((resolve, reject) => {
      const child = spawn(bin, args, { cwd, env: { ...env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', (error) => {
        reject(new Error(`cannot run ${bin}: ${error.message}`));
      });
      child.on('close', (code) => {
        resolve({ code: code ?? -1, stdout, stderr });
      });
    });
}

/** Runs `work` over `items`, at most `limit` at a time, results in input order. */
export async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Resource types whose removal stops the response in an account. */
export const RESPONDER_TYPES = ['aws_lambda_function', 'aws_cloudwatch_event_rule', 'aws_cloudwatch_event_target', 'aws_lambda_permission'];

/** `terraform show -json` of a plan: the fields read here (Terraform's JSON output format). */
export interface PlanJson {
  resource_changes?: { address: string; type: string; change: { actions: string[] } }[];
}

/**
 * The responder resources a plan removes outright (a `delete` with no `create`: a replacement
 * keeps the responder). Applying such a plan is refused unless the stack is retired.
 */
export function responderDestroys(planJson: PlanJson | undefined): string[] {
  return (planJson?.resource_changes ?? [])
    .filter((rc) => RESPONDER_TYPES.includes(rc.type))
    .filter((rc) => rc.change.actions.includes('delete') && !rc.change.actions.includes('create'))
    .map((rc) => rc.address);
}

export interface ShardStackResult extends StackPlanResult {
  ok: boolean;
  /** Why the stack must not be applied: plan failure or responder destroys. */
  refusal?: string;
}

export interface PlanShardOptions {
  /** `cdktf.out/stacks`. */
  stacksDir: string;
  stacks: readonly string[];
  /** Where `<stack>.txt` and `<stack>.json` go (plan-comment's input). */
  outDir: string;
  /** Plans at once. @default 4 */
  parallel?: number;
  /** Stacks whose plan may destroy responders (retired accounts). @default none */
  retired?: ReadonlySet<string>;
  /** Extra `terraform init` arguments (`-plugin-dir=…` offline). @default none */
  initArgs?: readonly string[];
  /** Plan without refreshing (`-refresh=false`). @default false */
  noRefresh?: boolean;
  terraform?: TerraformRunner;
  progress?: (line: string) => void;
}

/**
 * Inits every stack (one at a time), then plans them `parallel` at a time into `tfplan` in each
 * stack folder (what apply-shard applies); never applies.
 */
export async function planShard(options: PlanShardOptions): Promise<ShardStackResult[]> {
  const tf = options.terraform ?? terraformRunner();
  const progress = options.progress ?? (() => undefined);
  mkdirSync(options.outDir, { recursive: true });
  const initFailures = new Map<string, string>();
  for (const stack of options.stacks) {
    const dir = join(options.stacksDir, stack);
    if (!existsSync(join(dir, 'cdk.tf.json'))) {
      initFailures.set(stack, `${dir} holds no synthesized stack (run npx cdktf synth first)`);
      continue;
    }
    const init = await tf(dir, ['init', '-input=false', '-no-color', ...(options.initArgs ?? [])]);
    if (init.code !== 0) initFailures.set(stack, `terraform init failed:\n${init.stderr || init.stdout}`);
  }
  return inParallel(options.stacks, options.parallel ?? 4, async (stack) => {
    const dir = join(options.stacksDir, stack);
    const failed = (text: string): ShardStackResult => {
      writeFileSync(join(options.outDir, `${stack}.txt`), text);
      progress(`${stack}: FAILED`);
      return { stack, text, ok: false, refusal: 'the plan failed' };
    };
    const initFailure = initFailures.get(stack);
    if (initFailure) return failed(initFailure);
    // Read-only credentials cannot take the state lock; apply takes it.
    const args = ['plan', '-input=false', '-no-color', '-lock=false', '-out=tfplan', ...(options.noRefresh ? ['-refresh=false'] : [])];
    const plan = await tf(dir, args);
    if (plan.code !== 0) return failed(`${plan.stdout}\n${plan.stderr}`.trim());
    const text = (await tf(dir, ['show', '-no-color', 'tfplan'])).stdout;
    const shown = await tf(dir, ['show', '-json', 'tfplan']);
    const planJson = JSON.parse(shown.stdout) as PlanJson;
    writeFileSync(join(options.outDir, `${stack}.txt`), text);
    writeFileSync(join(options.outDir, `${stack}.json`), shown.stdout);
    const destroys = options.retired?.has(stack) ? [] : responderDestroys(planJson);
    const refusal = destroys.length > 0 ? `the plan destroys responders (${destroys.join(', ')}) and the stack is not retired` : undefined;
    progress(`${stack}: planned${refusal ? ` — REFUSED: ${refusal}` : ''}`);
    return { stack, text, planJson, ok: refusal === undefined, ...(refusal ? { refusal } : {}) };
  });
}

export interface ApplyShardOptions {
  stacksDir: string;
  stacks: readonly string[];
  /** Applies at once. @default 4 */
  parallel?: number;
  initArgs?: readonly string[];
  terraform?: TerraformRunner;
  progress?: (line: string) => void;
}

export interface ApplyResult {
  stack: string;
  ok: boolean;
  output: string;
}

/**
 * Applies each stack's saved `tfplan` (the plan the approver saw), nothing else: a stack
 * without one fails, and Terraform refuses a plan whose state changed since ("stale").
 */
export async function applyShard(options: ApplyShardOptions): Promise<ApplyResult[]> {
  const tf = options.terraform ?? terraformRunner();
  const progress = options.progress ?? (() => undefined);
  const ready = new Map<string, string | undefined>();
  for (const stack of options.stacks) {
    const dir = join(options.stacksDir, stack);
    if (!existsSync(join(dir, 'tfplan'))) {
      ready.set(stack, `${dir} has no saved plan (tfplan): nothing reviewed, nothing applied`);
      continue;
    }
    const init = await tf(dir, ['init', '-input=false', '-no-color', ...(options.initArgs ?? [])]);
    ready.set(stack, init.code === 0 ? undefined : `terraform init failed:\n${init.stderr || init.stdout}`);
  }
  return inParallel(options.stacks, options.parallel ?? 4, async (stack) => {
    const problem = ready.get(stack);
    if (problem) {
      progress(`${stack}: FAILED`);
      return { stack, ok: false, output: problem };
    }
    const applied = await tf(join(options.stacksDir, stack), ['apply', '-input=false', '-no-color', 'tfplan']);
    progress(`${stack}: ${applied.code === 0 ? 'applied' : 'FAILED'}`);
    return { stack, ok: applied.code === 0, output: `${applied.stdout}\n${applied.stderr}`.trim() };
  });
}
