import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createLiveAws } from '../../../../functions/shared/aws';
import { silentLog } from '../../../../functions/shared/log';
import { chatForAlert, CHAT_DESCRIPTION_CHARS } from '../../../../functions/shared/routing/chat';
import { chatTopicsFor, deliver, type DeliveryTargets } from '../../../../functions/shared/routing/delivery';
import { handleFlush, handleIntake, isScheduledFlush } from '../../../../functions/runtime/route-handler';
import { MemoryStormStore, type OutgoingAlert } from '../../../../functions/shared/routing/route';

const sns = mockClient(SNSClient);
beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'out-1' });
});

const topic = (name: string) => `arn:aws:sns:eu-west-1:222222222222:acme-${name}`;
const targets: DeliveryTargets = {
  emailTopicArn: topic('security-alerts-email'),
  everythingChatTopicArn: topic('security-alerts-chat-all'),
  teamChat: { payments: { topicArn: topic('security-alerts-chat-payments'), minSeverity: 'HIGH' } },
};

const attributes = {
  kind: 'finding',
  severity: 'HIGH',
  account: '111111111111',
  accountName: 'payments-prod',
  team: 'payments',
  category: 'network-exposure',
  action: 'REVOKE_PUBLIC_INGRESS',
  outcome: 'REMEDIATED',
};
const out: OutgoingAlert = {
  alert: { subject: '[HIGH] payments-prod: Security group open to the world', message: 'What: Security group open to the world\n...', attributes },
  detail: {
    title: 'Security group open to the world',
    region: 'eu-west-1',
    done: 'REVOKE_PUBLIC_INGRESS (enforce): REMEDIATED. Revoked 0.0.0.0/0 on tcp/22.',
    undo: "npm run undo -- 'arn:aws:securityhub:eu-west-1:111111111111:finding/1'",
    link: 'https://eu-west-1.console.aws.amazon.com/securityhub/home?region=eu-west-1#/findings?search=Id%3D...',
    findingId: 'arn:aws:securityhub:eu-west-1:111111111111:finding/1',
  },
  alertIds: ['m-1'],
};

const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);

describe('delivery: e-mail gets today’s text, chat gets a Chatbot custom notification', () => {
  it('publishes the e-mail text with its filter attributes, then one notification to each chat channel the alert is for', async () => {
    const outcome = await deliver(out, targets, createLiveAws(), silentLog);
    expect(outcome.chatFailures).toEqual([]);
    const [email, ...chat] = published();
    expect(email).toMatchObject({ TopicArn: targets.emailTopicArn, Subject: out.alert.subject, Message: out.alert.message });
    expect(email.MessageAttributes?.team).toEqual({ DataType: 'String', StringValue: 'payments' });
    expect(chat.map((c) => c.TopicArn)).toEqual([topic('security-alerts-chat-all'), topic('security-alerts-chat-payments')]);
    for (const c of chat) {
      expect(c.Subject).toBeUndefined();
      expect(JSON.parse(c.Message ?? '')).toMatchObject({
        version: '1.0',
        source: 'custom',
        content: { textType: 'client-markdown', title: out.alert.subject },
      });
    }
  });

  it('a team’s channel gets only its own accounts’ alerts at or above its severity; the everything channel gets all', () => {
    expect(chatTopicsFor({ ...attributes, severity: 'MEDIUM' }, targets)).toEqual([topic('security-alerts-chat-all')]);
    expect(chatTopicsFor({ ...attributes, team: 'data' }, targets)).toEqual([topic('security-alerts-chat-all')]);
    expect(chatTopicsFor({ ...attributes, severity: 'CRITICAL' }, { ...targets, everythingChatTopicArn: undefined })).toEqual([
      topic('security-alerts-chat-payments'),
    ]);
  });

  it('the chat notification has the title, severity, account, what was done, the undo command and the console link', () => {
    const n = chatForAlert(out);
    expect(n.content.description).toContain('*Severity:* HIGH');
    expect(n.content.description).toContain('payments-prod (111111111111) eu-west-1');
    expect(n.content.description).toContain(out.detail?.done);
    expect(n.content.description).toContain(`\`${out.detail?.undo ?? ''}\``);
    expect(n.content.description).toContain(out.detail?.link);
    expect(n.content.nextSteps).toEqual([`Undo: ${out.detail?.undo ?? ''}`, `Open the finding: ${out.detail?.link ?? ''}`]);
    expect(n.metadata.threadId).toBe(out.detail?.findingId);
  });

  it('an alert without structured detail (an alarm, an older function) shows its text in chat, cut to what a message shows', () => {
    const n = chatForAlert({ alert: { subject: '[ALARM] acme-respond-dead-letters', message: 'x'.repeat(10_000), attributes: {} }, alertIds: ['m-2'] });
    expect(n.content.description.length).toBeLessThanOrEqual(CHAT_DESCRIPTION_CHARS);
    expect(n.content.description).toContain('the e-mail has the whole text');
    expect(n.metadata.eventType).toBe('security-response:alarm');
  });

  it('a failed e-mail publish throws (the queue retries the alert); a failed chat publish is reported, not retried', async () => {
    sns.on(PublishCommand, { TopicArn: targets.emailTopicArn }).rejects(new Error('KMS key disabled'));
    await expect(deliver(out, targets, createLiveAws(), silentLog)).rejects.toThrow('KMS key disabled');
    expect(published()).toHaveLength(1);

    sns.reset();
    sns.on(PublishCommand).resolves({});
    sns.on(PublishCommand, { TopicArn: topic('security-alerts-chat-all') }).rejects(new Error('AuthorizationError'));
    const outcome = await deliver(out, targets, createLiveAws(), silentLog);
    expect(outcome.chatFailures).toEqual([`${topic('security-alerts-chat-all')}: Error: AuthorizationError`]);
    expect(published().map((p) => p.TopicArn)).toEqual([targets.emailTopicArn, topic('security-alerts-chat-all'), topic('security-alerts-chat-payments')]);
  });
});

describe('the route function’s two events', () => {
  const notification = (id: string, over: Record<string, string> = {}) => ({
    messageId: `sqs-${id}`,
    body: JSON.stringify({
      Type: 'Notification',
      MessageId: id,
      Subject: `[HIGH] payments-prod: finding ${id}`,
      Message: `finding ${id}`,
      Timestamp: '2026-11-26T10:06:00.000Z',
      MessageAttributes: Object.fromEntries(Object.entries({ ...attributes, ...over }).map(([k, v]) => [k, { Type: 'String', Value: v }])),
    }),
  });
  const batch = (...records: { messageId: string; body: string }[]) => ({ Records: records }) as unknown as SQSEvent;
  const config = { storm: { threshold: 2, windowMinutes: 5 }, targets: { emailTopicArn: targets.emailTopicArn, teamChat: {} } };

  it('routes a batch: the first alerts now, the rest held; a bad message is a batch item failure and the rest still go', async () => {
    const deps = { aws: createLiveAws(), store: new MemoryStormStore(), log: silentLog, now: () => new Date('2026-11-26T10:06:30Z') };
    const { response, summary } = await handleIntake(
      batch(notification('a'), { messageId: 'sqs-bad', body: 'not json' }, notification('b'), notification('c')),
      config,
      deps,
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'sqs-bad' }]);
    expect(summary).toMatchObject({ now: 2, held: 1, unreadable: 1, failed: 0 });
    expect(published().map((p) => p.Subject)).toEqual(['[HIGH] payments-prod: finding a', '[HIGH] payments-prod: finding b']);

    sns.resetHistory();
    const flushed = await handleFlush(config, { ...deps, now: () => new Date('2026-11-26T10:10:00Z') });
    expect(flushed).toMatchObject({ digests: 1, alerts: 1, failed: 0 });
    expect(published()[0]?.Subject).toBe('[HIGH] payments-prod: 1 alert held in an alert storm, 10:05-10:10 UTC');
  });

  it('an alert whose e-mail publish failed is returned for retry, and is sent (once) when the retry succeeds', async () => {
    const deps = { aws: createLiveAws(), store: new MemoryStormStore(), log: silentLog, now: () => new Date() };
    sns.on(PublishCommand).rejectsOnce(new Error('Throttling')).resolves({});
    const first = await handleIntake(batch(notification('a')), config, deps);
    expect(first.response.batchItemFailures).toEqual([{ itemIdentifier: 'sqs-a' }]);
    const retry = await handleIntake(batch(notification('a')), config, deps);
    expect(retry.response.batchItemFailures).toEqual([]);
    expect(retry.summary.now).toBe(1);
    const again = await handleIntake(batch(notification('a')), config, deps);
    expect(again.summary.duplicates).toBe(1);
  });

  it('tells the scheduled flush from an intake batch', () => {
    expect(isScheduledFlush({ 'detail-type': 'Scheduled Event', source: 'aws.events' })).toBe(true);
    expect(isScheduledFlush(batch(notification('a')))).toBe(false);
  });
});
