import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changedStacks, compareSynthesized } from '../../../scripts/ci/changed-stacks';
import { TEST_ACCOUNTS_FILE } from '../../helpers/config';
import { ROOT } from '../../helpers/fleet';

function outdir(stacks: Record<string, object>): string {
  const dir = mkdtempSync(join(tmpdir(), 'out-'));
  for (const [name, json] of Object.entries(stacks)) {
    mkdirSync(join(dir, 'stacks', name), { recursive: true });
    writeFileSync(join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json));
  }
  return dir;
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe' }).toString().trim();

/**
 * A repository of its own: the committed tree of this one (so edits in progress cannot show up as
 * changes), with the test organization as its accounts.json, committed once as the base.
 */
function scratchRepository(): { repo: string; base: string; cleanup: () => void } {
  const work = mkdtempSync(join(tmpdir(), 'changed-repo-'));
  const repo = join(work, 'repo');
  mkdirSync(repo);
  execFileSync('sh', ['-c', `git -C "${ROOT}" archive HEAD | tar -x -C "${repo}"`]);
  copyFileSync(TEST_ACCOUNTS_FILE, join(repo, 'accounts.json'));
  git(repo, 'init', '--quiet');
  git(repo, 'add', '-A');
  git(repo, '-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '--quiet', '-m', 'base');
  symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'), 'dir');
  return {
    repo,
    base: git(repo, 'rev-parse', 'HEAD'),
    cleanup: () => {
      rmSync(work, { recursive: true, force: true });
    },
  };
}

describe('changed stacks', () => {
  it('reports added, changed and removed stacks, and nothing for unchanged ones', () => {
    const base = outdir({ a: { x: 1 }, b: { x: 1 }, gone: {} });
    const head = outdir({ a: { x: 1 }, b: { x: 2 }, fresh: {} });
    expect(compareSynthesized(base, head)).toEqual({ added: ['fresh'], changed: ['b'], removed: ['gone'] });
  });

  it('finds exactly the stacks of an account whose mode changed', () => {
    const { repo, base, cleanup } = scratchRepository();
    try {
      const config = JSON.parse(readFileSync(join(repo, 'accounts.json'), 'utf8'));
      config.accounts.find((a: { name: string }) => a.name === 'web-staging').mode = 'enforce';
      writeFileSync(join(repo, 'accounts.json'), JSON.stringify(config));
      expect(changedStacks({ repoRoot: repo, baseRef: base })).toEqual({ added: [], changed: ['web-staging-eu-west-1', 'web-staging-us-east-1'], removed: [] });
    } finally {
      cleanup();
    }
  });

  it('counts every stack as changed when a dependency is bumped in the lock file, which the synthesized output cannot show', () => {
    const { repo, base, cleanup } = scratchRepository();
    try {
      const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'));
      const provider = lock.packages['node_modules/@cdktf/provider-aws'];
      provider.version = `${provider.version}-bumped`;
      writeFileSync(join(repo, 'package-lock.json'), JSON.stringify(lock, null, 2));
      const changes = changedStacks({ repoRoot: repo, baseRef: base });
      const all = stackNamesOf(TEST_ACCOUNTS_FILE);
      expect(changes.changed).toEqual(all);
      expect(changes.everyStackBecause).toContain('package-lock.json differs from');
    } finally {
      cleanup();
    }
  });
});

function stackNamesOf(accountsFile: string): string[] {
  // Every stack name of the organization: <account name>-<region>.
  const config = JSON.parse(readFileSync(accountsFile, 'utf8'));
  return config.accounts
    .flatMap((a: { name: string; regions?: string[] }) => (a.regions ?? config.defaults.regions).map((r: string) => `${a.name}-${r}`))
    .sort();
}
