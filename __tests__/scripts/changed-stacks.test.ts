import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { changedStacks, compareSynthesized } from '../../scripts/changed-stacks';
import { exampleConfig } from '../helpers/config';
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
    const committed = execFileSync('git', ['rev-parse', '--verify', 'HEAD'], { cwd: ROOT }).toString().trim();
    const config = exampleConfig();
    config.accounts.find((a) => a.name === 'web-staging')!.mode = 'enforce';
    const file = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'accounts.json');
    writeFileSync(file, JSON.stringify(config));
    const changes = changedStacks({ repoRoot: ROOT, baseRef: committed, headAccountsFile: file });
    expect(changes).toEqual({ added: [], changed: ['web-staging-eu-west-1', 'web-staging-us-east-1'], removed: [] });
  });
});
