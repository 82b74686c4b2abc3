import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleConfig, TEST_ACCOUNTS_FILE } from './helpers/config';
import { ROOT } from './helpers/fleet';

/** Runs main.ts as `cdktf synth` does: the app command, with CDKTF_OUTDIR. */
function synth(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

function treeDigest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[path.slice(dir.length)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('main.ts', () => {
  it('stops a bad accounts.json before writing any stack, one stderr line per problem', () => {
    const work = mkdtempSync(join(tmpdir(), 'main-bad-'));
    const config = exampleConfig() as any;
    config.accounts[2].id = '12345';
    config.accounts[3].regions = ['eu-west-9'];
    const file = join(work, 'accounts.json');
    writeFileSync(file, JSON.stringify(config));
    const outdir = join(work, 'out');
    const result = synth({ ACCOUNTS_FILE: file, CDKTF_OUTDIR: outdir });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `${file}: $.accounts[2].id: must be a 12-digit AWS account id (got "12345")`,
      `${file}: $.accounts[3].regions[0]: must be an AWS region code such as us-east-1 (got "eu-west-9")`,
    ]);
    expect(existsSync(join(outdir, 'stacks'))).toBe(false);
  });

  // The test organization (never the user's accounts.json, which may hold any accounts).
  describe('a good accounts.json, synthesized twice', () => {
    const work = mkdtempSync(join(tmpdir(), 'main-good-'));
    let first: ReturnType<typeof synth>;
    let second: ReturnType<typeof synth>;
    beforeAll(() => {
      first = synth({ ACCOUNTS_FILE: TEST_ACCOUNTS_FILE, CDKTF_OUTDIR: join(work, 'a') });
      second = synth({ ACCOUNTS_FILE: TEST_ACCOUNTS_FILE, CDKTF_OUTDIR: join(work, 'b') });
    });

    it('synthesizes one stack per account and region, byte-identical on a second run', () => {
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      expect(second.status).toBe(0);
      expect(readdirSync(join(work, 'a', 'stacks')).sort()).toEqual([
        'data-lake-prod-eu-central-1',
        'data-lake-prod-eu-west-1',
        'management-eu-west-1',
        'management-us-east-1',
        'payments-prod-eu-central-1',
        'payments-prod-eu-west-1',
        'payments-prod-us-east-1',
        'security-eu-central-1',
        'security-eu-west-1',
        'security-us-east-1',
        'web-staging-eu-west-1',
        'web-staging-us-east-1',
      ]);
      const a = treeDigest(join(work, 'a'));
      expect(Object.keys(a).length).toBeGreaterThan(12 * 2);
      expect(treeDigest(join(work, 'b'))).toEqual(a);
    });

    it('writes no absolute path of this machine anywhere in the output', () => {
      const outdir = join(work, 'a');
      const leaks: string[] = [];
      const walk = (d: string) => {
        for (const name of readdirSync(d)) {
          const path = join(d, name);
          if (statSync(path).isDirectory()) walk(path);
          else if (!name.endsWith('.zip')) {
            const text = readFileSync(path, 'utf8');
            for (const needle of [ROOT, tmpdir(), work]) if (text.includes(needle)) leaks.push(`${path.slice(outdir.length)} holds ${needle}`);
          }
        }
      };
      walk(outdir);
      expect(Object.keys(treeDigest(outdir)).some((f) => f.endsWith('manifest.json'))).toBe(true);
      expect(leaks).toEqual([]);
    });
  });
});
