import { BatchUpdateFindingsCommand } from '@aws-sdk/client-securityhub';
import { PublishCommand } from '@aws-sdk/client-sns';
import { createLiveAws } from '../../../functions/shared/aws';
import { analystNote, escalateFindings } from '../../../functions/shared/escalate';
import { parseEvent } from '../../../functions/shared/events';
import { settings } from './remediations/helpers';
import { awsError, inputsOf, mockAllClients, regionOf, resourceWrites } from './respond/aws-mocks';
import {
  ANALYST,
  CollectingLog,
  OTHER_ACCOUNT,
  bucketResource,
  controlFinding,
  customActionEvent,
  guardDutyFinding,
  instanceResource,
  securityGroupResource,
} from './respond/events';

const aws = mockAllClients();
beforeEach(() => {
  aws.reset();
});

const NOW = new Date('2026-03-14T09:52:31.000Z');
/** The escalate function runs in the security account's home region. */
const SECURITY = settings({ accountId: '222222222222', accountName: 'security', owner: undefined, region: 'us-east-1', production: false });

const NOTE = { Text: 'C2 beaconing from a payments batch worker. Escalating for forensics.', UpdatedBy: ANALYST, UpdatedAt: '2026-03-14T09:52:18.004Z' };
const withNote = (f: Record<string, any>, note: unknown = NOTE): Record<string, any> => ({ ...f, Note: note });

const backdoor = withNote(guardDutyFinding('Backdoor:EC2/C&CActivity.B!DNS', [instanceResource()], { title: 'first: C2 from instance', workflow: 'NOTIFIED' }));
const tls = controlFinding('S3.5', [bucketResource({ account: OTHER_ACCOUNT })], {
  account: OTHER_ACCOUNT,
  severity: 'MEDIUM',
  title: 'second: bucket without TLS',
});
const sg = controlFinding('EC2.19', [securityGroupResource()], { title: 'third: open security group', severity: 'CRITICAL' });

async function escalate(findings: unknown[], actionName = 'Escalate to SecOps', log = new CollectingLog()) {
  const parsed = parseEvent(customActionEvent(findings, actionName));
  if (parsed.kind !== 'securityhub-custom-action') throw new Error(`parsed as ${parsed.kind}`);
  return { parsed, decisions: await escalateFindings(parsed.findings, parsed.action, SECURITY, { aws: createLiveAws(), log, now: NOW }) };
}
const alerts = () => inputsOf(aws.sns, PublishCommand);
const updates = () => inputsOf(aws.securityhub, BatchUpdateFindingsCommand);

describe('escalate: every selected finding', () => {
  it('one alert per finding, in selection order, each naming the action', async () => {
    const { decisions } = await escalate([backdoor, tls, sg]);
    expect(decisions.map((d) => d.findingId)).toEqual([backdoor.Id, tls.Id, sg.Id]);
    expect(alerts()).toHaveLength(3);
    expect(alerts().map((a) => a.Subject)).toEqual([
      expect.stringContaining('escalated: first'),
      expect.stringContaining('escalated: second'),
      expect.stringContaining('escalated: third'),
    ]);
    for (const a of alerts()) expect(a.Message).toContain('"Escalate to SecOps"');
    for (const a of alerts()) expect(a.Message).toContain('Page the SecOps on-call and open an incident');
  });

  it("names the analyst from the note's UpdatedBy and carries the note text", async () => {
    await escalate([backdoor]);
    const [a] = alerts();
    expect(a.Message).toMatch(new RegExp(`Escalated: +"Escalate to SecOps" by ${ANALYST.replace(/[/.]/g, '\\$&')}`));
    expect(a.Message).toContain(NOTE.Text);
    expect(a.Message).toContain(backdoor.Id);
  });

  it('without a note it says the event does not name who (CloudTrail does)', async () => {
    await escalate([sg]);
    expect(alerts()[0].Message).toMatch(/by an analyst \(the custom action event does not name who; CloudTrail does\)/);
    expect(alerts()[0].Message).toMatch(/Analyst note: +none on the finding/);
  });

  it('sets NEW findings NOTIFIED and leaves the workflow of the others alone; the note is by security-response', async () => {
    await escalate([backdoor, tls, sg]);
    const byId = new Map<string, any>(updates().flatMap((u) => u.FindingIdentifiers.map((i: { Id: string }) => [i.Id, u])));
    expect(byId.get(tls.Id).Workflow).toEqual({ Status: 'NOTIFIED' });
    expect(byId.get(sg.Id).Workflow).toEqual({ Status: 'NOTIFIED' });
    expect(byId.get(backdoor.Id)).not.toHaveProperty('Workflow');
    for (const u of updates()) expect(u.Note.UpdatedBy).toBe('security-response');
    expect(byId.get(backdoor.Id).Note.Text).toMatch(new RegExp(`escalated to SecOps \\("Escalate to SecOps"\\) by ${ANALYST.replace(/[/.]/g, '\\$&')}`));
  });

  it('records in the security account home region, where the aggregated copies live', async () => {
    await escalate([tls]);
    expect(await regionOf(aws.securityhub.commandCalls(BatchUpdateFindingsCommand)[0])).toBe('us-east-1');
  });

  it('never remediates: no resource write, action NONE in every decision', async () => {
    const { decisions } = await escalate([backdoor, tls, sg]);
    expect(resourceWrites(aws)).toEqual([]);
    expect(decisions.every((d) => d.remediation?.action === 'NONE' && d.classification?.escalate === true)).toBe(true);
  });

  it('attributes for filter policies: severity, account, team, category, action', async () => {
    await escalate([backdoor]);
    expect(alerts()[0].MessageAttributes).toMatchObject({
      kind: { StringValue: 'escalation' },
      severity: { StringValue: 'HIGH' },
      account: { StringValue: '333333333333' },
      team: { StringValue: 'security' },
      category: { StringValue: 'malware' },
      action: { StringValue: 'NONE' },
    });
  });

  it('subjects stay under 100 ASCII characters', async () => {
    await escalate([controlFinding('EC2.19', [securityGroupResource()], { title: `Ünïcödé ${'very long title '.repeat(20)}` })]);
    expect(alerts()[0].Subject.length).toBeLessThan(100);
    expect(alerts()[0].Subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('20 findings (the console maximum): 20 alerts, at most one record request per distinct note', async () => {
    const twenty = Array.from({ length: 20 }, () => controlFinding('S3.8', [bucketResource()]));
    await escalate(twenty);
    expect(alerts()).toHaveLength(20);
    expect(updates()).toHaveLength(1);
    expect(updates()[0].FindingIdentifiers).toHaveLength(20);
  });

  it('a failed record does not stop the alerts', async () => {
    aws.securityhub.on(BatchUpdateFindingsCommand).rejects(awsError('AccessDeniedException', 'no', 403));
    await escalate([backdoor, sg]);
    expect(alerts()).toHaveLength(2);
  });

  it('a failed alert does not stop the next one', async () => {
    aws.sns.on(PublishCommand).rejectsOnce(awsError('ThrottledException', 'slow down')).resolves({ MessageId: 'm' });
    const log = new CollectingLog();
    await escalate([backdoor, sg], 'Escalate to SecOps', log);
    expect(aws.sns.commandCalls(PublishCommand)).toHaveLength(2);
    expect(log.errors()).toHaveLength(1);
  });
});

describe('the custom action event', () => {
  it('a malformed finding among the selection is a problem of the parse; the rest are escalated', async () => {
    const broken = { ...sg, Id: undefined };
    const { parsed, decisions } = await escalate([backdoor, broken, tls]);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0].message).toMatch(/detail\.findings\[1\]\.Id is missing/);
    expect(decisions.map((d) => d.findingId)).toEqual([backdoor.Id, tls.Id]);
  });

  it('without actionName it is rejected as a whole (EventError)', () => {
    const event = customActionEvent([sg]);
    delete event.detail.actionName;
    expect(() => parseEvent(event)).toThrow(/detail\.actionName is missing/);
  });

  it('analystNote reads Text, UpdatedBy and UpdatedAt only when they are strings', () => {
    const [f] = (parseEvent(customActionEvent([withNote(sg, { Text: 5, UpdatedBy: ANALYST })])) as { findings: any[] }).findings;
    expect(analystNote(f)).toEqual({ text: undefined, by: ANALYST, at: undefined });
  });
});
