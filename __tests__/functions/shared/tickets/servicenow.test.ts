import { TicketSystemError } from '../../../../functions/shared/tickets/http';
import { levelFor, ServiceNowClient, type ServiceNowSettings } from '../../../../functions/shared/tickets/servicenow';
import { dedupeKey } from '../../../../functions/shared/tickets/ticket';
import { failure, FINDING_ID, LINK, recordingSleep, request } from './fixtures';
import { ServiceNowStandIn } from './standins';

const USER = 'svc.security-response';
const PASSWORD = 'pw-Xq9!not-a-real-password';
const GROUP = '8a4dde73c6112278017a6a4baf547aa7';

let sn: ServiceNowStandIn;
let clock: ReturnType<typeof recordingSleep>;
beforeEach(async () => {
  sn = await new ServiceNowStandIn(USER, PASSWORD).start();
  clock = recordingSleep();
});
afterEach(async () => {
  await sn.close();
  expect(sn.rejections).toEqual([]); // a malformed request fails the test even where the client coped
});

const client = (over: Partial<ServiceNowSettings> = {}) =>
  new ServiceNowClient({ instanceUrl: sn.url, assignmentGroup: GROUP, credentials: { username: USER, password: PASSWORD }, sleep: clock.sleep, ...over });

describe('ServiceNowClient', () => {
  it('opens an incident: short description, the e-mail text, the group, urgency and impact from severity, the correlation fields', async () => {
    const ticket = await client().create(request);
    const incident = sn.incidents[0];
    expect(ticket).toEqual({
      system: 'servicenow',
      key: 'INC0010001',
      sysId: incident.sys_id,
      url: `${sn.url}/nav_to.do?uri=incident.do?sys_id=${incident.sys_id}`,
      created: true,
    });
    expect(incident).toMatchObject({
      short_description: '[HIGH] payments-prod: Security group open to the world',
      assignment_group: GROUP,
      urgency: '2',
      impact: '2',
      correlation_id: dedupeKey(FINDING_ID),
      correlation_display: 'security-response',
    });
    expect(incident.description).toContain(`Finding: ${LINK}`);
    expect(sn.requests[0].headers.authorization).toBe(`Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`);
  });

  it('looks up by correlation_id with the query value URL-encoded', async () => {
    await client().findExisting('sr-0123456789abcdef0123');
    expect(sn.requests[0].raw.split('\n')[0]).toBe(
      '/api/now/table/incident?sysparm_query=correlation_id%3Dsr-0123456789abcdef0123&sysparm_limit=1&sysparm_fields=sys_id%2Cnumber',
    );
  });

  it.each([
    ['CRITICAL', '1'],
    ['HIGH', '2'],
    ['MEDIUM', '3'],
    ['LOW', '3'],
    ['UNKNOWN', '3'],
  ] as const)('severity %s gives urgency and impact %s', (severity, level) => {
    expect(levelFor(severity)).toBe(level);
    expect(client().requestsFor({ ...request, severity })[0].input).toMatchObject({ urgency: level, impact: level });
  });

  it('a finding opens exactly one incident even when created twice (the second finds it by correlation_id)', async () => {
    const first = await client().create(request);
    const second = await client().create(request);
    expect(second).toEqual({ ...first, created: false });
    expect(sn.incidents).toHaveLength(1);
    expect(sn.calls('create')).toHaveLength(1);
  });

  it('a comment goes to the existing incident as a work note (PATCH by sys_id)', async () => {
    const snClient = client();
    const ticket = await snClient.create(request);
    await snClient.comment(ticket.sysId!, 'The finding fired again.\nStill open to 0.0.0.0/0.');
    expect(sn.calls('comment')[0].method).toBe('PATCH');
    expect(sn.incidents[0].work_notes).toEqual(['The finding fired again.\nStill open to 0.0.0.0/0.']);
  });

  it('a 429 then 201 is retried after the Retry-After seconds, the wait recorded', async () => {
    sn.failNext('create', {
      status: 429,
      headers: { 'Retry-After': '3' },
      body: { error: { message: 'Too many requests', detail: 'Rate limit' }, status: 'failure' },
    });
    const ticket = await client().create(request);
    expect(ticket.created).toBe(true);
    expect(clock.waits).toEqual([3000]);
    expect(sn.calls('create')).toHaveLength(2);
    expect(sn.incidents).toHaveLength(1);
  });

  it('a permanently failing instance (500s) throws TicketSystemError after 3 attempts, naming the status', async () => {
    sn.failNext('create', { status: 500, body: { error: { message: 'Internal error', detail: null }, status: 'failure' } }, 3);
    const error = await failure(client().create(request));
    expect(error).toBeInstanceOf(TicketSystemError);
    expect(error).toMatchObject({ system: 'servicenow', status: 500, attempts: 3 });
    expect(error.message).toBe('servicenow POST /api/now/table/incident: HTTP 500: Internal error (after 3 attempts)');
    expect(sn.calls('create')).toHaveLength(3);
  });

  it('a refusal (403, a business rule) is not retried and its message and detail are in the error', async () => {
    sn.failNext('create', {
      status: 403,
      body: { error: { message: 'Operation Failed', detail: 'ACL Exception Insert Failed due to security constraints' }, status: 'failure' },
    });
    const error = await failure(client().create(request));
    expect(error).toMatchObject({ status: 403, attempts: 1 });
    expect(error.message).toContain('HTTP 403: Operation Failed; ACL Exception Insert Failed due to security constraints');
    expect(clock.waits).toEqual([]);
  });

  it('a malformed request (an empty group name to look up) gets the stand-in’s 400, not retried, and opens nothing', async () => {
    const error = await failure(client({ assignmentGroup: '' }).create(request));
    expect(error).toMatchObject({ status: 400, attempts: 1 });
    expect(error.message).toContain('sysparm_query: not name=<group>');
    expect(sn.rejections).toHaveLength(1);
    expect(sn.incidents).toEqual([]);
    sn.rejections.length = 0;
  });

  it('a group configured by name is looked up once in sys_user_group, and the incident carries its sys_id', async () => {
    const byName = client({ assignmentGroup: 'SecOps' });
    await byName.create(request);
    await byName.create({ ...request, findingId: `${request.findingId}-2` });
    expect(sn.requests.filter((r) => r.path === '/api/now/table/sys_user_group')).toHaveLength(1);
    expect(sn.incidents.map((i) => i.assignment_group)).toEqual([sn.groups[0].sys_id, sn.groups[0].sys_id]);
  });

  it('a group name that matches no group fails, naming the group and the fix, and opens nothing', async () => {
    const error = await failure(client({ assignmentGroup: 'NoSuchTeam' }).create(request));
    expect(error.message).toBe('servicenow: no assignment group named "NoSuchTeam" (configure its sys_id instead)');
    expect(sn.incidents).toEqual([]);
  });

  it('no request, error or simulator record contains the password', async () => {
    const snClient = client();
    await snClient.create(request);
    const wrong = await failure(client({ credentials: { username: USER, password: `${PASSWORD}-old` } }).create(request));
    expect(wrong).toMatchObject({ status: 401, vendorMessage: 'User Not Authenticated; Required to provide Auth information' });
    sn.rejections.length = 0;
    for (const text of [wrong.message, wrong.stack ?? '', JSON.stringify(snClient.requestsFor(request))]) expect(text).not.toContain(PASSWORD);
    for (const r of sn.requests) {
      expect(r.raw).not.toContain(PASSWORD);
      expect(JSON.stringify({ ...r.headers, authorization: undefined })).not.toContain(PASSWORD);
    }
  });

  it('the short description is cut to 160 characters and has no line breaks', async () => {
    await client().create({ ...request, title: `Line one\nline two\r\n${'x'.repeat(300)}` });
    const short: string = sn.incidents[0].short_description;
    expect(short.length).toBeLessThanOrEqual(160);
    expect(short).not.toMatch(/[\r\n]/);
  });

  it('requestsFor shows the create body as sent, for the simulator', async () => {
    const records = client().requestsFor(request);
    await client().create(request);
    expect(records).toEqual([{ service: 'servicenow', operation: 'CreateIncident', input: sn.calls('create')[0].body }]);
  });
});
