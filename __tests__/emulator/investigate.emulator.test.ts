/**
 * `investigate` (security account, home region, organization.detective) as deployed, against moto
 * and the validating stand-ins (emulator tier, `npm run test:emulator`): a variant of
 * emulator/accounts.json with Detective on is synthesized as `cdktf synth` would; the function's
 * zip runs with its stack's environment and moto credentials of its role. Detective is the
 * loopback stand-in built from botocore's model (moto has none; moto-gaps.ts); the claims table,
 * the checks queue, the alert topic and the evidence bucket are moto's, made from the synthesized
 * stack's names. The checks queue URL is AWS's own host, reached through a TLS front on
 * 127.0.0.1:443 (moto-gaps.ts). The rule's pattern is judged by moto's EventBridge (its rules route
 * PutEvents), an implementation of the pattern language other than ours.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { deployedFunction, invoke, settingsOf, type DeployedFunction, type Invocation } from '../../emulator/functions';
import { startDetectiveStandIn, type DetectiveStandIn } from '../../emulator/detective-standin';
import { createEvidenceBucketAt, evidenceRecordsAt } from '../../emulator/evidence-bucket';
import { motoMissing, startMoto, type MotoServer } from '../../emulator/moto';
import { motoJsonCall } from '../../emulator/organization';
import { serveFindings, type FindingsService } from '../../emulator/securityhub-findings';
import { startSecurityHubStandIn, type SecurityHubStandIn } from '../../emulator/securityhub-standin';
import { EMULATOR_ACCOUNTS, synthesizeOrganization, type SynthesizedOrganization } from '../../emulator/synth';
import { accountClients, captureAlerts, type AlertCapture } from '../../emulator/world';
import { accessKeyResource, asffEvent, bucketResource, controlFinding, guardDutyFinding } from '../functions/shared/respond/events';
import { loopbackResolution, startTlsFront, type TlsFront } from './tls-front';
import type { AwsPort, ClientClass, Sendable } from '../../functions/shared/aws';
import { CLAIM_TIMEOUT_MS, FAILED_RETRY_MS, InvestigationClaims } from '../../functions/shared/investigate/claims';

const SECURITY = { account: '222222222222', region: 'us-east-1', stack: 'security-us-east-1' };
const MEMBER = { account: '333333333333', region: 'eu-west-1' };
const QUEUE_HOST = `sqs.${SECURITY.region}.amazonaws.com`;

let moto: MotoServer | undefined;
let standIn: SecurityHubStandIn | undefined;
let detective: DetectiveStandIn | undefined;
let front: TlsFront | undefined;
let findings: FindingsService;
let org: SynthesizedOrganization;
let fn: DeployedFunction;
let alerts: AlertCapture;
let queueUrl: string;
let graphArn: string;

/** The credential finding as the security account's hub holds it: GuardDuty's, of the member, aggregated. */
const credentialFinding = (): Record<string, any> => ({
  ...guardDutyFinding('UnauthorizedAccess:IAMUser/MaliciousIPCaller', [accessKeyResource('ci-deploy-bot', 'AKIAVRUVRQ7EXAMPLE42', { region: MEMBER.region })], {
    account: MEMBER.account,
    region: MEMBER.region,
  }),
  FirstObservedAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
  FindingProviderFields: { Types: ['TTPs/Initial Access/UnauthorizedAccess:IAMUser-MaliciousIPCaller'], Severity: { Label: 'HIGH' } },
});

/**
 * GuardDuty Extended Threat Detection's compromised-credentials sequence as Security Hub holds it:
 * type TTPs/AttackSequence:IAM/CompromisedCredentials (GuardDuty's Security Hub integration page),
 * CRITICAL, the principal named by its actors (Detection.Sequence.Actors); no IAM resource here.
 */
const attackSequenceFinding = (roleArn: string): Record<string, any> => ({
  ...guardDutyFinding('AttackSequence:IAM/CompromisedCredentials', [{ Type: 'Other', Id: 'attack-sequence', Partition: 'aws', Region: MEMBER.region }], {
    account: MEMBER.account,
    region: MEMBER.region,
    severity: 'CRITICAL',
  }),
  Types: ['TTPs/AttackSequence:IAM/CompromisedCredentials'],
  FirstObservedAt: new Date(Date.now() - 5 * 3_600_000).toISOString(),
  FindingProviderFields: { Types: ['TTPs/AttackSequence:IAM/CompromisedCredentials'], Severity: { Label: 'CRITICAL' } },
  Detection: {
    Sequence: {
      Uid: 'b2c4d6e8-attack-sequence',
      Actors: [
        {
          Id: 'user:AssumedRole:AROAVRUVRQ7EXAMPLEROLE:payments-batch-session',
          User: { Uid: 'AROAVRUVRQ7EXAMPLEROLE:payments-batch-session', Type: 'AssumedRole', Account: { Uid: MEMBER.account } },
          Session: { Issuer: roleArn },
        },
      ],
      Signals: [{ Type: 'FINDING', Title: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller' }],
    },
  },
});

function expectRan(run: Invocation): void {
  if (run.error) throw new Error(`handler failed: ${run.error.name}: ${run.error.message}\n${run.stderr.slice(-2000)}`);
}

function run(event: unknown): Promise<Invocation> {
  // The checks queue URL names AWS's host; in the function's process only it resolves to the TLS front.
  const preload = loopbackResolution(QUEUE_HOST);
  return invoke({ ...fn, environment: { ...fn.environment, NODE_OPTIONS: `--require ${preload}`, NODE_EXTRA_CA_CERTS: front!.caFile } }, event, {
    motoUrl: moto!.url,
    securityHubUrl: standIn!.url,
    detectiveUrl: detective!.url,
  });
}

/** The job messages the function sent to its checks queue (delayed at moto, so read at the front). */
const sentJobs = () =>
  front!.bodies
    .map((b) => (b ? JSON.parse(b) : {}))
    .filter((b) => b.QueueUrl === queueUrl && b.MessageBody)
    .map((b) => ({ body: b.MessageBody as string, delay: b.DelaySeconds as number }));

beforeAll(async () => {
  const missing = motoMissing();
  if (missing) throw new Error(missing);
  const accounts = JSON.parse(readFileSync(EMULATOR_ACCOUNTS, 'utf8'));
  accounts.organization.detective = true;
  for (const a of accounts.accounts) a.email = `aws+${a.name}@example.com`;
  const variantFile = join(mkdtempSync(join(tmpdir(), 'emulator-detective-')), 'accounts.json');
  writeFileSync(variantFile, JSON.stringify(accounts));
  org = synthesizeOrganization(variantFile);
  fn = deployedFunction(org, SECURITY.stack, 'investigate');
  moto = await startMoto();
  standIn = await startSecurityHubStandIn(moto.url);
  findings = serveFindings(standIn, moto.url);
  detective = await startDetectiveStandIn(moto.url);
  front = await startTlsFront(moto.url, QUEUE_HOST, 443);

  // What the security home stack makes, by the names it synthesized.
  const json = org.stackJson(SECURITY.stack);
  const security = await accountClients(moto.url, SECURITY.account, SECURITY.region);
  const table = Object.values<any>(json.resource.aws_dynamodb_table).find((t) => t.name.endsWith('-investigations'));
  const dynamodb = new DynamoDBClient({ region: SECURITY.region, endpoint: moto.url, credentials: security.credentials, maxAttempts: 1 });
  await dynamodb.send(
    new CreateTableCommand({
      TableName: table.name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: table.hash_key, KeyType: 'HASH' }],
      AttributeDefinitions: table.attribute.map((a: any) => ({ AttributeName: a.name, AttributeType: a.type })),
    }),
  );
  const queue = Object.values<any>(json.resource.aws_sqs_queue).find((q) => q.name.endsWith('-investigation-checks'));
  const sqs = new SQSClient({ region: SECURITY.region, endpoint: moto.url, credentials: security.credentials, maxAttempts: 1 });
  await sqs.send(new CreateQueueCommand({ QueueName: queue.name }));
  queueUrl = `https://${QUEUE_HOST}/${SECURITY.account}/${queue.name}`;
  await createEvidenceBucketAt(moto.url, org, SECURITY);
  alerts = await captureAlerts(moto.url, settingsOf(fn).alertTopicArn);
  graphArn = detective.addGraph(MEMBER.region, SECURITY.account, [MEMBER.account, '111111111111']);
}, 180_000);

afterAll(async () => {
  await front?.stop();
  await detective?.stop();
  await standIn?.stop();
  await moto?.stop();
});

describe('the rule that feeds investigate, judged by moto EventBridge', () => {
  /**
   * moto has no TestEventPattern (NotImplementedError), but it routes PutEvents through its rules'
   * patterns: the synthesized rule, on the default bus of the security account, targets a queue,
   * and each event either arrives there or not.
   */
  let delivered: () => Promise<number>;
  let put: (finding: unknown) => Promise<void>;
  beforeAll(async () => {
    const rule = Object.values<any>(org.stackJson(SECURITY.stack).resource.aws_cloudwatch_event_rule).find((r) =>
      r.name.endsWith('-investigate-credential-findings'),
    );
    const security = await accountClients(moto!.url, SECURITY.account, SECURITY.region);
    const call = (target: string, body: unknown) =>
      motoJsonCall(moto!.url, {
        service: 'events',
        target: `AWSEvents.${target}`,
        accessKeyId: security.credentials.accessKeyId,
        region: SECURITY.region,
        body,
      });
    const sqs = new SQSClient({ region: SECURITY.region, endpoint: moto!.url, credentials: security.credentials, maxAttempts: 1 });
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'investigate-rule-probe' }))).QueueUrl!;
    await call('PutRule', { Name: rule.name, EventPattern: rule.event_pattern, State: 'ENABLED' });
    await call('PutTargets', { Rule: rule.name, Targets: [{ Id: 'probe', Arn: `arn:aws:sqs:${SECURITY.region}:${SECURITY.account}:investigate-rule-probe` }] });
    put = async (finding) => {
      const event = asffEvent([finding], { account: SECURITY.account, region: SECURITY.region });
      const out = await call('PutEvents', {
        Entries: [{ Source: event.source, DetailType: event['detail-type'], Detail: JSON.stringify(event.detail), Resources: event.resources }],
      });
      if (out.FailedEntryCount) throw new Error(`PutEvents failed: ${JSON.stringify(out.Entries)}`);
    };
    delivered = async () => {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      for (const m of got.Messages ?? []) await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
      return (got.Messages ?? []).length;
    };
  });
  const matches = async (finding: unknown): Promise<boolean> => {
    await put(finding);
    return (await delivered()) === 1;
  };

  it("matches GuardDuty's IAM finding, also after its top-level Types and user-defined fields were rewritten; not a control finding", async () => {
    const finding = credentialFinding();
    expect(await matches(finding)).toBe(true);
    expect(
      await matches({ ...finding, Types: ['Software and Configuration Checks/Benign'], UserDefinedFields: { 'security-response:investigation': 'x' } }),
    ).toBe(true);
    expect(
      await matches({
        ...controlFinding('S3.8', [bucketResource()]),
        FindingProviderFields: { Types: ['Software and Configuration Checks/AWS Security Best Practices'] },
      }),
    ).toBe(false);
    expect(await matches({ ...finding, RecordState: 'ARCHIVED' })).toBe(false);
    // A finding anyone may import into their own account's "product", typed as credential access.
    const custom = `arn:aws:securityhub:${MEMBER.region}:${MEMBER.account}:product/${MEMBER.account}/default`;
    expect(await matches({ ...finding, ProductArn: custom, FindingProviderFields: { Types: ['TTPs/Credential Access/Forged'] } })).toBe(false);
    expect(await matches({ ...finding, FindingProviderFields: { Types: ['TTPs/Credential Access/CredentialAccess:IAMUser-AnomalousBehavior'] } })).toBe(true);
  });

  it("matches GuardDuty's attack sequence of compromised credentials; not its compromised-S3-data sequence", async () => {
    const sequence = attackSequenceFinding(`arn:aws:iam::${MEMBER.account}:role/payments-batch`);
    expect(await matches(sequence)).toBe(true);
    expect(await matches({ ...sequence, FindingProviderFields: { Types: ['TTPs/AttackSequence:S3/CompromisedData'], Severity: { Label: 'CRITICAL' } } })).toBe(
      false,
    );
  });
});

describe('investigate (security-us-east-1) on an aggregated credential finding of the member', () => {
  // As an actor in the member account could leave it with BatchUpdateFindings: top-level Types and
  // Severity rewritten. The provider's own (FindingProviderFields) still decide.
  const finding: Record<string, any> = {
    ...credentialFinding(),
    Types: ['Software and Configuration Checks/Benign'],
    Severity: { Label: 'LOW', Normalized: 1 },
  };

  it("starts one investigation of the key's user in the member's region, from the security account's graph, and records, queues, alerts and writes the evidence", async () => {
    await findings.importFindings(SECURITY.account, SECURITY.region, [finding], { asDelivered: true });
    const out = await run(asffEvent([finding], { account: SECURITY.account, region: SECURITY.region }));
    expectRan(out);
    expect(out.result).toEqual({ started: 1, unreadable: 0 });

    const [started] = detective!.investigations();
    expect(started).toMatchObject({
      graphArn,
      region: MEMBER.region,
      entityArn: `arn:aws:iam::${MEMBER.account}:user/ci-deploy-bot`,
      entityType: 'IAM_USER',
      status: 'RUNNING',
    });

    const hub = (await findings.findings(SECURITY.account, SECURITY.region)).find((f) => f.Id === finding.Id)!;
    expect(hub.UserDefinedFields).toMatchObject({
      'security-response:investigation': started.investigationId,
      'security-response:investigation-status': 'RUNNING',
    });
    expect(hub.Note.Text).toContain(`Detective investigation ${started.investigationId}`);

    const [job] = sentJobs();
    expect(job.delay).toBe(300);
    expect(JSON.parse(job.body)).toMatchObject({ investigationId: started.investigationId, graphArn, checks: 0 });
    const security = await accountClients(moto!.url, SECURITY.account, SECURITY.region);
    const sqs = new SQSClient({ region: SECURITY.region, endpoint: moto!.url, credentials: security.credentials, maxAttempts: 1 });
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: `${moto!.url}/${SECURITY.account}/${queueUrl.split('/').pop()}`,
        AttributeNames: ['ApproximateNumberOfMessagesDelayed'],
      }),
    );
    expect(attributes.Attributes?.ApproximateNumberOfMessagesDelayed).toBe('1');

    const dynamodb = new DynamoDBClient({ region: SECURITY.region, endpoint: moto!.url, credentials: security.credentials, maxAttempts: 1 });
    const claim = await dynamodb.send(new GetItemCommand({ TableName: 'emu-investigations', Key: { findingId: { S: finding.Id } } }));
    expect(claim.Item).toMatchObject({ status: { S: 'started' }, investigationId: { S: started.investigationId } });

    const [alert] = await alerts.drain();
    expect(alert.MessageAttributes).toMatchObject({
      kind: { Type: 'String', Value: 'investigation' },
      outcome: { Type: 'String', Value: 'INVESTIGATION_STARTED' },
      severity: { Type: 'String', Value: 'HIGH' },
    });
    expect(alert.Message).toContain(`https://${MEMBER.region}.console.aws.amazon.com/detective/home?region=${MEMBER.region}#investigations`);

    const records = (await evidenceRecordsAt(moto!.url, org, SECURITY)).map((r) => r.record).filter((r) => r.function === 'investigate');
    expect(records).toEqual([
      expect.objectContaining({ finding_id: finding.Id, outcome: 'INVESTIGATION_STARTED', investigation: expect.objectContaining({ status: 'RUNNING' }) }),
    ]);
    expect(standIn!.invalid()).toEqual([]);
    expect(detective!.invalid()).toEqual([]);
  });

  it('the same finding again (its own update, replayed): nothing new is started', async () => {
    const out = await run(asffEvent([finding], { account: SECURITY.account, region: SECURITY.region }));
    expectRan(out);
    expect(out.result).toEqual({ 'already-claimed': 1, unreadable: 0 });
    expect(detective!.investigations()).toHaveLength(1);
  });

  it('the check while Detective works queues another; once done, the severity and indicators reach the finding, an alert and the evidence, once', async () => {
    const [first] = sentJobs();
    const record = (id: string, body: string) => ({ messageId: id, body, eventSource: 'aws:sqs' });
    expectRan(await run({ Records: [record('m1', first.body)] }));
    const again = sentJobs()[1];
    expect(again.delay).toBe(900);
    expect(JSON.parse(again.body).checks).toBe(1);
    expect(await alerts.drain()).toEqual([]);

    const { investigationId } = detective!.investigations()[0];
    detective!.complete(investigationId, {
      severity: 'HIGH',
      indicators: [
        { IndicatorType: 'TTP_OBSERVED', IndicatorDetail: { TTPsObservedDetail: { Tactic: 'Discovery', APIName: 'ListBuckets', IpAddress: '198.51.100.7' } } },
        { IndicatorType: 'FLAGGED_IP_ADDRESS', IndicatorDetail: { FlaggedIpAddressDetail: { IpAddress: '198.51.100.7', Reason: 'AWS_THREAT_INTELLIGENCE' } } },
      ],
    });
    const done = await run({ Records: [record('m2', again.body), record('m3', again.body)] });
    expectRan(done);
    expect(done.result).toEqual({ batchItemFailures: [] });
    const delivered = await alerts.drain();
    expect(delivered).toHaveLength(1);
    expect(delivered[0].Subject).toContain('investigation of ci-deploy-bot: HIGH');
    expect(delivered[0].Message).toContain('FLAGGED_IP_ADDRESS 1, TTP_OBSERVED 1');
    const hub = (await findings.findings(SECURITY.account, SECURITY.region)).find((f) => f.Id === finding.Id)!;
    expect(hub.UserDefinedFields).toMatchObject({
      'security-response:investigation': investigationId,
      'security-response:investigation-status': 'SUCCESSFUL',
      'security-response:investigation-severity': 'HIGH',
    });
    const results = (await evidenceRecordsAt(moto!.url, org, SECURITY)).map((r) => r.record).filter((r) => r.outcome === 'INVESTIGATION_SUCCESSFUL');
    expect(results).toEqual([
      expect.objectContaining({ investigation: expect.objectContaining({ severity: 'HIGH', indicators: { TTP_OBSERVED: 1, FLAGGED_IP_ADDRESS: 1 } }) }),
    ]);
    expect(detective!.invalid()).toEqual([]);
    expect(standIn!.invalid()).toEqual([]);
  });

  it('an attack sequence of compromised credentials, its principal named only by its actors: one investigation of the role that issued the session', async () => {
    const roleArn = `arn:aws:iam::${MEMBER.account}:role/service-role/payments-batch`;
    const sequence = attackSequenceFinding(roleArn);
    await findings.importFindings(SECURITY.account, SECURITY.region, [sequence], { asDelivered: true });
    const before = detective!.investigations().length;
    const out = await run(asffEvent([sequence], { account: SECURITY.account, region: SECURITY.region }));
    expectRan(out);
    expect(out.result).toEqual({ started: 1, unreadable: 0 });
    const started = detective!.investigations().slice(before);
    expect(started).toEqual([expect.objectContaining({ region: MEMBER.region, entityArn: roleArn, entityType: 'IAM_ROLE', status: 'RUNNING' })]);
    const alert = (await alerts.drain()).find((a) => a.Message.includes(started[0].investigationId));
    expect(alert?.MessageAttributes.severity).toEqual({ Type: 'String', Value: 'CRITICAL' });
    expect(detective!.invalid()).toEqual([]);
    expect(standIn!.invalid()).toEqual([]);
  });
});

describe("the claims' conditions, evaluated by moto's DynamoDB", () => {
  let claims: InvestigationClaims;
  const t0 = new Date('2026-11-26T12:00:00.000Z');
  const later = (ms: number) => new Date(t0.getTime() + ms);
  beforeAll(async () => {
    const security = await accountClients(moto!.url, SECURITY.account, SECURITY.region);
    const port: AwsPort = {
      client: <C extends Sendable>(ctor: ClientClass<C>, region: string) =>
        new (ctor as unknown as new (config: object) => C)({ region, endpoint: moto!.url, credentials: security.credentials, maxAttempts: 1 }),
    };
    claims = new InvestigationClaims(port, 'emu-investigations', SECURITY.region);
  });

  it('one claim per finding; a fresh one held by another invocation says so; a stale one is taken over', async () => {
    const first = await claims.claim('finding-a', t0);
    expect(first).toEqual({ taken: true, claimedAt: t0.getTime() });
    expect(await claims.claim('finding-a', later(30_000))).toEqual({ taken: false, status: 'starting' });
    const takeover = await claims.claim('finding-a', later(CLAIM_TIMEOUT_MS + 1));
    expect(takeover.taken).toBe(true);
    // The first invocation, late, cannot give back the claim it no longer holds.
    await claims.release('finding-a', t0.getTime());
    expect(await claims.claim('finding-a', later(CLAIM_TIMEOUT_MS + 2))).toEqual({ taken: false, status: 'starting' });
  });

  it('a started investigation is never claimed again, and its result is reported once, for its own id only', async () => {
    expect((await claims.claim('finding-b', t0)).taken).toBe(true);
    await claims.started('finding-b', { investigationId: '000000000000000000007', graphArn, entityArn: 'arn:aws:iam::333333333333:user/u' });
    expect(await claims.claim('finding-b', later(400 * 86_400_000))).toEqual({ taken: false, status: 'started' });
    expect(await claims.finish('finding-b', '000000000000000000008')).toBe(false);
    expect(await claims.finish('finding-b', '000000000000000000007')).toBe(true);
    expect(await claims.finish('finding-b', '000000000000000000007')).toBe(false);
  });

  it('a refusal by Detective may be tried again after 6 hours; a finding with nothing to investigate never', async () => {
    const failed = await claims.claim('finding-c', t0);
    expect(failed.taken).toBe(true);
    await claims.notStarted('finding-c', 'no graph yet', true, t0);
    expect(await claims.claim('finding-c', later(FAILED_RETRY_MS - 1000))).toEqual({ taken: false, status: 'failed' });
    expect((await claims.claim('finding-c', later(FAILED_RETRY_MS + 1000))).taken).toBe(true);

    expect((await claims.claim('finding-d', t0)).taken).toBe(true);
    await claims.notStarted('finding-d', 'no IAM principal', false, t0);
    expect(await claims.claim('finding-d', later(FAILED_RETRY_MS * 10))).toEqual({ taken: false, status: 'not-started' });
  });
});
