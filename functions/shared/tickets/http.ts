import type { TicketSystem } from './ticket';

/**
 * JSON over HTTPS for the ticket systems, on the runtime's own fetch (no dependency). Errors name
 * the system, the request, the HTTP status and the vendor's own message, and never the
 * credentials: every error text is scrubbed of the Authorization value and the secrets it is made of.
 */
export class TicketSystemError extends Error {
  override readonly name = 'TicketSystemError';
  constructor(
    message: string,
    readonly system: TicketSystem,
    /** Undefined when no answer came (network error, timeout). */
    readonly status: number | undefined,
    readonly vendorMessage: string | undefined,
    readonly attempts: number,
  ) {
    super(message);
  }
}

export type Fetch = typeof fetch;
export type Sleep = (ms: number) => Promise<void>;

export interface HttpSettings {
  readonly system: TicketSystem;
  /** The Authorization header's value. */
  readonly authorization: string;
  /** What the Authorization value is made of (token, password): kept out of error texts too. */
  readonly secrets: readonly string[];
  readonly fetch?: Fetch;
  /** Tests pass one that records the wait and returns at once. */
  readonly sleep?: Sleep;
  /** Per attempt. @default 10000 */
  readonly timeoutMs?: number;
  /** @default 3 */
  readonly maxAttempts?: number;
  /** The first retry's wait; each later one doubles. @default 500 */
  readonly baseDelayMs?: number;
  /** No wait is longer, whatever Retry-After asks: a Lambda's time is bounded. @default 20000 */
  readonly maxDelayMs?: number;
}

export interface SendOptions<T> {
  readonly body?: unknown;
  /** Reads a 2xx answer's JSON; what it throws becomes a TicketSystemError. */
  readonly read: (json: unknown) => T;
  /**
   * For a request not safe to repeat (a create): after an answer that leaves open whether it was
   * done (5xx, network error, timeout), asked before sending again; a value it returns is the result.
   */
  readonly recheck?: () => Promise<T | undefined>;
  /**
   * Never sent again after an answer that leaves open whether it was done: for a system whose
   * search may not show the result yet (Jira), a second send could make a second one. The caller
   * retries later instead. @default false
   */
  readonly onceWhenMaybeDone?: boolean;
}

type Outcome =
  | { readonly kind: 'ok'; readonly status: number; readonly json: unknown }
  | {
      readonly kind: 'retry' | 'fail';
      readonly status?: number;
      readonly vendor?: string;
      readonly what: string;
      readonly waitMs?: number;
      readonly maybeDone?: boolean;
    };

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Jira's ErrorCollection `{errorMessages, errors}` and ServiceNow's `{error:{message, detail}}`; else the text's start. */
export function vendorMessage(text: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const start = text.replace(/\s+/g, ' ').trim().slice(0, 200);
    return start || undefined;
  }
  if (!isRecord(json)) return undefined;
  const parts: string[] = [];
  if (Array.isArray(json.errorMessages)) parts.push(...json.errorMessages.filter((m): m is string => typeof m === 'string'));
  if (isRecord(json.errors)) parts.push(...Object.entries(json.errors).map(([field, m]) => `${field}: ${String(m)}`));
  if (isRecord(json.error)) parts.push(...[json.error.message, json.error.detail].filter((m): m is string => typeof m === 'string' && m !== ''));
  return parts.length ? parts.join('; ') : undefined;
}

/** Retry-After in seconds (what Jira sends) or as an HTTP date. */
function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Duck-typed: DOMException (a timeout) and errors from another realm are not `instanceof Error` everywhere. */
function errorName(e: unknown): string | undefined {
  return isRecord(e) && typeof e.name === 'string' ? e.name : undefined;
}

function describe(e: unknown): string {
  if (!isRecord(e) || typeof e.message !== 'string') return String(e);
  // undici says only "fetch failed"; the cause names what failed (ECONNREFUSED, a TLS error).
  const cause = e.cause;
  return isRecord(cause) && typeof cause.message === 'string' ? `${e.message} (${cause.message})` : e.message;
}

/** A base URL without its trailing slash; HTTPS only (the credentials go in a header), but for loopback test stand-ins. */
export function baseUrl(system: TicketSystem, url: string): string {
  const u = new URL(url);
  const loopback = u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !loopback) throw new Error(`${system}: ${u.origin} is not an https URL`);
  if (u.username || u.password || u.search || u.hash) throw new Error(`${system}: the base URL must be a plain https://host[/path]`);
  return u.href.replace(/\/+$/, '');
}

export class JsonHttp {
  private readonly hidden: string[];
  constructor(private readonly s: HttpSettings) {
    this.hidden = [s.authorization, s.authorization.split(' ')[1] ?? '', ...s.secrets].filter((x) => x.length >= 4);
  }

  private redact(text: string): string {
    return this.hidden.reduce((t, secret) => t.split(secret).join('[redacted]'), text);
  }

  async send<T>(method: string, url: string, options: SendOptions<T>): Promise<T> {
    const maxAttempts = this.s.maxAttempts ?? 3;
    const where = `${this.s.system} ${method} ${new URL(url).pathname}`;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(method, url, options.body);
      if (outcome.kind === 'ok') {
        try {
          return options.read(outcome.json);
        } catch (e) {
          throw this.error(`${where}: unexpected answer (HTTP ${outcome.status}): ${describe(e)}`, outcome.status, undefined, attempt);
        }
      }
      if (outcome.kind === 'fail' || attempt >= maxAttempts || (outcome.maybeDone && options.onceWhenMaybeDone)) {
        const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
        throw this.error(`${where}: ${outcome.what}${outcome.vendor ? `: ${outcome.vendor}` : ''}${tries}`, outcome.status, outcome.vendor, attempt);
      }
      const backoff = (this.s.baseDelayMs ?? 500) * 2 ** (attempt - 1);
      await (this.s.sleep ?? realSleep)(Math.min(outcome.waitMs ?? backoff, this.s.maxDelayMs ?? 20_000));
      if (outcome.maybeDone && options.recheck) {
        const found = await options.recheck();
        if (found !== undefined) return found;
      }
    }
  }

  private error(message: string, status: number | undefined, vendor: string | undefined, attempts: number): TicketSystemError {
    return new TicketSystemError(this.redact(message), this.s.system, status, vendor && this.redact(vendor), attempts);
  }

  private async attempt(method: string, url: string, body: unknown): Promise<Outcome> {
    const timeoutMs = this.s.timeoutMs ?? 10_000;
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: this.s.authorization };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await (this.s.fetch ?? fetch)(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        // A ticket API does not redirect; one that does (a login page, a moved site) is a wrong base URL.
        redirect: 'manual',
      });
      text = await response.text();
    } catch (e) {
      const what = errorName(e) === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `network error: ${describe(e)}`;
      return { kind: 'retry', what, maybeDone: true };
    }
    const { status } = response;
    const what = `HTTP ${status}`;
    if (status >= 200 && status < 300) {
      if (text.trim() === '') return { kind: 'ok', status, json: undefined };
      try {
        return { kind: 'ok', status, json: JSON.parse(text) };
      } catch {
        return { kind: 'fail', status, what: `${what}, but the answer is not JSON` };
      }
    }
    if (status >= 300 && status < 400) return { kind: 'fail', status, what: `${what} to ${response.headers.get('location') ?? '?'} (check the base URL)` };
    const vendor = vendorMessage(text);
    const waitMs = retryAfterMs(response.headers.get('retry-after'), Date.now());
    // 429: refused before any work was done. 5xx: perhaps done, perhaps not.
    if (status === 429) return { kind: 'retry', status, what, vendor, waitMs };
    if (status >= 500) return { kind: 'retry', status, what, vendor, waitMs, maybeDone: true };
    return { kind: 'fail', status, what, vendor };
  }
}
