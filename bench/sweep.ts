import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployedFunction, settingsOf } from '../emulator/functions';
import { startSweepEmulator } from '../emulator/sweep-harness';
import { accountClients, buildWorld, captureAlerts } from '../emulator/world';
import { bucketResource, controlFinding, securityGroupResource } from '../__tests__/functions/shared/respond/events';

/**
 * `npm run bench:sweep`: `npm run sweep` over a backlog of BENCH_FINDINGS (default 10,000) findings
 * at moto, in the observe-mode management account of emulator/accounts.json, at BENCH_RATE findings
 * a second (default 8, the CLI's maximum; its default is 5). The CLI runs as an operator runs it;
 * the deployed `respond` zip answers through the Lambda stand-in and reads, records, alerts and
 * writes evidence at moto. Prints findings per second and the AWS requests per finding, from the
 * sweep's own summary, and the Lambda durations.
 */
const FINDINGS = Number(process.env.BENCH_FINDINGS ?? 10_000);
const RATE = process.env.BENCH_RATE ?? '8';
const STACK = 'management-us-east-1';
const ACCOUNT = '111111111111';
const REGION = 'us-east-1';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const emu = await startSweepEmulator([STACK]);
  try {
    await emu.reset();
    const c = await accountClients(emu.moto.url, ACCOUNT, REGION);
    const world = await buildWorld(c, { quarantinePolicy: emu.quarantinePolicyOf(STACK) });
    await captureAlerts(emu.moto.url, (settingsOf(deployedFunction(emu.org, STACK, 'respond')) as { alertTopicArn: string }).alertTopicArn);
    const where = { account: ACCOUNT, region: REGION };
    const now = Date.now();
    // Half S3.8 on the public bucket, half EC2.19 on the open group: each a remediation observe mode reads.
    const backlog = Array.from({ length: FINDINGS }, (_, i) => ({
      ...(i % 2 === 0
        ? controlFinding('S3.8', [bucketResource(where, world.publicBucket)], where)
        : controlFinding('EC2.19', [securityGroupResource(where, world.openGroupId)], where)),
      CreatedAt: new Date(now - (i + 1) * 1000).toISOString(),
      UpdatedAt: new Date(now - i * 1000).toISOString(),
    }));
    let t = Date.now();
    // BatchImportFindings takes at most 100 findings.
    for (let i = 0; i < backlog.length; i += 100) await emu.findings.importFindings(ACCOUNT, REGION, backlog.slice(i, i + 100));
    console.log(`${FINDINGS.toLocaleString('en-US')} findings imported in ${((Date.now() - t) / 1000).toFixed(1)} s; sweeping ${STACK} at --rate ${RATE}`);

    t = Date.now();
    const state = join(mkdtempSync(join(tmpdir(), 'bench-sweep-')), 'state.json');
    const run = await emu.sweep(c, ['--stack', STACK, '--rate', RATE, '--state', state]);
    const wall = (Date.now() - t) / 1000;
    if (run.code !== 0) throw new Error(`sweep exited ${run.code}: ${run.stderr.slice(-2000)}`);
    console.log(run.stdout);
    const durations = emu.lambda.invocations.map((i) => i.durationMs);
    const failed = emu.lambda.invocations.filter((i) => i.error).length;
    const tenth = Math.max(1, Math.floor(durations.length / 10));
    console.log(
      `wall ${wall.toFixed(1)} s (listing included); ${durations.length} invocations, ${failed} failed, median ${median(durations).toFixed(0)} ms, slowest ${Math.max(...durations).toFixed(0)} ms each; median of the first tenth ${median(durations.slice(0, tenth)).toFixed(0)} ms, of the last tenth ${median(durations.slice(-tenth)).toFixed(0)} ms`,
    );
  } finally {
    await emu.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
