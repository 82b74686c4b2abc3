import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { handleRespondEvent } from '../../../../functions/runtime/respond-handler';
import { createLiveAws } from '../../../../functions/shared/aws';
import { PublishCommand } from '@aws-sdk/client-sns';
import { REMEDIATION_ACTIONS } from '../../../../functions/shared/catalogue';
import { evidenceKey, firstSeenAt } from '../../../../functions/shared/evidence/record';
import type { ResponderSettings } from '../../../../functions/shared/settings';
import { settings } from '../remediations/helpers';
import { awsError, evidenceRecords, inputsOf, isEvidenceWrite, mockAllClients } from '../respond/aws-mocks';
import { ACCOUNT, CollectingLog, REGION, asffEvent, bucketResource, controlFinding, securityGroupResource } from '../respond/events';

const aws = mockAllClients();
const sqs = mockClient(SQSClient);
beforeEach(() => {
  aws.reset();
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
});

const NOW = new Date('2026-03-14T08:50:07.000Z');
const run = (event: unknown, s: ResponderSettings = settings(), log = new CollectingLog()) =>
  handleRespondEvent(event, s, { aws: createLiveAws(), log, now: NOW });
const published = () => inputsOf(aws.sns, PublishCommand);
const evidencePuts = () => inputsOf(aws.s3, PutObjectCommand).filter((input) => isEvidenceWrite({ constructor: PutObjectCommand, input }));

describe('evidence: one record per decision, in the organization’s bucket', () => {
  const sg: Record<string, any> = {
    ...controlFinding('EC2.19', [securityGroupResource()], { title: 'EC2.19 open security group' }),
    FirstObservedAt: '2026-03-14T08:45:07.000Z',
  };
  const bucket = controlFinding('S3.8', [bucketResource()], { title: 'S3.8 public bucket' });

  it('writes each decision as one JSON object under decisions/dt=<day>/, with the undo record and the timings, and the alert names it', async () => {
    await run(asffEvent([sg, bucket]));
    const puts = evidencePuts();
    expect(puts).toHaveLength(2);
    const [first] = evidenceRecords(aws);
    expect(puts[0]).toMatchObject({ Bucket: settings().evidence.bucket, ContentType: 'application/json', ChecksumAlgorithm: 'SHA256' });
    expect(puts[0].Key).toBe(evidenceKey(first));
    expect(puts[0].Key).toMatch(new RegExp(`^decisions/dt=2026-03-14/${ACCOUNT}-${REGION}-respond-[0-9a-f]{32}\\.json$`));
    expect(first).toMatchObject({
      schema_version: 1,
      function: 'respond',
      account_id: ACCOUNT,
      finding_id: sg.Id,
      control_id: 'EC2.19',
      action: 'REVOKE_PUBLIC_INGRESS',
      mode: 'enforce',
      outcome: 'REMEDIATED',
      would_remediate: false,
      first_seen_at: '2026-03-14T08:45:07.000Z',
      handled_at: NOW.toISOString(),
      remediated_at: NOW.toISOString(),
    });
    expect(first.undo.map((c: { operation: string }) => c.operation)).toContain('AuthorizeSecurityGroupIngress');
    expect(first.calls.map((c: { operation: string }) => c.operation)).toEqual(expect.arrayContaining(['RevokeSecurityGroupIngress', 'BatchUpdateFindings']));
    expect(first.alert.subject).toBe(published()[0].Subject);
    expect(published()[0].Message).toContain(`Evidence: s3://${settings().evidence.bucket}/${puts[0].Key}`);
  });

  it('observe mode is recorded too: what enforce would have fixed, nothing remediated', async () => {
    const observe = settings({ mode: 'observe', actions: Object.fromEntries(REMEDIATION_ACTIONS.map((a) => [a, 'observe'])) as never });
    await run(asffEvent([sg]), observe);
    expect(evidenceRecords(aws)).toEqual([
      expect.objectContaining({ mode: 'observe', status: 'OBSERVE_ONLY', outcome: 'WOULD_CHANGE', would_remediate: true, remediated_at: null, undo: null }),
    ]);
  });

  it('a record that cannot be written goes to the function’s dead-letter queue, and the alert says so', async () => {
    aws.s3.on(PutObjectCommand).rejects(awsError('AccessDenied', 'Access Denied', 403));
    await run(asffEvent([sg]));
    const [message] = inputsOf(sqs, SendMessageCommand);
    expect(message.QueueUrl).toBe(`https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/acme-respond-dlq`);
    expect(message.MessageAttributes.kind.StringValue).toBe('evidence');
    expect(JSON.parse(message.MessageBody)).toMatchObject({ finding_id: sg.Id, outcome: 'REMEDIATED' });
    expect(published()[0].Message).toContain('Evidence: NOT written to the evidence bucket (AccessDenied: Access Denied); the record waits in https://sqs.');
  });

  it('when the dead-letter queue fails too, the whole record is in the log, and the finding is still remediated and alerted', async () => {
    aws.s3.on(PutObjectCommand).rejects(awsError('AccessDenied', 'Access Denied', 403));
    sqs.on(SendMessageCommand).rejects(awsError('AccessDenied', 'no sqs', 403));
    const log = new CollectingLog();
    const summary = await run(asffEvent([sg]), settings(), log);
    expect(summary.remediated).toBe(1);
    const line = log.lines.find((l) => l.message.startsWith('evidence record neither written nor dead-lettered'));
    expect(line?.extra).toMatchObject({ record: { finding_id: sg.Id } });
    expect(published()[0].Message).toContain('the record waits in the function log');
  });

  it('first seen comes from ASFF FirstObservedAt, else CreatedAt, else nothing', () => {
    expect(firstSeenAt({ format: 'asff', raw: { FirstObservedAt: '2026-03-01T00:00:00Z', CreatedAt: '2026-03-02T00:00:00Z' } })).toBe(
      '2026-03-01T00:00:00.000Z',
    );
    expect(firstSeenAt({ format: 'asff', raw: { CreatedAt: '2026-03-02T00:00:00Z' } })).toBe('2026-03-02T00:00:00.000Z');
    expect(firstSeenAt({ format: 'asff', raw: { FirstObservedAt: 'yesterday' } })).toBeUndefined();
    expect(firstSeenAt({ format: 'ocsf', raw: { finding_info: { first_seen_time_dt: '2026-03-03T00:00:00Z' } } })).toBe('2026-03-03T00:00:00.000Z');
  });
});
