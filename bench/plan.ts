import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFleet } from '../config/load';
import { motoMissing, startMoto } from '../emulator/moto';
import { synthesizeOrganization } from '../emulator/synth';
import { emulatorAwsConfig, isolatedTerraformEnv, prepareEmulatorStack, providerMirror } from '../emulator/terraform';
import { awsProfilesConfig } from '../scripts/operator/aws-profiles';
import { ciMatrix } from '../scripts/ci/ci-matrix';
import { planShard, terraformRunner, type TerraformRunner } from '../scripts/ci/terraform-shard';
import { generateFleetConfig } from '../__tests__/helpers/fleet-generator';

/**
 * `npm run bench:plan`: the wall time of one CI plan job's terraform work. A generated 250-account
 * × 4-region organization (1,000 stacks) is synthesized and packed by ci-matrix (at most 64
 * jobs); one 16-stack shard is planned by plan-shard, exactly as the workflow runs it, against
 * moto with the mirrored AWS provider (TF_PLUGIN_DIR, as the emulator tier), at each
 * parallelism side by side, BENCH_RUNS rounds. Prints init and plan seconds and the medians.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PARALLELISM = (process.env.BENCH_PARALLEL ?? '2,4').split(',').map(Number);

async function main(): Promise<void> {
  const missing = motoMissing();
  if (missing) throw new Error(missing);
  const mirror = providerMirror();
  const work = mkdtempSync(join(tmpdir(), 'bench-plan-'));
  const accountsFile = join(work, 'accounts.json');
  writeFileSync(accountsFile, JSON.stringify(generateFleetConfig(250, 4)));
  const fleet = loadFleet(accountsFile);

  let t0 = Date.now();
  const org = synthesizeOrganization(accountsFile);
  const synthSeconds = (Date.now() - t0) / 1000;
  const shards = ciMatrix(fleet);
  const shard = shards.find((s) => s.wave === 2 && s.stacks.length === 16) ?? shards.find((s) => s.wave === 2);
  if (!shard) throw new Error('ci-matrix packed no wave-2 shard');
  console.log(
    `${fleet.stacks.length} stacks synthesized in ${synthSeconds.toFixed(1)} s, packed into ${shards.length} jobs; planning ${shard.shard} (${shard.stacks.length} stacks, ${shard.accounts.length} accounts)`,
  );

  const moto = await startMoto({ accountIds: shard.accounts });
  try {
    const awsConfig = emulatorAwsConfig(awsProfilesConfig(fleet, 'read', { sourceProfile: 'emulator' }));
    const copies = join(work, 'copies');
    for (const name of shard.stacks)
      prepareEmulatorStack(org.stackDir(name), { endpoints: { moto: moto.url, standIns: {} }, mirror, workRoot: copies, awsConfig });
    const configFile = join(work, 'aws-config');
    writeFileSync(configFile, awsConfig);
    const real = terraformRunner(undefined, isolatedTerraformEnv({ AWS_CONFIG_FILE: configFile, AWS_ENDPOINT_URL_STS: moto.url }));

    const walls = new Map<number, number[]>(PARALLELISM.map((p) => [p, []]));
    for (let run = 1; run <= RUNS; run++) {
      for (const parallel of PARALLELISM) {
        const byCommand: Record<string, number> = {};
        const timed: TerraformRunner = async (cwd, args) => {
          const started = Date.now();
          const result = await real(cwd, args);
          byCommand[args[0]] = (byCommand[args[0]] ?? 0) + (Date.now() - started) / 1000;
          return result;
        };
        t0 = Date.now();
        const results = await planShard({
          stacks: shard.stacks,
          stacksDir: copies,
          outDir: join(work, 'plans'),
          parallel,
          initArgs: [`-plugin-dir=${mirror.dir}`],
          terraform: timed,
        });
        const wall = (Date.now() - t0) / 1000;
        const failed = results.filter((r) => !r.ok);
        if (failed.length > 0) throw new Error(`plan failed for ${failed.map((f) => f.stack).join(', ')}:\n${failed[0].text.slice(-2000)}`);
        const wallsOf = walls.get(parallel);
        if (!wallsOf) throw new Error(`no wall times for parallel ${parallel}`);
        wallsOf.push(wall);
        console.log(
          `run ${run}, parallel ${parallel}: ${wall.toFixed(1)} s wall (init ${byCommand.init.toFixed(1)} s one at a time; plan + show ${(byCommand.plan + byCommand.show).toFixed(1)} s summed over stacks)`,
        );
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    for (const [parallel, xs] of walls) {
      console.log(
        `bench:plan one ${shard.stacks.length}-stack shard of ${shards.length} for ${fleet.stacks.length} stacks, parallel ${parallel}: median ${median(xs).toFixed(1)} s wall (${RUNS} runs)`,
      );
    }
  } finally {
    await moto.stop();
    rmSync(org.outdir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench:plan: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
