/**
 * `npm run sweep` against moto (emulator tier): the CLI as an operator runs it, with the account's
 * moto credentials, lists the backlog from the validating Security Hub stand-in and invokes the
 * deployed `respond` zip through a Lambda Invoke stand-in (moto's Lambda needs Docker; listed in
 * emulator/moto-gaps.ts). `respond` runs as deployed: its stack's settings, its role's moto
 * credentials; it reads each named finding from the hub, records, alerts through SNS and writes its
 * evidence record into the organization's Object Lock bucket at moto.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployedFunction, settingsOf } from '../../emulator/functions';
import { evidenceRecordsAt } from '../../emulator/evidence-bucket';
import { EMULATOR_SECURITY_HOME, startSweepEmulator, type SweepEmulator } from '../../emulator/sweep-harness';
import { accountClients, buildWorld, captureAlerts, snapshot, type AccountClients, type World } from '../../emulator/world';
import { bucketResource, controlFinding, securityGroupResource } from '../functions/shared/respond/events';

const MEMBER = { account: '333333333333', region: 'eu-west-1', stack: 'payments-eu-west-1' };
const MANAGEMENT = { account: '111111111111', region: 'us-east-1', stack: 'management-us-east-1' };

let emu: SweepEmulator | undefined;

beforeAll(async () => {
  emu = await startSweepEmulator([MANAGEMENT.stack, MEMBER.stack]);
}, 180000);

afterAll(async () => {
  await emu?.stop();
});

/** The emulator, or the one line saying why it did not start (each test then fails with it). */
function emulator(): SweepEmulator {
  if (!emu) throw new Error('the sweep emulator did not start (see the first failure)');
  return emu;
}

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

/** `n` findings of one control on one resource, each its own id, created minutes apart (newest first). */
function backlogOf(control: 'S3.8' | 'EC2.19', w: World, n: number, offset = 0): Record<string, any>[] {
  const where = { account: w.accountId, region: w.region };
  const resource = control === 'S3.8' ? bucketResource(where, w.publicBucket) : securityGroupResource(where, w.openGroupId);
  return Array.from({ length: n }, (_, i) => ({
    ...controlFinding(control, [resource], where),
    CreatedAt: minutesAgo(offset + i + 1),
    UpdatedAt: minutesAgo(offset + i),
  }));
}

const stateFile = () => join(mkdtempSync(join(tmpdir(), 'emulator-sweep-')), 'state.json');
const workflowOf = (hub: Record<string, any>[], id: string) => hub.find((f) => f.Id === id)?.Workflow?.Status;

describe('npm run sweep in observe mode (management-us-east-1)', () => {
  it('sends the backlog through the deployed respond: every ACTIVE NEW finding at or above the threshold reported WOULD_CHANGE, recorded, alerted and in the evidence bucket; nothing else touched, the world unchanged', async () => {
    await emulator().reset();
    const c = await accountClients(emulator().moto.url, MANAGEMENT.account, MANAGEMENT.region);
    const world = await buildWorld(c, { quarantinePolicy: emulator().quarantinePolicyOf(MANAGEMENT.stack) });
    const respond = deployedFunction(emulator().org, MANAGEMENT.stack, 'respond');
    const alerts = await captureAlerts(emulator().moto.url, settingsOf(respond).alertTopicArn);
    const backlog = [...backlogOf('S3.8', world, 12), ...backlogOf('EC2.19', world, 11, 20)];
    const where = { account: MANAGEMENT.account, region: MANAGEMENT.region };
    const leftAlone: Record<string, any>[] = [
      { ...controlFinding('S3.8', [bucketResource(where, world.publicBucket)], { ...where, severity: 'LOW' }), CreatedAt: minutesAgo(5) },
      { ...controlFinding('S3.8', [bucketResource(where, world.publicBucket)], { ...where, workflow: 'RESOLVED' }), CreatedAt: minutesAgo(5) },
      { ...controlFinding('S3.8', [bucketResource(where, world.publicBucket)], { ...where, recordState: 'ARCHIVED' }), CreatedAt: minutesAgo(5) },
      // Older than the default --since 90d.
      { ...controlFinding('S3.8', [bucketResource(where, world.publicBucket)], where), CreatedAt: new Date(Date.now() - 200 * 86_400_000).toISOString() },
    ];
    await emulator().findings.importFindings(MANAGEMENT.account, MANAGEMENT.region, [...leftAlone, ...backlog]);
    const before = JSON.stringify(await snapshot(c, world));

    const run = await emulator().sweep(c, ['--stack', MANAGEMENT.stack, '--rate', '8', '--state', stateFile()]);
    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain('23 listed, 23 sent.');
    expect(run.stdout).toMatch(/BLOCK_S3_PUBLIC_ACCESS +observe +WOULD_CHANGE +12/);
    expect(run.stdout).toMatch(/REVOKE_PUBLIC_INGRESS +observe +WOULD_CHANGE +11/);
    expect(run.stdout).toContain('Observe mode: 23 findings would have been changed in enforce (WOULD_CHANGE).');
    // The API calls per finding, the sweep's own (listing, Invoke) and those respond reported.
    for (const op of ['securityhub:GetFindings', 'securityhub:BatchUpdateFindings', 'sns:Publish', 's3:PutObject', 'lambda:Invoke'])
      expect(run.stdout).toMatch(new RegExp(`${op} +\\d+ +\\d+\\.\\d\\d`));
    expect(run.stderr).toMatch(/sweep: \[#+\] 23\/23 sent/);

    const hub = await emulator().findings.findings(MANAGEMENT.account, MANAGEMENT.region);
    for (const f of backlog) expect({ id: f.Id, workflow: workflowOf(hub, f.Id) }).toEqual({ id: f.Id, workflow: 'NOTIFIED' });
    expect(leftAlone.map((f) => workflowOf(hub, f.Id))).toEqual(['NEW', 'RESOLVED', 'NEW', 'NEW']);
    expect(JSON.stringify(await snapshot(c, world))).toBe(before);
    expect((await alerts.drain()).map((d) => d.MessageAttributes.outcome?.Value).sort()).toEqual(backlog.map(() => 'WOULD_CHANGE'));
    const records = await evidenceRecordsAt(emulator().moto.url, emulator().org, EMULATOR_SECURITY_HOME);
    expect(records.map((r) => r.record.finding_id).sort()).toEqual(backlog.map((f) => f.Id).sort());
    // Three invocations of ten, then three: one host, one cold start.
    expect(emulator().lambda.invocations.map((i) => i.error)).toEqual([undefined, undefined, undefined]);
    expect(emulator().standIn.invalid()).toEqual([]);
  });
});

describe('npm run sweep in enforce mode (payments-eu-west-1)', () => {
  let c: AccountClients;
  let world: World;
  let backlog: Record<string, any>[];
  const state = stateFile();

  beforeAll(async () => {
    await emulator().reset();
    c = await accountClients(emulator().moto.url, MEMBER.account, MEMBER.region);
    world = await buildWorld(c, { quarantinePolicy: emulator().quarantinePolicyOf(MEMBER.stack) });
    await captureAlerts(emulator().moto.url, settingsOf(deployedFunction(emulator().org, MEMBER.stack, 'respond')).alertTopicArn);
    backlog = [...backlogOf('S3.8', world, 5), ...backlogOf('EC2.19', world, 5, 10)];
    await emulator().findings.importFindings(MEMBER.account, MEMBER.region, backlog);
  }, 120000);

  it('refuses without --i-know, naming what the account enforces, and invokes nothing', async () => {
    const run = await emulator().sweep(c, ['--stack', MEMBER.stack, '--state', state]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/sweep: payments-eu-west-1 enforces .*REVOKE_PUBLIC_INGRESS.*pass --i-know/);
    expect(emulator().lambda.invocations).toEqual([]);
  });

  it('with --i-know and --limit 4 sends the four newest; the same command without --limit then sweeps the six still NEW, each resource remediated once', async () => {
    const first = await emulator().sweep(c, ['--stack', MEMBER.stack, '--i-know', '--rate', '8', '--limit', '4', '--state', state]);
    expect({ code: first.code, stderr: first.code === 0 ? '' : first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(first.stdout).toContain('4 listed, 4 sent.');
    // --limit caps a new sweep's listing: the four newest S3.8 findings.
    let hub = await emulator().findings.findings(MEMBER.account, MEMBER.region);
    expect(backlog.map((f) => workflowOf(hub, f.Id))).toEqual(['RESOLVED', 'NOTIFIED', 'NOTIFIED', 'NOTIFIED', 'NEW', 'NEW', 'NEW', 'NEW', 'NEW', 'NEW']);

    const second = await emulator().sweep(c, ['--stack', MEMBER.stack, '--i-know', '--rate', '8', '--state', state]);
    expect({ code: second.code, stderr: second.code === 0 ? '' : second.stderr }).toEqual({ code: 0, stderr: '' });
    // The first sweep finished; the second lists what is still NEW.
    expect(second.stdout).toContain('6 listed, 6 sent.');
    hub = await emulator().findings.findings(MEMBER.account, MEMBER.region);
    expect(backlog.map((f) => workflowOf(hub, f.Id))).toEqual([
      'RESOLVED',
      'NOTIFIED',
      'NOTIFIED',
      'NOTIFIED',
      'NOTIFIED',
      'RESOLVED',
      'NOTIFIED',
      'NOTIFIED',
      'NOTIFIED',
      'NOTIFIED',
    ]);
    expect(second.stdout).toMatch(/REVOKE_PUBLIC_INGRESS +enforce +REMEDIATED +1/);
    expect(second.stdout).toMatch(/REVOKE_PUBLIC_INGRESS +enforce +NO_CHANGE +4/);
    // The world: the bucket blocked, the group's world-open SSH revoked, each once.
    const after: any = await snapshot(c, world);
    expect(JSON.stringify(after)).toContain('"BlockPublicAcls":true');
    expect(emulator().standIn.invalid()).toEqual([]);
  });
});
