import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StackChanges {
  added: string[];
  changed: string[];
  removed: string[];
  /** Why every stack counts as changed, when one change touches them all unseen (a dependency upgrade). */
  everyStackBecause?: string;
}

/** The lock file pins the provider bindings, the SDK and esbuild: what the synthesized output cannot show. */
export const LOCK_FILE = 'package-lock.json';

function stackNames(outdir: string): string[] {
  const dir = join(outdir, 'stacks');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

function stackJson(outdir: string, name: string): string {
  return readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8');
}

/**
 * Compares two synthesis outputs stack by stack. A stack changed when its cdk.tf.json differs;
 * asset paths carry the content hash, so a changed function bundle changes the JSON too.
 */
export function compareSynthesized(baseOutdir: string, headOutdir: string): StackChanges {
  const base = new Set(stackNames(baseOutdir));
  const head = stackNames(headOutdir);
  return {
    added: head.filter((n) => !base.has(n)),
    changed: head.filter((n) => base.has(n) && stackJson(baseOutdir, n) !== stackJson(headOutdir, n)),
    removed: [...base].filter((n) => !head.includes(n)),
  };
}

/** Runs main.ts of a checkout the way `cdktf synth` does, into `outdir`. */
export function synthesize(checkout: string, outdir: string, env: NodeJS.ProcessEnv = {}): void {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(checkout, 'main.ts')], {
    cwd: checkout,
    env: { ...process.env, ACCOUNTS_FILE: '', ...env, CDKTF_OUTDIR: outdir },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`synthesis of ${checkout} failed:\n${result.stderr}`);
}

export interface ChangedStacksOptions {
  repoRoot: string;
  baseRef: string;
  /** accounts.json for the working tree's synthesis. Default: ACCOUNTS_FILE or the tree's accounts.json. */
  headAccountsFile?: string;
}

/**
 * Which stacks a change affects: synthesizes `baseRef` (in a temporary git worktree sharing this
 * checkout's node_modules) and the working tree, and compares the outputs; every stack when the
 * lock file differs.
 */
export function changedStacks(options: ChangedStacksOptions): StackChanges {
  const { repoRoot, baseRef } = options;
  const work = mkdtempSync(join(tmpdir(), 'changed-stacks-'));
  const worktree = join(work, 'base');
  try {
    execFileSync('git', ['worktree', 'add', '--detach', '--quiet', worktree, baseRef], { cwd: repoRoot, stdio: 'pipe' });
    symlinkSync(join(repoRoot, 'node_modules'), join(worktree, 'node_modules'), 'dir');
    synthesize(worktree, join(work, 'base-out'));
    synthesize(
      repoRoot,
      join(work, 'head-out'),
      options.headAccountsFile ? { ACCOUNTS_FILE: options.headAccountsFile } : { ACCOUNTS_FILE: process.env.ACCOUNTS_FILE ?? '' },
    );
    const changes = compareSynthesized(join(work, 'base-out'), join(work, 'head-out'));
    // The base was synthesized with this checkout's node_modules, so a dependency upgrade leaves
    // its output unchanged; a changed lock file therefore changes every stack.
    if (readIfExists(join(worktree, LOCK_FILE)) !== readIfExists(join(repoRoot, LOCK_FILE))) {
      return {
        ...changes,
        changed: stackNames(join(work, 'head-out')).filter((n) => !changes.added.includes(n)),
        everyStackBecause: `${LOCK_FILE} differs from ${baseRef}: a dependency upgrade (provider, SDK, bundler) changes what every stack deploys`,
      };
    }
    return changes;
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', worktree], { cwd: repoRoot, stdio: 'ignore' });
    rmSync(work, { recursive: true, force: true });
  }
}
