import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateFleetConfig } from '../__tests__/helpers/fleet-generator';

/**
 * `npm run bench:synth`: a generated organization of 250 accounts × 4 regions (1,000 stacks),
 * synthesized the way `cdktf synth` does it (the app command from cdktf.json, with CDKTF_OUTDIR),
 * in a fresh process each run. Prints stacks, wall seconds and peak memory (max RSS) per run and
 * their medians. Target on 2 cores: at most 20 s and 1.5 GB.
 */
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 250);
const REGIONS = Number(process.env.BENCH_REGIONS ?? 4);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const root = resolve(__dirname, '..');

const work = mkdtempSync(join(tmpdir(), 'bench-synth-'));
const configFile = join(work, 'accounts.json');
writeFileSync(configFile, JSON.stringify(generateFleetConfig(ACCOUNTS, REGIONS)));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds: number[] = [];
const peaksMb: number[] = [];
let stackCount = 0;
for (let run = 1; run <= RUNS; run++) {
  const outdir = join(work, `out-${run}`);
  const started = process.hrtime.bigint();
  // The child reports its own peak RSS at exit (getrusage of the synth process itself).
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `process.on('exit', () => process.stderr.write('MAXRSS_KB=' + process.resourceUsage().maxRSS + '\\n')); require(${JSON.stringify(join(root, 'main.ts'))});`,
    ],
    { cwd: root, env: { ...process.env, ACCOUNTS_FILE: configFile, CDKTF_OUTDIR: outdir }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    console.error(result.stderr);
    throw new Error(`synthesis failed with exit code ${result.status}`);
  }
  const maxRssKb = Number(/MAXRSS_KB=(\d+)/.exec(result.stderr)?.[1] ?? NaN);
  stackCount = readdirSync(join(outdir, 'stacks')).length;
  seconds.push(wall);
  peaksMb.push(maxRssKb / 1024);
  console.log(`run ${run}: ${stackCount} stacks, ${wall.toFixed(2)} s wall, peak ${(maxRssKb / 1024).toFixed(0)} MB`);
  rmSync(outdir, { recursive: true, force: true });
}
console.log(
  `bench:synth ${ACCOUNTS} accounts x ${REGIONS} regions = ${stackCount} stacks: median ${median(seconds).toFixed(2)} s wall, median peak ${median(peaksMb).toFixed(0)} MB (target <= 20 s, <= 1536 MB; ${RUNS} runs)`,
);
rmSync(work, { recursive: true, force: true });
