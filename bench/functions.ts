import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FUNCTION_NAMES } from '../functions/shared/naming';
import type { RouterSettings } from '../functions/shared/routing/settings';
import { bundleFunctions, readBundleMetafile, staticallyLoaded } from '../stacks/bundles';
import { BENCH_SETTINGS, countCallsForBatch } from './respond-batch';

/**
 * `npm run bench:functions`: for each deployed function, the zipped bundle size, the unzipped
 * bytes a cold start loads (index.mjs and the chunks it imports statically), and the time to
 * load its handler module in a fresh Node process beyond a bare `node -e 0` (median of 10, each
 * pair measured side by side); then `respond` over one event of 100 findings against mocked AWS
 * clients, counting the AWS calls it makes.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const root = resolve(__dirname, '..');
const outDir = mkdtempSync(join(tmpdir(), 'bench-functions-'));
const bundles = bundleFunctions({ rootDir: root, outDir });
// investigate is off the alert path (an investigation takes Detective minutes, a cold start milliseconds)
// and carries the Detective and DynamoDB clients besides escalate's: 250 KB. route carries the S3
// client for its ticket records in chunks only a dynamic import reaches (an alert without a ticket
// never loads them; the "cold-start KB" column shows what every start loads): 240 KB.
const TARGET_KB: Record<string, number> = { respond: 400, 'quarantine-user': 200, escalate: 200, investigate: 250, route: 240 };

function timeNode(args: string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, args, { env, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Valid settings, as the stack writes them: loading validates them at cold start, as in Lambda.
const routerSettings: RouterSettings = {
  organization: 'acme',
  accountId: '222222222222',
  region: 'eu-west-1',
  evidence: { bucket: 'acme-evidence-222222222222-eu-west-1', region: 'eu-west-1' },
  tableName: 'acme-alert-routing',
  storm: { threshold: 20, windowMinutes: 5 },
  targets: { emailTopicArn: 'arn:aws:sns:eu-west-1:222222222222:acme-security-alerts-email', teamChat: {} },
};
const settingsEnv = {
  RESPONDER_SETTINGS: JSON.stringify(BENCH_SETTINGS),
  ROUTER_SETTINGS: JSON.stringify(routerSettings),
  INVESTIGATE_SETTINGS: JSON.stringify({ regions: ['eu-west-1', 'us-east-1'] }),
  AWS_REGION: 'eu-west-1',
};

console.log('function          zipped KB  target KB  cold-start KB  load ms over bare node (median of %d)  target ms', RUNS);
for (const name of FUNCTION_NAMES) {
  const entry = join(outDir, name, 'index.mjs');
  const env = { ...process.env, ...settingsEnv, POWERTOOLS_SERVICE_NAME: name };
  const deltas: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const bare = timeNode(['-e', '0'], env);
    const loaded = timeNode(['--input-type=module', '-e', `await import(${JSON.stringify(entry)})`], env);
    deltas.push(loaded - bare);
  }
  const kb = bundles[name].zipBytes / 1024;
  const meta = readBundleMetafile(bundles[name]);
  const coldKb = staticallyLoaded(meta).reduce((n, o) => n + meta.outputs[o].bytes, 0) / 1024;
  console.log(
    `${name.padEnd(16)}  ${kb.toFixed(1).padStart(9)}  ${String(TARGET_KB[name]).padStart(9)}  ${coldKb.toFixed(1).padStart(13)}  ${median(deltas).toFixed(1).padStart(38)}  ${'120'.padStart(9)}`,
  );
}
rmSync(outDir, { recursive: true, force: true });

void countCallsForBatch(100).then((calls) => {
  console.log(`respond over one event of 100 findings: ${JSON.stringify(calls)}`);
});
