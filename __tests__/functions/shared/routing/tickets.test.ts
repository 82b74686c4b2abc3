import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { BatchUpdateFindingsCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { ticketEvidenceWriter } from '../../../../functions/runtime/route-evidence';
import { handleIntake, type RouterConfig } from '../../../../functions/runtime/route-handler';
import { createLiveAws } from '../../../../functions/shared/aws';
import { silentLog } from '../../../../functions/shared/log';
import { MemoryStormStore } from '../../../../functions/shared/routing/route';
import { TICKET_RETRY_DELAY_SECONDS, ticketSystemsFor, type TicketJob } from '../../../../functions/shared/routing/tickets';
import { TicketClients } from '../../../../functions/shared/tickets/credentials';
import { dedupeKey } from '../../../../functions/shared/tickets/ticket';
import { TICKET_FIELD, UNDO_NOTE_PREFIX } from '../../../../functions/shared/undo';
import { recordingSleep } from '../tickets/fixtures';
import { JiraStandIn, ServiceNowStandIn } from '../tickets/standins';

const REGION = 'eu-west-1';
const FINDING_ID = 'arn:aws:securityhub:eu-west-1:111111111111:subscription/aws-foundational-security-best-practices/v/1.0.0/EC2.19/finding/0a1b2c3d';
const PRODUCT_ARN = 'arn:aws:securityhub:eu-west-1::product/aws/securityhub';
const JOB_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/222222222222/acme-ticket-jobs';
const JOB_QUEUE_ARN = 'arn:aws:sqs:eu-west-1:222222222222:acme-ticket-jobs';
const CHAT_TOPIC = 'arn:aws:sns:eu-west-1:222222222222:acme-security-alerts-chat-all';
const JIRA_TOKEN = 'ATATT3xFfGF0-route-test-token-91c2';
const SN_PASSWORD = 'sn-route-test-password-5d0a';

const sns = mockClient(SNSClient);
const hub = mockClient(SecurityHubClient);
const sqs = mockClient(SQSClient);
const secrets = mockClient(SecretsManagerClient);
const s3 = mockClient(S3Client);
const EVIDENCE_BUCKET = 'acme-evidence-222222222222-eu-west-1';
const ROUTE_DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/222222222222/acme-route-dlq';

let jira: JiraStandIn;
let sn: ServiceNowStandIn;
let clock: ReturnType<typeof recordingSleep>;
/** The finding's user-defined fields as Security Hub holds them (GetFindings answers them, BatchUpdateFindings replaces them). */
let findingFields: Record<string, string>;

beforeEach(async () => {
  jira = await new JiraStandIn('secops-bot@example.com', JIRA_TOKEN, 'SEC').start();
  sn = await new ServiceNowStandIn('svc-security-response', SN_PASSWORD).start();
  clock = recordingSleep();
  findingFields = { 'undo.1': '[{"s":"ec2","o":"AuthorizeSecurityGroupIngress"}]' };
  for (const m of [sns, hub, sqs, secrets, s3]) m.reset();
  s3.on(PutObjectCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'out-1' });
  sqs.on(SendMessageCommand).resolves({ MessageId: 'job-1' });
  secrets
    .on(GetSecretValueCommand, { SecretId: 'security-response/jira' })
    .resolves({ SecretString: JSON.stringify({ email: 'secops-bot@example.com', apiToken: JIRA_TOKEN }) })
    .on(GetSecretValueCommand, { SecretId: 'security-response/servicenow' })
    .resolves({ SecretString: JSON.stringify({ username: 'svc-security-response', password: SN_PASSWORD }) });
  hub.on(GetFindingsCommand).callsFake(() => ({ Findings: [{ Id: FINDING_ID, ProductArn: PRODUCT_ARN, UserDefinedFields: { ...findingFields } }] }));
  hub.on(BatchUpdateFindingsCommand).callsFake((input: { UserDefinedFields?: Record<string, string> }) => {
    findingFields = { ...input.UserDefinedFields };
    return { ProcessedFindings: [{ Id: FINDING_ID, ProductArn: PRODUCT_ARN }], UnprocessedFindings: [] };
  });
});
afterEach(async () => {
  await jira.close();
  await sn.close();
  expect(jira.rejections).toEqual([]);
  expect(sn.rejections).toEqual([]);
});

const config = (over: Partial<NonNullable<RouterConfig['tickets']>> = {}): RouterConfig => ({
  storm: { threshold: 20, windowMinutes: 5 },
  targets: { emailTopicArn: 'arn:aws:sns:eu-west-1:222222222222:acme-security-alerts-email', everythingChatTopicArn: CHAT_TOPIC, teamChat: {} },
  tickets: {
    region: REGION,
    jira: { baseUrl: jira.url, projectKey: 'SEC', issueType: 'Bug', secretName: 'security-response/jira', minSeverity: 'HIGH' },
    serviceNow: { instanceUrl: sn.url, assignmentGroup: 'SecOps', secretName: 'security-response/servicenow', minSeverity: 'CRITICAL' },
    jobQueueUrl: JOB_QUEUE_URL,
    jobDeadLetterQueue: 'acme-ticket-jobs-dlq',
    ...over,
  },
});

function routerDeps(cfg: RouterConfig, store = new MemoryStormStore()) {
  const aws = createLiveAws();
  const tickets = cfg.tickets;
  if (!tickets) throw new Error('the test config has tickets');
  const now = () => new Date('2026-11-26T10:00:30Z');
  const evidence = { organization: 'acme', accountId: '222222222222', region: REGION, evidence: { bucket: EVIDENCE_BUCKET, region: REGION } };
  return {
    aws,
    store,
    log: silentLog,
    now,
    ticketClients: new TicketClients(tickets, aws, REGION, { sleep: clock.sleep }),
    recordTicket: ticketEvidenceWriter(evidence, { aws, log: silentLog, now }),
  };
}

const attributes = (over: Record<string, string> = {}) => ({
  kind: 'finding',
  severity: 'HIGH',
  account: '111111111111',
  accountName: 'payments-prod',
  team: 'payments',
  category: 'network-exposure',
  action: 'REVOKE_PUBLIC_INGRESS',
  outcome: 'REMEDIATED',
  ...over,
});

/** An alert as the intake queue delivers it: an SNS notification of the alert topic. */
function intakeRecord(id: string, attrs: Record<string, string> = attributes(), subject = '[HIGH] payments-prod: Security group open to the world') {
  const detail = {
    title: 'Security group open to the world',
    accountName: 'payments-prod',
    region: REGION,
    done: 'REVOKE_PUBLIC_INGRESS (enforce): REMEDIATED. Revoked 0.0.0.0/0 on tcp/22.',
    undo: `npm run undo -- '${FINDING_ID}'`,
    link: 'https://eu-west-1.console.aws.amazon.com/securityhub/home?region=eu-west-1#/findings?search=Id%3D0a1b2c3d',
    findingId: FINDING_ID,
    productArn: PRODUCT_ARN,
  };
  const messageAttributes = Object.fromEntries(Object.entries({ ...attrs, detail: JSON.stringify(detail) }).map(([k, v]) => [k, { Type: 'String', Value: v }]));
  return {
    messageId: `sqs-${id}`,
    eventSourceARN: 'arn:aws:sqs:eu-west-1:222222222222:acme-alert-intake',
    body: JSON.stringify({
      Type: 'Notification',
      MessageId: id,
      Subject: subject,
      Message: `What: Security group open to the world\nFinding id: ${FINDING_ID}\n`,
      Timestamp: '2026-11-26T10:00:00.000Z',
      MessageAttributes: messageAttributes,
    }),
  };
}

const event = (...records: object[]) => ({ Records: records }) as unknown as SQSEvent;
const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
const emails = () => published().filter((p) => p.TopicArn !== CHAT_TOPIC);
const jobsSent = () => sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
/** The evidence records route wrote: key and record. */
const evidenceWritten = () =>
  s3.commandCalls(PutObjectCommand).map((c) => ({
    bucket: c.args[0].input.Bucket,
    key: c.args[0].input.Key,
    record: JSON.parse(c.args[0].input.Body as string) as { ticket: Record<string, string> } & Record<string, unknown>,
  }));

describe('tickets: which alerts open one', () => {
  it('a finding at or above a system’s minSeverity, and an escalation whatever its severity; nothing else', () => {
    const settings = { jira: config().tickets?.jira, serviceNow: config().tickets?.serviceNow };
    expect(ticketSystemsFor(attributes({ severity: 'HIGH' }), settings)).toEqual(['jira']);
    expect(ticketSystemsFor(attributes({ severity: 'CRITICAL' }), settings)).toEqual(['jira', 'servicenow']);
    expect(ticketSystemsFor(attributes({ severity: 'MEDIUM' }), settings)).toEqual([]);
    expect(ticketSystemsFor(attributes({ kind: 'escalation', severity: 'LOW' }), settings)).toEqual(['jira', 'servicenow']);
    expect(ticketSystemsFor(attributes({ kind: 'quarantine', severity: 'CRITICAL' }), settings)).toEqual([]);
    expect(ticketSystemsFor({ severity: 'CRITICAL' }, settings)).toEqual([]);
  });
});

describe('tickets: the router opens them before the alert goes out', () => {
  it('a HIGH finding opens one Jira issue, writes its key on the finding (keeping the undo record), and the e-mail and chat detail name it', async () => {
    const cfg = config();
    const { response, summary } = await handleIntake(event(intakeRecord('m-1')), cfg, routerDeps(cfg));
    expect(response.batchItemFailures).toEqual([]);
    expect(summary).toMatchObject({ now: 1, ticketsOpened: 1, ticketFailures: 0 });
    expect(jira.issues.map((i) => i.key)).toEqual(['SEC-1']);
    expect(jira.issues[0].fields.labels).toEqual(['security-response', dedupeKey(FINDING_ID)]);
    expect(sn.incidents).toEqual([]); // ServiceNow's threshold is CRITICAL
    const update = hub.commandCalls(BatchUpdateFindingsCommand)[0].args[0].input;
    expect(update.FindingIdentifiers).toEqual([{ Id: FINDING_ID, ProductArn: PRODUCT_ARN }]);
    expect(update.UserDefinedFields).toEqual({
      'undo.1': '[{"s":"ec2","o":"AuthorizeSecurityGroupIngress"}]',
      [TICKET_FIELD]: `jira SEC-1 ${jira.url}/browse/SEC-1`,
    });
    const [email, chat] = published();
    expect(email.Message).toContain(`Tickets:\n  jira SEC-1 ${jira.url}/browse/SEC-1 (opened)`);
    expect(chat.TopicArn).toBe(CHAT_TOPIC);
    expect(JSON.parse(chat.Message ?? '{}').content.description).toContain(`*Ticket:* jira SEC-1 ${jira.url}/browse/SEC-1 (opened)`);
  });

  it('a CRITICAL finding opens tickets in both systems; the ServiceNow group name is looked up to its sys_id', async () => {
    const cfg = config();
    await handleIntake(event(intakeRecord('m-1', attributes({ severity: 'CRITICAL' }))), cfg, routerDeps(cfg));
    expect(jira.issues).toHaveLength(1);
    expect(sn.incidents.map((i) => [i.number, i.assignment_group, i.correlation_id, i.urgency])).toEqual([
      ['INC0010001', sn.groups[0].sys_id, dedupeKey(FINDING_ID), '1'],
    ]);
    expect(findingFields[TICKET_FIELD]).toMatch(/^jira SEC-1 \S+; servicenow INC0010001 \S+$/);
  });

  it('a MEDIUM finding opens no ticket and touches neither Security Hub nor the secrets', async () => {
    const cfg = config();
    await handleIntake(event(intakeRecord('m-1', attributes({ severity: 'MEDIUM' }))), cfg, routerDeps(cfg));
    expect(jira.requests).toEqual([]);
    expect(hub.calls()).toEqual([]);
    expect(secrets.calls()).toEqual([]);
    expect(emails()[0].Message).not.toContain('Tickets:');
  });

  it('a later alert for the same finding comments on its ticket instead of opening another, and leaves the finding’s field alone', async () => {
    const cfg = config();
    const deps = routerDeps(cfg);
    await handleIntake(event(intakeRecord('m-1')), cfg, deps);
    const updates = hub.commandCalls(BatchUpdateFindingsCommand).length;
    const { summary } = await handleIntake(event(intakeRecord('m-2', attributes(), '[HIGH] payments-prod: again')), cfg, deps);
    expect(summary).toMatchObject({ ticketsOpened: 0, ticketComments: 1 });
    expect(jira.issues).toHaveLength(1);
    expect(JSON.stringify(jira.issues[0].comments)).toContain('[HIGH] payments-prod: again');
    // The field already says SEC-1: no second update, so our own Imported event cannot start a loop.
    expect(hub.commandCalls(BatchUpdateFindingsCommand)).toHaveLength(updates);
    expect(emails()[1].Message).toContain('jira SEC-1');
    expect(emails()[1].Message).toContain('(already open; commented)');
  });

  it('a redelivered alert whose e-mail failed the first time adds no second comment and opens nothing', async () => {
    const cfg = config();
    const deps = routerDeps(cfg);
    await handleIntake(event(intakeRecord('m-1')), cfg, deps);
    sns.reset(); // the mock's "once" counts calls from its last reset
    sns.on(PublishCommand).rejectsOnce(new Error('SNS throttled')).resolves({ MessageId: 'out-2' });
    const first = await handleIntake(event(intakeRecord('m-2')), cfg, deps);
    expect(first.response.batchItemFailures).toEqual([{ itemIdentifier: 'sqs-m-2' }]);
    const again = await handleIntake(event(intakeRecord('m-2')), cfg, deps);
    expect(again.response.batchItemFailures).toEqual([]);
    expect(jira.issues).toHaveLength(1);
    expect(jira.issues[0].comments).toHaveLength(1);
  });

  it('Jira finding its own issue (the table lost it) comments on that issue instead of opening a second', async () => {
    const cfg = config();
    await handleIntake(event(intakeRecord('m-1')), cfg, routerDeps(cfg));
    await handleIntake(event(intakeRecord('m-2')), cfg, routerDeps(cfg, new MemoryStormStore()));
    expect(jira.issues).toHaveLength(1);
    expect(jira.issues[0].comments).toHaveLength(1);
  });

  it('a ticket key an actor wrote on the finding neither stops the ticket nor receives its comments, and is overwritten', async () => {
    findingFields[TICKET_FIELD] = 'jira SEC-999 https://attacker.example/browse/SEC-999';
    const cfg = config();
    await handleIntake(event(intakeRecord('m-1')), cfg, routerDeps(cfg));
    expect(jira.issues.map((i) => i.key)).toEqual(['SEC-1']);
    expect(jira.requests.some((r) => r.path.includes('SEC-999'))).toBe(false);
    expect(findingFields[TICKET_FIELD]).toBe(`jira SEC-1 ${jira.url}/browse/SEC-1`);
  });

  it('a finding held in a storm still gets its ticket, and its digest line will name it', async () => {
    const cfg = { ...config(), storm: { threshold: 1, windowMinutes: 5 } };
    const store = new MemoryStormStore();
    const { summary } = await handleIntake(
      event(intakeRecord('m-1'), intakeRecord('m-2', attributes(), '[HIGH] payments-prod: second')),
      cfg,
      routerDeps(cfg, store),
    );
    expect(summary).toMatchObject({ now: 1, held: 1 });
    const [held] = await store.due(new Date('2026-11-26T10:05:00Z'));
    expect(held.alert.detail?.tickets).toBe(`jira SEC-1 ${jira.url}/browse/SEC-1 (already open; commented)`);
  });
});

describe('tickets: the evidence record of each ticket', () => {
  it("a ticket opened is recorded in the evidence bucket by route: the ticket, the alert and the finding, joined to the decision's record by finding id", async () => {
    const cfg = config();
    await handleIntake(event(intakeRecord('m-1')), cfg, routerDeps(cfg));
    const [written, ...more] = evidenceWritten();
    expect(more).toEqual([]);
    expect(written.bucket).toBe(EVIDENCE_BUCKET);
    expect(written.key).toMatch(/^decisions\/dt=2026-11-26\/111111111111-eu-west-1-route-[0-9a-f]{32}\.json$/);
    expect(written.record).toMatchObject({
      function: 'route',
      account_id: '111111111111',
      account_name: 'payments-prod',
      region: REGION,
      finding_id: FINDING_ID,
      product_arn: PRODUCT_ARN,
      severity: 'HIGH',
      action: 'NONE',
      outcome: 'TICKET_OPENED',
      would_remediate: false,
      handled_at: '2026-11-26T10:00:30.000Z',
      alert: { subject: '[HIGH] payments-prod: Security group open to the world' },
      ticket: { system: 'jira', key: 'SEC-1', url: `${jira.url}/browse/SEC-1`, status: 'opened', alert_id: 'm-1' },
    });
    // Written: the alert says nothing more about it.
    expect(emails()[0].Message).not.toContain('evidence');
  });

  it('a later alert’s comment is a record of its own; a redelivery whose ticket work was done writes an "unchanged" one, not over the first', async () => {
    const cfg = config();
    const deps = routerDeps(cfg);
    await handleIntake(event(intakeRecord('m-1')), cfg, deps);
    sns.reset();
    sns.on(PublishCommand).rejectsOnce(new Error('SNS throttled')).resolves({ MessageId: 'out-2' });
    await handleIntake(event(intakeRecord('m-2')), cfg, deps);
    await handleIntake(event(intakeRecord('m-2')), cfg, deps);
    const written = evidenceWritten();
    expect(written.map((w) => [w.record.ticket.alert_id, w.record.ticket.status])).toEqual([
      ['m-1', 'opened'],
      ['m-2', 'commented'],
      ['m-2', 'unchanged'],
    ]);
    expect(new Set(written.map((w) => w.key)).size).toBe(3);
  });

  it('a CRITICAL finding: one record per system', async () => {
    const cfg = config();
    await handleIntake(event(intakeRecord('m-1', attributes({ severity: 'CRITICAL' }))), cfg, routerDeps(cfg));
    expect(evidenceWritten().map((w) => [w.record.ticket.system, w.record.ticket.key])).toEqual([
      ['jira', 'SEC-1'],
      ['servicenow', sn.incidents[0].number],
    ]);
  });

  it("the bucket refusing: the record waits in route's dead-letter queue, the alert says so, and the ticket and alert still go out", async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    const cfg = config();
    const { response, summary } = await handleIntake(event(intakeRecord('m-1')), cfg, routerDeps(cfg));
    expect(response.batchItemFailures).toEqual([]);
    expect(summary).toMatchObject({ now: 1, ticketsOpened: 1 });
    const dead = jobsSent().filter((m) => m.QueueUrl === ROUTE_DLQ_URL);
    expect(dead).toHaveLength(1);
    expect(dead[0].MessageAttributes?.kind.StringValue).toBe('evidence');
    expect(JSON.parse(dead[0].MessageBody ?? '{}')).toMatchObject({ function: 'route', ticket: { key: 'SEC-1' } });
    expect(emails()[0].Message).toContain(
      `The evidence record of jira SEC-1 was NOT written to the evidence bucket (AccessDenied: Access Denied); it waits in ${ROUTE_DLQ_URL} (an alarm is raised).`,
    );
  });

  it('a ticket opened at last from the job queue is recorded then, with the alert that asked for it', async () => {
    jira.failNext('search', { status: 503 }, 2);
    const cfg = config();
    const deps = routerDeps(cfg);
    await handleIntake(event(intakeRecord('m-1')), cfg, deps);
    expect(evidenceWritten()).toEqual([]);
    const body = jobsSent()[0].MessageBody ?? '';
    await handleIntake(event({ messageId: 'job-1', eventSourceARN: JOB_QUEUE_ARN, body }), cfg, deps);
    expect(evidenceWritten().map((w) => w.record)).toMatchObject([
      {
        function: 'route',
        finding_id: FINDING_ID,
        product_arn: PRODUCT_ARN,
        region: REGION,
        outcome: 'TICKET_OPENED',
        ticket: { key: 'SEC-1', status: 'opened', alert_id: 'm-1' },
      },
    ]);
  });
});

describe('tickets: one per finding, whatever the timing', () => {
  it('while another alert of the finding holds the claim to open its ticket, this one opens none and waits for the retry', async () => {
    const cfg = config();
    const store = new MemoryStormStore();
    const now = new Date('2026-11-26T10:00:30Z');
    expect(await store.claimTicket('jira', FINDING_ID, 'other-alert', now, new Date(now.getTime() + 60_000))).toBe(true);
    const { summary } = await handleIntake(event(intakeRecord('m-1')), cfg, routerDeps(cfg, store));
    expect(jira.calls('create')).toEqual([]);
    expect(summary.ticketFailures).toBe(1);
    expect(emails()[0].Message).toContain('No jira ticket was opened: another alert of this finding is opening its jira ticket right now.');
    expect(JSON.parse(jobsSent()[0].MessageBody ?? '{}')).toMatchObject({ system: 'jira', alertId: 'm-1' });
  });

  it('a claim that expired (its holder crashed) is taken over', async () => {
    const cfg = config();
    const store = new MemoryStormStore();
    const long = new Date('2026-11-26T09:00:00Z');
    await store.claimTicket('jira', FINDING_ID, 'crashed-alert', long, new Date(long.getTime() + 60_000));
    await handleIntake(event(intakeRecord('m-1')), cfg, routerDeps(cfg, store));
    expect(jira.issues.map((i) => i.key)).toEqual(['SEC-1']);
  });

  it('a remembered ticket that was deleted (404 on the comment) is forgotten, and the finding gets a ticket again', async () => {
    const cfg = config();
    const deps = routerDeps(cfg);
    await handleIntake(event(intakeRecord('m-1')), cfg, deps);
    jira.issues.length = 0; // deleted in Jira
    const { summary } = await handleIntake(event(intakeRecord('m-2')), cfg, deps);
    expect(summary).toMatchObject({ ticketsOpened: 1, ticketFailures: 0 });
    expect(jira.calls('create')).toHaveLength(2);
    expect(jira.issues).toHaveLength(1);
    expect(JSON.stringify(jira.calls('comment'))).toContain('/rest/api/3/issue/SEC-1/comment'); // the 404
    expect(emails()[1].Message).toContain(`jira ${jira.issues[0].key} ${jira.url}/browse/${jira.issues[0].key} (opened)`);
  });

  it('the field on the finding lists every system’s ticket, also when one of them opened later from the job queue', async () => {
    sn.failNext('group', { status: 503 }, 2);
    const cfg = config();
    const deps = routerDeps(cfg);
    await handleIntake(event(intakeRecord('m-1', attributes({ severity: 'CRITICAL' }))), cfg, deps);
    expect(findingFields[TICKET_FIELD]).toBe(`jira SEC-1 ${jira.url}/browse/SEC-1`);
    const body = jobsSent()[0].MessageBody ?? '';
    await handleIntake(event({ messageId: 'job-1', eventSourceARN: JOB_QUEUE_ARN, body }), cfg, deps);
    expect(findingFields[TICKET_FIELD]).toMatch(/^jira SEC-1 \S+; servicenow INC0010001 \S+$/);
  });

  it('a finding still NEW (its responder could not record it) is not updated: the update would start its responder again', async () => {
    hub.on(GetFindingsCommand).resolves({ Findings: [{ Id: FINDING_ID, ProductArn: PRODUCT_ARN, Workflow: { Status: 'NEW' } }] as never });
    const cfg = config();
    await handleIntake(event(intakeRecord('m-1')), cfg, routerDeps(cfg));
    expect(jira.issues).toHaveLength(1);
    expect(hub.commandCalls(BatchUpdateFindingsCommand)).toEqual([]);
    expect(emails()[0].Message).toContain('The ticket key was not recorded on the finding: it is still NEW');
  });

  it('past the batch’s time for tickets, later alerts queue theirs for the retry and still go out at once', async () => {
    const cfg = config();
    let t = new Date('2026-11-26T10:00:30Z').getTime();
    const deps = { ...routerDeps(cfg), now: () => new Date((t += 15_000)) };
    const records = ['m-1', 'm-2', 'm-3'].map((id, i) => {
      const r = intakeRecord(id, attributes(), `[HIGH] payments-prod: finding ${id}`);
      return { ...r, body: r.body.replaceAll(FINDING_ID, `${FINDING_ID}-${i}`) };
    });
    const { summary } = await handleIntake(event(...records), cfg, deps);
    expect(summary.now).toBe(3);
    expect(jira.issues.length).toBeLessThan(3);
    expect(emails()[2].Message).toContain("No jira ticket was opened: not tried yet: this batch's time for tickets was spent on earlier alerts.");
    expect(jobsSent().length).toBe(3 - jira.issues.length);
  });

  it('a job whose ticket was opened by an earlier receive (its announcement failed) announces it now, and opens nothing', async () => {
    jira.failNext('search', { status: 503 }, 2);
    const cfg = config();
    const deps = routerDeps(cfg);
    await handleIntake(event(intakeRecord('m-1')), cfg, deps);
    const job = { messageId: 'job-1', eventSourceARN: JOB_QUEUE_ARN, body: jobsSent()[0].MessageBody ?? '' };
    sns.reset();
    sns.on(PublishCommand).rejectsOnce(new Error('SNS throttled')).resolves({ MessageId: 'out-3' });
    expect((await handleIntake(event(job), cfg, deps)).response.batchItemFailures).toEqual([{ itemIdentifier: 'job-1' }]);
    expect((await handleIntake(event(job), cfg, deps)).response.batchItemFailures).toEqual([]);
    expect(jira.issues).toHaveLength(1);
    // The failed publish, then the one that went out.
    expect(emails().map((e) => e.Subject)).toEqual(Array(2).fill('[HIGH] payments-prod: ticket SEC-1 opened: Security group open to the world'));
  });
});

describe('tickets: failures never hold the alert back', () => {
  it('Jira down: the alert goes out at once saying no ticket was opened, and the request waits in the job queue', async () => {
    jira.failNext('search', { status: 503, body: { errorMessages: ['Service unavailable'] } }, 2);
    const cfg = config();
    const { response, summary } = await handleIntake(event(intakeRecord('m-1')), cfg, routerDeps(cfg));
    expect(response.batchItemFailures).toEqual([]);
    expect(summary).toMatchObject({ now: 1, ticketsOpened: 0, ticketFailures: 1 });
    expect(clock.waits).toEqual([500]); // the router's budget: two attempts, half a second apart
    const [job] = jobsSent();
    expect(job).toMatchObject({ QueueUrl: JOB_QUEUE_URL, DelaySeconds: TICKET_RETRY_DELAY_SECONDS });
    expect(JSON.parse(job.MessageBody ?? '{}')).toMatchObject({ type: 'ticket', system: 'jira', alertId: 'm-1', request: { findingId: FINDING_ID } });
    expect(emails()[0].Message).toContain('No jira ticket was opened: jira POST /rest/api/3/search/jql: HTTP 503: Service unavailable (after 2 attempts).');
    expect(emails()[0].Message).toContain('after that it waits in acme-ticket-jobs-dlq, which raises an alarm');
    expect(hub.commandCalls(BatchUpdateFindingsCommand)).toEqual([]);
  });

  it('a system that failed is not asked again for the rest of the batch: one timeout per batch, not one per alert', async () => {
    jira.failNext('search', { status: 503 }, 2);
    const cfg = config();
    const other = (id: string) => intakeRecord(id, attributes(), `[HIGH] payments-prod: finding ${id}`);
    const records = [other('m-1'), other('m-2'), other('m-3')].map((r, i) => ({
      ...r,
      body: r.body.replaceAll(FINDING_ID, `${FINDING_ID}-${i}`),
    }));
    const { response, summary } = await handleIntake(event(...records), cfg, routerDeps(cfg));
    expect(response.batchItemFailures).toEqual([]);
    expect(summary).toMatchObject({ now: 3, ticketFailures: 3 });
    expect(jira.requests).toHaveLength(2); // the first alert's two attempts; the others were not tried
    expect(jobsSent()).toHaveLength(3);
    expect(emails()[2].Message).toContain(
      'No jira ticket was opened: not tried: jira failed earlier in this batch (jira POST /rest/api/3/search/jql: HTTP 503',
    );
  });

  it('a later alert whose comment fails says the existing ticket could not be updated, not that none was opened', async () => {
    const cfg = config();
    const deps = routerDeps(cfg);
    await handleIntake(event(intakeRecord('m-1')), cfg, deps);
    jira.failNext('comment', { status: 500 }, 2);
    await handleIntake(event(intakeRecord('m-2')), cfg, deps);
    expect(emails()[1].Message).toContain(
      `The jira ticket SEC-1 ${jira.url}/browse/SEC-1 could not be updated: jira POST /rest/api/3/issue/SEC-1/comment: HTTP 500`,
    );
    expect(JSON.parse(jobsSent()[0].MessageBody ?? '{}')).toMatchObject({ type: 'ticket', system: 'jira', alertId: 'm-2' });
  });

  it('the job succeeds once Jira is back: the issue is opened, written on the finding, and an alert says so at once', async () => {
    jira.failNext('search', { status: 503 }, 2);
    const cfg = config();
    const deps = routerDeps(cfg);
    await handleIntake(event(intakeRecord('m-1')), cfg, deps);
    const body = jobsSent()[0].MessageBody ?? '';
    const { response, summary } = await handleIntake(event({ messageId: 'job-1', eventSourceARN: JOB_QUEUE_ARN, body }), cfg, deps);
    expect(response.batchItemFailures).toEqual([]);
    expect(summary).toMatchObject({ ticketsOpened: 1 });
    expect(jira.issues.map((i) => i.key)).toEqual(['SEC-1']);
    expect(findingFields[TICKET_FIELD]).toBe(`jira SEC-1 ${jira.url}/browse/SEC-1`);
    const late = emails()[1];
    expect(late.Subject).toBe('[HIGH] payments-prod: ticket SEC-1 opened: Security group open to the world');
    expect(late.Message).toContain('could not be opened at first; it is now.');
    expect(late.MessageAttributes?.kind.StringValue).toBe('ticket');
  });

  it('a job that fails again is returned as a batch item failure, so the queue retries it and then dead-letters it', async () => {
    const cfg = config();
    const job: TicketJob = JSON.parse(
      JSON.stringify({
        type: 'ticket',
        system: 'jira',
        alertId: 'm-1',
        request: { findingId: FINDING_ID, title: 't', severity: 'HIGH', accountId: '111111111111', accountName: 'payments-prod', description: 'd' },
        comment: 'c',
        subject: 's',
        attributes: attributes(),
      }),
    );
    jira.failNext('search', { status: 500 }, 2);
    const { response, summary } = await handleIntake(
      event({ messageId: 'job-1', eventSourceARN: JOB_QUEUE_ARN, body: JSON.stringify(job) }),
      cfg,
      routerDeps(cfg),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'job-1' }]);
    expect(summary.ticketFailures).toBe(1);
    expect(emails()).toEqual([]);
  });

  it('a secret nobody filled yet: the alert says how to put its value; no secret value appears anywhere', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: 'security-response/jira' })
      .rejects(
        new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT", $metadata: {} }),
      );
    const cfg = config();
    await handleIntake(event(intakeRecord('m-1', attributes({ severity: 'CRITICAL' }))), cfg, routerDeps(cfg));
    const message = emails()[0].Message ?? '';
    expect(message).toContain(
      `No jira ticket was opened: jira: the secret security-response/jira has no value in ${REGION}; put one with: aws secretsmanager put-secret-value --secret-id security-response/jira`,
    );
    expect(message).toContain('servicenow INC0010001'); // the other system still got its ticket
    expect(message).not.toContain(SN_PASSWORD);
    expect(JSON.stringify(jobsSent())).not.toContain(SN_PASSWORD);
  });

  it('a secret of the wrong shape names the missing fields, not the values', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: 'security-response/jira' }).resolves({ SecretString: JSON.stringify({ user: 'x', token: JIRA_TOKEN }) });
    const cfg = config();
    await handleIntake(event(intakeRecord('m-1')), cfg, routerDeps(cfg));
    const message = emails()[0].Message ?? '';
    expect(message).toContain('jira: the secret security-response/jira lacks email, apiToken; it must be {"email":');
    expect(message).not.toContain(JIRA_TOKEN);
  });

  it('credentials refused (a rotated secret) are read again on the next try', async () => {
    const cfg = config();
    const deps = routerDeps(cfg);
    await handleIntake(event(intakeRecord('m-1')), cfg, deps);
    jira.failNext('comment', { status: 401, body: { errorMessages: ['Unauthorized'] } });
    await handleIntake(event(intakeRecord('m-2')), cfg, deps);
    await handleIntake(event(intakeRecord('m-3')), cfg, deps);
    expect(secrets.commandCalls(GetSecretValueCommand, { SecretId: 'security-response/jira' })).toHaveLength(2);
  });
});

describe('tickets: undo notes', () => {
  const undoEvent = (note: { Text: string; UpdatedBy: string; UpdatedAt: string }) => ({
    messageId: `undo-${note.UpdatedAt}`,
    eventSourceARN: JOB_QUEUE_ARN,
    body: JSON.stringify({
      'detail-type': 'Security Hub Findings - Imported',
      source: 'aws.securityhub',
      detail: { findings: [{ Id: FINDING_ID, ProductArn: PRODUCT_ARN, Note: note }] },
    }),
  });
  const note = {
    Text: `${UNDO_NOTE_PREFIX} arn:aws:sts::111111111111:assumed-role/Admin/alice (npm run undo).`,
    UpdatedBy: 'security-response',
    UpdatedAt: '2026-11-26T11:00:00Z',
  };

  it('comments on the finding’s ticket once, quoting the note; the same note imported again adds nothing', async () => {
    const cfg = config();
    const deps = routerDeps(cfg);
    await handleIntake(event(intakeRecord('m-1')), cfg, deps);
    const first = await handleIntake(event(undoEvent(note)), cfg, deps);
    expect(first.summary.ticketComments).toBe(1);
    expect(JSON.stringify(jira.issues[0].comments)).toContain(
      "The finding's note says its remediation was undone (npm run undo writes this note; it is not verified here).",
    );
    expect(JSON.stringify(jira.issues[0].comments)).toContain('assumed-role/Admin/alice');
    await handleIntake(event(undoEvent(note)), cfg, deps);
    expect(jira.issues[0].comments).toHaveLength(1);
  });

  it('a note written by anyone else, or one that is not an undo note, adds no comment', async () => {
    const cfg = config();
    const deps = routerDeps(cfg);
    await handleIntake(event(intakeRecord('m-1')), cfg, deps);
    await handleIntake(event(undoEvent({ ...note, UpdatedBy: 'arn:aws:iam::111111111111:user/mallory' })), cfg, deps);
    await handleIntake(event(undoEvent({ ...note, Text: 'Suppressed by security-response', UpdatedAt: '2026-11-26T12:00:00Z' })), cfg, deps);
    expect(jira.issues[0].comments).toEqual([]);
  });
});
