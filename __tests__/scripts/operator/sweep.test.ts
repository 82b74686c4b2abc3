import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { loadFleet } from '../../../config/load';
import { createLiveAws } from '../../../functions/shared/aws';
import type { SweptDecision } from '../../../functions/shared/sweep/decision';
import { CliError, EXIT } from '../../../scripts/cli';
import { backlogFilters } from '../../../scripts/operator/sweep/list';
import { DEFAULT_RATE, parseSweepArgs, type SweepOptions } from '../../../scripts/operator/sweep/options';
import { TokenBucket } from '../../../scripts/operator/sweep/pace';
import { progressBar, runSweep, type SweepDeps } from '../../../scripts/operator/sweep/run';
import { SweepFiles } from '../../../scripts/operator/sweep/state';
import { formatSweep } from '../../../scripts/operator/sweep/table';
import { TEST_ACCOUNTS_FILE } from '../../helpers/config';

const fleet = loadFleet(TEST_ACCOUNTS_FILE);
const NOW = new Date('2026-03-31T12:00:00.000Z');
const ENFORCING = 'payments-prod-eu-west-1';
const OBSERVING = 'web-staging-us-east-1';
const stackOf = (name: string) => fleet.stacks.find((s) => s.name === name)!;

const hub = mockClient(SecurityHubClient);
const lambda = mockClient(LambdaClient);
const sts = mockClient(STSClient);

/** An Invoke payload (sent or answered) as JSON. */
const payload = (bytes: unknown) => JSON.parse(new TextDecoder().decode(bytes as Uint8Array));
const encoded = (answer: unknown) => new TextEncoder().encode(JSON.stringify(answer)) as never;

/** A fake clock: sleeping moves time on at once, so a paced sweep's timing is exact and instant. */
function fakeClock(start = NOW.getTime()) {
  let t = start;
  return { now: () => t, sleep: (ms: number) => ((t += ms), Promise.resolve()), advance: (ms: number) => (t += ms) };
}

/** `count` findings of the stack's account and region, newest first as GetFindings is asked to sort. */
function backlog(stack: string, count: number) {
  const s = stackOf(stack);
  return Array.from({ length: count }, (_, i) => ({
    Id: `arn:aws:securityhub:${s.region}:${s.settings.accountId}:security-control/S3.8/finding/${String(i).padStart(5, '0')}`,
    ProductArn: `arn:aws:securityhub:${s.region}::product/aws/securityhub`,
    CreatedAt: new Date(NOW.getTime() - (i + 1) * 60_000).toISOString(),
  }));
}

/** GetFindings pages of at most MaxResults, with an offset token, as Security Hub pages. */
function hubHolds(findings: ReturnType<typeof backlog>) {
  hub.on(GetFindingsCommand).callsFake((input: { MaxResults?: number; NextToken?: string }) => {
    const from = input.NextToken ? Number(input.NextToken) : 0;
    const to = from + (input.MaxResults ?? 100);
    return Promise.resolve({ Findings: findings.slice(from, to), ...(to < findings.length ? { NextToken: String(to) } : {}) });
  });
}

/** `respond` as the sweep sees it: one decision per named finding, its requests counted. */
function respondLike(
  sent: string[][],
  decide: (id: string) => Partial<SweptDecision> = () => ({ action: 'BLOCK_S3_PUBLIC_ACCESS', mode: 'enforce', outcome: 'REMEDIATED' }),
) {
  return (input: { Payload: Uint8Array }) => {
    const event = payload(input.Payload);
    const ids = event.detail.findings.map((f: { Id: string }) => f.Id);
    sent.push(ids);
    const reply = {
      kind: 'sweep',
      sweep: {
        sweepId: event.detail.sweepId,
        decisions: ids.map((findingId: string) => ({ findingId, kind: 'S3.8', recorded: true, alerted: true, ...decide(findingId) })),
        notFound: [],
        calls: { 'securityhub:GetFindings': 1, 'securityhub:BatchUpdateFindings': ids.length, 'sns:Publish': ids.length, 's3:PutObject': ids.length },
      },
    };
    return Promise.resolve({ StatusCode: 200, Payload: encoded(reply) });
  };
}

function respondAnswers(decide?: (id: string) => Partial<SweptDecision>) {
  const sent: string[][] = [];
  lambda.on(InvokeCommand).callsFake(respondLike(sent, decide));
  return sent;
}

function credentialsOf(stack: string) {
  const accountId = stackOf(stack).settings.accountId;
  sts.on(GetCallerIdentityCommand).resolves({ Account: accountId, Arn: `arn:aws:sts::${accountId}:assumed-role/Admin/ops` });
}

function options(stack: string, more: string[] = []): SweepOptions {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-test-'));
  return parseSweepArgs(['--stack', stack, '--state', join(dir, 'state.json'), ...more], NOW);
}

function deps(clock = fakeClock(), signal?: AbortSignal): SweepDeps & { said: string[]; bars: string[] } {
  const said: string[] = [];
  const bars: string[] = [];
  return {
    aws: createLiveAws(),
    now: clock.now,
    sleep: clock.sleep,
    progress: { update: (line) => bars.push(line), done: (line) => bars.push(line) },
    say: (line) => said.push(line),
    signal,
    sweepId: 'sweep-test',
    said,
    bars,
  };
}

beforeEach(() => {
  hub.reset();
  lambda.reset();
  sts.reset();
});

describe('parseSweepArgs', () => {
  it('defaults: the last 90 days, 5 findings a second, no limit, observe only, .sweep/<stack>.json', () => {
    expect(parseSweepArgs(['--stack', OBSERVING], NOW)).toEqual({
      stack: OBSERVING,
      since: new Date('2025-12-31T12:00:00.000Z'),
      sinceGiven: false,
      rate: DEFAULT_RATE,
      iKnow: false,
      restart: false,
      stateFile: join('.sweep', `${OBSERVING}.json`),
    });
  });

  it.each([
    [[], '--stack is required'],
    [['--stack', 'x', '--rate', '9'], '--rate must be a number of findings per second above 0 and at most 8'],
    [['--stack', 'x', '--rate', '0'], '--rate must be'],
    [['--stack', 'x', '--limit', '0'], '--limit must be an integer of at least 1'],
    [['--stack', 'x', '--since', 'soon'], '--since must be a number of days or hours ago'],
    [['--stack', 'x', '--bogus'], "Unknown option '--bogus'"],
  ])('%j is a usage error: %s', (argv, message) => {
    let error: unknown;
    try {
      parseSweepArgs(argv, NOW);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.usage);
    expect((error as CliError).message).toContain(message);
  });
});

describe('TokenBucket', () => {
  it('lets a take above the burst through once it has the burst, and charges the debt to the next take', async () => {
    const clock = fakeClock(0);
    const bucket = new TokenBucket(5, 10, clock);
    await bucket.take(10);
    expect(clock.now()).toBe(0);
    await bucket.take(15); // waits for the burst (10 tokens: 2 s), then owes 5
    expect(clock.now()).toBe(2_000);
    await bucket.take(1); // 5 owed + 1: 1.2 s
    expect(clock.now()).toBe(3_200);
  });

  it('stops waiting when the signal aborts', async () => {
    const clock = fakeClock(0);
    const bucket = new TokenBucket(1, 1, clock);
    await bucket.take(1);
    await bucket.take(1, AbortSignal.abort());
    expect(clock.now()).toBe(0);
  });

  it('lets the burst through at once, then holds the rate', async () => {
    const clock = fakeClock(0);
    const bucket = new TokenBucket(3, 6, clock);
    for (let i = 0; i < 6; i++) await bucket.take(1);
    expect(clock.now()).toBe(0);
    for (let i = 0; i < 30; i++) await bucket.take(1);
    // 30 more at 3 a second: 10 seconds.
    expect(clock.now()).toBeGreaterThanOrEqual(9_990);
    expect(clock.now()).toBeLessThanOrEqual(10_010);
  });
});

describe('the backlog listing', () => {
  it("asks for this account's and region's ACTIVE, NEW findings at or above the threshold, in the window", () => {
    const s = stackOf(ENFORCING).settings;
    const since = new Date('2026-01-01T00:00:00.000Z');
    expect(backlogFilters({ ...s, notifyMinSeverity: 'HIGH' }, { since, until: NOW })).toEqual({
      AwsAccountId: [{ Value: s.accountId, Comparison: 'EQUALS' }],
      Region: [{ Value: s.region, Comparison: 'EQUALS' }],
      RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      WorkflowStatus: [{ Value: 'NEW', Comparison: 'EQUALS' }],
      SeverityLabel: [
        { Value: 'HIGH', Comparison: 'EQUALS' },
        { Value: 'CRITICAL', Comparison: 'EQUALS' },
      ],
      CreatedAt: [{ Start: since.toISOString(), End: NOW.toISOString() }],
    });
  });
});

describe('npm run sweep', () => {
  it('refuses an enforcing stack without --i-know, naming the actions, before any request', async () => {
    const run = runSweep(options(ENFORCING), fleet, deps());
    await expect(run).rejects.toThrow(/payments-prod-eu-west-1 enforces .*BLOCK_S3_PUBLIC_ACCESS.*pass --i-know/);
    await expect(run).rejects.toMatchObject({ exitCode: EXIT.usage });
    expect(sts.calls()).toHaveLength(0);
    expect(hub.calls()).toHaveLength(0);
    expect(lambda.calls()).toHaveLength(0);
  });

  it("refuses credentials of another account than the stack's, before listing", async () => {
    credentialsOf(ENFORCING);
    await expect(runSweep(options(OBSERVING), fleet, deps())).rejects.toThrow(/credentials are for account 333333333333 .* not 555555555555/);
    expect(hub.calls()).toHaveLength(0);
  });

  it('refuses an unknown stack naming how stacks are named', async () => {
    await expect(runSweep(options('nope-us-east-1'), fleet, deps())).rejects.toThrow(/unknown stack nope-us-east-1: .*names are <account name>-<region>/);
  });

  it('lists the whole backlog first, then sends it ten findings an invocation to the stack’s respond function, newest first', async () => {
    credentialsOf(OBSERVING);
    const findings = backlog(OBSERVING, 234);
    hubHolds(findings);
    const sent = respondAnswers(() => ({ action: 'BLOCK_S3_PUBLIC_ACCESS', mode: 'observe', outcome: 'WOULD_CHANGE' }));
    const d = deps();
    const report = await runSweep(options(OBSERVING), fleet, d);
    expect(report.exitCode).toBe(EXIT.ok);
    // Three pages of 100, then 24 invocations (the last of four).
    expect(hub.commandCalls(GetFindingsCommand)).toHaveLength(3);
    expect(hub.commandCalls(GetFindingsCommand)[0].args[0].input).toMatchObject({ SortCriteria: [{ Field: 'CreatedAt', SortOrder: 'desc' }], MaxResults: 100 });
    expect(sent.map((ids) => ids.length)).toEqual([...Array<number>(23).fill(10), 4]);
    expect(sent.flat()).toEqual(findings.map((f) => f.Id));
    const invoked = lambda.commandCalls(InvokeCommand)[0].args[0].input;
    expect(invoked.FunctionName).toBe('acme-respond');
    const event = payload(invoked.Payload);
    expect(event).toMatchObject({ source: 'security-response.sweep', account: '555555555555', region: 'us-east-1', detail: { enforce: false } });
    // The summary: what observe mode would have done, the rate, and the requests per finding.
    const table = formatSweep(report);
    expect(table).toContain('234 listed, 234 sent.');
    expect(table).toMatch(/BLOCK_S3_PUBLIC_ACCESS +observe +WOULD_CHANGE +234/);
    expect(table).toContain('Observe mode: 234 findings would have been changed in enforce (WOULD_CHANGE).');
    expect(table).toMatch(/securityhub:BatchUpdateFindings +234 +1\.00/);
    expect(table).toMatch(/lambda:Invoke +24 +0\.10/);
    // 3 listing pages + 24 reads by respond.
    expect(table).toMatch(/securityhub:GetFindings +27 +0\.12/);
  });

  it('paces itself: 100 findings at the default 5 a second take about 18 s after the first burst of 10', async () => {
    credentialsOf(OBSERVING);
    hubHolds(backlog(OBSERVING, 100));
    respondAnswers();
    const clock = fakeClock();
    const report = await runSweep(options(OBSERVING), fleet, deps(clock));
    expect(report.state!.sendingMs).toBeGreaterThanOrEqual(17_900);
    expect(report.state!.sendingMs).toBeLessThanOrEqual(18_100);
    expect(formatSweep(report)).toMatch(/100 findings sent in 18\.0 s: 5\.56 findings\/s/);
  });

  it('--rate 8 paces faster than the default: 100 findings in about 11 s', async () => {
    credentialsOf(OBSERVING);
    hubHolds(backlog(OBSERVING, 100));
    respondAnswers();
    const report = await runSweep(options(OBSERVING, ['--rate', '8']), fleet, deps());
    // The first 10 at once, the other 90 at 8 a second.
    expect(report.state!.sendingMs).toBeGreaterThanOrEqual(11_200);
    expect(report.state!.sendingMs).toBeLessThanOrEqual(11_300);
  });

  it('--limit caps a new sweep to the newest N, listed and sent; the next run lists again from what is still NEW', async () => {
    credentialsOf(OBSERVING);
    const findings = backlog(OBSERVING, 45);
    hubHolds(findings);
    const sent = respondAnswers();
    const opts = options(OBSERVING, ['--limit', '25']);
    const first = await runSweep(opts, fleet, deps());
    expect(first.state).toMatchObject({ total: 25, next: 25, finishedAt: expect.any(String) });
    expect(sent.flat()).toEqual(findings.slice(0, 25).map((f) => f.Id));
    // The hub still answers all 45 here (the mock does not move findings off NEW): a new sweep, listed again.
    const second = await runSweep({ ...opts, limit: undefined }, fleet, deps());
    expect(second).toMatchObject({ resumed: false, state: { total: 45 } });
    expect(hub.commandCalls(GetFindingsCommand)).toHaveLength(2);
  });

  it('stopped by a signal: the invocation under way finishes and is saved; the same command resumes where it stopped and sends nothing twice', async () => {
    credentialsOf(OBSERVING);
    const findings = backlog(OBSERVING, 60);
    hubHolds(findings);
    const controller = new AbortController();
    const sent = respondAnswers();
    lambda.on(InvokeCommand).callsFake((input: { Payload: Uint8Array }) => {
      const event = payload(input.Payload);
      const ids = event.detail.findings.map((f: { Id: string }) => f.Id);
      sent.push(ids);
      // The operator presses Ctrl-C during the second invocation.
      if (sent.length === 2) controller.abort();
      const reply = {
        kind: 'sweep',
        sweep: {
          sweepId: event.detail.sweepId,
          decisions: ids.map((findingId: string) => ({ findingId, action: 'NONE', mode: 'observe', outcome: 'NOT_APPLICABLE' })),
          notFound: [],
          calls: {},
        },
      };
      return Promise.resolve({ StatusCode: 200, Payload: encoded(reply) });
    });
    const opts = options(OBSERVING);
    const first = await runSweep(opts, fleet, deps(fakeClock(), controller.signal));
    expect(first).toMatchObject({ interrupted: true, exitCode: EXIT.error });
    expect(new SweepFiles(opts.stateFile).load()?.next).toBe(20);
    expect(new SweepFiles(opts.stateFile).load()?.finishedAt).toBeUndefined();
    expect(formatSweep(first)).toContain('60 listed, 20 sent, 40 still to send (run the same command to resume)');

    const second = deps();
    const resumed = await runSweep(opts, fleet, second);
    expect(resumed).toMatchObject({ resumed: true, interrupted: false, exitCode: EXIT.ok });
    expect(second.said).toContain('sweep: resuming sweep-test from ' + opts.stateFile + ': 20 of 60 sent');
    // Listed once (the first run), every finding sent exactly once across both runs.
    expect(hub.commandCalls(GetFindingsCommand)).toHaveLength(1);
    expect(sent.flat()).toEqual(findings.map((f) => f.Id));
    expect(resumed.decisions).toHaveLength(60);
    // The lock is released after each run.
    expect(existsSync(`${opts.stateFile}.lock`)).toBe(false);
  });

  it('a resumed sweep refuses another --since instead of mixing two windows', async () => {
    credentialsOf(OBSERVING);
    const opts = options(OBSERVING);
    const files = new SweepFiles(opts.stateFile);
    mkdirSync(dirname(opts.stateFile), { recursive: true });
    files.start(
      {
        version: 2,
        stack: OBSERVING,
        sweepId: 'sweep-earlier',
        startedAt: NOW.toISOString(),
        since: '2026-01-01T12:00:00.000Z',
        until: NOW.toISOString(),
        total: 3,
        next: 1,
        notFound: 0,
        calls: {},
        invocations: 1,
        failedInvocations: 0,
        sendingMs: 100,
      },
      backlog(OBSERVING, 3).map((f) => ({ id: f.Id, productArn: f.ProductArn, createdAt: f.CreatedAt })),
    );
    await expect(runSweep({ ...opts, sinceGiven: true, since: new Date('2026-03-01T00:00:00.000Z') }, fleet, deps())).rejects.toThrow(
      /holds a half-done sweep of web-staging-us-east-1 since 2026-01-01T12:00:00.000Z \(1 of 3 sent\): run without --since to resume it, or pass --restart/,
    );
    expect(lambda.calls()).toHaveLength(0);
  });

  it('a state file that is not a sweep state is an error naming the file', async () => {
    credentialsOf(OBSERVING);
    const opts = options(OBSERVING);
    writeFileSync(opts.stateFile, '{"hello": 1}');
    await expect(runSweep(opts, fleet, deps())).rejects.toThrow(`${opts.stateFile} is not a sweep's state`);
  });

  it('an invocation the function answers with an error is reported (its findings may be partly handled); three in a row stop the sweep (exit 1), the state saved', async () => {
    credentialsOf(OBSERVING);
    hubHolds(backlog(OBSERVING, 80));
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: encoded({ errorType: 'Error', errorMessage: 'boom' }) });
    const d = deps();
    const opts = options(OBSERVING);
    const report = await runSweep(opts, fleet, d);
    expect(report.exitCode).toBe(EXIT.error);
    expect(report.error).toContain('3 invocations in a row failed');
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(3);
    expect(d.said[0]).toMatch(
      /acme-respond failed \(Unhandled\): .*boom.* \(its 10 findings may be partly handled; those still NEW are listed by the next sweep\)/,
    );
    expect(new SweepFiles(opts.stateFile).load()).toMatchObject({ next: 30, failedInvocations: 3 });
    expect(formatSweep(report)).toContain('In failed invocations: 30 findings (3 invocations;');
  });

  it('one failed invocation among good ones does not stop the sweep, but its exit is 1', async () => {
    credentialsOf(OBSERVING);
    hubHolds(backlog(OBSERVING, 30));
    respondAnswers();
    lambda
      .on(InvokeCommand)
      .resolvesOnce({ StatusCode: 200, FunctionError: 'Unhandled', Payload: encoded({ errorType: 'Error', errorMessage: 'boom' }) })
      .callsFake((input: { Payload: Uint8Array }) => {
        const event = payload(input.Payload);
        const decisions = event.detail.findings.map((f: { Id: string }) => ({ findingId: f.Id, action: 'NONE', mode: 'observe', outcome: 'NOT_APPLICABLE' }));
        return Promise.resolve({ StatusCode: 200, Payload: encoded({ kind: 'sweep', sweep: { sweepId: 's', decisions, notFound: [], calls: {} } }) });
      });
    const report = await runSweep(options(OBSERVING), fleet, deps());
    expect(report.state).toMatchObject({ next: 30, failedInvocations: 1, finishedAt: expect.any(String) });
    expect(report).toMatchObject({ exitCode: EXIT.error, error: '1 invocations failed; their findings may be partly handled' });
  });

  it('an Invoke that never reached the function (AccessDenied, a lost connection) sends nothing more, keeps its findings next, and the same command sends them', async () => {
    credentialsOf(OBSERVING);
    const findings = backlog(OBSERVING, 20);
    hubHolds(findings);
    const sent = respondAnswers();
    lambda.on(InvokeCommand).rejectsOnce(Object.assign(new Error('not authorized to perform: lambda:InvokeFunction'), { name: 'AccessDeniedException' }));
    const opts = options(OBSERVING);
    const first = await runSweep(opts, fleet, deps());
    expect(first.exitCode).toBe(EXIT.error);
    expect(first.error).toMatch(/AccessDeniedException: not authorized .*; these 10 findings were not sent, the same command sends them/);
    expect(first.state!.next).toBe(0);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
    lambda.on(InvokeCommand).callsFake((input: { Payload: Uint8Array }) => {
      const event = payload(input.Payload);
      const ids = event.detail.findings.map((f: { Id: string }) => f.Id);
      sent.push(ids);
      const decisions = ids.map((findingId: string) => ({ findingId, action: 'NONE', mode: 'observe', outcome: 'NOT_APPLICABLE' }));
      return Promise.resolve({ StatusCode: 200, Payload: encoded({ kind: 'sweep', sweep: { sweepId: 's', decisions, notFound: [], calls: {} } }) });
    });
    const second = await runSweep(opts, fleet, deps());
    expect(second).toMatchObject({ resumed: true, exitCode: EXIT.ok, state: { next: 20 } });
    expect(sent.flat()).toEqual(findings.map((f) => f.Id));
  });

  it("Lambda's throttling (the function did not run) is waited out and resent; the Invoke itself is never retried by the SDK", async () => {
    credentialsOf(OBSERVING);
    hubHolds(backlog(OBSERVING, 10));
    lambda
      .on(InvokeCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }))
      .callsFake(respondLike([]));
    const clock = fakeClock();
    const report = await runSweep(options(OBSERVING), fleet, deps(clock));
    expect(report).toMatchObject({ exitCode: EXIT.ok, state: { next: 10 } });
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(2);
    await expect(lambda.commandCalls(InvokeCommand)[0].thisValue.config.maxAttempts()).resolves.toBe(1);
    // It waited a second before sending again.
    expect(clock.now() - NOW.getTime()).toBeGreaterThanOrEqual(1_000);
    expect(report.state!.calls['lambda:Invoke']).toBe(2);
  });

  it('refuses to run while another run of the same sweep holds its lock, naming the lock file', async () => {
    credentialsOf(OBSERVING);
    const opts = options(OBSERVING);
    new SweepFiles(opts.stateFile).lock();
    await expect(runSweep(opts, fleet, deps())).rejects.toThrow(/another sweep holds .*state\.json\.lock \(pid \d+\); if none is running, remove the file/);
    expect(hub.calls()).toHaveLength(0);
  });

  it('--restart forgets a half-done sweep and lists again', async () => {
    credentialsOf(OBSERVING);
    hubHolds(backlog(OBSERVING, 30));
    respondAnswers();
    const opts = options(OBSERVING);
    await runSweep(opts, fleet, deps(fakeClock(), AbortSignal.abort()));
    const restarted = await runSweep({ ...opts, restart: true }, fleet, deps());
    expect(restarted).toMatchObject({ resumed: false, exitCode: EXIT.ok, state: { total: 30, next: 30 } });
  });

  it('stopped while listing: nothing is saved or sent, and the report says so', async () => {
    credentialsOf(OBSERVING);
    hubHolds(backlog(OBSERVING, 30));
    respondAnswers();
    const opts = options(OBSERVING);
    const report = await runSweep(opts, fleet, deps(fakeClock(), AbortSignal.abort()));
    expect(report).toMatchObject({ listingInterrupted: true, interrupted: true, exitCode: EXIT.error });
    expect(new SweepFiles(opts.stateFile).load()).toBeUndefined();
    expect(lambda.calls()).toHaveLength(0);
    expect(formatSweep(report)).toBe('Sweep of web-staging-us-east-1: nothing sent: interrupted while listing.');
  });

  it('the deployed function refusing the sweep (its settings enforce, unlike this checkout) stops it with exit 2', async () => {
    credentialsOf(OBSERVING);
    hubHolds(backlog(OBSERVING, 20));
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      Payload: encoded({
        kind: 'sweep',
        sweep: { sweepId: 's', refused: 'this responder enforces X; a sweep that may change resources needs --i-know', decisions: [], notFound: [], calls: {} },
      }),
    });
    const report = await runSweep(options(OBSERVING), fleet, deps());
    expect(report.exitCode).toBe(EXIT.usage);
    expect(report.error).toBe('acme-respond refused the sweep: this responder enforces X; a sweep that may change resources needs --i-know');
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
  });

  it('with --i-know on an enforcing stack, the event says enforce and the table shows what was remediated', async () => {
    credentialsOf(ENFORCING);
    hubHolds(backlog(ENFORCING, 12));
    respondAnswers((id) =>
      id.endsWith('00003')
        ? { ignored: 'workflow status is NOTIFIED, not NEW: already handled' }
        : { action: 'BLOCK_S3_PUBLIC_ACCESS', mode: 'enforce', outcome: 'REMEDIATED' },
    );
    const report = await runSweep(options(ENFORCING, ['--i-know']), fleet, deps());
    const event = payload(lambda.commandCalls(InvokeCommand)[0].args[0].input.Payload);
    expect(event.detail.enforce).toBe(true);
    const table = formatSweep(report);
    expect(table).toMatch(/BLOCK_S3_PUBLIC_ACCESS +enforce +REMEDIATED +11/);
    expect(table).toContain('Left alone: 1 (workflow status is NOTIFIED, not NEW: already handled).');
  });
});

describe('progressBar', () => {
  it('shows the share sent, the rate and the time left', () => {
    expect(progressBar(2_500, 10_000, 5, 0, 20)).toBe('sweep: [#####---------------] 2,500/10,000 sent · 5.0 findings/s · ETA 25m 00s');
    expect(progressBar(10_000, 10_000, 5, 2, 20)).toBe('sweep: [####################] 10,000/10,000 sent · 5.0 findings/s · 2 invocations failed');
  });
});
