import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyShard, planShard, responderDestroys, type TerraformResult, type TerraformRunner } from '../../../scripts/ci/terraform-shard';

const change = (type: string, actions: string[]) => ({ address: `${type}.x`, type, change: { actions } });

/** A stacks folder with synthesized stacks (cdk.tf.json) and, optionally, saved plans. */
function stacksDir(names: string[], withPlan = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'shard-'));
  for (const name of names) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'cdk.tf.json'), '{}');
    if (withPlan) writeFileSync(join(dir, name, 'tfplan'), 'plan');
  }
  return dir;
}

/**
 * Terraform as the shard sees it: records each command, tracks how many run at once, and answers
 * `show -json` with the stack's planned changes.
 */
function fakeTerraform(plans: Record<string, object[]>, failing: string[] = []) {
  const calls: string[] = [];
  let running = 0;
  let peak = 0;
  const tf: TerraformRunner = async (cwd, args) => {
    const stack = cwd.split('/').at(-1)!;
    calls.push(`${stack} ${args[0]}${args[0] === 'show' ? ` ${args[1]}` : ''}`);
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 5));
    running--;
    const ok = (stdout = ''): TerraformResult => ({ code: 0, stdout, stderr: '' });
    if (failing.includes(stack) && (args[0] === 'plan' || args[0] === 'apply')) return { code: 1, stdout: '', stderr: `Error: AccessDenied in ${stack}` };
    if (args[0] === 'show' && args[1] === '-json') return ok(JSON.stringify({ resource_changes: plans[stack] ?? [] }));
    if (args[0] === 'show') return ok(`plan of ${stack}`);
    return ok();
  };
  return { tf, calls, peak: () => peak };
}

describe('responderDestroys', () => {
  it('names the functions, rules, targets and permissions a plan removes outright', () => {
    const plan = {
      resource_changes: [change('aws_lambda_function', ['delete']), change('aws_cloudwatch_event_rule', ['delete']), change('aws_sqs_queue', ['delete'])],
    };
    expect(responderDestroys(plan)).toEqual(['aws_lambda_function.x', 'aws_cloudwatch_event_rule.x']);
  });

  it('lets a replacement or an update through: the responder stays', () => {
    const plan = {
      resource_changes: [
        change('aws_lambda_function', ['delete', 'create']),
        change('aws_lambda_function', ['create', 'delete']),
        change('aws_lambda_function', ['update']),
      ],
    };
    expect(responderDestroys(plan)).toEqual([]);
  });
});

describe('planShard', () => {
  it('inits one stack at a time, then plans at most `parallel` at once, and writes what plan-comment reads', async () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const dir = stacksDir(names);
    const out = join(dir, 'plans');
    const fake = fakeTerraform({});
    const results = await planShard({ stacks: names, stacksDir: dir, outDir: out, parallel: 2, terraform: fake.tf });
    expect(results.map((r) => [r.stack, r.ok])).toEqual(names.map((n) => [n, true]));
    expect(fake.calls.slice(0, 6)).toEqual(names.map((n) => `${n} init`));
    expect(fake.peak()).toBe(2);
    expect(readFileSync(join(out, 'c.txt'), 'utf8')).toBe('plan of c');
    expect(JSON.parse(readFileSync(join(out, 'c.json'), 'utf8'))).toEqual({ resource_changes: [] });
  });

  it('plans read-only into tfplan: no lock, never apply', async () => {
    const dir = stacksDir(['a']);
    const seen: string[][] = [];
    const fake = fakeTerraform({});
    await planShard({ stacks: ['a'], stacksDir: dir, outDir: join(dir, 'plans'), terraform: (cwd, args) => (seen.push(args), fake.tf(cwd, args)) });
    expect(seen.find((a) => a[0] === 'plan')).toEqual(['plan', '-input=false', '-no-color', '-lock=false', '-out=tfplan']);
    expect(seen.some((a) => a[0] === 'apply')).toBe(false);
  });

  it('keeps planning the other stacks when one fails, and reports the failure with its output', async () => {
    const dir = stacksDir(['a', 'b', 'c']);
    const out = join(dir, 'plans');
    const results = await planShard({ stacks: ['a', 'b', 'c'], stacksDir: dir, outDir: out, terraform: fakeTerraform({}, ['b']).tf });
    expect(results.map((r) => [r.stack, r.ok])).toEqual([
      ['a', true],
      ['b', false],
      ['c', true],
    ]);
    expect(results[1].refusal).toBe('the plan failed');
    expect(readFileSync(join(out, 'b.txt'), 'utf8')).toContain('AccessDenied in b');
    expect(existsSync(join(out, 'b.json'))).toBe(false);
  });

  it('refuses a plan that destroys a responder, unless the stack is retired', async () => {
    const dir = stacksDir(['live', 'gone']);
    const plans = { live: [change('aws_lambda_function', ['delete'])], gone: [change('aws_lambda_function', ['delete'])] };
    const results = await planShard({
      stacks: ['live', 'gone'],
      stacksDir: dir,
      outDir: join(dir, 'plans'),
      retired: new Set(['gone']),
      terraform: fakeTerraform(plans).tf,
    });
    expect(results.map((r) => [r.stack, r.ok, r.refusal])).toEqual([
      ['live', false, 'the plan destroys responders (aws_lambda_function.x) and the stack is not retired'],
      ['gone', true, undefined],
    ]);
  });

  it('fails a stack that was never synthesized, without running terraform there', async () => {
    const dir = stacksDir(['a']);
    const fake = fakeTerraform({});
    const [result] = await planShard({ stacks: ['missing'], stacksDir: dir, outDir: join(dir, 'plans'), terraform: fake.tf });
    expect(result.ok).toBe(false);
    expect(result.text).toContain('holds no synthesized stack (run npx cdktf synth first)');
    expect(fake.calls).toEqual([]);
  });
});

describe('applyShard', () => {
  it('applies each stack saved plan, and only that: terraform apply tfplan', async () => {
    const dir = stacksDir(['a', 'b'], true);
    const seen: string[][] = [];
    const fake = fakeTerraform({});
    const results = await applyShard({ stacks: ['a', 'b'], stacksDir: dir, terraform: (cwd, args) => (seen.push(args), fake.tf(cwd, args)) });
    expect(results.map((r) => [r.stack, r.ok])).toEqual([
      ['a', true],
      ['b', true],
    ]);
    expect(seen.filter((a) => a[0] === 'apply')).toEqual([
      ['apply', '-input=false', '-no-color', 'tfplan'],
      ['apply', '-input=false', '-no-color', 'tfplan'],
    ]);
  });

  it('refuses a stack without a saved plan: nothing reviewed, nothing applied', async () => {
    const dir = stacksDir(['a']);
    const fake = fakeTerraform({});
    const [result] = await applyShard({ stacks: ['a'], stacksDir: dir, terraform: fake.tf });
    expect(result).toEqual({ stack: 'a', ok: false, output: expect.stringContaining('has no saved plan (tfplan)') });
    expect(fake.calls).toEqual([]);
  });

  it('reports a failed apply and still applies the rest', async () => {
    const dir = stacksDir(['a', 'b'], true);
    const results = await applyShard({ stacks: ['a', 'b'], stacksDir: dir, terraform: fakeTerraform({}, ['a']).tf });
    expect(results.map((r) => [r.stack, r.ok])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(results[0].output).toContain('AccessDenied in a');
  });
});
