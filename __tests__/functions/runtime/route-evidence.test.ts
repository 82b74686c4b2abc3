import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, SendMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { isEvidenceReplay, replayRouteEvidence, ticketEvidenceWriter } from '../../../functions/runtime/route-evidence';
import { createLiveAws } from '../../../functions/shared/aws';
import { evidenceKey } from '../../../functions/shared/evidence/record';
import { replayEvent } from '../../../functions/shared/evidence/replay-event';
import { silentLog } from '../../../functions/shared/log';
import { queueOf } from '../shared/evidence/dead-letter-queue';

const s3 = mockClient(S3Client);
const sqs = mockClient(SQSClient);
const ACCOUNT = '222222222222';
const REGION = 'us-east-1';
const NOW = new Date('2026-11-26T10:00:30.000Z');
const DLQ = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/acme-route-dlq`;
const SETTINGS = { organization: 'acme', accountId: ACCOUNT, region: REGION, evidence: { bucket: `acme-evidence-${ACCOUNT}-${REGION}`, region: REGION } };
const FINDING_ID = 'arn:aws:securityhub:eu-west-1:111111111111:security-control/EC2.19/finding/0a1b2c3d';
const deps = { aws: createLiveAws(), log: silentLog, now: () => NOW };

const ticket = {
  alert: {
    id: 'sns-1',
    subject: '[HIGH] payments-prod: Security group open to the world',
    attributes: { kind: 'finding', severity: 'HIGH', account: '111111111111', accountName: 'payments-prod' },
    detail: { title: 'Security group open to the world', region: 'eu-west-1', findingId: FINDING_ID },
  },
  findingId: FINDING_ID,
  ticket: { system: 'jira' as const, key: 'SEC-1', url: 'https://jira.example.com/browse/SEC-1' },
  status: 'opened' as const,
};

/** route's record, dead-lettered by the real writer while the bucket refuses it. */
async function deadLetter(): Promise<Message> {
  s3.on(PutObjectCommand).rejects(Object.assign(new Error('gone'), { name: 'NoSuchBucket' }));
  sqs.on(SendMessageCommand).resolves({ MessageId: 'x' });
  const written = await ticketEvidenceWriter(SETTINGS, deps)(ticket);
  expect(written).toMatchObject({ written: false, where: DLQ });
  const sent = sqs.commandCalls(SendMessageCommand)[0].args[0].input;
  s3.reset();
  sqs.reset();
  return { MessageId: 'm1', ReceiptHandle: 'r1', Body: sent.MessageBody, MessageAttributes: { kind: { DataType: 'String', StringValue: 'evidence' } } };
}

beforeEach(() => {
  s3.reset();
  sqs.reset();
});

describe('route: npm run replay-evidence -- --function route', () => {
  it('tells the replay from an intake batch and from the minute’s flush', () => {
    expect(isEvidenceReplay(replayEvent({ replayId: 'r' }, { accountId: ACCOUNT, region: REGION }, NOW))).toBe(true);
    expect(isEvidenceReplay({ 'detail-type': 'Scheduled Event', source: 'aws.events' })).toBe(false);
    expect(isEvidenceReplay({ Records: [] })).toBe(false);
  });

  it('moves a ticket record the bucket refused from its own dead-letter queue into the bucket, under its first key', async () => {
    const letter = await deadLetter();
    const expectedKey = evidenceKey(JSON.parse(letter.Body ?? '{}'));
    expect(expectedKey).toMatch(/^decisions\/dt=2026-11-26\/111111111111-eu-west-1-route-[0-9a-f]{32}\.json$/);
    queueOf(sqs, [letter]);
    s3.on(PutObjectCommand).resolves({});
    const { reply, metrics } = await replayRouteEvidence(replayEvent({ replayId: 'r' }, { accountId: ACCOUNT, region: REGION }, NOW), SETTINGS, deps);
    expect(reply).toMatchObject({ replayed: [expectedKey], failed: [], unreadable: [] });
    expect(s3.commandCalls(PutObjectCommand)[0].args[0].input).toMatchObject({ Bucket: SETTINGS.evidence.bucket, Key: expectedKey });
    expect(sqs.commandCalls(DeleteMessageCommand)[0].args[0].input).toEqual({ QueueUrl: DLQ, ReceiptHandle: 'r1' });
    expect(metrics).toEqual([{ name: 'EvidenceReplayed', value: 1 }]);
  });

  it('leaves a record of another function in its queue: nothing but route’s own records reaches the bucket through route', async () => {
    const letter = await deadLetter();
    const forged = { ...letter, Body: JSON.stringify({ ...JSON.parse(letter.Body ?? '{}'), function: 'respond' }) };
    queueOf(sqs, [forged]);
    const { reply } = await replayRouteEvidence(replayEvent({ replayId: 'r' }, { accountId: ACCOUNT, region: REGION }, NOW), SETTINGS, deps);
    expect(reply).toMatchObject({ replayed: [], unreadable: [{ messageId: 'm1', problem: 'a record of "respond", not of route' }] });
    expect(s3.calls()).toHaveLength(0);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });

  it('refuses, before reading its queue, a replay of another account or region, and one it cannot read', async () => {
    const other = await replayRouteEvidence(replayEvent({ replayId: 'r' }, { accountId: '333333333333', region: REGION }, NOW), SETTINGS, deps);
    expect(other.reply).toEqual({ replayId: 'r', refused: `the replay names 333333333333 ${REGION}; this route is of ${ACCOUNT} ${REGION}` });
    const unreadable = await replayRouteEvidence(
      { ...replayEvent({ replayId: 'r' }, { accountId: ACCOUNT, region: REGION }, NOW), detail: {} },
      SETTINGS,
      deps,
    );
    expect(unreadable.reply).toEqual({ replayId: '', refused: 'the replay event cannot be read: detail.replayId is missing or not a string' });
    expect(sqs.calls()).toHaveLength(0);
  });
});
