import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GUARD_RAILS } from '../../guardrails';
import { checkSynthesized } from '../../guardrails/synthesis-check';
import { resources, violation, type GuardRail, type SynthesizedStack } from '../../guardrails/types';
import { synthesizeFleet } from '../../stacks/synthesize';
import { exampleConfig } from '../helpers/config';
import { ROOT } from '../helpers/fleet';

/** A rule that flags every SQS queue of a stack: something real to stop on. */
const noQueues = (severity: 'error' | 'warning'): GuardRail => ({
  id: 'no-queues',
  description: 'no SQS queue',
  severity,
  explanation: 'test rule',
  fix: 'remove the queue',
  check(stack) {
    return resources(stack)
      .filter(([type]) => type === 'aws_sqs_queue')
      .map(([type, id]) => violation(this, stack, type, id, 'a queue'));
  },
});
const stack = (name: string): SynthesizedStack => ({
  name,
  accountId: '333333333333',
  region: 'eu-west-1',
  json: { resource: { aws_sqs_queue: { dlq: {} } } },
});

describe('every guard rail has what synthesis prints', () => {
  for (const rail of GUARD_RAILS) {
    it(`${rail.id}: a severity, an explanation and a fix`, () => {
      expect(['error', 'warning']).toContain(rail.severity);
      expect(rail.explanation.length).toBeGreaterThan(40);
      expect(rail.fix.length).toBeGreaterThan(20);
    });
  }
});

describe('checkSynthesized', () => {
  it('an error names the stack, the resource, the rule, its severity and the fix', () => {
    expect(checkSynthesized([stack('a')], [], [noQueues('error')]).errors).toEqual([
      'a: aws_sqs_queue.dlq: [no-queues] (error) a queue. Fix: remove the queue',
    ]);
  });

  it('a warning is reported without stopping anything', () => {
    const report = checkSynthesized([stack('a')], [], [noQueues('warning')]);
    expect([report.errors, report.warnings]).toEqual([[], ['a: aws_sqs_queue.dlq: [no-queues] (warning) a queue. Fix: remove the queue']]);
  });

  it('a suppression lifts the one resource, optionally in one stack, and shows its reason', () => {
    const suppression = { rule: 'no-queues', resource: 'aws_sqs_queue.dlq', stack: 'a', reason: 'the queue is reviewed quarterly' };
    const report = checkSynthesized([stack('a'), stack('b')], [suppression], [noQueues('error')]);
    expect(report.suppressed).toEqual(['a: aws_sqs_queue.dlq: [no-queues] suppressed: the queue is reviewed quarterly']);
    expect(report.errors).toEqual(['b: aws_sqs_queue.dlq: [no-queues] (error) a queue. Fix: remove the queue']);
  });

  it('a suppression of an unknown rule is an error, one that matches nothing is reported as stale', () => {
    const report = checkSynthesized(
      [stack('a')],
      [
        { rule: 'no-such-rule', resource: 'aws_sqs_queue.dlq', reason: 'a typo in the rule id' },
        { rule: 'no-queues', resource: 'aws_sqs_queue.gone', reason: 'the queue was removed' },
      ],
      [noQueues('warning')],
    );
    expect(report.errors).toEqual(['accounts.json: $.guardRailSuppressions[0].rule: no guard rail is named "no-such-rule" (known: no-queues)']);
    expect(report.unused).toEqual(['accounts.json: $.guardRailSuppressions[1]: [no-queues] aws_sqs_queue.gone matches nothing; remove it']);
  });
});

describe('synthesis runs the guard rails', () => {
  const work = mkdtempSync(join(tmpdir(), 'synth-rails-'));
  const file = (name: string, config: object) => {
    const path = join(work, name);
    writeFileSync(path, JSON.stringify(config));
    return path;
  };

  it('the test organization synthesizes with no violation, warning or suppression', () => {
    const result = synthesizeFleet({ accountsFile: file('clean.json', exampleConfig()), rootDir: ROOT, outdir: join(work, 'clean-out') });
    expect(result).toEqual({ ok: true, stacks: expect.any(Array), notes: [] });
  }, 120000);

  it('a violation stops synthesis and leaves the previous output untouched', () => {
    const outdir = join(work, 'kept-out');
    mkdirSync(outdir);
    writeFileSync(join(outdir, 'previous.txt'), 'the last good synthesis');
    const result = synthesizeFleet({ accountsFile: file('bad.json', exampleConfig()), rootDir: ROOT, outdir, guardRails: [...GUARD_RAILS, noQueues('error')] });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems[0]).toMatch(
      /^guard rail violation: [a-z-]+-[a-z]+-[a-z]+-\d: aws_sqs_queue\.[\w-]+: \[no-queues\] \(error\) a queue\. Fix: remove the queue$/,
    );
    expect(problems.at(-1)).toMatch(/^\d+ guard rail violation\(s\): nothing was written$/);
    expect(readFileSync(join(outdir, 'previous.txt'), 'utf8')).toBe('the last good synthesis');
    expect(existsSync(join(outdir, 'stacks'))).toBe(false);
  }, 120000);

  it('suppressed findings let synthesis through and are printed with their reason', () => {
    // Suppress the test rule's findings in one stack, and stop on none elsewhere: a warning rule.
    const first = synthesizeFleet({
      accountsFile: file('probe.json', exampleConfig()),
      rootDir: ROOT,
      outdir: join(work, 'probe-out'),
      guardRails: [noQueues('warning')],
    });
    if (!first.ok) throw new Error(first.problems.join('\n'));
    const [stackName, resource] = first.notes[0].replace(/^guard rail warning: /, '').split(': ');
    const config = {
      ...exampleConfig(),
      guardRailSuppressions: [{ rule: 'no-queues', resource, stack: stackName, reason: 'accepted for this test: the queue is the DLQ' }],
    };
    const result = synthesizeFleet({
      accountsFile: file('suppressed.json', config),
      rootDir: ROOT,
      outdir: join(work, 'suppressed-out'),
      guardRails: [noQueues('warning')],
    });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.notes).toContain(`guard rail ${stackName}: ${resource}: [no-queues] suppressed: accepted for this test: the queue is the DLQ`);
    expect(result.notes).not.toContain(first.notes[0]);
  }, 180000);
});
