import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { handleRespondEvent } from '../../../../functions/runtime/respond-handler';
import { createLiveAws } from '../../../../functions/shared/aws';
import { evidenceKey } from '../../../../functions/shared/evidence/record';
import { MAX_RECEIVED, MAX_REPLAYED, recordOfDeadLetter, REPLAY_BUDGET_MS, replayEvidence } from '../../../../functions/shared/evidence/replay';
import { replayEvent } from '../../../../functions/shared/evidence/replay-event';
import { settings } from '../remediations/helpers';
import { awsError, inputsOf, isEvidenceWrite, mockAllClients } from '../respond/aws-mocks';
import { ACCOUNT, CollectingLog, OTHER_ACCOUNT, REGION, asffEvent, bucketResource, controlFinding, securityGroupResource } from '../respond/events';
import { queueOf } from './dead-letter-queue';

const aws = mockAllClients();
const sqs = mockClient(SQSClient);
const NOW = new Date('2026-03-14T08:50:07.000Z');
const DLQ = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/acme-respond-dlq`;
const run = (event: unknown) => handleRespondEvent(event, settings(), { aws: createLiveAws(), log: new CollectingLog(), now: NOW });
const evidencePuts = () => inputsOf(aws.s3, PutObjectCommand).filter((input) => isEvidenceWrite({ constructor: PutObjectCommand, input }));
const replay = () => run(replayEvent({ replayId: 'replay-1' }, { accountId: ACCOUNT, region: REGION }, NOW));

/** Dead letters as the writer leaves them when the bucket refuses: the records of two decisions. */
async function deadLetters(): Promise<Message[]> {
  aws.s3.on(PutObjectCommand).rejects(awsError('NoSuchBucket', 'gone', 404));
  sqs.on(SendMessageCommand).resolves({ MessageId: 'x' });
  await run(asffEvent([controlFinding('EC2.19', [securityGroupResource()]), controlFinding('S3.8', [bucketResource()])]));
  const sent = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
  aws.reset();
  sqs.reset();
  return sent.map((s, i) => ({
    MessageId: `m${i}`,
    ReceiptHandle: `r${i}`,
    Body: s.MessageBody,
    MessageAttributes: {
      kind: { DataType: 'String', StringValue: (s.MessageAttributes as Partial<Record<string, { StringValue?: string }>> | undefined)?.kind?.StringValue },
    },
  }));
}

beforeEach(() => {
  aws.reset();
  sqs.reset();
});

describe('npm run replay-evidence: respond moves the records waiting in its dead-letter queue into the bucket', () => {
  it('writes each record under the key its first write would have used, then deletes it from its own queue', async () => {
    const letters = await deadLetters();
    expect(letters).toHaveLength(2);
    queueOf(sqs, letters);
    const summary = await replay();
    const keys = letters.map((m) => evidenceKey(JSON.parse(m.Body!)));
    expect(summary.replay).toMatchObject({ replayed: keys, failed: [], unreadable: [], others: 0 });
    expect(evidencePuts().map((p) => [p.Key, p.Body, p.ChecksumAlgorithm])).toEqual(letters.map((m, i) => [keys[i], m.Body, 'SHA256']));
    expect(sqs.commandCalls(ReceiveMessageCommand)[0].args[0].input).toMatchObject({ QueueUrl: DLQ, MessageAttributeNames: ['kind'] });
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: DLQ, ReceiptHandle: 'r0' },
      { QueueUrl: DLQ, ReceiptHandle: 'r1' },
    ]);
  });

  it('a record the bucket still refuses stays in the queue, and says why', async () => {
    const letters = await deadLetters();
    queueOf(sqs, letters);
    aws.s3.on(PutObjectCommand).rejects(awsError('AccessDenied', 'denied', 403));
    const summary = await replay();
    expect(summary.replay).toMatchObject({ replayed: [], failed: [{ problem: 'AccessDenied: denied' }, { problem: 'AccessDenied: denied' }] });
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });

  it('failed invocations in the same queue, and records that are not this function’s to write, are left where they are', async () => {
    const [letter] = await deadLetters();
    const record = JSON.parse(letter.Body!);
    const forged = { ...letter, MessageId: 'forged', ReceiptHandle: 'rf', Body: JSON.stringify({ ...record, account_id: OTHER_ACCOUNT }) };
    const invocation = { MessageId: 'event', ReceiptHandle: 're', Body: '{"version":"0"}', MessageAttributes: {} };
    queueOf(sqs, [invocation, forged, letter]);
    const summary = await replay();
    expect(summary.replay).toMatchObject({
      replayed: [evidenceKey(record)],
      unreadable: [{ messageId: 'forged', problem: `a record of account ${OTHER_ACCOUNT}; respond decides on account ${ACCOUNT} only` }],
      others: 1,
    });
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle)).toEqual(['r0']);
  });

  it(`moves at most ${MAX_REPLAYED} records an invocation (the command invokes again)`, async () => {
    const [letter] = await deadLetters();
    sqs.on(ReceiveMessageCommand).resolves({ Messages: Array.from({ length: 10 }, (_, i) => ({ ...letter, ReceiptHandle: `r${i}` })) });
    sqs.on(DeleteMessageCommand).resolves({});
    const summary = await replay();
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(MAX_REPLAYED / 10);
    expect((summary.replay as { replayed: string[] }).replayed).toHaveLength(MAX_REPLAYED);
  });

  it('reads past the failed invocations waiting ahead of a record (a hundred of them), and still moves it', async () => {
    const [letter] = await deadLetters();
    const failedInvocation = (i: number): Message => ({ MessageId: `f${i}`, ReceiptHandle: `f${i}`, Body: '{"version":"0"}', MessageAttributes: {} });
    const batches = [
      ...Array.from({ length: 10 }, (_, b) => Array.from({ length: 10 }, (__, i) => failedInvocation(b * 10 + i))),
      [{ ...letter, ReceiptHandle: 'record' }],
    ];
    sqs.on(ReceiveMessageCommand).callsFake(() => Promise.resolve({ Messages: batches.shift() ?? [] }));
    sqs.on(DeleteMessageCommand).resolves({});
    const summary = await replay();
    expect(summary.replay).toMatchObject({ replayed: [expect.any(String)], others: 100, more: false });
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle)).toEqual(['record']);
  });

  it(`stops at ${MAX_RECEIVED} messages or ${REPLAY_BUDGET_MS / 1000} s, whichever comes first, and says there is more (the command invokes again)`, async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: Array.from({ length: 10 }, (_, i) => ({ MessageId: `f${i}`, ReceiptHandle: `f${i}`, Body: '{}' })) });
    const deps = { aws: createLiveAws(), log: new CollectingLog() };
    const endless = await replayEvidence('route', { replayId: 'r' }, settings(), deps);
    expect(endless).toMatchObject({ others: MAX_RECEIVED, more: true });
    sqs.resetHistory();
    let now = 0;
    const slow = await replayEvidence('route', { replayId: 'r' }, settings(), { ...deps, clock: () => (now += REPLAY_BUDGET_MS / 4) });
    expect(slow).toMatchObject({ more: true });
    expect(sqs.commandCalls(ReceiveMessageCommand).length).toBeLessThan(4);
  });

  it('refuses a replay naming another account or region before reading the queue', async () => {
    const summary = await run(replayEvent({ replayId: 'r' }, { accountId: OTHER_ACCOUNT, region: REGION }, NOW));
    expect(summary.replay).toEqual({ replayId: 'r', refused: expect.stringContaining(`names ${OTHER_ACCOUNT} ${REGION}`) });
    expect(sqs.calls()).toHaveLength(0);
  });
});

describe('a dead letter is a record this function may have written', () => {
  const record = {
    schema_version: 1,
    record_id: '0123456789abcdef0123456789abcdef',
    function: 'respond',
    account_id: ACCOUNT,
    region: REGION,
    handled_at: '2026-03-14T08:50:07.000Z',
  };
  const of = (over: Record<string, unknown>, fn: 'respond' | 'escalate' = 'respond') =>
    recordOfDeadLetter(JSON.stringify({ ...record, ...over }), fn, { accountId: ACCOUNT });

  it('accepts its own record', () => {
    expect(of({})).toMatchObject(record);
  });

  it.each([
    [{ schema_version: 2 }, 'schema_version is 2, not 1'],
    [{ record_id: '../../x' }, 'record_id is not 32 hex characters'],
    [{ function: 'escalate' }, 'a record of "escalate", not of respond'],
    [{ region: 'eu-west-1/../../x' }, 'region is not a region'],
    [{ handled_at: '14 March 2026' }, 'handled_at is not an ISO time'],
  ])('refuses %j: %s', (over, problem) => {
    expect(of(over)).toBe(problem);
  });

  it("takes another account's record in the security account's functions (they decide on every member's findings)", () => {
    expect(of({ account_id: OTHER_ACCOUNT, function: 'escalate' }, 'escalate')).toMatchObject({ account_id: OTHER_ACCOUNT });
  });

  it('refuses a body that is not JSON', () => {
    expect(recordOfDeadLetter('{', 'respond', { accountId: ACCOUNT })).toBe('the body is not JSON');
  });
});
