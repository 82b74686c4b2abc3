import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { loadServiceModel, matchRestOperation, renameMembers, validateShape, type ServiceModel } from './aws-model';
import { listenOnLoopback } from './loopback-server';

/** One request the stand-in received, validated against Security Hub's own model. */
export interface RecordedRequest {
  operation: string;
  input: Record<string, unknown>;
  /** Empty when the request matches the model. */
  problems: string[];
  /** Who answered: a handler of ours, or moto behind us. */
  answeredBy: 'stand-in' | 'moto' | 'rejected';
  /** The account of the caller's access key (moto's credentials name their account). */
  accessKeyId?: string;
}

/** Answers one operation moto does not implement (may be async). Throw a StandInError for an AWS error reply. */
export type OperationHandler = (input: Record<string, unknown>, context: { accessKeyId?: string; region?: string }) => unknown;

export class StandInError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface SecurityHubStandIn {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Registers handlers for operations moto lacks; any other operation is proxied to moto. */
  handle(handlers: Record<string, OperationHandler>): void;
  /** Requests that failed validation, as lines (empty when every request matched the model). */
  invalid(): string[];
  stop(): Promise<void>;
}

let model: ServiceModel | undefined;
export function securityHubModel(): ServiceModel {
  model ??= loadServiceModel('securityhub', '2018-10-26');
  return model;
}

/**
 * A loopback Security Hub endpoint in front of moto: every request is matched to its operation
 * and validated against the service model; operations moto lacks are answered by registered
 * handlers, the rest are forwarded to moto unchanged. An invalid request is answered with
 * InvalidInputException, as AWS would, and recorded.
 */
export async function startSecurityHubStandIn(motoUrl: string): Promise<SecurityHubStandIn> {
  return startRestJsonStandIn(motoUrl, securityHubModel());
}

/** The same validating stand-in for any rest-json service (GuardDuty's admin operations too). */
export async function startRestJsonStandIn(motoUrl: string, hub: ServiceModel): Promise<SecurityHubStandIn> {
  if (hub.metadata.protocol !== 'rest-json') throw new Error(`${hub.metadata.serviceId} is ${hub.metadata.protocol}, not rest-json`);
  const handlers: Partial<Record<string, OperationHandler>> = {};
  const requests: RecordedRequest[] = [];

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      void answer(req, res, body).catch((error: unknown) => {
        reply(res, 500, { __type: 'InternalException', message: String(error) });
      });
    });
  });

  async function answer(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const matched = matchRestOperation(hub, req.method ?? 'GET', url.pathname);
    const accessKeyId = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
    const region = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
    if (!matched) {
      reply(res, 404, { __type: 'ResourceNotFoundException', message: `no ${hub.metadata.serviceId} operation for ${req.method} ${url.pathname}` });
      return;
    }
    const { operation, labels } = matched;
    const input = assembleInput(hub, operation.input?.shape, body, labels, url.searchParams);
    const problems = operation.input ? validateShape(hub, operation.input.shape, input) : [];
    const record: RecordedRequest = { operation: operation.name, input, problems, answeredBy: 'rejected', accessKeyId };
    requests.push(record);
    if (problems.length > 0) {
      reply(res, 400, { __type: 'InvalidInputException', Message: `${operation.name}: ${problems.join('; ')}` });
      return;
    }
    const handler = handlers[operation.name];
    if (handler) {
      record.answeredBy = 'stand-in';
      try {
        const output = (await handler(input, { accessKeyId, region })) ?? {};
        reply(res, 200, operation.output ? renameMembers(hub, operation.output.shape, output, 'out') : output);
        return;
      } catch (error) {
        if (error instanceof StandInError) {
          reply(res, error.status, { __type: error.code, Message: error.message });
          return;
        }
        throw error;
      }
    }
    record.answeredBy = 'moto';
    await forward(motoUrl, req, body, res);
  }

  const listening = await listenOnLoopback(server);
  return {
    url: listening.url,
    requests,
    handle: (more) => Object.assign(handlers, more),
    invalid: () => requests.filter((r) => r.problems.length > 0).map((r) => `${r.operation}: ${r.problems.join('; ')}`),
    stop: () => listening.stop(),
  };
}

/** The operation's input as the SDK built it: body members, URI labels and query members. */
function assembleInput(
  hub: ServiceModel,
  shapeName: string | undefined,
  body: Buffer,
  labels: Partial<Record<string, string>>,
  query: URLSearchParams,
): Record<string, unknown> {
  let input: Record<string, unknown> = {};
  if (body.length > 0) {
    try {
      input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      if (shapeName) input = renameMembers(hub, shapeName, input, 'in') as Record<string, unknown>;
    } catch {
      input = { '(body)': body.toString('utf8').slice(0, 200) };
    }
  }
  const members = shapeName ? (hub.shapes[shapeName]?.members ?? {}) : {};
  for (const [name, member] of Object.entries(members)) {
    const wire = member.locationName ?? name;
    if (member.location === 'uri' && labels[wire] !== undefined) input[name] = labels[wire];
    if (member.location === 'querystring' && query.has(wire)) {
      const shape = hub.shapes[member.shape];
      const raw = query.getAll(wire);
      input[name] = shape?.type === 'list' ? raw : shape?.type === 'integer' ? Number(raw[0]) : shape?.type === 'boolean' ? raw[0] === 'true' : raw[0];
    }
  }
  return input;
}

function reply(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...(status >= 400 && typeof payload === 'object' && payload && '__type' in payload ? { 'x-amzn-errortype': String(payload.__type) } : {}),
  });
  res.end(text);
}

function forward(motoUrl: string, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
  const target = new URL(req.url ?? '/', motoUrl);
  return new Promise((resolveForward, reject) => {
    const upstream = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('end', () => {
        resolveForward();
      });
    });
    upstream.on('error', reject);
    upstream.end(body);
  });
}
