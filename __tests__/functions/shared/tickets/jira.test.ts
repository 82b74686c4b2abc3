import { TicketSystemError } from '../../../../functions/shared/tickets/http';
import { adf, JiraClient, type JiraSettings } from '../../../../functions/shared/tickets/jira';
import { dedupeKey } from '../../../../functions/shared/tickets/ticket';
import { failure, FINDING_ID, LINK, recordingSleep, request } from './fixtures';
import { adfProblems, JiraStandIn } from './standins';

const EMAIL = 'secops-bot@example.com';
const TOKEN = 'ATATT3xFfGF0-not-a-real-token-7d1e';
const BASIC = Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64');

let jira: JiraStandIn;
let clock: ReturnType<typeof recordingSleep>;
beforeEach(async () => {
  jira = await new JiraStandIn(EMAIL, TOKEN, 'SEC').start();
  clock = recordingSleep();
});
afterEach(async () => {
  await jira.close();
  expect(jira.rejections).toEqual([]); // a malformed request fails the test even where the client coped
});

const client = (over: Partial<JiraSettings> = {}) =>
  new JiraClient({
    baseUrl: `${jira.url}/`,
    projectKey: 'SEC',
    issueType: 'Task',
    credentials: { email: EMAIL, apiToken: TOKEN },
    sleep: clock.sleep,
    ...over,
  });

describe('JiraClient', () => {
  it('opens an issue in the project: one-line summary, ADF description with the finding link, the security-response and dedupe labels', async () => {
    const ticket = await client().create(request);
    expect(ticket).toEqual({ system: 'jira', key: 'SEC-1', url: `${jira.url}/browse/SEC-1`, created: true });
    expect(jira.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /rest/api/3/search/jql', 'POST /rest/api/3/issue']);
    expect(jira.calls('search')[0].body).toEqual({ jql: `project = "SEC" AND labels = "${dedupeKey(FINDING_ID)}"`, fields: ['key'], maxResults: 1 });
    const fields = jira.issues[0].fields;
    expect(fields.summary).toBe('[HIGH] payments-prod: Security group open to the world');
    expect(fields.issuetype).toEqual({ name: 'Task' });
    expect(fields.labels).toEqual(['security-response', dedupeKey(FINDING_ID)]);
    const texts = fields.description.content.map((p: any) => p.content[0].text);
    expect(texts).toEqual(expect.arrayContaining(['What the automation did:', `Finding ID: ${FINDING_ID}`, `Finding: ${LINK}`]));
    expect(jira.requests[0].headers.authorization).toBe(`Basic ${BASIC}`);
  });

  it('a finding opens exactly one issue even when created twice (the second finds it by its dedupe label)', async () => {
    const first = await client().create(request);
    const second = await client().create({ ...request, title: 'Security group open to the world (again)' });
    expect(second).toEqual({ ...first, created: false });
    expect(jira.issues).toHaveLength(1);
    expect(jira.calls('create')).toHaveLength(1);
  });

  it('a comment goes to the existing issue as ADF, a paragraph per line', async () => {
    const jiraClient = client();
    const ticket = await jiraClient.create(request);
    await jiraClient.comment(ticket.key, 'The finding fired again.\n\nStill open to 0.0.0.0/0.');
    expect(jira.calls('comment')[0].path).toBe('/rest/api/3/issue/SEC-1/comment');
    expect(jira.issues[0].comments).toEqual([adf('The finding fired again.\nStill open to 0.0.0.0/0.')]);
    await expect(jiraClient.comment(ticket.key, '  \n')).rejects.toThrow('a comment needs text');
  });

  it('a 429 then 201 is retried after the Retry-After seconds, the wait recorded', async () => {
    jira.failNext('create', { status: 429, headers: { 'Retry-After': '7' }, body: { errorMessages: ['Rate limit exceeded.'], errors: {} } });
    const ticket = await client().create(request);
    expect(ticket.created).toBe(true);
    expect(clock.waits).toEqual([7000]);
    expect(jira.calls('create')).toHaveLength(2);
    expect(jira.calls('search')).toHaveLength(1); // a 429 did no work: no need to look again
    expect(jira.issues).toHaveLength(1);
  });

  it('a 500 on create is not sent again at once (the issue may exist and not show in the search yet): one attempt, the status and message named', async () => {
    jira.failNext('create', { status: 500, body: { errorMessages: ['Internal server error'], errors: {} } });
    const error = await failure(client().create(request));
    expect(error).toBeInstanceOf(TicketSystemError);
    expect(error).toMatchObject({ system: 'jira', status: 500, attempts: 1, vendorMessage: 'Internal server error' });
    expect(error.message).toBe('jira POST /rest/api/3/issue: HTTP 500: Internal server error');
    expect(clock.waits).toEqual([]);
    expect(jira.calls('create')).toHaveLength(1);
  });

  it('a create whose answer was lost is not sent again; the next try finds the issue by its label and opens no second one', async () => {
    jira.failNext('create', { status: 502, afterWork: true, body: { errorMessages: ['Bad gateway'], errors: {} } });
    await failure(client().create(request));
    const ticket = await client().create(request);
    expect(ticket).toMatchObject({ key: 'SEC-1', created: false });
    expect(jira.calls('create')).toHaveLength(1);
    expect(jira.issues).toHaveLength(1);
  });

  it('a dropped connection on a search is retried; on a create it is not', async () => {
    jira.failNext('search', { drop: true });
    expect((await client().create(request)).key).toBe('SEC-1');
    expect(clock.waits).toEqual([500]);
    jira.failNext('create', { drop: true });
    await failure(client().create({ ...request, findingId: `${request.findingId}-2` }));
    expect(jira.calls('create')).toHaveLength(2);
  });

  it('a refusal (400) is not retried and its Jira message is in the error', async () => {
    const error = await failure(client({ projectKey: 'OPS' }).create(request));
    expect(error).toMatchObject({ name: 'TicketSystemError', status: 400, attempts: 1 });
    expect(error.message).toContain('HTTP 400: project: valid project is required');
    expect(clock.waits).toEqual([]);
    expect(jira.rejections).toHaveLength(1);
    jira.rejections.length = 0;
  });

  it('no request, error or simulator record contains the API token or the Authorization value', async () => {
    const jiraClient = client();
    const ticket = await jiraClient.create(request);
    jira.failNext('comment', { status: 400, body: { errorMessages: [`bad header: Basic ${BASIC}`, `token ${TOKEN} revoked`], errors: {} } });
    const error = await failure(jiraClient.comment(ticket.key, 'again'));
    for (const text of [error.message, String(error.vendorMessage), error.stack ?? '', JSON.stringify(jiraClient.requestsFor(request))]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(BASIC);
    }
    expect(error.message).toContain('[redacted]');
    for (const r of jira.requests) {
      expect(r.raw).not.toContain(TOKEN);
      expect(JSON.stringify({ ...r.headers, authorization: undefined })).not.toContain(TOKEN);
    }
  });

  it('the summary is cut to 255 characters and has no line breaks', async () => {
    await client().create({ ...request, title: `Line one\nline two\r\n${'x'.repeat(400)}` });
    const summary: string = jira.issues[0].fields.summary;
    expect(summary.length).toBeLessThanOrEqual(255);
    expect(summary).not.toMatch(/[\r\n]/);
    expect(summary).toMatch(/^\[HIGH\] payments-prod: Line one line two x+…$/);
  });

  it('requestsFor shows the create body as sent, for the simulator', async () => {
    const records = client().requestsFor(request);
    await client().create(request);
    expect(records).toEqual([{ service: 'jira', operation: 'CreateIssue', input: jira.calls('create')[0].body }]);
  });

  it('ADF: a paragraph per non-blank line, control characters gone, never an empty text node', () => {
    const doc = adf('first\n\n   \r\nsecond\u0007\r\n\tthird');
    expect(doc.content.map((p) => p.content[0].text)).toEqual(['first', 'second', '\tthird']);
    expect(adfProblems(doc)).toEqual([]);
    expect(adfProblems(adf(''))).toEqual([]);
    // The stand-in's check itself refuses what Jira refuses.
    expect(adfProblems({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }] })).toHaveLength(1);
    expect(adfProblems({ type: 'doc', content: [] })).toHaveLength(1);
  });
});
