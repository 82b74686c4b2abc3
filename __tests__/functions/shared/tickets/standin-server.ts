import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The loopback server under the vendor stand-ins (standins.ts): records every request, checks
 * what every request must carry (Basic Authorization with the right credentials, Accept and
 * Content-Type JSON, a JSON body), asks the vendor's route for its own checks, and plays scripted
 * answers (a 429, 500s, a lost answer, a dropped connection). A malformed request gets a 400 and
 * is listed in `rejections`, which the tests expect to stay empty.
 */
export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The request line's URL and the body, as sent: what the secret checks read. */
  readonly raw: string;
  readonly body: any;
}
export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}
/** A scripted answer for the next request to a route: instead of the work, after it (the answer is lost), or a dropped connection. */
export interface Scripted extends Partial<Answer> {
  readonly afterWork?: boolean;
  readonly drop?: boolean;
}
export interface Route {
  readonly name: string;
  readonly problems: string[];
  readonly run: () => Answer;
}

export abstract class StandIn {
  readonly requests: Recorded[] = [];
  readonly rejections: string[] = [];
  url = '';
  private readonly script: { route: string; reply: Scripted }[] = [];
  private server?: Server;

  constructor(private readonly userPass: string) {}

  /** The next `times` requests to the route get this answer. */
  failNext(route: string, reply: Scripted, times = 1): this {
    for (let i = 0; i < times; i++) this.script.push({ route, reply });
    return this;
  }

  calls(route: string): Recorded[] {
    return this.requests.filter((r) => this.route(r).name === route);
  }

  protected abstract route(r: Recorded): Route;
  protected abstract refusal(status: number, problems: string[]): Answer;

  /** What every request must carry; the body checks are the route's. */
  private problems(r: Recorded): { status: number; problems: string[] } | undefined {
    const auth = /^Basic ([A-Za-z0-9+/=]+)$/.exec(r.headers.authorization ?? '');
    if (!auth || Buffer.from(auth[1], 'base64').toString() !== this.userPass)
      return { status: 401, problems: ['Authorization: not Basic with the right credentials'] };
    const problems = r.headers.accept?.includes('application/json') ? [] : ['Accept: not application/json'];
    if (r.method !== 'GET' && !r.headers['content-type']?.startsWith('application/json')) problems.push('Content-Type: not application/json');
    if (r.method !== 'GET' && r.body === undefined) problems.push('the body is not JSON');
    problems.push(...this.route(r).problems);
    return problems.length ? { status: 400, problems } : undefined;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        const r: Recorded = {
          method: req.method ?? '',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          raw: `${req.url ?? ''}\n${text}`,
          body,
        };
        this.requests.push(r);
        const bad = this.problems(r);
        const route = this.route(r);
        const at = this.script.findIndex((s) => s.route === route.name);
        const scripted = bad ? undefined : this.script.splice(at, at < 0 ? 0 : 1)[0]?.reply;
        if (bad) this.rejections.push(`${r.method} ${r.path}: ${bad.problems.join('; ')}`);
        if (scripted?.drop) {
          req.socket.destroy();
          return;
        }
        const worked = bad ? this.refusal(bad.status, bad.problems) : !scripted || scripted.afterWork ? route.run() : undefined;
        const answer = scripted ? { status: scripted.status ?? 500, body: scripted.body, headers: scripted.headers } : (worked ?? { status: 500 });
        res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
