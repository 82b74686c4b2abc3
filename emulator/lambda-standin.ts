import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { assumeRole, functionArnOf, functionEnvironment, handlerModule, unpack, type DeployedFunction, type Endpoints } from './functions';
import { accountOfKey } from './securityhub-findings';
import { listenOnLoopback } from './loopback-server';

/**
 * Lambda's `Invoke` (RequestResponse) on loopback, for deployed functions registered with it.
 * moto's Lambda runs a function's code in Docker, which the emulator's machines do not have
 * (moto-gaps.ts); a CLI that invokes a deployed function (`npm run sweep` invokes respond) points
 * `AWS_ENDPOINT_URL_LAMBDA` here instead and gets the deployed zip's answer.
 *
 * Each registered function runs in one persistent child `node` (lambda-host.mjs), as one Lambda
 * execution environment: the handler is imported once (a cold start), credentials moto's STS
 * issues for the function's role are taken once, and invocations are handled one at a time (a
 * function's invocations queue here; at AWS concurrent ones would get environments of their own).
 *
 * The wire format is Lambda's REST API (botocore's lambda 2015-03-31 model, as the SDK's
 * InvokeCommand sends and reads it): `POST /2015-03-31/functions/{FunctionName}/invocations`, the
 * event as the body, `X-Amz-Invocation-Type` (RequestResponse only: Event and DryRun are refused),
 * `X-Amz-Log-Type: Tail` (the last 4 KB of the invocation's output, base64, in `X-Amz-Log-Result`),
 * `X-Amz-Client-Context` (base64 JSON, given to the handler as `context.clientContext`) and the
 * `Qualifier` query or name suffix (`$LATEST` only: nothing is published). The answer:
 *
 * - the handler returned: 200, its JSON, `X-Amz-Executed-Version: $LATEST`;
 * - it threw: 200 with `X-Amz-Function-Error: Unhandled` and `{ errorType, errorMessage, trace }`;
 * - its process died during the invocation: the same with errorType `Runtime.ExitError`; the next
 *   invocation starts a fresh process (a cold start);
 * - it ran past the function's timeout: `Sandbox.Timedout`, the process is killed (the next
 *   invocation is a cold start), as Lambda resets the environment;
 * - its module does not load: `Runtime.ImportModuleError` (or `Runtime.HandlerNotFound`);
 * - an answer over 6 MB: `Function.ResponseSizeTooLarge`; a request over 6 MB: 413
 *   `RequestTooLargeException`; a body that is not JSON: 400 `InvalidRequestContentException`;
 * - an unknown function: 404 `ResourceNotFoundException`, its code in `x-amzn-errortype`.
 *
 * A function is found by name (in the caller's account, which moto names from the access key, and
 * the request's signing region), by partial ARN (`<account>:function:<name>`) or by ARN. IAM is
 * not evaluated (as elsewhere at moto): any caller may invoke any registered function.
 */

/** One invocation the stand-in answered. */
export interface LambdaInvocationRecord {
  functionName: string;
  requestId: string;
  /** The handler's time, from the event handed over to the answer (init not included). */
  durationMs: number;
  /** The environment was started for this invocation; `initDurationMs` is its start (import of the handler). */
  coldStart: boolean;
  initDurationMs?: number;
  /** The host process that ran it (one per execution environment). */
  hostPid?: number;
  /** When the function failed (`X-Amz-Function-Error: Unhandled`): Lambda's errorType and errorMessage. */
  error?: { type: string; message: string };
  /** Its stdout lines that are JSON (Powertools log lines, EMF metrics), and its whole output. */
  logs: Record<string, any>[];
  stdout: string;
  stderr: string;
}

export interface LambdaStandIn {
  readonly url: string;
  /** Makes a deployed function invocable (by name, partial ARN or ARN); its host starts on the first invocation. */
  register(fn: DeployedFunction): void;
  /** Every invocation answered, in order. */
  readonly invocations: LambdaInvocationRecord[];
  /**
   * Stops every host: the next invocation of each is a cold start with fresh role credentials. Call
   * it after moto's reset (which forgets the credentials the hosts hold), between invocations (one
   * in flight ends as Runtime.ExitError).
   */
  recycle(): Promise<void>;
  /** Stops the hosts and the server. */
  stop(): Promise<void>;
}

/** Lambda's synchronous payload limits (6 MB each way; the response limit as Lambda's own message states it). */
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;
const MAX_RESPONSE_BYTES = 6291556;
/** Lambda allows a function's init 10 s; a loaded test machine gets more before the host counts as failed. */
const INIT_TIMEOUT_MS = 30000;

const HOST = join(__dirname, 'lambda-host.mjs');

/** Errors whose shape in Lambda's model has `message`, not `Message`. */
const LOWERCASE_MESSAGE = new Set(['InvalidParameterValueException', 'RequestTooLargeException', 'InvalidRequestContentException']);

class LambdaError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** What one invocation came to, before it is put on the wire. */
type Outcome =
  | { ok: true; payload: string; stdout: string; stderr: string }
  | { ok: false; errorType: string; errorMessage: string; trace: string[]; stdout: string; stderr: string };

interface HostMessage {
  type: 'ready' | 'init-error' | 'result' | 'error';
  requestId?: string;
  payload?: string;
  error?: { name?: string; message?: string; stack?: string };
  stdout?: string;
  stderr?: string;
}

/** The host's answer to an invocation, or how its process ended instead. */
type RunAnswer =
  | { type: 'result'; payload?: string; stdout?: string; stderr?: string }
  | { type: 'error'; error?: HostMessage['error']; stdout?: string; stderr?: string }
  | { type: 'exit'; description: string }
  | { type: 'timeout'; description: string };

/** One execution environment: a child `node` running lambda-host.mjs with the function loaded. */
class Host {
  readonly child: ChildProcess;
  /** Resolves when the handler is loaded; rejects when it is not (its error named Runtime.* when the module failed). */
  readonly ready: Promise<void>;
  readonly startedAt = Date.now();
  initDurationMs?: number;
  exited = false;
  private pending?: { requestId: string; resolve: (message: RunAnswer) => void };
  private exitListeners: Array<(description: string) => void> = [];
  /** The last of its output that no invocation captured (the crash message, init logs). */
  tail = '';

  constructor(fn: DeployedFunction, env: Record<string, string>, file: string, exportName: string, cwd: string) {
    this.child = spawn(process.execPath, [HOST, file, exportName, functionArnOf(fn)], { cwd, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const keep = (c: Buffer) => {
      this.tail = (this.tail + c.toString()).slice(-4000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.ready = new Promise<void>((resolveReady, rejectReady) => {
      const timer = setTimeout(() => {
        rejectReady(new Error(`init did not finish within ${INIT_TIMEOUT_MS} ms`));
        this.child.kill('SIGKILL');
      }, INIT_TIMEOUT_MS);
      this.child.on('message', (message: HostMessage) => {
        if (message.type === 'ready' || message.type === 'init-error') {
          clearTimeout(timer);
          this.initDurationMs = Date.now() - this.startedAt;
          if (message.type === 'ready') resolveReady();
          else rejectReady(Object.assign(new Error(message.error?.message), { name: message.error?.name, stack: message.error?.stack }));
          return;
        }
        if (this.pending && message.requestId === this.pending.requestId) {
          const { resolve } = this.pending;
          this.pending = undefined;
          const { payload, error, stdout, stderr } = message;
          resolve(message.type === 'result' ? { type: 'result', payload, stdout, stderr } : { type: 'error', error, stdout, stderr });
        }
      });
      const ended = (description: string) => {
        if (this.exited) return;
        clearTimeout(timer);
        this.exited = true;
        rejectReady(new Error(`Runtime exited with error: ${description}`));
        for (const listener of this.exitListeners) listener(description);
      };
      this.child.once('exit', (code, signal) => {
        ended(signal ? `signal: ${signal}` : `exit status ${code}`);
      });
      // node could not be started at all (no 'exit' follows).
      this.child.once('error', (error) => {
        ended(error.message);
      });
    });
    // An init failure is reported by the invocation that waits for it.
    this.ready.catch(() => undefined);
  }

  /** Runs one invocation; resolves with the host's answer, or with how the process ended. */
  run(requestId: string, message: Record<string, unknown>, timeoutMs: number): Promise<RunAnswer> {
    return new Promise((resolveRun) => {
      if (this.exited) {
        resolveRun({ type: 'exit', description: 'the process had exited' });
        return;
      }
      const timer = setTimeout(() => {
        this.pending = undefined;
        this.exitListeners = [];
        // Gone before the answer, so the next invocation finds no environment and starts one.
        void this.kill().then(() => {
          resolveRun({ type: 'timeout', description: `${(timeoutMs / 1000).toFixed(2)} seconds` });
        });
      }, timeoutMs);
      const onExit = (description: string) => {
        clearTimeout(timer);
        if (this.pending?.requestId === requestId) {
          this.pending = undefined;
          resolveRun({ type: 'exit', description });
        }
      };
      this.exitListeners = [onExit];
      this.pending = {
        requestId,
        resolve: (answer) => {
          clearTimeout(timer);
          this.exitListeners = [];
          resolveRun(answer);
        },
      };
      // A channel already closed is the process exiting: its exit answers the invocation.
      this.child.send({ type: 'invoke', requestId, ...message }, () => undefined);
    });
  }

  async kill(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolveGone) => {
      this.child.once('exit', () => {
        resolveGone();
      });
    });
    this.child.kill('SIGKILL');
    await gone;
  }
}

/** A registered function, its environment (when started) and its queue of invocations. */
interface Registered {
  fn: DeployedFunction;
  arn: string;
  host?: Host;
  /** The end of the last queued invocation: the next one starts after it. */
  queue: Promise<unknown>;
}

export async function startLambdaStandIn(endpoints: Endpoints): Promise<LambdaStandIn> {
  const functions = new Map<string, Registered>();
  const invocations: LambdaInvocationRecord[] = [];
  const accounts = new Map<string, string>();
  const live = new Set<Host>();
  const killAll = () => {
    for (const host of live) host.child.kill('SIGKILL');
  };
  // A test run that dies must not leave hosts behind.
  process.once('exit', killAll);

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      void answer(req, res, Buffer.concat(chunks), size).catch((error: unknown) => {
        if (error instanceof LambdaError) {
          // The message member as each error's shape names it (Lambda's model spells it both ways).
          const member = LOWERCASE_MESSAGE.has(error.code) ? 'message' : 'Message';
          reply(res, error.status, { Type: 'User', [member]: error.message }, { 'x-amzn-errortype': error.code });
        } else reply(res, 500, { Type: 'Service', Message: String(error) }, { 'x-amzn-errortype': 'ServiceException' });
      });
    });
  });

  async function answer(req: IncomingMessage, res: ServerResponse, body: Buffer, size: number): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://lambda-stand-in');
    const route = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/.exec(url.pathname);
    if (req.method !== 'POST' || !route)
      throw new LambdaError('UnknownOperationException', `the Lambda stand-in answers Invoke only, not ${req.method} ${url.pathname}`, 404);
    const invocationType = header(req, 'x-amz-invocation-type') ?? 'RequestResponse';
    if (invocationType !== 'RequestResponse')
      throw new LambdaError(
        'InvalidParameterValueException',
        `InvocationType ${invocationType}: the emulator's Lambda stand-in answers RequestResponse only`,
        400,
      );
    const registered = await resolve(decodeURIComponent(route[1]), url.searchParams.get('Qualifier') ?? undefined, req);
    if (size > MAX_REQUEST_BYTES)
      throw new LambdaError('RequestTooLargeException', `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the InvokeFunction operation`, 413);
    let event: unknown = {};
    if (body.length > 0) {
      try {
        event = JSON.parse(body.toString('utf8'));
      } catch (error) {
        throw new LambdaError('InvalidRequestContentException', `Could not parse request body into json: ${(error as Error).message}`, 400);
      }
    }
    let clientContext: unknown;
    const contextHeader = header(req, 'x-amz-client-context');
    if (contextHeader) {
      try {
        clientContext = JSON.parse(Buffer.from(contextHeader, 'base64').toString('utf8'));
      } catch {
        throw new LambdaError('InvalidRequestContentException', 'Client context must be a base64-encoded JSON object', 400);
      }
    }
    const requestId = randomUUID();
    const run = registered.queue.then(() => invokeOn(registered, requestId, event, clientContext));
    registered.queue = run.catch(() => undefined);
    const outcome = await run;
    const text = outcome.ok ? outcome.payload : JSON.stringify({ errorType: outcome.errorType, errorMessage: outcome.errorMessage, trace: outcome.trace });
    const headers: Record<string, string> = { 'x-amzn-requestid': requestId, 'x-amz-executed-version': '$LATEST' };
    if (!outcome.ok) headers['x-amz-function-error'] = 'Unhandled';
    if (header(req, 'x-amz-log-type') === 'Tail')
      headers['x-amz-log-result'] = Buffer.from(Buffer.from(outcome.stdout + outcome.stderr).subarray(-4096)).toString('base64');
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  /** The registered function a FunctionName (and Qualifier) names, as Lambda resolves it for the caller. */
  async function resolve(functionName: string, qualifierParam: string | undefined, req: IncomingMessage): Promise<Registered> {
    const parts = /^(?:arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:|(\d{12}):function:)?([a-zA-Z0-9_.-]+)(?::([a-zA-Z0-9_$.-]+))?$/.exec(
      functionName,
    );
    if (!parts)
      throw new LambdaError(
        'InvalidParameterValueException',
        `1 validation error detected: Value '${functionName}' at 'functionName' failed to satisfy constraint`,
        400,
      );
    // Groups that did not take part are undefined (the RegExpExecArray type says string).
    const [, arnRegion, arnAccount, partialAccount, name, nameQualifier] = parts as unknown as (string | undefined)[];
    const authorization = header(req, 'authorization') ?? '';
    const accessKeyId = /Credential=([^/]+)\//.exec(authorization)?.[1];
    const region = arnRegion ?? /Credential=[^/]+\/\d+\/([^/]+)\//.exec(authorization)?.[1];
    let account = arnAccount ?? partialAccount;
    if (!region || (!account && !accessKeyId)) throw new LambdaError('UnrecognizedClientException', 'no credentials on the request', 403);
    if (!account && accessKeyId) {
      if (!accounts.has(accessKeyId)) accounts.set(accessKeyId, await accountOfKey(endpoints.motoUrl, accessKeyId));
      account = accounts.get(accessKeyId)!;
    }
    const arn = `arn:aws:lambda:${region}:${account}:function:${name!}`;
    const qualifier = nameQualifier ?? qualifierParam;
    const found = functions.get(arn);
    if (!found || (qualifier !== undefined && qualifier !== '$LATEST'))
      throw new LambdaError('ResourceNotFoundException', `Function not found: ${arn}${qualifier ? `:${qualifier}` : ''}`, 404);
    return found;
  }

  /** One invocation on the function's host (started first when there is none), recorded. */
  async function invokeOn(registered: Registered, requestId: string, event: unknown, clientContext: unknown): Promise<Outcome> {
    const { fn } = registered;
    let coldStart = false;
    let host = registered.host;
    if (!host || host.exited) {
      coldStart = true;
      const dir = unpack(fn);
      const { file, exportName } = handlerModule(fn, dir);
      const credentials = await assumeRole(endpoints.motoUrl, fn.roleArn, fn.functionName);
      host = new Host(fn, functionEnvironment(fn, dir, credentials, endpoints), file, exportName, dir);
      registered.host = host;
      live.add(host);
      const started = host;
      started.child.once('exit', () => live.delete(started));
    }
    const record: LambdaInvocationRecord = {
      functionName: fn.functionName,
      requestId,
      durationMs: 0,
      coldStart,
      hostPid: host.child.pid,
      logs: [],
      stdout: '',
      stderr: '',
    };
    const failed = (errorType: string, errorMessage: string, trace: string[] = [], stdout = '', stderr = ''): Outcome => {
      record.error = { type: errorType, message: errorMessage };
      return { ok: false, errorType, errorMessage, trace, stdout, stderr };
    };
    let outcome: Outcome;
    try {
      await host.ready;
    } catch (error) {
      const e = error as Error;
      await host.kill();
      record.initDurationMs = host.initDurationMs;
      invocations.push(record);
      return failed(
        e.name.startsWith('Runtime.') ? e.name : 'Runtime.ExitError',
        e.name.startsWith('Runtime.') ? e.message : `RequestId: ${requestId} Error: ${e.message}`,
        traceOf(e.stack),
        '',
        host.tail,
      );
    }
    if (coldStart) record.initDurationMs = host.initDurationMs;
    const started = Date.now();
    const answer = await host.run(requestId, { event, invokedFunctionArn: registered.arn, ...(clientContext ? { clientContext } : {}) }, fn.timeout * 1000);
    record.durationMs = Date.now() - started;
    if (answer.type === 'result' || answer.type === 'error') {
      record.stdout = answer.stdout ?? '';
      record.stderr = answer.stderr ?? '';
      record.logs = jsonLines(record.stdout);
    }
    if (answer.type === 'result') {
      const payload = answer.payload ?? 'null';
      outcome =
        Buffer.byteLength(payload) > MAX_RESPONSE_BYTES
          ? failed(
              'Function.ResponseSizeTooLarge',
              `Response payload size (${Buffer.byteLength(payload)} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
              [],
              record.stdout,
              record.stderr,
            )
          : { ok: true, payload, stdout: record.stdout, stderr: record.stderr };
    } else if (answer.type === 'error') {
      outcome = failed(answer.error?.name ?? 'Error', answer.error?.message ?? '', traceOf(answer.error?.stack), record.stdout, record.stderr);
    } else if (answer.type === 'timeout') {
      outcome = failed('Sandbox.Timedout', `RequestId: ${requestId} Error: Task timed out after ${answer.description}`);
    } else {
      outcome = failed('Runtime.ExitError', `RequestId: ${requestId} Error: Runtime exited with error: ${answer.description}`, [], '', host.tail);
    }
    invocations.push(record);
    return outcome;
  }

  const listening = await listenOnLoopback(server);
  const recycle = async () => {
    await Promise.all([...functions.values()].map((r) => (r.host ? r.host.kill() : Promise.resolve())));
    for (const registered of functions.values()) registered.host = undefined;
    // moto's reset forgets the keys its STS issued: a remembered key would name no account.
    accounts.clear();
  };
  return {
    url: listening.url,
    invocations,
    register(fn) {
      const arn = functionArnOf(fn);
      if (!functions.has(arn)) functions.set(arn, { fn, arn, queue: Promise.resolve() });
    },
    recycle,
    async stop() {
      await recycle();
      process.removeListener('exit', killAll);
      await listening.stop();
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Lambda's `trace`: the error's stack, one line an entry. */
function traceOf(stack: string | undefined): string[] {
  return stack ? stack.split('\n') : [];
}

function jsonLines(text: string): Record<string, any>[] {
  return text.split('\n').flatMap((line) => {
    try {
      const parsed = JSON.parse(line);
      return parsed && typeof parsed === 'object' ? [parsed as Record<string, any>] : [];
    } catch {
      return [];
    }
  });
}

function reply(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
