/**
 * `npm run report` as npm runs it (a child process, the test organization): bad arguments and
 * missing credentials end in their exit code and one line on stderr, never a stack trace, and
 * nothing on stdout. No case reaches the network: arguments fail before any client exists, and the
 * credential chain fails before a request is signed.
 */
import { EXIT } from '../../../scripts/cli';
import { NO_CREDENTIALS, runScript, type ScriptRun } from '../../helpers/run-script';

const SCRIPT = 'scripts/operator/report-cli.ts';

const CASES: Record<string, { args: string[]; env?: Record<string, string>; code: number; stderr: RegExp }> = {
  'an unknown option': { args: ['--sinec', '30d'], code: EXIT.usage, stderr: /^report: Unknown option '--sinec'/ },
  'a --since it cannot read': {
    args: ['--since', 'last-month'],
    code: EXIT.usage,
    stderr: /^report: --since must be a number of days or hours ago .*got "last-month"\nusage: /,
  },
  'an empty window': { args: ['--since', '2026-03-02', '--until', '2026-03-01'], code: EXIT.usage, stderr: /^report: the window is empty: / },
  'a stack other than the security home stack': {
    args: ['--stack', 'payments-prod-eu-west-1'],
    code: EXIT.usage,
    stderr: /^report: --stack payments-prod-eu-west-1: the evidence store is not there; it lives in the security account's home stack, security-us-east-1\n/,
  },
  'both --stack and --profile': { args: ['--stack', 'security-us-east-1', '--profile', 'x'], code: EXIT.usage, stderr: /^report: --stack and --profile both/ },
  'no credentials': { args: ['--since', '7d'], env: NO_CREDENTIALS, code: EXIT.credentials, stderr: /^report: no usable AWS credentials \(/ },
};

describe('npm run report, run as npm runs it', () => {
  let runs: Record<string, ScriptRun>;
  beforeAll(async () => {
    const names = Object.keys(CASES);
    // One at a time: the machine is small and each start of tsx takes about a second.
    runs = {};
    for (const n of names) runs[n] = await runScript(SCRIPT, CASES[n].args, CASES[n].env);
  }, 120_000);

  it.each(Object.keys(CASES))('%s: its exit code, a line saying what is wrong, no stack trace, nothing on stdout', (name) => {
    const { code, stderr } = CASES[name];
    const r = runs[name];
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code, stderr: expect.stringMatching(stderr) });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('no credentials: one line only (the progress line never started)', () => {
    expect(runs['no credentials'].stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
