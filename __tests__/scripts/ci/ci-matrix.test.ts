import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFleetConfig } from '../../helpers/fleet-generator';
import { parseConfig } from '../../../config/load';
import { STACK_ROLES } from '../../../config/stack-roles';
import { ciMatrix, shardSize, type CiShard } from '../../../scripts/ci/ci-matrix';
import { exampleConfig } from '../../helpers/config';
import { ROOT } from '../../helpers/fleet';

const allStacks = (shards: CiShard[]) => shards.flatMap((s) => s.stacks);

function ciMatrixCli(args: string[], accountsFile: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'ci', 'ci-matrix-cli.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ACCOUNTS_FILE: accountsFile },
    encoding: 'utf8',
  });
}

describe('ci matrix', () => {
  const fleet = parseConfig(exampleConfig());

  it('gives a shard its wave, its stacks, their accounts and the two OIDC roles of the CI account', () => {
    expect(ciMatrix(fleet, { stacks: ['payments-prod-eu-west-1'] })).toEqual([
      {
        shard: 'wave2-1of1',
        wave: 2,
        stacks: ['payments-prod-eu-west-1'],
        accounts: ['333333333333'],
        // organization.ci.accountId defaults to the security account.
        planRoleArn: 'arn:aws:iam::222222222222:role/security-response-plan',
        applyRoleArn: 'arn:aws:iam::222222222222:role/security-response-apply',
      },
    ]);
  });

  it('takes the OIDC roles from organization.ci.accountId when it is set', () => {
    const config = exampleConfig();
    config.organization.ci = { accountId: '999999999999' };
    const [shard] = ciMatrix(parseConfig(config), { stacks: ['payments-prod-eu-west-1'] });
    expect([shard.planRoleArn, shard.applyRoleArn]).toEqual([
      'arn:aws:iam::999999999999:role/security-response-plan',
      'arn:aws:iam::999999999999:role/security-response-apply',
    ]);
  });

  it('keeps each wave in its own shards, in deploy order: management home, security home, the rest', () => {
    const shards = ciMatrix(fleet);
    expect(shards.map((s) => s.wave)).toEqual([...shards.map((s) => s.wave)].sort());
    expect(shards.filter((s) => s.wave === 0).flatMap((s) => s.stacks)).toEqual(['management-us-east-1']);
    expect(shards.filter((s) => s.wave === 1).flatMap((s) => s.stacks)).toEqual(['security-us-east-1']);
    expect(allStacks(shards).sort()).toEqual(fleet.stacks.map((s) => s.name).sort());
  });

  it('selects one wave', () => {
    expect(allStacks(ciMatrix(fleet, { wave: 1 }))).toEqual(['security-us-east-1']);
    expect(allStacks(ciMatrix(fleet, { wave: 2 }))).toHaveLength(fleet.stacks.length - 2);
  });

  it('packs a 1,000-stack organization into at most 64 shards, every stack exactly once, of one wave each', () => {
    const big = parseConfig(generateFleetConfig(250, 4));
    const shards = ciMatrix(big);
    expect(big.stacks).toHaveLength(1000);
    expect(shards.length).toBeLessThanOrEqual(64);
    expect(allStacks(shards)).toHaveLength(1000);
    expect(new Set(allStacks(shards)).size).toBe(1000);
    const waveOf = new Map(big.stacks.map((s) => [s.name, STACK_ROLES[s.role].wave]));
    for (const shard of shards) for (const stack of shard.stacks) expect({ stack, wave: waveOf.get(stack) }).toEqual({ stack, wave: shard.wave });
    // Balanced: the wave-2 shards differ by at most one stack.
    const sizes = shards.filter((s) => s.wave === 2).map((s) => s.stacks.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('honours a lower job limit and refuses one below the number of waves', () => {
    const big = parseConfig(generateFleetConfig(250, 4));
    expect(ciMatrix(big, { maxJobs: 10 }).length).toBeLessThanOrEqual(10);
    expect(shardSize([1, 1, 998], 64)).toBe(17);
    expect(shardSize([0, 0, 5], 64)).toBe(1);
    expect(() => shardSize([1, 1, 10], 2)).toThrow('--max-jobs 2 cannot hold 3 deploy waves');
  });

  it('refuses a stack name that accounts.json does not produce', () => {
    expect(() => ciMatrix(fleet, { stacks: ['nope-us-east-1'] })).toThrow('unknown stack(s): nope-us-east-1');
  });

  describe('the command', () => {
    const work = mkdtempSync(join(tmpdir(), 'ci-matrix-'));
    const bigFile = join(work, 'accounts.json');
    writeFileSync(bigFile, JSON.stringify(generateFleetConfig(250, 4)));

    it('prints at most 64 jobs covering the 1,000 stacks of ACCOUNTS_FILE exactly once', () => {
      const run = ciMatrixCli([], bigFile);
      expect(run.status).toBe(0);
      const shards = JSON.parse(run.stdout) as CiShard[];
      expect(shards.length).toBeLessThanOrEqual(64);
      expect(new Set(allStacks(shards)).size).toBe(1000);
      expect(allStacks(shards)).toHaveLength(1000);
    });

    it('refuses an invalid value with exit 2 and one line, never an empty matrix', () => {
      for (const args of [['--wave', 'x'], ['--max-jobs', '0'], ['--max-jobs', '300'], ['--shards'], ['nope-us-east-1']]) {
        const run = ciMatrixCli(args, bigFile);
        expect({ args, status: run.status, stdout: run.stdout }).toEqual({ args, status: 2, stdout: '' });
        expect(run.stderr).toMatch(/^ci-matrix: /);
        expect(run.stderr).not.toMatch(/\n\s+at /);
      }
    });

    it('prints an empty matrix for an empty --stacks-file (no stack changed), never every stack', () => {
      const empty = join(work, 'changed.txt');
      writeFileSync(empty, '\n');
      const run = ciMatrixCli(['--stacks-file', empty], bigFile);
      expect([run.status, run.stdout]).toEqual([0, '[]\n']);
    });
  });
});
