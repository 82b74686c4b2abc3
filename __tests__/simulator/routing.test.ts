/**
 * The simulator shows what the security account's router does with each alert: sent at once to the
 * e-mail topic and the chat topics it is for, or, past the storm threshold, held for the digest that
 * the next flush after the window sends.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFleet } from '../../config/load';
import type { DecisionCall } from '../../functions/shared/decision';
import { simulate } from '../../simulator/simulate';
import { TEST_ACCOUNTS_FILE } from '../helpers/config';

const fleet = loadFleet(TEST_ACCOUNTS_FILE);
const example = (file: string): Record<string, any> => JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'events', file), 'utf8'));
const publishes = (calls: DecisionCall[]) => calls.filter((c) => c.service === 'sns');
const topics = (calls: DecisionCall[]) => publishes(calls).map((c) => (c.input as { TopicArn: string }).TopicArn.split(':').pop());

describe('simulated routing', () => {
  it('an alert goes at once to e-mail, the everything channel and its team’s channel, chat as a Chatbot notification', async () => {
    const [d] = (await simulate(example('ec2-19-open-security-group.json'), fleet)).decisions;
    expect(d.routing?.admission).toBe('now');
    const calls = publishes(d.routing?.calls ?? []);
    expect(topics(calls)).toEqual(['acme-security-alerts-email', 'acme-security-alerts-chat-all', 'acme-security-alerts-chat-team-payments']);
    const email = calls[0]?.input as { Subject: string; MessageAttributes: Record<string, unknown> };
    expect(email.Subject).toMatch(/^\[CRITICAL\] payments-prod: /);
    expect(email.MessageAttributes).not.toHaveProperty('detail');
    const chat = JSON.parse((calls[1]?.input as { Message: string }).Message);
    expect(chat).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown', title: email.Subject } });
    expect(chat.content.description).toContain("npm run undo -- 'arn:aws:securityhub:eu-west-1:333333333333:security-control/EC2.19/finding/");
  });

  it('past the storm threshold the rest of the event waits for one digest, and every finding is in exactly one message', async () => {
    const event = example('ec2-19-open-security-group.json');
    const [finding] = event.detail.findings;
    event.detail.findings = Array.from({ length: 25 }, (_, i) => ({ ...finding, Id: `${finding.Id}-${i}` }));
    const config = JSON.parse(readFileSync(TEST_ACCOUNTS_FILE, 'utf8'));
    const result = await simulate(event, fleet);
    const admissions = result.decisions.map((d) => d.routing?.admission);
    const threshold = config.notifications.storm.threshold as number;
    // The example's finding is CRITICAL (a critical resource tag): CRITICAL always goes at once.
    expect(admissions.every((a) => a === 'now')).toBe(true);
    expect(result.digests).toBeUndefined();

    // MEDIUM on an untagged resource: the production account raises it to HIGH, not CRITICAL.
    const high = structuredClone(event);
    for (const f of high.detail.findings) {
      f.Resources[0].Tags = {};
      f.Severity = { Label: 'MEDIUM', Normalized: 40, Original: 'MEDIUM' };
    }
    const stormed = await simulate(high, fleet);
    const held = stormed.decisions.filter((d) => d.routing?.admission === 'held');
    expect(stormed.decisions.filter((d) => d.routing?.admission === 'now')).toHaveLength(threshold);
    expect(held).toHaveLength(25 - threshold);
    for (const d of held) expect(publishes(d.routing?.calls ?? [])).toEqual([]);
    expect(stormed.digests).toHaveLength(1);
    const digestEmail = stormed.digests?.[0]?.calls[0]?.input as { Subject: string; Message: string };
    expect(digestEmail.Subject).toMatch(/5 alerts held in an alert storm/);
    for (const d of held) expect(digestEmail.Message).toContain(d.notification?.subject);
  });

  it('a finding at or above a ticket system’s minSeverity shows the create request it would send first, as a jira or servicenow call', async () => {
    const [d] = (await simulate(example('ec2-19-open-security-group.json'), fleet)).decisions;
    const calls = d.routing?.calls ?? [];
    expect(calls.map((c) => `${c.service} ${c.operation}`).slice(0, 3)).toEqual(['jira CreateIssue', 'servicenow CreateIncident', 'sns Publish']);
    const issue = calls[0]?.input as { fields: { project: { key: string }; summary: string; labels: string[]; description: { type: string } } };
    expect(issue.fields.project.key).toBe('SEC');
    expect(issue.fields.summary).toMatch(/^\[CRITICAL\] payments-prod: /);
    expect(issue.fields.labels[0]).toBe('security-response');
    expect(issue.fields.description.type).toBe('doc');
    expect(calls[1]?.input).toMatchObject({ assignment_group: 'SecOps', urgency: '1', impact: '1', correlation_display: 'security-response' });
    expect(JSON.stringify(calls.slice(0, 2))).not.toMatch(/apiToken|password|Authorization/i);
  });

  it('a finding below the ticket threshold shows no ticket request', async () => {
    const config = JSON.parse(readFileSync(TEST_ACCOUNTS_FILE, 'utf8'));
    config.notifications.tickets.jira.minSeverity = 'CRITICAL';
    config.notifications.tickets.serviceNow.minSeverity = 'CRITICAL';
    const dir = mkdtempSync(join(tmpdir(), 'tickets-'));
    writeFileSync(join(dir, 'accounts.json'), JSON.stringify(config));
    const event = example('ec2-19-open-security-group.json');
    for (const f of event.detail.findings) {
      f.Resources[0].Tags = {};
      f.Severity = { Label: 'MEDIUM', Normalized: 40, Original: 'MEDIUM' };
    }
    const [d] = (await simulate(event, loadFleet(join(dir, 'accounts.json')))).decisions;
    expect(d.notification?.attributes.severity).toBe('HIGH');
    expect((d.routing?.calls ?? []).map((c) => c.service)).toEqual(['sns', 'sns', 'sns']);
  });
});
