import { PublishCommand } from '@aws-sdk/client-sns';
import fc from 'fast-check';
import { createLiveAws } from '../../../functions/shared/aws';
import { SEVERITIES } from '../../../functions/shared/catalogue';
import { MAX_SUBJECT_CHARS, alertSubject, consoleLink, lines, publishAlert, publishCommand, topicRegion, type Alert } from '../../../functions/shared/notify';
import { awsError, inputsOf, mockAllClients, regionOf } from './respond/aws-mocks';
import { CollectingLog } from './respond/events';

const aws = mockAllClients();
beforeEach(() => {
  aws.reset();
});

const TOPIC = 'arn:aws:sns:us-east-1:222222222222:acme-security-alerts';
const alert: Alert = {
  subject: '[HIGH] payments-prod: S3 general purpose buckets should block public access',
  message: 'What: S3.8\n',
  attributes: {
    kind: 'finding',
    severity: 'HIGH',
    account: '333333333333',
    accountName: 'payments-prod',
    team: 'payments',
    category: 'public-exposure',
    action: 'BLOCK_S3_PUBLIC_ACCESS',
    outcome: '',
  },
};

describe('alertSubject: SNS subjects are ASCII, one line, fewer than 100 characters', () => {
  it('carries severity, account name and title', () => {
    expect(alertSubject('CRITICAL', 'payments-prod', 'Security groups should not allow unrestricted access')).toBe(
      '[CRITICAL] payments-prod: Security groups should not allow unrestricted access',
    );
  });

  it('cuts a long title to 99 characters with an ellipsis', () => {
    const s = alertSubject('HIGH', 'payments-prod', 'x'.repeat(300));
    expect(s).toHaveLength(MAX_SUBJECT_CHARS);
    expect(s.length).toBeLessThan(100);
    expect(s.endsWith('...')).toBe(true);
    expect(s.startsWith('[HIGH] payments-prod: ')).toBe(true);
  });

  it('folds accents to ASCII and drops other non-ASCII characters', () => {
    expect(alertSubject('LOW', 'data-lake-prod', 'Données exposées — 🚨 ok')).toBe('[LOW] data-lake-prod: Donnees exposees ok');
  });

  // A tab or line break between two words must not glue them ("line\tend" → "line end").
  it('a line break or tab between words becomes one space, not nothing', () => {
    expect(alertSubject('LOW', 'data-lake-prod', 'first line\nsecond line\tend')).toBe('[LOW] data-lake-prod: first line second line end');
  });

  it('an empty or all non-ASCII title still gives a readable subject', () => {
    expect(alertSubject('MEDIUM', 'web', '')).toBe('[MEDIUM] web: security finding');
    expect(alertSubject('MEDIUM', 'web', '日本語のタイトル')).toBe('[MEDIUM] web: security finding');
  });

  it('for any title and account name: ASCII printable, < 100 characters, starts with the severity', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEVERITIES),
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        fc.string({ unit: 'binary', maxLength: 200 }),
        (severity, account, title) => {
          const s = alertSubject(severity, account, title);
          expect(s.length).toBeLessThan(100);
          expect(s).toMatch(/^[\x20-\x7e]+$/);
          expect(s.startsWith(`[${severity}] `)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('topicRegion', () => {
  it('is the region of the topic ARN', () => {
    expect(topicRegion(TOPIC)).toBe('us-east-1');
    expect(topicRegion('arn:aws:sns:eu-west-1:222222222222:t')).toBe('eu-west-1');
  });

  it('rejects something that is not an ARN', () => {
    expect(() => topicRegion('acme-security-alerts')).toThrow(/not an SNS topic ARN/);
  });
});

describe('publishAlert', () => {
  it('sends one PublishCommand to the topic with subject, message and string attributes', async () => {
    const out = await publishAlert(createLiveAws(), TOPIC, alert, new CollectingLog());
    expect(out).toMatchObject({ ok: true, call: { service: 'sns', operation: 'Publish', region: 'us-east-1' } });
    expect(inputsOf(aws.sns, PublishCommand)).toEqual([
      {
        TopicArn: TOPIC,
        Subject: alert.subject,
        Message: alert.message,
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'finding' },
          severity: { DataType: 'String', StringValue: 'HIGH' },
          account: { DataType: 'String', StringValue: '333333333333' },
          accountName: { DataType: 'String', StringValue: 'payments-prod' },
          team: { DataType: 'String', StringValue: 'payments' },
          category: { DataType: 'String', StringValue: 'public-exposure' },
          action: { DataType: 'String', StringValue: 'BLOCK_S3_PUBLIC_ACCESS' },
          // SNS rejects an empty attribute value
          outcome: { DataType: 'String', StringValue: 'none' },
        },
      },
    ]);
  });

  it("uses a client of the topic's region, whatever region the function runs in", async () => {
    await publishAlert(createLiveAws(), TOPIC, alert, new CollectingLog());
    await publishAlert(createLiveAws(), 'arn:aws:sns:eu-central-1:222222222222:other', alert, new CollectingLog());
    const regions = await Promise.all(aws.sns.commandCalls(PublishCommand).map(regionOf));
    expect(regions).toEqual(['us-east-1', 'eu-central-1']);
  });

  it('a failed publish is logged and returned, never thrown', async () => {
    aws.sns.on(PublishCommand).rejects(awsError('AuthorizationErrorException', 'not authorized to perform: SNS:Publish', 403));
    const log = new CollectingLog();
    const out = await publishAlert(createLiveAws(), TOPIC, alert, log);
    expect(out).toMatchObject({ ok: false, error: 'AuthorizationErrorException: not authorized to perform: SNS:Publish' });
    expect(log.errors()).toEqual([expect.objectContaining({ message: 'alert not published', extra: expect.objectContaining({ topicArn: TOPIC }) })]);
  });

  it('a bad topic ARN is a failed publish, not an exception', async () => {
    const out = await publishAlert(createLiveAws(), 'not-an-arn', alert, new CollectingLog());
    expect(out.ok).toBe(false);
    expect(aws.sns.calls()).toHaveLength(0);
  });

  it('publishCommand builds the real SDK command', () => {
    expect(publishCommand(TOPIC, alert)).toBeInstanceOf(PublishCommand);
  });
});

describe('consoleLink', () => {
  it('opens one ASFF finding: Security Hub console search Id EQUALS, the value URL-encoded twice', () => {
    const id = 'arn:aws:securityhub:eu-west-1:333333333333:security-control/S3.8/finding/a2f6';
    const link = consoleLink({ id, region: 'eu-west-1', format: 'asff' });
    expect(link.startsWith('https://eu-west-1.console.aws.amazon.com/securityhub/home?region=eu-west-1#/findings?search=Id%3D')).toBe(true);
    const value = link.split('search=Id%3D')[1];
    expect(decodeURIComponent(decodeURIComponent(value))).toBe(`\\operator\\:EQUALS\\:${id}`);
    expect(link).not.toMatch(/[\s"<>]/);
  });

  it('opens one OCSF finding in the Security Hub (V2) console by finding_info.uid', () => {
    const id = 'arn:aws:securityhub:us-east-1:555555555555:security-control/S3.8/finding/0e6a';
    const link = consoleLink({ id, region: 'us-east-1', format: 'ocsf' });
    expect(link).toContain('https://us-east-1.console.aws.amazon.com/securityhub/v2/home?region=us-east-1');
    expect(link).toContain(encodeURIComponent(id));
  });
});

describe('lines', () => {
  it('aligns labels and skips empty values', () => {
    expect(
      lines([
        ['What', 'x'],
        ['Owner', undefined],
        ['Where', 'y'],
      ]),
    ).toBe('What:  x\nWhere: y');
  });
});
