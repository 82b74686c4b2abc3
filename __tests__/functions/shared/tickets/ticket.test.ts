import type { Alert } from '../../../../functions/shared/notify';
import { dedupeKey, oneLine, ticketRequestFor, ticketText } from '../../../../functions/shared/tickets/ticket';
import { FINDING_ID, LINK, request } from './fixtures';

const alert: Alert = {
  subject: '[HIGH] payments-prod: Security group open to the world',
  message: 'What: Security group open to the world\n...',
  attributes: { kind: 'finding', severity: 'HIGH', account: '111111111111', accountName: 'payments-prod', team: 'payments' },
  detail: { title: 'Security group open to the world', region: 'eu-west-1', link: LINK, findingId: FINDING_ID, undo: `npm run undo -- '${FINDING_ID}'` },
};

describe('ticket requests', () => {
  it('are built from an alert about a finding: account and severity from its attributes, the e-mail text as description', () => {
    expect(ticketRequestFor(alert)).toEqual({
      findingId: FINDING_ID,
      title: 'Security group open to the world',
      severity: 'HIGH',
      accountId: '111111111111',
      accountName: 'payments-prod',
      region: 'eu-west-1',
      description: alert.message,
      link: LINK,
      undo: `npm run undo -- '${FINDING_ID}'`,
    });
  });

  it('an alert without a finding id (an alarm, a digest) gets no ticket; an unknown severity is UNKNOWN', () => {
    expect(ticketRequestFor({ ...alert, detail: { title: 'alarm' } })).toBeUndefined();
    expect(ticketRequestFor({ ...alert, detail: undefined })).toBeUndefined();
    expect(ticketRequestFor({ ...alert, attributes: {} })).toMatchObject({ severity: 'UNKNOWN', accountId: 'unknown', accountName: 'unknown' });
  });

  it('the dedupe key is stable, short, and fits a Jira label and a correlation_id', () => {
    const key = dedupeKey(FINDING_ID);
    expect(key).toMatch(/^sr-[0-9a-f]{20}$/);
    expect(dedupeKey(FINDING_ID)).toBe(key);
    expect(dedupeKey(`${FINDING_ID}x`)).not.toBe(key);
  });

  it('the ticket text adds the finding id and link only when the e-mail text lacks them', () => {
    expect(ticketText(request)).toBe(`${request.description.trimEnd()}\n\nFinding ID: ${FINDING_ID}\nFinding: ${LINK}`);
    const complete = { ...request, description: `Id: ${FINDING_ID}\nConsole: ${LINK}\n` };
    expect(ticketText(complete)).toBe(`Id: ${FINDING_ID}\nConsole: ${LINK}`);
  });

  it('one line: whitespace folded, cut with an ellipsis', () => {
    expect(oneLine(' a\n\tb  c ', 10)).toBe('a b c');
    expect(oneLine('abcdefghij', 5)).toBe('abcd…');
  });
});
