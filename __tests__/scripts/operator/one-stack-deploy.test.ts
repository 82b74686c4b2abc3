import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeFleet } from '../../../stacks/synthesize';
import { TEST_ACCOUNTS_FILE } from '../../helpers/config';
import { ROOT } from '../../helpers/fleet';

/**
 * `npm run deploy -- <stack>` (README "Deploy") selects that one stack although it depends on the
 * security home stack. Run here with no AWS credentials at all: the selection is what is proven;
 * the deploy itself stops at the state backend, before anything is created anywhere.
 */
const outdir = mkdtempSync(join(tmpdir(), 'one-stack-'));
const noAws = {
  CHECKPOINT_DISABLE: '1',
  TF_CLI_CONFIG_FILE: '/dev/null',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
  AWS_SESSION_TOKEN: '',
  AWS_PROFILE: '',
};

function cdktfDeploy(command: string, stack: string) {
  const [bin, ...args] = command.replace(/^CHECKPOINT_DISABLE=1 /, '').split(' ');
  return spawnSync(join(ROOT, 'node_modules', '.bin', bin), [...args, stack, '--skip-synth', '-o', outdir, '--auto-approve', '--no-color'], {
    cwd: ROOT,
    env: { ...process.env, ...noAws },
    encoding: 'utf8',
    timeout: 120000,
  });
}

beforeAll(() => {
  const result = synthesizeFleet({ accountsFile: TEST_ACCOUNTS_FILE, rootDir: ROOT, outdir });
  if (!result.ok) throw new Error(result.problems.join('\n'));
}, 120000);
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

describe('deploying one stack', () => {
  const script: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.deploy;

  it('plain cdktf deploy refuses it: the stack depends on the security home stack', () => {
    const run = cdktfDeploy('cdktf deploy', 'payments-prod-eu-west-1');
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('The following dependencies are not included in the stacks to run: security-us-east-1');
  });

  it('npm run deploy selects exactly that stack and goes on to its terraform init', () => {
    expect(script).toBe('CHECKPOINT_DISABLE=1 cdktf deploy --ignore-missing-stack-dependencies');
    const run = cdktfDeploy(script, 'payments-prod-eu-west-1');
    // The progress display redraws with cursor escapes even with --no-color.
    // eslint-disable-next-line no-control-regex -- the ESC that starts each escape sequence is what this strips
    const output = (run.stdout + run.stderr).replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    expect(output).not.toContain('dependencies are not included');
    // cdktf prefixes each line of a stack's terraform output with the stack's name.
    const stacksRun = new Set([...output.matchAll(/^([a-z0-9-]+-(?:us|eu|ap|ca|sa|me|af)-[a-z]+-\d)\s/gm)].map((m) => m[1]));
    expect([...stacksRun]).toEqual(['payments-prod-eu-west-1']);
    // No credentials here: the S3 state backend is where it stops.
    expect(output).toContain('terraform init failed');
  });
});
