import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { changedStacks, compareSynthesized } from '../../scripts/changed-stacks';
import { ROOT } from '../helpers/fleet';

function outdir(stacks: Record<string, object>): string {
  const dir = mkdtempSync(join(tmpdir(), 'out-'));
  for (const [name, json] of Object.entries(stacks)) {
    mkdirSync(join(dir, 'stacks', name), { recursive: true });
    writeFileSync(join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json));
  }
  return dir;
}

describe('changed stacks', () => {
  it('reports added, changed and removed stacks, and nothing for unchanged ones', () => {
    const base = outdir({ a: { x: 1 }, b: { x: 1 }, gone: {} });
    const head = outdir({ a: { x: 1 }, b: { x: 2 }, fresh: {} });
    expect(compareSynthesized(base, head)).toEqual({ added: ['fresh'], changed: ['b'], removed: ['gone'] });
  });

  it('finds exactly the stacks of an account whose mode changed since HEAD', () => {
    // Both sides are the committed tree (a worktree of HEAD), so edits in progress elsewhere in the
    // working tree cannot show up as changes; only the accounts file differs.
    const committed = execFileSync('git', ['rev-parse', '--verify', 'HEAD'], { cwd: ROOT }).toString().trim();
    const work = mkdtempSync(join(tmpdir(), 'changed-head-'));
    const head = join(work, 'head');
    execFileSync('git', ['worktree', 'add', '--detach', '--quiet', head, committed], { cwd: ROOT, stdio: 'pipe' });
    try {
      symlinkSync(join(ROOT, 'node_modules'), join(head, 'node_modules'), 'dir');
      const config = JSON.parse(readFileSync(join(head, 'accounts.json'), 'utf8'));
      config.accounts.find((a: { name: string }) => a.name === 'web-staging').mode = 'enforce';
      const file = join(work, 'accounts.json');
      writeFileSync(file, JSON.stringify(config));
      const changes = changedStacks({ repoRoot: head, baseRef: committed, headAccountsFile: file });
      expect(changes).toEqual({ added: [], changed: ['web-staging-eu-west-1', 'web-staging-us-east-1'], removed: [] });
    } finally {
      execFileSync('git', ['worktree', 'remove', '--force', head], { cwd: ROOT, stdio: 'pipe' });
      rmSync(work, { recursive: true, force: true });
    }
  });
});
