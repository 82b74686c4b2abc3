/**
 * The operator commands' common ground (scripts/cli.ts): exit codes, strict arguments, one-line
 * failures. Then each converted command, run as a child process the way `npm run` runs it, on the
 * cases that must never end in a stack trace or the wrong exit code.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../config/load';
import { CliError, describeFailure, EXIT, integerOption, parseCliArgs, parseTime } from '../../scripts/cli';
import { NO_CREDENTIALS, runScript, type ScriptRun } from '../helpers/run-script';

/** A stack trace's frames: a line break, indentation, `at `. */
const STACK_TRACE = /\n\s+at /;

describe('scripts/cli.ts', () => {
  const debug = process.env.DEBUG;
  beforeAll(() => delete process.env.DEBUG);
  afterAll(() => {
    if (debug !== undefined) process.env.DEBUG = debug;
  });

  describe('describeFailure', () => {
    it('a CliError: its own exit code and message, after the command', () => {
      expect(describeFailure('undo', new CliError('nothing to undo', EXIT.nothingToDo))).toEqual({ code: EXIT.nothingToDo, lines: ['undo: nothing to undo'] });
    });

    it('a ConfigError: usage (2), one line per problem naming the file and the path', () => {
      const error = new ConfigError('accounts.json', [
        { path: ['accounts', 2, 'id'], message: 'must be a 12-digit AWS account id', value: '12345' },
        { path: ['defaults', 'mode'], message: 'must be "observe" or "enforce"', value: 'on' },
      ]);
      const { code, lines } = describeFailure('diagram', error);
      expect(code).toBe(EXIT.usage);
      expect(lines).toEqual([
        expect.stringMatching(/^accounts\.json: \$\.accounts\[2\]\.id: must be a 12-digit/),
        expect.stringMatching(/^accounts\.json: \$\.defaults\.mode: /),
      ]);
    });

    it('an error named CredentialsProviderError (the SDK without credentials): 3, one line saying how to sign in', () => {
      const error = Object.assign(new Error('Could not load credentials from any providers\nmore detail'), { name: 'CredentialsProviderError' });
      const { code, lines } = describeFailure('smoke', error);
      expect(code).toBe(EXIT.credentials);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^smoke: no usable AWS credentials \(Could not load credentials from any providers\); sign in .*and run it again$/);
    });

    it('any other error: 1, its first line only, never the stack', () => {
      const { code, lines } = describeFailure('plan-comment', new TypeError('cannot read x of undefined\n    at somewhere (file.ts:1:1)'));
      expect(code).toBe(EXIT.error);
      expect(lines).toEqual(['plan-comment: cannot read x of undefined']);
      expect(describeFailure('x', 'a thrown string')).toEqual({ code: EXIT.error, lines: ['x: a thrown string'] });
    });
  });

  describe('parseCliArgs (node:util parseArgs, strict)', () => {
    const USAGE = 'usage: test [--count <n>]';
    const parse = (args: string[]) => parseCliArgs({ args, options: { count: { type: 'string' } } }, USAGE);
    const failureOf = (args: string[]): CliError => {
      try {
        parse(args);
      } catch (error) {
        return error as CliError;
      }
      throw new Error('parsed');
    };

    it('parses what it knows', () => {
      expect(parse(['--count', '3']).values).toEqual({ count: '3' });
    });

    it('an unknown option is a usage error naming it, with the usage line', () => {
      const error = failureOf(['--cuont', '3']);
      expect(error).toBeInstanceOf(CliError);
      expect(error.exitCode).toBe(EXIT.usage);
      expect(error.message).toMatch(/^Unknown option '--cuont'/);
      expect(error.message.endsWith(`\n${USAGE}`)).toBe(true);
    });

    it('a missing value is a usage error naming the option', () => {
      const error = failureOf(['--count']);
      expect(error.exitCode).toBe(EXIT.usage);
      expect(error.message).toMatch(/^Option '--count <value>' argument missing/);
    });
  });

  describe('integerOption', () => {
    it('takes a whole number of at least the minimum, else the fallback when absent', () => {
      expect(integerOption('count', '3', 1)).toBe(3);
      expect(integerOption('count', undefined, 7)).toBe(7);
    });

    it.each([['x'], ['0']])('refuses %p as a usage error naming the option and the value', (value) => {
      expect(() => integerOption('count', value, 1)).toThrow(new CliError(`--count must be an integer of at least 1, got "${value}"`, EXIT.usage));
      try {
        integerOption('count', value, 1);
      } catch (error) {
        expect((error as CliError).exitCode).toBe(EXIT.usage);
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The commands as child processes
// ---------------------------------------------------------------------------------------------

const FINDING = 'arn:aws:securityhub:eu-west-1:333333333333:security-control/EC2.19/finding/0b7e0a9c';
const work = mkdtempSync(join(tmpdir(), 'cli-'));

/** Each case: the command line, the exit code, what stderr must say. */
const CASES: Record<string, { script: string; args: string[]; env?: Record<string, string>; code: number; stderr: RegExp }> = {
  'undo, an unknown option': {
    script: 'scripts/operator/undo-cli.ts',
    args: [FINDING, '--dryrun'],
    code: EXIT.usage,
    stderr: /^undo: Unknown option '--dryrun'/,
  },
  'undo, a finding id that is no finding ARN': {
    script: 'scripts/operator/undo-cli.ts',
    args: ['arn:aws:securityhub:nowhere'],
    code: EXIT.usage,
    stderr: /^undo: arn:aws:securityhub:nowhere is not a finding ARN/,
  },
  'undo without credentials': {
    script: 'scripts/operator/undo-cli.ts',
    args: [FINDING],
    env: NO_CREDENTIALS,
    code: EXIT.credentials,
    stderr: /^undo: no usable AWS credentials \(/,
  },
  'plan-comment, an unknown option': {
    script: 'scripts/ci/plan-comment-cli.ts',
    args: [work, '--post'],
    code: EXIT.usage,
    stderr: /^plan-comment: Unknown option '--post'/,
  },
  'plan-comment on a folder without plans': {
    script: 'scripts/ci/plan-comment-cli.ts',
    args: [work],
    code: EXIT.nothingToDo,
    stderr: /^plan-comment: \S+ holds no plan/,
  },
  'plan-comment on a folder that does not exist': {
    script: 'scripts/ci/plan-comment-cli.ts',
    args: [join(work, 'missing')],
    code: EXIT.usage,
    stderr: /^plan-comment: \S+missing: no such folder/,
  },
  'diagram, an unknown option': {
    script: 'scripts/operator/diagram-cli.ts',
    args: ['--readmee'],
    code: EXIT.usage,
    stderr: /^diagram: Unknown option '--readmee'/,
  },
  'diagram, a value for a flag': {
    script: 'scripts/operator/diagram-cli.ts',
    args: ['--readme=yes'],
    code: EXIT.usage,
    stderr: /^diagram: Option '--readme' does not take an argument/,
  },
  'smoke, an unknown option': {
    script: 'scripts/operator/smoke-cli.ts',
    args: ['--stack', 'web-staging-eu-west-1', '--force'],
    code: EXIT.usage,
    stderr: /^smoke: Unknown option '--force'/,
  },
  'smoke, a bad --timeout': {
    script: 'scripts/operator/smoke-cli.ts',
    args: ['--stack', 'web-staging-eu-west-1', '--timeout', 'soon'],
    code: EXIT.usage,
    stderr: /^smoke: --timeout needs a positive number of seconds \(got soon\)/,
  },
  'simulate, an unknown option': {
    script: 'simulator/cli.ts',
    args: ['event.json', '--stacks', 'x'],
    code: EXIT.usage,
    stderr: /^simulate: Unknown option '--stacks'/,
  },
  'simulate, --stack without its value': {
    script: 'simulator/cli.ts',
    args: ['event.json', '--stack'],
    code: EXIT.usage,
    stderr: /^simulate: Option '--stack <value>' argument missing/,
  },
};

describe('the commands, run as npm runs them', () => {
  let runs: Record<string, ScriptRun>;
  // The spawns run in parallel: each starts tsx in about a second.
  beforeAll(async () => {
    const names = Object.keys(CASES);
    const results = await Promise.all(names.map((n) => runScript(CASES[n].script, CASES[n].args, CASES[n].env)));
    runs = Object.fromEntries(names.map((n, i) => [n, results[i]]));
  }, 60_000);

  it.each(Object.keys(CASES))('%s: its exit code, a line saying what is wrong, no stack trace, nothing on stdout', (name) => {
    const { code, stderr } = CASES[name];
    const r = runs[name];
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code, stderr: expect.stringMatching(stderr) });
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.stdout).toBe('');
  });
});

describe('parseTime: --since and --until of report and sweep', () => {
  const NOW = new Date('2026-03-31T12:00:00.000Z');
  it.each([
    ['30d', '2026-03-01T12:00:00.000Z'],
    ['12h', '2026-03-31T00:00:00.000Z'],
    ['2026-03-01', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01T12:30:00Z', '2026-03-01T12:30:00.000Z'],
    ['2026-03-01T12:30:00.250+02:00', '2026-03-01T10:30:00.250Z'],
    ['2026-03-01T12:30-05:00', '2026-03-01T17:30:00.000Z'],
  ])('%s → %s', (value, expected) => {
    expect(parseTime('since', value, NOW, 'usage: npm run x').toISOString()).toBe(expected);
  });

  it.each([['0d'], ['30'], ['30m'], ['-3d'], ['yesterday'], ['2026-02-30'], ['2026-3-1'], ['2026-03-01T12:00:00'], ['']])(
    'refuses %p as a usage error naming the option and the forms it takes',
    (value) => {
      let error: unknown;
      try {
        parseTime('since', value, NOW, 'usage: npm run x');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(EXIT.usage);
      expect((error as CliError).message.split('\n')[0]).toBe(
        `--since must be a number of days or hours ago (30d, 12h), a UTC day (2026-03-01) or an ISO time with a zone (2026-03-01T12:00:00Z), got "${value}"`,
      );
    },
  );
});
