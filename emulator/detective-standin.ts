import { createHash, randomBytes, randomInt } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { loadServiceModel, validateShape, type ServiceModel } from './aws-model';
import { listenOnLoopback } from './loopback-server';
import { accountOfAccessKey } from './organization';
import { StandInError, startRestJsonStandIn, type OperationHandler, type RecordedRequest } from './securityhub-standin';

/**
 * A loopback Amazon Detective endpoint for the emulator tier: moto 5.2.1 has no Detective at all
 * (listed in moto-gaps.ts). It is the validating rest-json stand-in (securityhub-standin.ts) with
 * botocore's Detective model (detective/2018-10-26): every request is matched to its operation and
 * validated against the model before a handler of ours answers. A function reaches it with
 * `AWS_ENDPOINT_URL_DETECTIVE=<url>`, a test with `new DetectiveClient({ endpoint: url })`.
 *
 * It answers the investigation operations: ListGraphs, StartInvestigation, GetInvestigation and
 * ListIndicators, from behavior graphs the test registers (addGraph) and investigations the test
 * completes or fails (complete, fail), as Detective's analysis would. Every other operation of
 * the model answers NotImplementedException (501, which the SDK does not retry) instead of going
 * to moto: moto answers any Detective path with "Not yet implemented", so forwarding would only
 * hide which operation was asked for.
 *
 * What AWS refuses, and where that is written (ValidationException 400, ResourceNotFoundException
 * 404, AccessDeniedException 403, TooManyRequestsException 429 are the errors the model and the
 * API reference list for these operations):
 * - a request outside the model (a missing required member, GraphArn not matching
 *   `^arn:aws[-\w]{0,10}?:detective:[-\w]{2,20}?:\d{12}?:graph:[abcdef\d]{32}?$`, EntityArn not
 *   `^arn:.*`, InvestigationId not 21 digits, MaxResults out of 1..100 or 1..200, an IndicatorType
 *   outside its enum): ValidationException with ErrorCode INVALID_REQUEST_BODY (INVALID_GRAPH_ARN
 *   for a malformed GraphArn). Source: botocore
 *   detective/2018-10-26/service-2.json (the shapes GraphArn, EntityArn, InvestigationId,
 *   MaxResults, MemberResultsLimit, IndicatorType; ValidationException "The request parameters are
 *   invalid", ErrorCode INVALID_GRAPH_ARN | INVALID_REQUEST_BODY | INTERNAL_ERROR), the same
 *   constraints as the API reference pages StartInvestigation, GetInvestigation, ListIndicators
 *   (docs.aws.amazon.com/detective/latest/APIReference/API_StartInvestigation.html). The generic
 *   stand-in answers InvalidInputException (Security Hub's name for it); the front below renames it.
 * - EntityArn that is not an IAM user or IAM role: ValidationException. Source: the model's
 *   StartInvestigationRequest.EntityArn "The unique Amazon Resource Name (ARN) of the IAM user and
 *   IAM role" and GetInvestigationResponse.EntityArn "Detective supports IAM user ARNs and IAM role
 *   ARNs" (EntityType has IAM_ROLE and IAM_USER only).
 * - an IAM user or role of an account that is neither the graph's administrator nor one of its
 *   members: ResourceNotFoundException ("The request refers to a nonexistent resource": the
 *   entity is not in the behavior graph). The API reference does not say which error; this is our
 *   reading of the error descriptions.
 * - a GraphArn naming no graph in the request's region: ResourceNotFoundException; a graph of
 *   another administrator: AccessDeniedException ("The request issuer does not have permission to
 *   access this resource"). ListGraphs: "Returns the list of behavior graphs that the calling
 *   account is an administrator account of" (model), so only the administrator holds the ARN.
 * - an InvestigationId the graph does not hold: ResourceNotFoundException (GetInvestigation,
 *   ListIndicators).
 * - ScopeStartTime not before ScopeEndTime: ValidationException (a scope is a time range; the API
 *   reference states no rule, nor which error). By default (`scopeTime: 'bounded'`) also a scope
 *   shorter than one hour or longer than one year: the Detective User Guide's scope-time rule,
 *   "The scope time cannot be shorter than one hour and not longer than one year. The start and
 *   end time must be on an hour" (docs.aws.amazon.com/detective/latest/userguide/
 *   scope-time-managing.html). That page is about the console's scope time of entity profiles; the
 *   API reference neither repeats nor lifts it. The bounds are held by default (a caller within
 *   them is safe under either reading); "on an hour" only with `scopeTime: 'user-guide'`, because
 *   it would refuse a scope ending "now" (functions/shared/investigate/scope.ts), which the API
 *   reference gives no reason to refuse. `scopeTime: 'ordered'` keeps only start < end.
 * - a NextToken that is not one of ours, is presented with other arguments, or is older than 24
 *   hours: ValidationException. Source: ListIndicatorsRequest.NextToken, "Keep all other
 *   arguments unchanged. Each pagination token expires after 24 hours. Using an expired pagination
 *   token will return a Validation Exception error."
 * - TooManyRequestsException only when a test asks for it (throttle), to exercise a caller's retries;
 *   AWS documents no rate for these operations.
 *
 * Timestamps: the model's Timestamp is `timestampFormat: iso8601`; the SDK sends and expects ISO
 * 8601 strings (its schema reads them as Dates), so every time is answered as `toISOString()`.
 * renameMembers (aws-model.ts) leaves values as they are, and Detective has no locationName.
 *
 * State is per behavior graph; a graph belongs to one administrator account in one region. The
 * caller's account is the one moto attributes the request's access key to (moto STS
 * GetCallerIdentity, as guardduty-management.ts does).
 */
export interface DetectiveStandIn {
  readonly url: string;
  /** Every request received, validated against the Detective model. */
  readonly requests: RecordedRequest[];
  /**
   * A behavior graph of `adminAccountId` in `region` with these member accounts (enabled, as after
   * they accepted). One graph per administrator and region, as at AWS. Returns its ARN,
   * `arn:aws:detective:<region>:<admin>:graph:<32 hex>`.
   */
  addGraph(region: string, adminAccountId: string, memberAccountIds: readonly string[]): string;
  /** The investigations started, oldest first. */
  investigations(): DetectiveInvestigation[];
  /** Detective's analysis finished: RUNNING becomes SUCCESSFUL with this severity and these indicators (the model's Indicator shape). */
  complete(investigationId: string, result: { severity: DetectiveSeverity; indicators: readonly Record<string, unknown>[] }): void;
  /** Detective's analysis failed: RUNNING becomes FAILED (no severity, no indicators). */
  fail(investigationId: string): void;
  /** The next `times` requests of `operation` answer TooManyRequestsException (429). */
  throttle(operation: string, times?: number): void;
  /** Requests that failed validation, as lines (empty when every request matched the model). */
  invalid(): string[];
  stop(): Promise<void>;
}

export type DetectiveSeverity = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface DetectiveInvestigation {
  investigationId: string;
  graphArn: string;
  /** The administrator account that started it (the graph's) and the graph's region. */
  accountId: string;
  region: string;
  entityArn: string;
  entityType: 'IAM_USER' | 'IAM_ROLE';
  /** ISO 8601, as received (normalized by Date). */
  scopeStartTime: string;
  scopeEndTime: string;
  createdTime: string;
  status: 'RUNNING' | 'SUCCESSFUL' | 'FAILED';
  severity?: DetectiveSeverity;
  indicators: Record<string, unknown>[];
}

export type ScopeTimeRule = 'ordered' | 'bounded' | 'user-guide';

export interface DetectiveStandInOptions {
  /**
   * 'bounded' (default): start < end, at least one hour, at most one year. 'user-guide': also both
   * on the hour (the User Guide's whole scope-time rule). 'ordered': start < end only.
   */
  scopeTime?: ScopeTimeRule;
}

interface Graph {
  arn: string;
  region: string;
  admin: string;
  members: Set<string>;
  createdTime: string;
}

const HOUR = 60 * 60 * 1000;
const YEAR = 365 * 24 * HOUR;
const TOKEN_LIFETIME = 24 * HOUR;
/** ListIndicators' page when MaxResults is absent: AWS documents no default, so the model's maximum. */
const DEFAULT_INDICATOR_PAGE = 100;
const INVESTIGATION_OPERATIONS = ['ListGraphs', 'StartInvestigation', 'GetInvestigation', 'ListIndicators'];

let model: ServiceModel | undefined;
export function detectiveModel(): ServiceModel {
  model ??= loadServiceModel('detective', '2018-10-26');
  return model;
}

export async function startDetectiveStandIn(motoUrl: string, options: DetectiveStandInOptions = {}): Promise<DetectiveStandIn> {
  const detective = detectiveModel();
  const scopeTime = options.scopeTime ?? 'bounded';
  const inner = await startRestJsonStandIn(motoUrl, detective);
  const graphs = new Map<string, Graph>();
  const investigations = new Map<string, DetectiveInvestigation>();
  const throttled = new Map<string, number>();

  const accountByKey = new Map<string, Promise<string>>();
  async function caller(context: { accessKeyId?: string; region?: string }): Promise<{ account: string; region: string }> {
    if (!context.accessKeyId || !context.region) throw new StandInError('UnrecognizedClientException', 'the request is not signed', 403);
    let account = accountByKey.get(context.accessKeyId);
    if (!account) {
      account = accountOfAccessKey(motoUrl, context.accessKeyId);
      accountByKey.set(context.accessKeyId, account);
      account.catch(() => accountByKey.delete(context.accessKeyId!));
    }
    return { account: await account, region: context.region };
  }

  /** The caller's graph: it must exist in the request's region and the caller must be its administrator. */
  function ownGraph(graphArn: string, who: { account: string; region: string }): Graph {
    const graph = graphs.get(graphArn);
    if (!graph || graph.region !== who.region)
      throw new StandInError('ResourceNotFoundException', `The request refers to a nonexistent resource: no behavior graph ${graphArn} in ${who.region}`, 404);
    if (graph.admin !== who.account) {
      throw new StandInError('AccessDeniedException', `account ${who.account} is not the administrator account of the behavior graph ${graphArn}`, 403);
    }
    return graph;
  }

  function investigationOf(graph: Graph, investigationId: string): DetectiveInvestigation {
    const found = investigations.get(investigationId);
    if (!found || found.graphArn !== graph.arn) {
      throw new StandInError(
        'ResourceNotFoundException',
        `The request refers to a nonexistent resource: no investigation ${investigationId} in ${graph.arn}`,
        404,
      );
    }
    return found;
  }

  function throttle(operation: string): void {
    const left = throttled.get(operation) ?? 0;
    if (left <= 0) return;
    throttled.set(operation, left - 1);
    throw new StandInError('TooManyRequestsException', `${operation}: too many requests (throttled by the test)`, 429);
  }

  const handlers: Record<string, OperationHandler> = {
    ListGraphs: async (input, context) => {
      throttle('ListGraphs');
      const who = await caller(context);
      const own = [...graphs.values()].filter((g) => g.admin === who.account && g.region === who.region);
      const page = pageOf(own, input, 200, `ListGraphs|${who.account}|${who.region}`);
      return { GraphList: page.items.map((g) => ({ Arn: g.arn, CreatedTime: g.createdTime })), ...(page.next ? { NextToken: page.next } : {}) };
    },
    StartInvestigation: async (input, context) => {
      throttle('StartInvestigation');
      const who = await caller(context);
      const graph = ownGraph(String(input.GraphArn), who);
      const entityArn = String(input.EntityArn);
      const entity = /^arn:([^:]+):iam::(\d{12}):(user|role)\/(.+)$/.exec(entityArn);
      if (!entity) {
        throw new StandInError(
          'ValidationException',
          `EntityArn ${entityArn} is not the ARN of an IAM user or IAM role (Detective investigates IAM users and IAM roles)`,
        );
      }
      const [, partition, entityAccount, kind] = entity;
      if (partition !== graph.arn.split(':')[1] || (entityAccount !== graph.admin && !graph.members.has(entityAccount))) {
        throw new StandInError(
          'ResourceNotFoundException',
          `The request refers to a nonexistent resource: ${entityArn} is not in the behavior graph ${graph.arn} (account ${entityAccount} is neither its administrator nor a member)`,
          404,
        );
      }
      const start = timeOf(input.ScopeStartTime, 'ScopeStartTime');
      const end = timeOf(input.ScopeEndTime, 'ScopeEndTime');
      checkScope(start, end, scopeTime);
      let investigationId: string;
      do investigationId = Array.from({ length: 21 }, (_, i) => randomInt(i === 0 ? 1 : 0, 10)).join('');
      while (investigations.has(investigationId));
      investigations.set(investigationId, {
        investigationId,
        graphArn: graph.arn,
        accountId: graph.admin,
        region: graph.region,
        entityArn,
        entityType: kind === 'user' ? 'IAM_USER' : 'IAM_ROLE',
        scopeStartTime: new Date(start).toISOString(),
        scopeEndTime: new Date(end).toISOString(),
        createdTime: new Date().toISOString(),
        status: 'RUNNING',
        indicators: [],
      });
      return { InvestigationId: investigationId };
    },
    GetInvestigation: async (input, context) => {
      throttle('GetInvestigation');
      const who = await caller(context);
      const found = investigationOf(ownGraph(String(input.GraphArn), who), String(input.InvestigationId));
      return {
        GraphArn: found.graphArn,
        InvestigationId: found.investigationId,
        EntityArn: found.entityArn,
        EntityType: found.entityType,
        CreatedTime: found.createdTime,
        ScopeStartTime: found.scopeStartTime,
        ScopeEndTime: found.scopeEndTime,
        Status: found.status,
        ...(found.severity ? { Severity: found.severity } : {}),
        State: 'ACTIVE',
      };
    },
    ListIndicators: async (input, context) => {
      throttle('ListIndicators');
      const who = await caller(context);
      const found = investigationOf(ownGraph(String(input.GraphArn), who), String(input.InvestigationId));
      const type = input.IndicatorType as string | undefined;
      const selected = found.indicators.filter((i) => type === undefined || i.IndicatorType === type);
      const page = pageOf(selected, input, DEFAULT_INDICATOR_PAGE, `ListIndicators|${found.graphArn}|${found.investigationId}|${type ?? ''}`);
      return {
        GraphArn: found.graphArn,
        InvestigationId: found.investigationId,
        Indicators: page.items,
        ...(page.next ? { NextToken: page.next } : {}),
      };
    },
  };
  for (const name of Object.keys(detective.operations)) {
    handlers[name] ??= () => {
      throw new StandInError(
        'NotImplementedException',
        `${name} is not answered by the emulator's Detective stand-in (moto 5.2.1 has no Detective; the stand-in answers ${INVESTIGATION_OPERATIONS.join(', ')})`,
        501,
      );
    };
  }
  // Our answers are held to the model too: a handler's slip is a 500 here, not a quirk the SDK hides.
  for (const [name, handler] of Object.entries(handlers)) {
    const outputShape = detective.operations[name].output?.shape;
    if (!outputShape) continue;
    handlers[name] = async (input, context) => {
      const output = await handler(input, context);
      const problems = validateShape(detective, outputShape, output ?? {});
      if (problems.length > 0) throw new Error(`the stand-in's ${name} answer is not the model's ${outputShape}: ${problems.join('; ')}`);
      return output;
    };
  }
  inner.handle(handlers);

  const front = await startValidationFront(inner.url);
  return {
    url: front.url,
    requests: inner.requests,
    addGraph(region, adminAccountId, memberAccountIds) {
      for (const account of [adminAccountId, ...memberAccountIds]) {
        if (!/^\d{12}$/.test(account)) throw new Error(`addGraph: ${account} is not an account id`);
      }
      if ([...graphs.values()].some((g) => g.admin === adminAccountId && g.region === region)) {
        throw new Error(`addGraph: ${adminAccountId} already administers a behavior graph in ${region} (one per Region, as at AWS)`);
      }
      const arn = `arn:aws:detective:${region}:${adminAccountId}:graph:${randomBytes(16).toString('hex')}`;
      const problems = validateShape(detective, 'GraphArn', arn);
      if (problems.length > 0) throw new Error(`addGraph: ${problems.join('; ')}`);
      graphs.set(arn, {
        arn,
        region,
        admin: adminAccountId,
        members: new Set(memberAccountIds.filter((m) => m !== adminAccountId)),
        createdTime: new Date().toISOString(),
      });
      return arn;
    },
    investigations: () => [...investigations.values()].map((i) => ({ ...i, indicators: [...i.indicators] })),
    complete(investigationId, result) {
      const found = running(investigations, investigationId, 'complete');
      const problems = [
        ...validateShape(detective, 'Severity', result.severity, 'severity'),
        ...result.indicators.flatMap((indicator, i) => validateShape(detective, 'Indicator', indicator, `indicators[${i}]`)),
        ...result.indicators.flatMap((indicator, i) =>
          indicator.IndicatorType ? [] : [`indicators[${i}].IndicatorType: required by the stand-in (the filter reads it)`],
        ),
      ];
      if (problems.length > 0) throw new Error(`complete(${investigationId}): not Detective's shapes: ${problems.join('; ')}`);
      found.status = 'SUCCESSFUL';
      found.severity = result.severity;
      found.indicators = result.indicators.map((i) => structuredClone(i));
    },
    fail(investigationId) {
      running(investigations, investigationId, 'fail').status = 'FAILED';
    },
    throttle(operation, times = 1) {
      if (!(operation in detective.operations)) throw new Error(`throttle: Detective has no operation ${operation}`);
      throttled.set(operation, (throttled.get(operation) ?? 0) + times);
    },
    invalid: () => inner.invalid(),
    async stop() {
      await front.stop();
      await inner.stop();
    },
  };
}

function running(investigations: Map<string, DetectiveInvestigation>, investigationId: string, verb: string): DetectiveInvestigation {
  const found = investigations.get(investigationId);
  if (!found) throw new Error(`${verb}: no investigation ${investigationId} was started`);
  if (found.status !== 'RUNNING') throw new Error(`${verb}: investigation ${investigationId} is ${found.status}, not RUNNING`);
  return found;
}

/** Epoch milliseconds of a Timestamp member (an ISO 8601 string on the wire; the model check let only strings through). */
function timeOf(value: unknown, member: string): number {
  const time = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(time)) throw new StandInError('ValidationException', `${member} ${String(value)} is not an ISO 8601 date and time`);
  return time;
}

function checkScope(start: number, end: number, rule: ScopeTimeRule): void {
  const span = `${new Date(start).toISOString()} .. ${new Date(end).toISOString()}`;
  if (start >= end) throw new StandInError('ValidationException', `ScopeStartTime must be before ScopeEndTime (${span})`);
  if (rule === 'ordered') return;
  if (end - start < HOUR) throw new StandInError('ValidationException', `the scope time cannot be shorter than one hour (${span})`);
  if (end - start > YEAR) throw new StandInError('ValidationException', `the scope time cannot be longer than one year (${span})`);
  if (rule === 'user-guide' && (start % HOUR !== 0 || end % HOUR !== 0))
    throw new StandInError('ValidationException', `the scope start and end time must be on an hour (${span})`);
}

/**
 * One page of `items` from the request's MaxResults and NextToken. The token is opaque to the
 * caller: the offset, a hash of the query (the other arguments, which must stay unchanged) and
 * when it was issued (it expires after 24 hours).
 */
function pageOf<T>(items: T[], input: Record<string, unknown>, defaultSize: number, query: string): { items: T[]; next?: string } {
  const size = typeof input.MaxResults === 'number' ? input.MaxResults : defaultSize;
  const hash = createHash('sha256').update(query).digest('hex').slice(0, 16);
  let offset = 0;
  if (typeof input.NextToken === 'string') {
    let token: { o?: unknown; q?: unknown; t?: unknown } | undefined;
    try {
      token = JSON.parse(Buffer.from(input.NextToken, 'base64url').toString('utf8')) as typeof token;
    } catch {
      token = undefined;
    }
    if (!token || typeof token.o !== 'number' || !Number.isInteger(token.o) || token.o < 0 || token.o > items.length || typeof token.t !== 'number') {
      throw new StandInError('ValidationException', 'NextToken is not a pagination token of this operation');
    }
    if (token.q !== hash) throw new StandInError('ValidationException', 'NextToken was issued for other arguments (keep all other arguments unchanged)');
    if (Date.now() - token.t > TOKEN_LIFETIME) throw new StandInError('ValidationException', 'NextToken has expired (pagination tokens expire after 24 hours)');
    offset = token.o;
  }
  const end = offset + size;
  return {
    items: items.slice(offset, end),
    next: end < items.length ? Buffer.from(JSON.stringify({ o: end, q: hash, t: Date.now() })).toString('base64url') : undefined,
  };
}

/**
 * A pass-through in front of the generic stand-in: its answer to a request outside the model is
 * Security Hub's InvalidInputException, which Detective calls ValidationException (ErrorCode
 * INVALID_GRAPH_ARN or INVALID_REQUEST_BODY). Everything else goes through unchanged.
 */
async function startValidationFront(innerUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      relay(innerUrl, req, Buffer.concat(chunks), res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ __type: 'InternalServerException', Message: `Detective stand-in front: ${String(error)}` }));
      });
    });
  });
  return listenOnLoopback(server);
}

function relay(innerUrl: string, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
  const target = new URL(req.url ?? '/', innerUrl);
  return new Promise((resolveRelay, reject) => {
    const upstream = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('error', reject);
      answer.on('end', () => {
        let text = Buffer.concat(chunks);
        const headers = { ...answer.headers };
        if (answer.statusCode === 400 && headers['x-amzn-errortype'] === 'InvalidInputException') {
          const original = JSON.parse(text.toString('utf8')) as { Message?: string };
          // The model's ErrorCode: INVALID_GRAPH_ARN when the GraphArn is malformed, else INVALID_REQUEST_BODY.
          const errorCode = /(?:^|: |; )GraphArn: does not match/.test(original.Message ?? '') ? 'INVALID_GRAPH_ARN' : 'INVALID_REQUEST_BODY';
          text = Buffer.from(JSON.stringify({ __type: 'ValidationException', Message: original.Message, ErrorCode: errorCode }));
          headers['x-amzn-errortype'] = 'ValidationException';
          headers['content-length'] = String(text.length);
        }
        res.writeHead(answer.statusCode ?? 502, headers);
        res.end(text);
        resolveRelay();
      });
    });
    upstream.on('error', reject);
    upstream.end(body);
  });
}
