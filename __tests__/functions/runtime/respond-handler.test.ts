import { CreateTagsCommand, DescribeSecurityGroupsCommand, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { PutBucketPolicyCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { BatchUpdateFindingsCommand, BatchUpdateFindingsV2Command, GetFindingsCommand } from '@aws-sdk/client-securityhub';
import { PublishCommand } from '@aws-sdk/client-sns';
import { createLiveAws } from '../../../functions/shared/aws';
import { REMEDIATION_ACTIONS } from '../../../functions/shared/catalogue';
import { handleRespondEvent } from '../../../functions/runtime/respond-handler';
import type { ResponderSettings } from '../../../functions/shared/settings';
import { sweepEvent } from '../../../functions/shared/sweep/event';
import { respondMetrics } from '../../../functions/runtime/metrics';
import { settings } from '../shared/remediations/helpers';
import { awsError, inputsOf, mockAllClients, regionOf, resourceWrites } from '../shared/respond/aws-mocks';
import {
  ACCOUNT,
  BUCKET,
  CollectingLog,
  OTHER_ACCOUNT,
  OTHER_REGION,
  REGION,
  SG,
  accessKeyResource,
  asffEvent,
  bucketResource,
  controlFinding,
  guardDutyFinding,
  ocsfBucket,
  ocsfControlFinding,
  ocsfEvent,
  ocsfSecurityGroup,
  securityGroupResource,
  thirdPartyFinding,
} from '../shared/respond/events';

const aws = mockAllClients();
beforeEach(() => {
  aws.reset();
});

const NOW = new Date('2026-03-14T08:50:07.000Z');
const run = (event: unknown, s: ResponderSettings = settings(), log = new CollectingLog()) =>
  handleRespondEvent(event, s, { aws: createLiveAws(), log, now: NOW });

const published = () => inputsOf(aws.sns, PublishCommand);
const updates = () => inputsOf(aws.securityhub, BatchUpdateFindingsCommand);
/** Finding Ids of every BatchUpdateFindings request, flattened in order. */
const recordedIds = () => updates().flatMap((u) => u.FindingIdentifiers.map((i: { Id: string }) => i.Id));
const observeEverything = () => settings({ mode: 'observe', actions: Object.fromEntries(REMEDIATION_ACTIONS.map((a) => [a, 'observe'])) as never });

describe('respond over a whole event: every finding, in order', () => {
  const sg = controlFinding('EC2.19', [securityGroupResource()], { title: 'first: EC2.19 open security group' });
  const bucket = controlFinding('S3.8', [bucketResource()], { title: 'second: S3.8 public bucket' });
  const cve = thirdPartyFinding({ title: 'third: a CVE' });
  const event = asffEvent([sg, bucket, cve]);

  it('classifies, remediates, records and notifies all three findings, alerts in event order', async () => {
    const summary = await run(event);
    expect(summary).toMatchObject({ kind: 'securityhub-finding', findings: 3, acted: 3, ignored: 0, unreadable: 0, remediated: 2, failed: 0 });
    expect(summary.handled.map((h) => h.judgement.finding.id)).toEqual([sg.Id, bucket.Id, cve.Id]);
    expect(published().map((p) => p.Message.match(/Finding id: +(.+)/)?.[1])).toEqual([sg.Id, bucket.Id, cve.Id]);
    expect(published().map((p) => p.Subject)).toEqual([
      expect.stringContaining('first: EC2.19'),
      expect.stringContaining('second: S3.8'),
      expect.stringContaining('third: a CVE'),
    ]);
    expect(recordedIds().sort()).toEqual([sg.Id, bucket.Id, cve.Id].sort());
  });

  it('revokes only the world-open ranges of port 22 (never 10.0.0.0/8, 443 untouched) and blocks the bucket', async () => {
    await run(event);
    expect(inputsOf(aws.ec2, RevokeSecurityGroupIngressCommand)).toEqual([
      {
        GroupId: SG,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
      },
    ]);
    expect(inputsOf(aws.s3, PutPublicAccessBlockCommand)).toEqual([
      {
        Bucket: BUCKET,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      },
    ]);
  });

  it('records RESOLVED after a successful remediation and NOTIFIED otherwise, every note by security-response', async () => {
    await run(event);
    const byId = new Map<string, any>(updates().flatMap((u) => u.FindingIdentifiers.map((i: { Id: string }) => [i.Id, u])));
    expect(byId.get(sg.Id).Workflow).toEqual({ Status: 'RESOLVED' });
    expect(byId.get(bucket.Id).Workflow).toEqual({ Status: 'RESOLVED' });
    expect(byId.get(cve.Id).Workflow).toEqual({ Status: 'NOTIFIED' });
    for (const u of updates()) expect(u.Note.UpdatedBy).toBe('security-response');
    expect(byId.get(sg.Id).UserDefinedFields).toMatchObject({
      'security-response:category': 'public-exposure',
      'security-response:action': 'REVOKE_PUBLIC_INGRESS',
      'security-response:outcome': 'REMEDIATED',
      'security-response:time': NOW.toISOString(),
    });
    expect(byId.get(cve.Id).UserDefinedFields).toMatchObject({ 'security-response:action': 'NONE', 'security-response:outcome': 'NOT_APPLICABLE' });
  });

  it('each BatchUpdateFindings identifies findings by Id and ProductArn in the function region', async () => {
    await run(event);
    for (const call of aws.securityhub.commandCalls(BatchUpdateFindingsCommand)) {
      expect(await regionOf(call)).toBe(REGION);
    }
    expect(updates()[0].FindingIdentifiers[0]).toEqual({
      Id: expect.any(String),
      ProductArn: expect.stringMatching(/^arn:aws:securityhub:eu-west-1::product\//),
    });
  });

  it('in observe mode the same event sends no resource write and records every finding NOTIFIED', async () => {
    const summary = await run(event, observeEverything());
    expect(resourceWrites(aws)).toEqual([]);
    expect(summary.handled.map((h) => h.decision.remediation?.status)).toEqual(['OBSERVE_ONLY', 'OBSERVE_ONLY', 'NOT_APPLICABLE']);
    expect(updates().map((u) => u.Workflow.Status)).toEqual(expect.arrayContaining(['NOTIFIED']));
    expect(updates().every((u) => u.Workflow.Status === 'NOTIFIED')).toBe(true);
    expect(published()).toHaveLength(3);
  });
});

describe('findings respond must leave alone get no write at all', () => {
  const mine = controlFinding('EC2.19', [securityGroupResource()]);
  const others = [
    controlFinding('EC2.19', [securityGroupResource({ account: OTHER_ACCOUNT })], { account: OTHER_ACCOUNT }),
    controlFinding('EC2.19', [securityGroupResource({ region: OTHER_REGION })], { region: OTHER_REGION }),
    controlFinding('EC2.19', [securityGroupResource()], { workflow: 'NOTIFIED' }),
    controlFinding('EC2.19', [securityGroupResource()], { recordState: 'ARCHIVED' }),
    controlFinding('EC2.19', [securityGroupResource()], { severity: 'LOW' }),
  ];

  it('only the NEW, ACTIVE finding of this account and region at the threshold is remediated, recorded and alerted', async () => {
    const summary = await run(asffEvent([...others.slice(0, 3), mine, ...others.slice(3)]));
    expect(summary).toMatchObject({ findings: 6, acted: 1, ignored: 5 });
    expect(aws.ec2.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(1);
    expect(inputsOf(aws.ec2, RevokeSecurityGroupIngressCommand)).toHaveLength(1);
    expect(recordedIds()).toEqual([mine.Id]);
    expect(published()).toHaveLength(1);
    expect(published()[0].Message).toContain(mine.Id);
    expect(summary.handled.filter((h) => h.decision.ignored).map((h) => h.decision.calls)).toEqual([[], [], [], [], []]);
  });

  it('an event of only ignored findings makes no AWS call of any kind', async () => {
    await run(asffEvent(others));
    for (const m of [aws.ec2, aws.s3, aws.s3control, aws.iam, aws.securityhub, aws.sns]) expect(m.calls()).toHaveLength(0);
  });
});

describe('a malformed finding in a batch', () => {
  const good1 = controlFinding('EC2.19', [securityGroupResource()]);
  const good2 = thirdPartyFinding();
  const bad = controlFinding('S3.8', [bucketResource()]);
  delete (bad.Severity as Record<string, unknown>).Label;

  it('is reported in an alert naming it and what is wrong; the others are handled', async () => {
    const log = new CollectingLog();
    const summary = await run(asffEvent([good1, bad, good2]), settings(), log);
    expect(summary).toMatchObject({ findings: 3, acted: 2, unreadable: 1 });
    const alerts = published();
    expect(alerts).toHaveLength(3);
    const unreadable = alerts.find((a) => a.MessageAttributes.category.StringValue === 'unreadable');
    expect(unreadable.Message).toContain(bad.Id);
    expect(unreadable.Message).toMatch(/detail\.findings\[1\]\.Severity\.Label is missing/);
    expect(unreadable.Subject).toMatch(/could not read a finding/);
    expect(recordedIds().sort()).toEqual([good1.Id, good2.Id].sort());
    expect(log.errors()).toContainEqual(
      expect.objectContaining({ message: 'finding unreadable', extra: expect.objectContaining({ findingId: bad.Id, index: 1 }) }),
    );
  });

  it.each([
    ['not an object', 'just a string'],
    ['null', null],
    ['no Id', { ...thirdPartyFinding(), Id: undefined }],
    ['Id a number', { ...thirdPartyFinding(), Id: 42 }],
    ['no AwsAccountId', { ...thirdPartyFinding(), AwsAccountId: undefined }],
    ['Severity.Label unknown', { ...thirdPartyFinding(), Severity: { Label: 'SEVERE' } }],
  ])('%s: one unreadable alert, the good finding still remediated', async (_what, broken) => {
    const summary = await run(asffEvent([broken, good1]));
    expect(summary).toMatchObject({ unreadable: 1, acted: 1, remediated: 1 });
    expect(published()).toHaveLength(2);
  });

  it('an event that is not an EventBridge event is alerted once and does not throw', async () => {
    const summary = await run({ hello: 'world' });
    expect(summary).toMatchObject({ kind: 'rejected', rejected: expect.stringMatching(/not an EventBridge event/) });
    expect(published()).toHaveLength(1);
    expect(published()[0].Message).toMatch(/could not be read/);
    expect(resourceWrites(aws)).toEqual([]);
  });

  it('a Security Hub event without detail.findings is alerted once', async () => {
    const event = asffEvent([]);
    delete (event.detail as Record<string, unknown>).findings;
    expect(await run(event)).toMatchObject({ kind: 'rejected', rejected: expect.stringMatching(/detail\.findings/) });
    expect(published()).toHaveLength(1);
  });

  it('an event of another kind (CloudTrail) is ignored: no alert, no write', async () => {
    const summary = await run({
      source: 'aws.ec2',
      'detail-type': 'EC2 Instance State-change Notification',
      account: ACCOUNT,
      region: REGION,
      detail: { state: 'running' },
    });
    expect(summary).toMatchObject({ kind: 'unsupported', findings: 0 });
    expect(aws.sns.calls()).toHaveLength(0);
  });
});

describe('record: BatchUpdateFindings per ≤100 identical updates', () => {
  it('150 findings with the same outcome cost two calls (100 + 50), each finding recorded once', async () => {
    const findings = Array.from({ length: 150 }, () => thirdPartyFinding());
    await run(asffEvent(findings));
    expect(updates().map((u) => u.FindingIdentifiers.length)).toEqual([100, 50]);
    expect(new Set(recordedIds()).size).toBe(150);
    expect(published()).toHaveLength(150);
  });

  it('UnprocessedFindings: the finding is reported (log and its alert), the others recorded', async () => {
    const a = thirdPartyFinding();
    const b = thirdPartyFinding();
    aws.securityhub.on(BatchUpdateFindingsCommand).resolves({
      ProcessedFindings: [{ Id: a.Id, ProductArn: a.ProductArn }],
      UnprocessedFindings: [{ FindingIdentifier: { Id: b.Id, ProductArn: b.ProductArn }, ErrorCode: 'FindingNotFound', ErrorMessage: 'Finding not found' }],
    });
    const log = new CollectingLog();
    const summary = await run(asffEvent([a, b]), settings(), log);
    const [alertA, alertB] = published();
    expect(alertA.Message).toMatch(/Recorded on the finding by security-response: workflow NOTIFIED/);
    expect(alertB.Message).toMatch(/Could NOT record on the finding \(FindingNotFound: Finding not found\)/);
    expect(summary.handled[1].record).toMatchObject({ ok: false, error: 'FindingNotFound: Finding not found' });
    expect(log.errors()).toContainEqual(expect.objectContaining({ message: 'finding not updated', extra: expect.objectContaining({ findingId: b.Id }) }));
  });

  it('a rejected BatchUpdateFindings does not stop the alerts, which say the finding is still NEW', async () => {
    aws.securityhub
      .on(BatchUpdateFindingsCommand)
      .rejects(awsError('AccessDeniedException', 'User is not authorized to perform: securityhub:BatchUpdateFindings', 403));
    const summary = await run(asffEvent([thirdPartyFinding(), controlFinding('EC2.19', [securityGroupResource()])]));
    expect(published()).toHaveLength(2);
    for (const p of published()) expect(p.Message).toMatch(/Could NOT record on the finding \(AccessDeniedException: .*\); it is still NEW/);
    expect(summary.remediated).toBe(1);
  });
});

describe('remediation failure', () => {
  it('AccessDenied leaves the finding NOTIFIED with the error in the note; the alert says FAILED and names the permission', async () => {
    aws.ec2
      .on(RevokeSecurityGroupIngressCommand)
      .rejects(
        awsError(
          'UnauthorizedOperation',
          'You are not authorized to perform this operation. User: arn:aws:sts::333333333333:assumed-role/acme-respond-eu-west-1/x is not authorized to perform: ec2:RevokeSecurityGroupIngress on resource',
          403,
        ),
      );
    const f = controlFinding('EC2.19', [securityGroupResource()]);
    const summary = await run(asffEvent([f]));
    expect(summary).toMatchObject({ acted: 1, failed: 1, remediated: 0 });
    const [update] = updates();
    expect(update.Workflow).toEqual({ Status: 'NOTIFIED' });
    expect(update.Note.Text).toMatch(/REVOKE_PUBLIC_INGRESS \(enforce\): FAILED/);
    expect(update.Note.Text).toMatch(/Error: UnauthorizedOperation/);
    expect(update.UserDefinedFields['security-response:outcome']).toBe('FAILED');
    const [alert] = published();
    expect(alert.Message).toMatch(/The remediation FAILED, so the finding stays NOTIFIED/);
    expect(alert.Message).toMatch(/Missing permission: ec2:RevokeSecurityGroupIngress/);
    expect(alert.MessageAttributes.action.StringValue).toBe('REVOKE_PUBLIC_INGRESS');
  });

  it('ThrottlingException from a remediation becomes FAILED, not a crash; the next finding is still remediated', async () => {
    aws.s3.on(PutBucketPolicyCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const s35 = controlFinding('S3.5', [bucketResource()], { severity: 'MEDIUM' });
    const sg = controlFinding('EC2.19', [securityGroupResource()]);
    const summary = await run(asffEvent([s35, sg]));
    expect(summary).toMatchObject({ acted: 2, failed: 1, remediated: 1 });
    expect(summary.handled[0].judgement.remediation).toMatchObject({
      action: 'ENFORCE_S3_TLS',
      outcome: 'FAILED',
      error: expect.stringMatching(/^ThrottlingException/),
    });
    expect(published()[0].Message).toMatch(/ENFORCE_S3_TLS \(enforce\): FAILED/);
    expect(inputsOf(aws.ec2, RevokeSecurityGroupIngressCommand)).toHaveLength(1);
  });

  it('a tag not written after the revoke: the finding is RESOLVED as remediated, and its note and alert say the tag is missing', async () => {
    aws.ec2.on(CreateTagsCommand).rejects(awsError('RequestLimitExceeded', 'Request limit exceeded.'));
    const f = controlFinding('EC2.19', [securityGroupResource()]);
    const summary = await run(asffEvent([f]));
    expect(summary).toMatchObject({ acted: 1, remediated: 1, failed: 0 });
    const warning = `security group ${SG} could not be tagged (RequestLimitExceeded): the change stands, but the resource carries no security-response tag saying so`;
    const [update] = updates();
    expect(update.Workflow).toEqual({ Status: 'RESOLVED' });
    expect(update.Note.Text).toContain(`REVOKE_PUBLIC_INGRESS (enforce): REMEDIATED. Warning: ${warning}. Revoked `);
    const [alert] = published();
    expect(alert.Message).toContain(`REVOKE_PUBLIC_INGRESS (enforce): REMEDIATED. Revoked `);
    expect(alert.Message).toContain(`\nWarning: ${warning}.\n`);
    expect(alert.MessageAttributes.outcome.StringValue).toBe('REMEDIATED');
  });

  it('when the tag is written, neither the note nor the alert has a warning', async () => {
    await run(asffEvent([controlFinding('EC2.19', [securityGroupResource()])]));
    expect(updates()[0].Note.Text).not.toContain('Warning');
    expect(published()[0].Message).not.toContain('Warning');
  });

  it('a failed Publish for one finding does not stop the alerts of the others', async () => {
    aws.sns
      .on(PublishCommand)
      .rejectsOnce(awsError('InternalErrorException', 'boom', 500))
      .resolves({ MessageId: 'm' });
    const summary = await run(asffEvent([thirdPartyFinding(), thirdPartyFinding()]));
    expect(aws.sns.commandCalls(PublishCommand)).toHaveLength(2);
    expect(summary.handled.map((h) => h.publish?.ok)).toEqual([false, true]);
  });
});

describe('notify from respond', () => {
  const f = controlFinding('EC2.19', [securityGroupResource({}, SG, { app: 'payments' })], {
    title: 'Security groups should not allow unrestricted access to ports with high risk — « SSH »',
  });

  it('publishes to the topic region (us-east-1) although the function runs in eu-west-1', async () => {
    const s = settings();
    expect(s.region).toBe('eu-west-1');
    await run(asffEvent([f]), s);
    const [call] = aws.sns.commandCalls(PublishCommand);
    expect(await regionOf(call)).toBe('us-east-1');
    expect(call.args[0].input.TopicArn).toBe(s.alertTopicArn);
  });

  it('subject: under 100 ASCII characters with severity, account name and title', async () => {
    await run(asffEvent([f]), settings({ criticalResourceTags: [{ key: 'app', value: 'payments' }] }));
    const subject: string = published()[0].Subject;
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject).toMatch(/^\[CRITICAL\] payments-prod: Security groups should not allow/);
  });

  it('message attributes: severity, account, team, category and action for filter policies', async () => {
    await run(asffEvent([f]));
    const attrs = published()[0].MessageAttributes;
    expect(attrs).toMatchObject({
      severity: { DataType: 'String', StringValue: 'CRITICAL' },
      account: { DataType: 'String', StringValue: ACCOUNT },
      team: { DataType: 'String', StringValue: 'payments' },
      category: { DataType: 'String', StringValue: 'public-exposure' },
      action: { DataType: 'String', StringValue: 'REVOKE_PUBLIC_INGRESS' },
    });
    for (const v of Object.values<{ StringValue: string }>(attrs)) expect(v.StringValue).not.toBe('');
  });

  it('the body says what, where, owner, what was done, how to undo and links the finding in the console', async () => {
    await run(asffEvent([f]));
    const body: string = published()[0].Message;
    expect(body).toMatch(/What: +Security groups should not allow/);
    expect(body).toMatch(/Where: +account payments-prod \(333333333333\), region eu-west-1/);
    expect(body).toMatch(/Owner: +payments/);
    expect(body).toMatch(/REVOKE_PUBLIC_INGRESS \(enforce\): REMEDIATED/);
    expect(body).toMatch(/How to undo: Re-authorize tcp 22 from 0\.0\.0\.0\/0 and ::\/0/);
    expect(body).toContain('https://eu-west-1.console.aws.amazon.com/securityhub/home?region=eu-west-1#/findings?search=Id%3D');
  });

  it('an account without owner alerts team security', async () => {
    const s = settings({ owner: undefined });
    await run(asffEvent([thirdPartyFinding()]), s);
    expect(published()[0].MessageAttributes.team.StringValue).toBe('security');
  });
});

describe('exemptions', () => {
  it('an EXEMPT decision is alerted, naming the tag, the resource and where to see who set it', async () => {
    const exempt = controlFinding('EC2.19', [securityGroupResource({}, SG, { 'security-response:exempt': 'true' })]);
    const summary = await run(asffEvent([exempt]));
    expect(summary).toMatchObject({ acted: 1, remediated: 0 });
    expect(resourceWrites(aws)).toEqual([]);
    const [alert] = published();
    expect(alert.MessageAttributes.outcome.StringValue).toBe('EXEMPT');
    expect(alert.Message).toContain(`is tagged security-response:exempt=true; nothing was changed`);
    expect(alert.Message).toContain('who set it and when: CloudTrail event history for this resource');
  });
});

describe('one feed per account: a finding that arrives in both formats is handled once', () => {
  const asff = asffEvent([controlFinding('S3.8', [bucketResource()])]);
  const ocsf = ocsfEvent([ocsfControlFinding('S3.8', ocsfBucket())]);

  it('on the default ASFF feed, the OCSF twin is ignored: one remediation, one alert', async () => {
    const [first, second] = [await run(asff), await run(ocsf)];
    expect(first).toMatchObject({ kind: 'securityhub-finding', remediated: 1 });
    expect(second).toMatchObject({ kind: 'securityhub-finding-v2', findings: 0, acted: 0 });
    expect(inputsOf(aws.s3, PutPublicAccessBlockCommand)).toHaveLength(1);
    expect(published()).toHaveLength(1);
    expect(aws.securityhub.commandCalls(BatchUpdateFindingsV2Command)).toHaveLength(0);
  });

  it('on the OCSF feed, the ASFF twin is ignored: one remediation, one alert', async () => {
    const ocsfFeed = settings({ findingsFeed: 'ocsf' });
    const [first, second] = [await run(asff, ocsfFeed), await run(ocsf, ocsfFeed)];
    expect(first).toMatchObject({ kind: 'securityhub-finding', findings: 0, acted: 0 });
    expect(second).toMatchObject({ kind: 'securityhub-finding-v2', remediated: 1 });
    expect(inputsOf(aws.s3, PutPublicAccessBlockCommand)).toHaveLength(1);
    expect(published()).toHaveLength(1);
    expect(aws.securityhub.commandCalls(BatchUpdateFindingsCommand)).toHaveLength(0);
  });
});

describe('OCSF (Findings Imported V2)', () => {
  const run = (event: unknown, s: ResponderSettings = settings({ findingsFeed: 'ocsf' }), log = new CollectingLog()) =>
    handleRespondEvent(event, s, { aws: createLiveAws(), log, now: NOW });

  it('records with BatchUpdateFindingsV2 by metadata uid, status In Progress (2) or Resolved (4)', async () => {
    const bucket = ocsfControlFinding('S3.8', ocsfBucket(), { metadataUid: 'aaa111' });
    const nothing = ocsfControlFinding('CloudTrail.4', { type: 'AWS::CloudTrail::Trail', uid: 'trail', region: REGION }, { metadataUid: 'bbb222' });
    await run(ocsfEvent([bucket, nothing]));
    const v2 = inputsOf(aws.securityhub, BatchUpdateFindingsV2Command);
    const byUid = new Map<string, any>(v2.flatMap((u) => u.MetadataUids.map((m: string) => [m, u])));
    expect(byUid.get('aaa111').StatusId).toBe(4);
    expect(byUid.get('bbb222').StatusId).toBe(2);
    for (const u of v2) expect(u.Comment).toMatch(/^security-response: /);
    expect(aws.securityhub.commandCalls(BatchUpdateFindingsCommand)).toHaveLength(0);
    expect(inputsOf(aws.s3, PutPublicAccessBlockCommand)).toEqual([
      { Bucket: BUCKET, PublicAccessBlockConfiguration: expect.objectContaining({ BlockPublicAcls: true }) },
    ]);
  });

  it('an OCSF finding holds no undo record, so its alert and comment never send the operator to npm run undo: the alert is the record', async () => {
    await run(ocsfEvent([ocsfControlFinding('EC2.19', ocsfSecurityGroup())]));
    const [alert] = published();
    expect(alert.Message).toContain(
      'This finding came on the OCSF feed, where Security Hub keeps no undo record: `npm run undo` cannot replay it. Replay these requests by hand:',
    );
    expect(alert.Message).toMatch(/ec2 AuthorizeSecurityGroupIngress \{"GroupId":"sg-/);
    expect(alert.Message).not.toContain('npm run undo --');
    const [update] = inputsOf(aws.securityhub, BatchUpdateFindingsV2Command);
    expect(update.Comment).toContain('(by hand: the requests are in the alert)');
    expect(update.Comment).not.toContain('(npm run undo)');
  });

  it('an OCSF EC2.19 finding revokes the same world-open ranges as its ASFF twin', async () => {
    await run(ocsfEvent([ocsfControlFinding('EC2.19', ocsfSecurityGroup())]));
    expect(inputsOf(aws.ec2, RevokeSecurityGroupIngressCommand)).toEqual([
      {
        GroupId: SG,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
      },
    ]);
  });

  it.each([
    ['closed (activity Close)', { activityId: 3 }],
    ['In Progress (our own update coming back)', { statusId: 2 }],
    ['Resolved', { statusId: 4 }],
    ['Archived', { statusId: 5 }],
    ['another account', { account: OTHER_ACCOUNT }],
    ['below threshold (Low)', { severityId: 2 }],
  ])('ignores an OCSF finding that is %s', async (_what, o) => {
    const summary = await run(ocsfEvent([ocsfControlFinding('S3.8', ocsfBucket(), o)]));
    expect(summary).toMatchObject({ acted: 0, ignored: 1 });
    expect(aws.securityhub.calls()).toHaveLength(0);
    expect(resourceWrites(aws)).toEqual([]);
  });
});

describe('logs', () => {
  it('every line written while a finding is judged or notified carries its finding id', async () => {
    const log = new CollectingLog();
    const a = controlFinding('EC2.19', [securityGroupResource()]);
    const b = guardDutyFinding('UnauthorizedAccess:IAMUser/MaliciousIPCaller', [accessKeyResource()], { severity: 'MEDIUM' });
    await run(asffEvent([a, b]), settings(), log);
    const perFinding = log.lines.filter((l) => ['finding classified', 'remediation', 'remediation failed', 'finding handled'].includes(l.message));
    expect(perFinding.length).toBeGreaterThanOrEqual(6);
    for (const l of perFinding) expect([a.Id, b.Id]).toContain(l.keys.findingId);
    // the key is removed after each finding, so batch-level lines carry no stale id
    expect(log.currentKeys().findingId).toBeUndefined();
  });
});

describe('a sweep invocation (npm run sweep): finding ids only, read from the hub, then the same pipeline', () => {
  const open = controlFinding('EC2.19', [securityGroupResource()]);
  const bucket = controlFinding('S3.8', [bucketResource()]);
  const handledAlready = controlFinding('S3.8', [bucketResource()], { workflow: 'NOTIFIED' });
  const refs = (...fs: Record<string, unknown>[]) => fs.map((f) => ({ id: f.Id as string, productArn: f.ProductArn as string }));
  const sweep = (findings: ReturnType<typeof refs>, enforce = true, where = { accountId: ACCOUNT, region: REGION }) =>
    sweepEvent({ sweepId: 'sweep-test', enforce, findings }, where, NOW);
  const hubHolds = (...fs: unknown[]) => aws.securityhub.on(GetFindingsCommand).resolves({ Findings: fs as never });

  it('reads the named findings from its own hub (pinned to its account and region) and remediates them as an Imported event would', async () => {
    hubHolds(open, bucket);
    const summary = await run(sweep(refs(open, bucket)));
    expect(inputsOf(aws.securityhub, GetFindingsCommand)).toEqual([
      {
        Filters: {
          Id: [open.Id, bucket.Id].map((Value) => ({ Value, Comparison: 'EQUALS' })),
          ProductArn: [{ Value: open.ProductArn, Comparison: 'EQUALS' }],
          AwsAccountId: [{ Value: ACCOUNT, Comparison: 'EQUALS' }],
          Region: [{ Value: REGION, Comparison: 'EQUALS' }],
        },
        MaxResults: 100,
      },
    ]);
    expect(summary).toMatchObject({ kind: 'sweep', findings: 2, acted: 2, remediated: 2 });
    expect(inputsOf(aws.ec2, RevokeSecurityGroupIngressCommand)).toHaveLength(1);
    expect(inputsOf(aws.s3, PutPublicAccessBlockCommand)).toHaveLength(1);
    expect(recordedIds().sort()).toEqual([open.Id, bucket.Id].sort());
    expect(published()).toHaveLength(2);
    expect(summary.sweep?.decisions).toEqual([
      expect.objectContaining({
        findingId: open.Id,
        kind: 'EC2.19',
        action: 'REVOKE_PUBLIC_INGRESS',
        mode: 'enforce',
        outcome: 'REMEDIATED',
        recorded: true,
        alerted: true,
      }),
      expect.objectContaining({ findingId: bucket.Id, kind: 'S3.8', action: 'BLOCK_S3_PUBLIC_ACCESS', outcome: 'REMEDIATED' }),
    ]);
    // Every request the function sent for the invocation, counted for the sweep's API calls per finding.
    expect(summary.sweep?.calls).toMatchObject({ 'securityhub:GetFindings': 1, 'securityhub:BatchUpdateFindings': 2, 'sns:Publish': 2, 's3:PutObject': 2 });
  });

  it('decides on what the hub holds now: a finding already moved off NEW is left alone, one gone from the hub is reported, none is invented from the event', async () => {
    hubHolds(handledAlready);
    const gone = controlFinding('EC2.19', [securityGroupResource()]);
    const summary = await run(sweep(refs(handledAlready, gone)));
    expect(summary.sweep?.decisions).toEqual([{ findingId: handledAlready.Id, kind: 'S3.8', ignored: expect.stringContaining('not NEW') }]);
    expect(summary.sweep?.notFound).toEqual(refs(gone));
    expect(resourceWrites(aws)).toEqual([]);
    expect(updates()).toEqual([]);
  });

  it('a finding named twice in one sweep event is read, remediated and alerted once', async () => {
    hubHolds(bucket);
    const summary = await run(sweep(refs(bucket, bucket)));
    expect(inputsOf(aws.securityhub, GetFindingsCommand)[0].Filters.Id).toEqual([{ Value: bucket.Id, Comparison: 'EQUALS' }]);
    expect(summary.sweep?.decisions).toHaveLength(1);
    expect(inputsOf(aws.s3, PutPublicAccessBlockCommand)).toHaveLength(1);
    expect(published()).toHaveLength(1);
  });

  it('a finding of another account in the answer is never acted on (the filter pins the account, the judge checks again)', async () => {
    const foreign = controlFinding('S3.8', [bucketResource()], { account: OTHER_ACCOUNT });
    hubHolds(foreign);
    const summary = await run(sweep(refs(foreign)));
    expect(summary.acted).toBe(0);
    expect(resourceWrites(aws)).toEqual([]);
  });

  it.each([
    ['started without --i-know where the responder enforces', sweep(refs(open), false), settings(), 'enforces'],
    ['of another account', sweep(refs(open), true, { accountId: OTHER_ACCOUNT, region: REGION }), settings(), `a sweep of ${OTHER_ACCOUNT}`],
    ['of another region', sweep(refs(open), true, { accountId: ACCOUNT, region: OTHER_REGION }), settings(), `a sweep of ${ACCOUNT} ${OTHER_REGION}`],
    ['to a responder of the OCSF feed', sweep(refs(open)), settings({ findingsFeed: 'ocsf' }), 'OCSF'],
  ])('refuses a sweep %s before reading anything, and raises no alarm metric', async (_what, event, s, why) => {
    hubHolds(open);
    const summary = await run(event, s);
    expect(summary.sweep?.refused).toContain(why);
    expect(summary.rejected).toBeUndefined();
    expect(respondMetrics(summary)).toEqual([]);
    expect(aws.securityhub.calls()).toHaveLength(0);
    expect(resourceWrites(aws)).toEqual([]);
    expect(published()).toEqual([]);
  });

  it('an observe-mode responder takes a sweep without --i-know and only reports what it would change', async () => {
    hubHolds(open);
    const summary = await run(sweep(refs(open), false), observeEverything());
    expect(summary.sweep?.decisions).toEqual([expect.objectContaining({ action: 'REVOKE_PUBLIC_INGRESS', mode: 'observe', outcome: 'WOULD_CHANGE' })]);
    expect(resourceWrites(aws)).toEqual([]);
  });

  it.each([
    [{ sweepId: 'x', enforce: true, findings: [] }, 'detail.findings is missing or empty'],
    [{ sweepId: 'x', enforce: 'yes', findings: [{ Id: 'a', ProductArn: 'b' }] }, 'detail.enforce'],
    [{ sweepId: 'x', enforce: true, findings: Array.from({ length: 11 }, (_, i) => ({ Id: `a${i}`, ProductArn: 'b' })) }, 'at most 10'],
    [{ sweepId: 'x', enforce: true, findings: [{ Id: 'a' }] }, 'detail.findings[0] needs Id and ProductArn'],
  ])('an unreadable sweep event is rejected naming the field, and nothing is read', async (detail, problem) => {
    const event = { ...sweep(refs(open)), detail };
    const summary = await run(event);
    expect(summary.rejected).toContain(problem);
    expect(inputsOf(aws.securityhub, GetFindingsCommand)).toEqual([]);
  });
});
