import { BatchUpdateFindingsCommand, BatchUpdateFindingsV2Command } from '@aws-sdk/client-securityhub';
import { createLiveAws } from '../../../functions/shared/aws';
import { findingFromAsff } from '../../../functions/shared/events/asff';
import { findingFromOcsf } from '../../../functions/shared/events/ocsf';
import type { Finding } from '../../../functions/shared/finding';
import { MAX_NOTE_CHARS, batchUpdates, recordFields, recordUpdates, type FindingUpdate } from '../../../functions/shared/record';
import { decodeUndo } from '../../../functions/shared/undo';
import { awsError, inputsOf, mockAllClients, regionOf } from './respond/aws-mocks';
import { CollectingLog, OTHER_REGION, REGION, ocsfBucket, ocsfControlFinding, thirdPartyFinding } from './respond/events';

const aws = mockAllClients();
beforeEach(() => {
  aws.reset();
});

const asff = (): Finding => findingFromAsff(thirdPartyFinding(), 0);
const ocsf = (metadataUid?: string): Finding => findingFromOcsf(ocsfControlFinding('S3.8', ocsfBucket(), { metadataUid }), 0);
const update = (finding: Finding, o: Partial<FindingUpdate> = {}): FindingUpdate => ({
  finding,
  region: REGION,
  note: 'BLOCK_S3_PUBLIC_ACCESS (enforce): REMEDIATED.',
  fields: { 'security-response:outcome': 'REMEDIATED' },
  workflow: 'RESOLVED',
  ...o,
});
const record = (updates: FindingUpdate[], log = new CollectingLog()) => recordUpdates(updates, createLiveAws(), log);
const sent = () => inputsOf(aws.securityhub, BatchUpdateFindingsCommand);

describe('BatchUpdateFindings request', () => {
  it('identifies the finding by Id and ProductArn, writes the note as security-response, the fields and the workflow', async () => {
    const f = asff();
    const out = await record([update(f)]);
    expect(sent()).toEqual([
      {
        FindingIdentifiers: [{ Id: f.id, ProductArn: f.productArn }],
        Note: { Text: 'BLOCK_S3_PUBLIC_ACCESS (enforce): REMEDIATED.', UpdatedBy: 'security-response' },
        UserDefinedFields: { 'security-response:outcome': 'REMEDIATED' },
        Workflow: { Status: 'RESOLVED' },
      },
    ]);
    expect(out.get(f.id)).toMatchObject({ ok: true, call: { service: 'securityhub', operation: 'BatchUpdateFindings', region: REGION } });
  });

  it('leaves the workflow alone when the update has none, and sends no empty UserDefinedFields', async () => {
    await record([update(asff(), { workflow: undefined, fields: {} })]);
    expect(sent()[0]).not.toHaveProperty('Workflow');
    expect(sent()[0]).not.toHaveProperty('UserDefinedFields');
  });

  it(`truncates the note to Security Hub's ${MAX_NOTE_CHARS} characters`, async () => {
    await record([update(asff(), { note: 'x'.repeat(2000) })]);
    expect(sent()[0].Note.Text.length).toBeLessThanOrEqual(512);
  });

  it('sends the request to the hub region of the update', async () => {
    await record([update(asff()), update(asff(), { region: OTHER_REGION })]);
    const regions = await Promise.all(aws.securityhub.commandCalls(BatchUpdateFindingsCommand).map(regionOf));
    expect(regions.sort()).toEqual([OTHER_REGION, REGION].sort());
  });
});

describe('grouping: one call per ≤100 identical updates', () => {
  it('250 identical updates: three calls of 100, 100 and 50, every finding exactly once', async () => {
    const findings = Array.from({ length: 250 }, asff);
    await record(findings.map((f) => update(f)));
    expect(sent().map((s) => s.FindingIdentifiers.length)).toEqual([100, 100, 50]);
    const ids = sent().flatMap((s) => s.FindingIdentifiers.map((i: { Id: string }) => i.Id));
    expect(ids.sort()).toEqual(findings.map((f) => f.id).sort());
  });

  it('exactly 100 identical updates fit in one call', async () => {
    await record(Array.from({ length: 100 }, () => update(asff())));
    expect(sent()).toHaveLength(1);
  });

  it('interleaved different updates are grouped: two outcomes → two calls, each carrying its own note and status', async () => {
    const resolved = Array.from({ length: 3 }, asff);
    const notified = Array.from({ length: 3 }, asff);
    const ups = resolved.flatMap((r, i) => [update(r), update(notified[i], { note: 'NONE: manual review.', workflow: 'NOTIFIED', fields: {} })]);
    await record(ups);
    expect(sent()).toHaveLength(2);
    const byStatus = Object.fromEntries(sent().map((s) => [s.Workflow.Status, s.FindingIdentifiers.map((i: { Id: string }) => i.Id)]));
    expect(byStatus.RESOLVED).toEqual(resolved.map((f) => f.id));
    expect(byStatus.NOTIFIED).toEqual(notified.map((f) => f.id));
  });

  it('updates differing only in a field value are not merged (one request carries one set of fields)', () => {
    const batches = batchUpdates([update(asff()), update(asff(), { fields: { 'security-response:outcome': 'FAILED' } })]);
    expect(batches).toHaveLength(2);
  });

  it('ASFF and OCSF findings never share a request', async () => {
    await record([update(asff()), update(ocsf('m-1'))]);
    expect(sent()).toHaveLength(1);
    expect(inputsOf(aws.securityhub, BatchUpdateFindingsV2Command)).toHaveLength(1);
  });
});

describe('BatchUpdateFindingsV2 (OCSF)', () => {
  it('names findings by metadata uid, puts the note in Comment by security-response, status Resolved = 4', async () => {
    await record([update(ocsf('m-1')), update(ocsf('m-2'))]);
    expect(inputsOf(aws.securityhub, BatchUpdateFindingsV2Command)).toEqual([
      { MetadataUids: ['m-1', 'm-2'], Comment: 'security-response: BLOCK_S3_PUBLIC_ACCESS (enforce): REMEDIATED.', StatusId: 4 },
    ]);
  });

  it('NOTIFIED is StatusId 2 (In Progress), which the responder reads back as not NEW', async () => {
    await record([update(ocsf('m-3'), { workflow: 'NOTIFIED' })]);
    expect(inputsOf(aws.securityhub, BatchUpdateFindingsV2Command)[0].StatusId).toBe(2);
  });

  it('at most 100 metadata uids a request', async () => {
    await record(Array.from({ length: 101 }, (_, i) => update(ocsf(`m-${i}`))));
    expect(inputsOf(aws.securityhub, BatchUpdateFindingsV2Command).map((c) => c.MetadataUids.length)).toEqual([100, 1]);
  });

  it('UnprocessedFindings by metadata uid or by FindingInfoUid are reported per finding', async () => {
    const a = ocsf('m-a');
    const b = ocsf('m-b');
    const c = ocsf('m-c');
    aws.securityhub.on(BatchUpdateFindingsV2Command).resolves({
      ProcessedFindings: [{ MetadataUid: 'm-a' }],
      UnprocessedFindings: [
        { MetadataUid: 'm-b', ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'gone' },
        {
          FindingIdentifier: { FindingInfoUid: c.id, CloudAccountUid: c.accountId, MetadataProductUid: c.productArn },
          ErrorCode: 'ConflictException',
          ErrorMessage: 'busy',
        },
      ],
    } as never);
    const out = await record([update(a), update(b), update(c)]);
    expect(out.get(a.id)).toMatchObject({ ok: true });
    expect(out.get(b.id)).toMatchObject({ ok: false, error: 'ResourceNotFoundException: gone' });
    expect(out.get(c.id)).toMatchObject({ ok: false, error: 'ConflictException: busy' });
  });
});

describe('failures are reported per finding, never thrown', () => {
  it('UnprocessedFindings: that finding not ok with the AWS error, logged with its id; the others ok', async () => {
    const [a, b] = [asff(), asff()];
    aws.securityhub.on(BatchUpdateFindingsCommand).resolves({
      ProcessedFindings: [{ Id: a.id, ProductArn: a.productArn }],
      UnprocessedFindings: [
        { FindingIdentifier: { Id: b.id, ProductArn: b.productArn }, ErrorCode: 'InvalidInput', ErrorMessage: 'Invalid workflow transition' },
      ],
    });
    const log = new CollectingLog();
    const out = await record([update(a), update(b)], log);
    expect(out.get(a.id)).toMatchObject({ ok: true });
    expect(out.get(b.id)).toMatchObject({ ok: false, error: 'InvalidInput: Invalid workflow transition' });
    expect(log.errors()).toEqual([
      expect.objectContaining({
        message: 'finding not updated',
        extra: expect.objectContaining({ findingId: b.id, operation: 'securityhub:BatchUpdateFindings' }),
      }),
    ]);
  });

  it('a rejected request fails its own findings only; the next batch is still sent', async () => {
    const first = Array.from({ length: 100 }, asff);
    const second = asff();
    aws.securityhub
      .on(BatchUpdateFindingsCommand)
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
    const out = await record([...first.map((f) => update(f)), update(second)]);
    expect(sent()).toHaveLength(2);
    expect(first.every((f) => out.get(f.id)?.ok === false && /ThrottlingException/.test(out.get(f.id)!.error!))).toBe(true);
    expect(out.get(second.id)).toMatchObject({ ok: true });
  });

  it('AccessDeniedException is reported with its message (the permission it names)', async () => {
    aws.securityhub
      .on(BatchUpdateFindingsCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to perform: securityhub:BatchUpdateFindings', 403));
    const f = asff();
    const out = await record([update(f)]);
    expect(out.get(f.id)?.error).toBe('AccessDeniedException: not authorized to perform: securityhub:BatchUpdateFindings');
    expect(out.get(f.id)?.call).toMatchObject({ operation: 'BatchUpdateFindings' });
  });

  it('no updates: no call', async () => {
    expect((await record([])).size).toBe(0);
    expect(aws.securityhub.calls()).toHaveLength(0);
  });
});

describe('recordFields', () => {
  it('prefixes every field with security-response: and caps values at 1,024 characters', () => {
    const fields = recordFields({ category: 'public-exposure', outcome: 'y'.repeat(5000) });
    expect(Object.keys(fields)).toEqual(['security-response:category', 'security-response:outcome']);
    expect(fields['security-response:outcome'].length).toBeLessThanOrEqual(1024);
  });

  it('carries the undo record, readable back by npm run undo', () => {
    const undo = [{ service: 's3', operation: 'DeletePublicAccessBlock', region: REGION, input: { Bucket: 'b' } }];
    expect(decodeUndo(recordFields({ action: 'BLOCK_S3_PUBLIC_ACCESS' }, undo))).toEqual(undo);
  });

  it('an undo record too big for the fields is replaced by a pointer to the log, never thrown', () => {
    const huge = Array.from({ length: 400 }, (_, i) => ({
      service: 'ec2',
      operation: 'AuthorizeSecurityGroupIngress',
      region: REGION,
      input: { GroupId: `sg-${i}`, x: 'z'.repeat(100) },
    }));
    const fields = recordFields({ action: 'REVOKE_PUBLIC_INGRESS' }, huge);
    expect(fields['security-response:undo']).toMatch(/not stored on the finding/);
    expect(Object.keys(fields).length).toBeLessThanOrEqual(50);
  });
});
