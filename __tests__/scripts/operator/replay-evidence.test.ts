import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { loadFleet } from '../../../config/load';
import { createLiveAws } from '../../../functions/shared/aws';
import { MAX_REPLAYED } from '../../../functions/shared/evidence/replay';
import { CliError, EXIT } from '../../../scripts/cli';
import { formatReplay, parseReplayArgs, runReplay, type ReplayOptions } from '../../../scripts/operator/replay-evidence';
import { detectiveConfig, TEST_ACCOUNTS_FILE } from '../../helpers/config';
import { parseConfig } from '../../../config/load';

const fleet = loadFleet(TEST_ACCOUNTS_FILE);
const sts = mockClient(STSClient);
const lambda = mockClient(LambdaClient);
const now = () => new Date('2026-11-26T12:00:00.000Z');
const answer = (body: unknown, functionError?: string) => ({
  Payload: new TextEncoder().encode(JSON.stringify(body)) as never,
  ...(functionError ? { FunctionError: functionError } : {}),
});
const run = (options: ReplayOptions, f = fleet) => runReplay(options, f, { aws: createLiveAws(), lambda: new LambdaClient({ region: 'us-east-1' }), now });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as CliError,
  );

beforeEach(() => {
  sts.reset();
  lambda.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: '333333333333', Arn: 'arn:aws:sts::333333333333:assumed-role/ops/me' });
});

describe('npm run replay-evidence', () => {
  it('arguments: --stack required, --function one of the functions that write evidence (respond by default)', () => {
    expect(parseReplayArgs(['--stack', 'payments-prod-eu-west-1'])).toEqual({ stack: 'payments-prod-eu-west-1', fn: 'respond' });
    expect(() => parseReplayArgs([])).toThrow('--stack is required');
    expect(parseReplayArgs(['--stack', 's', '--function', 'route'])).toEqual({ stack: 's', fn: 'route' });
    expect(() => parseReplayArgs(['--stack', 's', '--function', 'undo'])).toThrow(
      '--function undo: one of respond, quarantine-user, escalate, investigate, route writes evidence',
    );
  });

  it("invokes the stack's respond with the replay event until a pass moves fewer than a full one, and reports every key", async () => {
    const keys = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `decisions/dt=2026-11-26/k${from + i}.json`);
    lambda
      .on(InvokeCommand)
      .resolvesOnce(answer({ kind: 'evidence-replay', replay: { replayId: 'x', replayed: keys(MAX_REPLAYED), failed: [], unreadable: [], others: 0 } }))
      .resolvesOnce(answer({ kind: 'evidence-replay', replay: { replayId: 'x', replayed: keys(3, MAX_REPLAYED), failed: [], unreadable: [], others: 2 } }));
    const report = await run({ stack: 'payments-prod-eu-west-1', fn: 'respond' });
    expect(report).toMatchObject({ functionName: 'acme-respond', region: 'eu-west-1', invocations: 2, others: 2, exitCode: EXIT.ok });
    expect(report.replayed).toHaveLength(MAX_REPLAYED + 3);
    const [first] = lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input);
    const event = JSON.parse(new TextDecoder().decode(first.Payload as Uint8Array));
    expect(event).toMatchObject({ source: 'security-response.operator', 'detail-type': 'Evidence Replay', account: '333333333333', region: 'eu-west-1' });
    expect(formatReplay(report)).toContain('2 other dead letter(s) (failed invocations) left in the queue for a person');
  });

  it('invokes again while the function says there is more, even after a pass that moved nothing (it read past other dead letters)', async () => {
    lambda
      .on(InvokeCommand)
      .resolvesOnce(answer({ replayId: 'x', replayed: [], failed: [], unreadable: [], others: 1000, more: true }))
      .resolvesOnce(answer({ replayId: 'x', replayed: ['decisions/dt=2026-11-26/k.json'], failed: [], unreadable: [], others: 3, more: false }));
    sts.on(GetCallerIdentityCommand).resolves({ Account: '222222222222' });
    const report = await run({ stack: 'security-us-east-1', fn: 'route' });
    expect(report).toMatchObject({ functionName: 'acme-route', invocations: 2, replayed: ['decisions/dt=2026-11-26/k.json'], exitCode: EXIT.ok });
  });

  it('records the bucket still refuses make the exit 1, and are listed', async () => {
    lambda
      .on(InvokeCommand)
      .resolves(answer({ replayId: 'x', replayed: [], failed: [{ key: 'decisions/k', problem: 'AccessDenied: no' }], unreadable: [], others: 0 }));
    sts.on(GetCallerIdentityCommand).resolves({ Account: '333333333333' });
    const report = await run({ stack: 'payments-prod-us-east-1', fn: 'quarantine-user' });
    expect(report).toMatchObject({ functionName: 'acme-quarantine-user', region: 'us-east-1', exitCode: EXIT.error });
    expect(formatReplay(report)).toContain('refused  decisions/k: AccessDenied: no (still in the queue)');
  });

  it("refuses another account's credentials, and functions the stack does not deploy, before invoking anything", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '444444444444', Arn: 'arn:aws:sts::444444444444:assumed-role/ops/me' });
    expect((await failure(run({ stack: 'payments-prod-eu-west-1', fn: 'respond' })))?.message).toContain('the credentials are for account 444444444444');
    expect((await failure(run({ stack: 'payments-prod-eu-west-1', fn: 'quarantine-user' })))?.message).toContain(
      'deployed by the primary stack of payments-prod',
    );
    expect((await failure(run({ stack: 'payments-prod-us-east-1', fn: 'escalate' })))?.message).toContain(
      "escalate runs in the security account's home region only",
    );
    expect((await failure(run({ stack: 'payments-prod-eu-west-1', fn: 'route' })))?.message).toContain("route runs in the security account's home region only");
    expect((await failure(run({ stack: 'security-us-east-1', fn: 'investigate' })))?.message).toContain(
      'investigate is deployed only with organization.detective',
    );
    expect(lambda.calls()).toHaveLength(0);
  });

  it("investigate of the security home stack with Detective on; the function's refusal and failure are errors", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '222222222222' });
    const withDetective = parseConfig(detectiveConfig());
    lambda
      .on(InvokeCommand)
      .resolvesOnce(answer({ replayId: 'x', refused: 'the replay names 1 r' }))
      .resolvesOnce(answer({ errorMessage: 'boom' }, 'Unhandled'));
    const refused = await failure(run({ stack: 'security-us-east-1', fn: 'investigate' }, withDetective));
    expect({ code: refused?.exitCode, message: refused?.message }).toEqual({ code: EXIT.usage, message: 'acme-investigate refused: the replay names 1 r' });
    const failed = await failure(run({ stack: 'security-us-east-1', fn: 'investigate' }, withDetective));
    expect(failed?.exitCode).toBe(EXIT.error);
  });
});
