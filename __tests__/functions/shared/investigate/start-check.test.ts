import { DetectiveClient, GetInvestigationCommand, ListGraphsCommand, ListIndicatorsCommand, StartInvestigationCommand } from '@aws-sdk/client-detective';
import { ConditionalCheckFailedException, DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchUpdateFindingsCommand } from '@aws-sdk/client-securityhub';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createLiveAws } from '../../../../functions/shared/aws';
import { parseEvent } from '../../../../functions/shared/events';
import type { Finding } from '../../../../functions/shared/finding';
import { checkInvestigation } from '../../../../functions/shared/investigate/check';
import { CHECK_DELAY_SECONDS, FIRST_CHECK_DELAY_SECONDS, MAX_CHECKS, type InvestigationJob } from '../../../../functions/shared/investigate/job';
import { investigateFindings } from '../../../../functions/shared/investigate/start';
import { settings } from '../remediations/helpers';
import { awsError, inputsOf, mockAllClients } from '../respond/aws-mocks';
import { accessKeyResource, ACCOUNT, asffEvent, bucketResource, CollectingLog, controlFinding, guardDutyFinding } from '../respond/events';

const aws = mockAllClients();
const detective = mockClient(DetectiveClient);
const dynamodb = mockClient(DynamoDBClient);
const sqs = mockClient(SQSClient);

const NOW = new Date('2026-11-26T12:00:00.000Z');
const SECURITY = settings({ accountId: '222222222222', accountName: 'security', owner: undefined, region: 'us-east-1', production: false, mode: 'observe' });
const SCOPE = { regions: ['eu-west-1', 'us-east-1'] };
const GRAPH = 'arn:aws:detective:eu-west-1:222222222222:graph:0123456789abcdef0123456789abcdef';
const INVESTIGATION = '000000000000000000001';

/** DynamoDB as the claims see it: a finding claimed once, conditional writes refused after. */
function claimsTable() {
  const items = new Map<string, string>();
  dynamodb.on(PutItemCommand).callsFake((input: { Item: { findingId: { S: string } } }) => {
    const held = items.get(input.Item.findingId.S);
    if (held) return Promise.reject(new ConditionalCheckFailedException({ message: 'taken', $metadata: {}, Item: { status: { S: held } } }));
    items.set(input.Item.findingId.S, 'starting');
    return Promise.resolve({});
  });
  dynamodb
    .on(UpdateItemCommand)
    .callsFake(
      (input: { Key: { findingId: { S: string } }; ExpressionAttributeValues: Partial<Record<string, { S?: string }>>; ConditionExpression?: string }) => {
        const id = input.Key.findingId.S;
        if (input.ConditionExpression && items.get(id) !== 'started')
          return Promise.reject(new ConditionalCheckFailedException({ message: 'done', $metadata: {} }));
        items.set(
          id,
          input.ExpressionAttributeValues[':done']?.S ?? input.ExpressionAttributeValues[':status']?.S ?? input.ExpressionAttributeValues[':started']?.S ?? '?',
        );
        return Promise.resolve({});
      },
    );
  dynamodb.on(DeleteItemCommand).callsFake((input: { Key: { findingId: { S: string } } }) => {
    items.delete(input.Key.findingId.S);
    return Promise.resolve({});
  });
  return items;
}

let claims: Map<string, string>;
beforeEach(() => {
  aws.reset();
  detective.reset();
  dynamodb.reset();
  sqs.reset();
  sqs.onAnyCommand().resolves({});
  detective.on(ListGraphsCommand).resolves({ GraphList: [{ Arn: GRAPH }] });
  detective.on(StartInvestigationCommand).resolves({ InvestigationId: INVESTIGATION });
  claims = claimsTable();
});

function findingsOf(findings: unknown[]): Finding[] {
  const parsed = parseEvent(asffEvent(findings, { account: '222222222222', region: 'us-east-1' }));
  if (parsed.kind !== 'securityhub-finding') throw new Error(parsed.kind);
  return parsed.findings;
}
const credential = (resources = [accessKeyResource('ci-deploy-bot')], o: Record<string, unknown> = {}): Record<string, any> => ({
  ...guardDutyFinding('UnauthorizedAccess:IAMUser/MaliciousIPCaller', resources),
  FirstObservedAt: '2026-11-26T10:00:00.000Z',
  Note: { Text: 'respond: credential-compromise, HIGH, escalated.', UpdatedBy: 'security-response', UpdatedAt: '2026-11-26T10:01:00.000Z' },
  ...o,
});
const investigate = (findings: unknown[], log = new CollectingLog()) =>
  investigateFindings(findingsOf(findings), SECURITY, SCOPE, { aws: createLiveAws(), log, now: NOW });

describe('investigate: starting an investigation', () => {
  it("starts one investigation of the key's user in the finding's region, from a day before it was first seen until the last full hour", async () => {
    const [r] = await investigate([credential()]);
    expect(r).toMatchObject({ result: 'started', investigationId: INVESTIGATION, failed: false });
    const [start] = detective.commandCalls(StartInvestigationCommand);
    expect(start.args[0].input).toEqual({
      GraphArn: GRAPH,
      EntityArn: `arn:aws:iam::${ACCOUNT}:user/ci-deploy-bot`,
      ScopeStartTime: new Date('2026-11-25T10:00:00.000Z'),
      ScopeEndTime: new Date('2026-11-26T12:00:00.000Z'),
    });
    expect(await start.thisValue.config.region()).toBe('eu-west-1');
  });

  it('writes the id on the finding (user-defined field and note, the previous note carried along), queues the check, alerts with the console link and records the evidence', async () => {
    const [f] = findingsOf([credential()]);
    await investigateFindings([f], SECURITY, SCOPE, { aws: createLiveAws(), log: new CollectingLog(), now: NOW });
    const [update] = inputsOf(aws.securityhub, BatchUpdateFindingsCommand);
    expect(update.FindingIdentifiers).toEqual([{ Id: f.id, ProductArn: f.productArn }]);
    expect(update.UserDefinedFields).toMatchObject({ 'security-response:investigation': INVESTIGATION, 'security-response:investigation-status': 'RUNNING' });
    expect(update.Note.Text).toContain(`Detective investigation ${INVESTIGATION} of arn:aws:iam::${ACCOUNT}:user/ci-deploy-bot started`);
    expect(update.Note.Text).toContain('Previous note: respond: credential-compromise, HIGH, escalated.');
    // NOTIFIED, as escalate does: our update reaches the member's copy, whose responder takes NEW findings.
    expect(update.Workflow).toEqual({ Status: 'NOTIFIED' });

    const [send] = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(send.QueueUrl).toBe('https://sqs.us-east-1.amazonaws.com/222222222222/acme-investigation-checks');
    expect(send.DelaySeconds).toBe(FIRST_CHECK_DELAY_SECONDS);
    expect(JSON.parse(send.MessageBody!)).toMatchObject({ findingId: f.id, investigationId: INVESTIGATION, graphArn: GRAPH, region: 'eu-west-1', checks: 0 });

    const [alert] = inputsOf(aws.sns, PublishCommand);
    expect(alert.Subject).toBe('[HIGH] 333333333333: investigating ci-deploy-bot');
    expect(alert.Message).toContain('https://eu-west-1.console.aws.amazon.com/detective/home?region=eu-west-1#investigations');
    expect(alert.Message).toContain(`Investigation: ${INVESTIGATION} (Amazon Detective, eu-west-1)`);
    expect(alert.MessageAttributes.kind.StringValue).toBe('investigation');
    expect(alert.Message).toMatch(
      /Evidence: s3:\/\/acme-evidence-222222222222-us-east-1\/decisions\/dt=2026-11-26\/333333333333-eu-west-1-investigate-[0-9a-f]{32}\.json/,
    );

    const [put] = inputsOf(aws.s3, PutObjectCommand);
    const record = JSON.parse(put.Body as string);
    expect(record).toMatchObject({
      function: 'investigate',
      finding_id: f.id,
      category: 'credential-compromise',
      action: 'NONE',
      outcome: 'INVESTIGATION_STARTED',
      would_remediate: false,
      investigation: { investigation_id: INVESTIGATION, graph_arn: GRAPH, entity_type: 'IAM_USER', status: 'RUNNING', severity: null },
    });
    // The record is written before the alert, so the alert can say where it is.
    expect(record.calls.map((c: { operation: string }) => c.operation)).toEqual(['StartInvestigation', 'BatchUpdateFindings', 'SendMessage']);
  });

  it('a second event of the same finding (our own update, or a replay) starts nothing', async () => {
    const f = credential();
    await investigate([f]);
    const [again] = await investigate([f]);
    expect(again.result).toBe('already-claimed');
    expect(detective.commandCalls(StartInvestigationCommand)).toHaveLength(1);
    expect(inputsOf(aws.sns, PublishCommand)).toHaveLength(1);
  });

  it('a user-defined field that claims an investigation already exists does not stop one (anyone who may update findings can write it)', async () => {
    const [r] = await investigate([credential(undefined, { UserDefinedFields: { 'security-response:investigation': '999999999999999999999' } })]);
    expect(r.result).toBe('started');
  });

  it('classifies on what the provider wrote: rewriting the top-level Types and Severity neither stops the investigation nor lowers the alert', async () => {
    const rewritten = credential(undefined, { Types: ['Software and Configuration Checks/Benign'], Severity: { Label: 'LOW' } });
    rewritten.FindingProviderFields = { Types: ['TTPs/Initial Access/UnauthorizedAccess:IAMUser-MaliciousIPCaller'], Severity: { Label: 'HIGH' } };
    const [r] = await investigate([rewritten]);
    expect(r.result).toBe('started');
    expect(inputsOf(aws.sns, PublishCommand)[0].MessageAttributes.severity.StringValue).toBe('HIGH');
  });

  it("nor does rewriting a benign finding's top-level Types to credential access start one", async () => {
    const forged = { ...controlFinding('S3.8', [bucketResource()]), Types: ['TTPs/Credential Access/Forged'] } as Record<string, unknown>;
    forged.FindingProviderFields = { Types: ['Software and Configuration Checks/AWS Security Best Practices'], Severity: { Label: 'MEDIUM' } };
    const [r] = await investigate([forged]);
    expect(r.result).toBe('not-credential-compromise');
    expect(detective.calls()).toHaveLength(0);
  });

  it("GuardDuty's sample findings (made-up principals) are left alone", async () => {
    const sample = credential(undefined, { ProductFields: { 'aws/guardduty/service/additionalInfo/sample': 'true' } });
    expect((await investigate([sample]))[0].result).toBe('sample');
    expect(dynamodb.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  it('a claim another invocation is still starting: this event is to be retried (not a failure), nothing started twice', async () => {
    const f = credential();
    claims.set(findingsOf([f])[0].id, 'starting');
    const [r] = await investigate([f]);
    expect(r).toMatchObject({ result: 'in-progress', failed: false });
    expect(detective.commandCalls(StartInvestigationCommand)).toHaveLength(0);
  });

  it('findings that are not credential compromise, or not ACTIVE, are left alone without a claim', async () => {
    const results = await investigate([controlFinding('S3.8', [bucketResource()]), credential(undefined, { RecordState: 'ARCHIVED' })]);
    expect(results.map((r) => r.result)).toEqual(['not-credential-compromise', 'not-active']);
    expect(dynamodb.commandCalls(PutItemCommand)).toHaveLength(0);
    expect(detective.calls()).toHaveLength(0);
  });

  it("a finding of a region outside the organization's: no request to Detective, recorded once, and a person told", async () => {
    const [r] = await investigate([credential([accessKeyResource('ci-deploy-bot', undefined, { region: 'ap-south-1' })], { Region: 'ap-south-1' })]);
    expect(r).toMatchObject({ result: 'not-started', failed: false, reason: expect.stringContaining("region ap-south-1 is not one of the organization's") });
    expect(detective.calls()).toHaveLength(0);
    expect([...claims.values()]).toEqual(['not-started']);
    expect(inputsOf(aws.sns, PublishCommand)[0].Subject).toContain('no Detective investigation');
    expect(JSON.parse(inputsOf(aws.s3, PutObjectCommand)[0].Body as string)).toMatchObject({ outcome: 'INVESTIGATION_NOT_STARTED', investigation: null });
  });

  it('no graph in the region (Detective not deployed there): not started, counted as a failure', async () => {
    detective.on(ListGraphsCommand).resolves({ GraphList: [] });
    const [r] = await investigate([credential()]);
    expect(r).toMatchObject({ result: 'not-started', failed: true, reason: expect.stringContaining('administers no Detective graph in eu-west-1') });
  });

  it('Detective refusing the entity (ValidationException): not started, failed, not retried', async () => {
    detective.on(StartInvestigationCommand).rejects(awsError('ValidationException', 'entity not in graph'));
    const [r] = await investigate([credential()]);
    expect(r).toMatchObject({ result: 'not-started', failed: true, reason: expect.stringContaining('ValidationException: entity not in graph') });
    // Kept as failed: an event of the finding after 6 hours may try again (the table's condition, proven at moto).
    expect([...claims.values()]).toEqual(['failed']);
  });

  it('throttling: the claim is given back and the finding is marked for a retry, the others of the batch still handled', async () => {
    detective
      .on(StartInvestigationCommand)
      .rejectsOnce(Object.assign(awsError('TooManyRequestsException', 'slow down', 429), { $retryable: {} }))
      .resolves({ InvestigationId: INVESTIGATION });
    const [first, second] = await investigate([credential(), credential([accessKeyResource('other-bot')])]);
    expect(first.result).toBe('retry');
    expect(second.result).toBe('started');
    expect(claims.has(findingsOf([credential()])[0].id)).toBe(false);
    // The retry of the event starts the first one.
    const [again] = await investigate([credential()]);
    expect(again.result).toBe('started');
  });

  it('the check cannot be queued: the investigation still started, the alert says no result will follow, and it counts as a failure', async () => {
    sqs.on(SendMessageCommand).rejects(awsError('AccessDenied'));
    const [r] = await investigate([credential()]);
    expect(r).toMatchObject({ result: 'started', failed: true });
    expect(inputsOf(aws.sns, PublishCommand)[0].Message).toContain('The result will NOT be reported by alert');
  });

  it('a finding that names no IAM principal is recorded as not investigated, with the reason on the finding', async () => {
    const [r] = await investigate([credential([{ Type: 'AwsEc2Instance', Id: 'arn:aws:ec2:eu-west-1:333333333333:instance/i-1' }])]);
    expect(r.result).toBe('not-started');
    expect(inputsOf(aws.securityhub, BatchUpdateFindingsCommand)[0].UserDefinedFields['security-response:investigation']).toBe(
      'none: the finding names no IAM user, role or access key among its resources or attack-sequence actors',
    );
  });
});

describe('investigate: reading the result', () => {
  const job: InvestigationJob = {
    findingId: 'arn:aws:guardduty:eu-west-1:333333333333:detector/d/finding/f1',
    productArn: 'arn:aws:securityhub:eu-west-1::product/aws/guardduty',
    accountId: ACCOUNT,
    accountName: 'payments-prod',
    region: 'eu-west-1',
    severity: 'HIGH',
    title: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
    investigationId: INVESTIGATION,
    graphArn: GRAPH,
    entityArn: `arn:aws:iam::${ACCOUNT}:user/ci-deploy-bot`,
    entityType: 'IAM_USER',
    scopeStart: '2026-11-25T10:00:00.000Z',
    scopeEnd: '2026-11-26T12:00:00.000Z',
    checks: 0,
  };
  const check = (j: InvestigationJob = job) => checkInvestigation(j, SECURITY, { aws: createLiveAws(), log: new CollectingLog(), now: NOW });
  beforeEach(() => {
    claims.set(job.findingId, 'started');
  });

  it('still running: checked again 15 minutes later, nothing reported', async () => {
    detective.on(GetInvestigationCommand).resolves({ Status: 'RUNNING' });
    expect((await check()).result).toBe('checked-again');
    const [send] = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(send.DelaySeconds).toBe(CHECK_DELAY_SECONDS);
    expect(JSON.parse(send.MessageBody!).checks).toBe(1);
    expect(inputsOf(aws.sns, PublishCommand)).toHaveLength(0);
  });

  it('successful: the severity and indicators on the finding, in an alert at that severity, and in the evidence record', async () => {
    detective.on(GetInvestigationCommand).resolves({ Status: 'SUCCESSFUL', Severity: 'CRITICAL' });
    detective.on(ListIndicatorsCommand).resolves({
      Indicators: [
        {
          IndicatorType: 'TTP_OBSERVED',
          IndicatorDetail: {
            TTPsObservedDetail: { Tactic: 'Discovery', Technique: 'Cloud Service Discovery', APIName: 'ListBuckets', IpAddress: '198.51.100.7' },
          },
        },
        { IndicatorType: 'TTP_OBSERVED', IndicatorDetail: { TTPsObservedDetail: { Tactic: 'Exfiltration', APIName: 'GetObject' } } },
        { IndicatorType: 'FLAGGED_IP_ADDRESS', IndicatorDetail: { FlaggedIpAddressDetail: { IpAddress: '198.51.100.7', Reason: 'AWS_THREAT_INTELLIGENCE' } } },
      ],
    });
    expect(await check()).toMatchObject({ result: 'reported', status: 'SUCCESSFUL' });
    const [update] = inputsOf(aws.securityhub, BatchUpdateFindingsCommand);
    expect(update.UserDefinedFields).toMatchObject({
      'security-response:investigation-status': 'SUCCESSFUL',
      'security-response:investigation-severity': 'CRITICAL',
    });
    expect(update.Note.Text).toContain('FLAGGED_IP_ADDRESS 1, TTP_OBSERVED 2');
    const [alert] = inputsOf(aws.sns, PublishCommand);
    expect(alert.Subject).toBe('[CRITICAL] payments-prod: investigation of ci-deploy-bot: CRITICAL');
    expect(alert.Message).toContain('TTP_OBSERVED: Discovery / Cloud Service Discovery / ListBuckets from 198.51.100.7');
    expect(alert.MessageAttributes.outcome.StringValue).toBe('INVESTIGATION_SUCCESSFUL');
    const record = JSON.parse(inputsOf(aws.s3, PutObjectCommand)[0].Body as string);
    expect(record.investigation).toMatchObject({ status: 'SUCCESSFUL', severity: 'CRITICAL', indicators: { TTP_OBSERVED: 2, FLAGGED_IP_ADDRESS: 1 } });
    expect(record.outcome).toBe('INVESTIGATION_SUCCESSFUL');
  });

  it('a redelivered check after the result was reported reports nothing twice', async () => {
    detective.on(GetInvestigationCommand).resolves({ Status: 'FAILED' });
    expect((await check()).result).toBe('reported');
    expect((await check()).result).toBe('already-reported');
    expect(inputsOf(aws.sns, PublishCommand)).toHaveLength(1);
  });

  it(`still running at the last of ${MAX_CHECKS} checks: a person is told to look, no more checks`, async () => {
    detective.on(GetInvestigationCommand).resolves({ Status: 'RUNNING' });
    expect((await check({ ...job, checks: MAX_CHECKS - 1 })).result).toBe('reported');
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect(inputsOf(aws.sns, PublishCommand)[0].Message).toContain('still RUNNING after 2.8 hours; no more checks');
  });

  it('the indicators cannot be read: the check throws before the claim is done, so the redelivered message reports the result', async () => {
    detective.on(GetInvestigationCommand).resolves({ Status: 'SUCCESSFUL', Severity: 'LOW' });
    detective
      .on(ListIndicatorsCommand)
      .rejectsOnce(awsError('TooManyRequestsException', 'slow down', 429))
      .resolves({ Indicators: [] });
    await expect(check()).rejects.toThrow('slow down');
    expect(claims.get(job.findingId)).toBe('started');
    expect((await check()).result).toBe('reported');
    expect(inputsOf(aws.sns, PublishCommand)).toHaveLength(1);
  });

  it('Detective unreachable: the check throws (its message returns to the queue) and nothing is claimed done', async () => {
    detective.on(GetInvestigationCommand).rejects(awsError('InternalServerException', 'oops', 500));
    await expect(check()).rejects.toThrow('oops');
    expect(claims.get(job.findingId)).toBe('started');
  });
});
