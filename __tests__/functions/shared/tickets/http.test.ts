import { baseUrl, JsonHttp, vendorMessage, type Fetch, type HttpSettings } from '../../../../functions/shared/tickets/http';
import { failure, recordingSleep } from './fixtures';

/** A fetch that plays the given answers in turn and counts the calls. */
function playing(...answers: (() => Response | Promise<Response>)[]): Fetch & { calls: number } {
  const f = Object.assign(
    (_input: unknown, _init?: RequestInit) => {
      const answer = answers[Math.min(f.calls, answers.length - 1)];
      f.calls++;
      return Promise.resolve(answer());
    },
    { calls: 0 },
  );
  return f;
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

function http(f: Fetch, over: Partial<HttpSettings> = {}) {
  const clock = recordingSleep();
  return { clock, http: new JsonHttp({ system: 'jira', authorization: 'Basic c2VjcmV0', secrets: ['secret'], fetch: f, sleep: clock.sleep, ...over }) };
}
const read = (j: unknown) => j;

describe('JsonHttp', () => {
  it('waits twice as long before each retry when no Retry-After is given', async () => {
    const f = playing(json(503, {}), json(503, {}), json(503, {}), json(200, { ok: true }));
    const { http: h, clock } = http(f, { maxAttempts: 4 });
    await expect(h.send('GET', 'https://x.example/rest', { read })).resolves.toEqual({ ok: true });
    expect(clock.waits).toEqual([500, 1000, 2000]);
  });

  it('caps a long Retry-After at maxDelayMs, and reads it as an HTTP date too', async () => {
    const later = new Date(Date.now() + 3_600_000).toUTCString();
    const f = playing(json(429, {}, { 'Retry-After': '3600' }), json(429, {}, { 'Retry-After': later }), json(201, { id: '1' }));
    const { http: h, clock } = http(f);
    await h.send('POST', 'https://x.example/rest', { body: {}, read });
    expect(clock.waits).toEqual([20_000, 20_000]);
  });

  it('a request with no answer in time is retried, then fails naming the timeout', async () => {
    const hang: Fetch = (_input, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => {
          reject(init.signal?.reason as Error);
        }),
      );
    const { http: h } = http(hang, { timeoutMs: 20 });
    const error = await failure(h.send('GET', 'https://x.example/rest/api/3/issue/SEC-1', { read }));
    expect(error).toMatchObject({ name: 'TicketSystemError', status: undefined, attempts: 3 });
    expect(error.message).toBe('jira GET /rest/api/3/issue/SEC-1: no answer within 20 ms (after 3 attempts)');
  });

  it('does not follow a redirect (a login page is a wrong base URL), and does not retry it', async () => {
    const f = playing(() => new Response(null, { status: 302, headers: { Location: 'https://id.example/login' } }));
    const error = await failure(http(f).http.send('GET', 'https://x.example/rest', { read }));
    expect(error.message).toBe('jira GET /rest: HTTP 302 to https://id.example/login (check the base URL)');
    expect(f.calls).toBe(1);
  });

  it('a 2xx answer that is not what the client expects is an error naming the request', async () => {
    const f = playing(json(201, { id: '1' }));
    const reader = () => {
      throw new Error('no issue key in the answer');
    };
    await expect(http(f).http.send('POST', 'https://x.example/rest/api/3/issue', { body: {}, read: reader })).rejects.toThrow(
      'jira POST /rest/api/3/issue: unexpected answer (HTTP 201): no issue key in the answer',
    );
  });

  it('reads the vendors’ error shapes, and the start of a page that is not JSON', () => {
    expect(vendorMessage(JSON.stringify({ errorMessages: ['Issue does not exist'], errors: { summary: 'Summary is required.' } }))).toBe(
      'Issue does not exist; summary: Summary is required.',
    );
    expect(vendorMessage(JSON.stringify({ error: { message: 'No Record found', detail: '' }, status: 'failure' }))).toBe('No Record found');
    expect(vendorMessage('<html>\n<body>Bad gateway</body></html>')).toBe('<html> <body>Bad gateway</body></html>');
    expect(vendorMessage('')).toBeUndefined();
  });

  it('base URLs: https only (http for loopback stand-ins), no credentials or query in them', () => {
    expect(baseUrl('jira', 'https://acme.atlassian.net/')).toBe('https://acme.atlassian.net');
    expect(baseUrl('servicenow', 'http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(() => baseUrl('jira', 'http://acme.atlassian.net')).toThrow('not an https URL');
    expect(() => baseUrl('jira', 'https://bot:secret@acme.atlassian.net')).toThrow('plain https://host');
  });
});
