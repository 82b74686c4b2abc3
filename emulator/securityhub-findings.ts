import { createHash } from 'node:crypto';
import { StandInError, type RecordedRequest, type SecurityHubStandIn } from './securityhub-standin';

/**
 * Security Hub finding operations moto 5.2.1 lacks or answers wrongly, answered at the validating
 * stand-in (emulator/securityhub-standin.ts) from moto's own findings store:
 *
 * - `BatchUpdateFindings` (not in moto): each identified finding must exist in moto's hub of the
 *   caller's account and region (imported there with BatchImportFindings) with the same ProductArn,
 *   else it is unprocessed (`FindingNotFound`), as at AWS. The update is kept here, as an overlay.
 * - `GetFindings`: moto ignores `Filters` and `SortCriteria` (its own docstring says so) and would
 *   hand `npm run undo` whichever finding comes first. Answered here from moto's findings of the
 *   caller, with the overlay of updates merged in, the string and date filters AWS documents
 *   applied, the documented sort, and `MaxResults`/`NextToken` pagination (a token continues the
 *   query it was issued for, and only that one). A filter or sort field this stand-in does not
 *   evaluate is refused with an error, never ignored.
 * - `BatchUpdateFindingsV2` (not in moto, nor any OCSF store): OCSF findings are put here with
 *   `importOcsf`; updates name them by metadata uid or finding identifier.
 *
 * moto's findings are read once per account and region and kept (its store pages 100 findings at
 * a time over HTTP, far too slow for a backlog of thousands read page by page): the copy is
 * dropped whenever findings may have changed there, i.e. `importFindings` (both paths), a
 * `BatchImportFindings`, `EnableSecurityHub` or `DisableSecurityHub` the stand-in passed to moto
 * (seen in `standIn.requests`), and `reset()`. Anything else that writes moto's findings store
 * directly must call `reset()` (moto's own reset does: tests call both).
 *
 * Every request stays in `standIn.requests` (validated against AWS's model) for assertions.
 */

/** One BatchUpdateFindings(V2) as applied: who, where, what. */
export interface AppliedUpdate {
  operation: 'BatchUpdateFindings' | 'BatchUpdateFindingsV2';
  accountId: string;
  region: string;
  input: Record<string, any>;
  processed: string[];
  unprocessed: string[];
}

export interface FindingsService {
  /** Every update applied, in order. */
  readonly updates: AppliedUpdate[];
  /** Findings of an account's hub in a region as GetFindings answers them (moto's store + updates). */
  findings(accountId: string, region: string): Promise<Record<string, any>[]>;
  /**
   * Imports ASFF findings into moto's hub of this account and region with BatchImportFindings,
   * through the stand-in (validated as a custom product's import would be). `asDelivered` puts them
   * in moto's store directly instead: findings AWS's own integrations (GuardDuty, the aggregator)
   * deliver are not held to the public import API's input rules (GuardDuty sends empty
   * ProductFields values, which BatchImportFindings refuses).
   */
  importFindings(accountId: string, region: string, findings: Record<string, any>[], options?: { asDelivered?: boolean }): Promise<void>;
  /** OCSF findings of an account and region, for BatchUpdateFindingsV2 (moto has no OCSF store). */
  importOcsf(accountId: string, region: string, findings: Record<string, any>[]): void;
  /** OCSF findings as updated. */
  ocsf(accountId: string, region: string): Record<string, any>[];
  /** Forgets updates, OCSF findings, the copies of moto's findings and the access keys seen; call it with moto's own reset. */
  reset(): void;
}

/** An Authorization header moto reads the caller's access key (and so its account) from; moto does not check signatures. */
function authorization(accessKeyId: string, region: string, service: string): string {
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
}

/** The account moto issued this access key for (its STS keys name the assumed role's account). */
export async function accountOfKey(motoUrl: string, accessKeyId: string): Promise<string> {
  const response = await fetch(`${motoUrl}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: authorization(accessKeyId, 'us-east-1', 'sts') },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  });
  const text = await response.text();
  const account = /<Account>(\d{12})<\/Account>/.exec(text)?.[1];
  if (!account) throw new Error(`moto GetCallerIdentity for ${accessKeyId}: ${response.status} ${text.slice(0, 200)}`);
  return account;
}

/** Every finding of moto's hub of the key's account in a region, in moto's order (its pages of 100). */
async function motoFindings(motoUrl: string, accessKeyId: string, region: string): Promise<Record<string, any>[]> {
  const all: Record<string, any>[] = [];
  let token: string | undefined;
  do {
    const response = await fetch(`${motoUrl}/findings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: authorization(accessKeyId, region, 'securityhub') },
      body: JSON.stringify({ MaxResults: 100, ...(token ? { NextToken: token } : {}) }),
    });
    const body = (await response.json()) as { Findings?: Record<string, any>[]; NextToken?: string };
    if (!response.ok) throw new Error(`moto GetFindings: ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
    all.push(...(body.Findings ?? []));
    token = body.NextToken || undefined;
  } while (token);
  return all;
}

/** String filter comparisons AWS documents for GetFindings. */
function matches(value: unknown, filters: { Value?: string; Comparison?: string }[]): boolean {
  const v = typeof value === 'string' ? value : undefined;
  const positive = filters.filter((f) => !['NOT_EQUALS', 'PREFIX_NOT_EQUALS', 'NOT_CONTAINS'].includes(f.Comparison ?? ''));
  const negative = filters.filter((f) => !positive.includes(f));
  const test = (f: { Value?: string; Comparison?: string }): boolean => {
    const want = f.Value ?? '';
    switch (f.Comparison) {
      case 'EQUALS':
      case 'NOT_EQUALS':
        return v === want;
      case 'PREFIX':
      case 'PREFIX_NOT_EQUALS':
        return v !== undefined && v.startsWith(want);
      case 'CONTAINS':
      case 'NOT_CONTAINS':
        return v !== undefined && v.includes(want);
      default:
        throw new StandInError('InvalidInputException', `comparison ${f.Comparison} is not evaluated by the emulator stand-in`);
    }
  };
  return (positive.length === 0 || positive.some(test)) && !negative.some(test);
}

/** GetFindings string filter fields this stand-in evaluates, and where each lives in ASFF. */
const FILTER_PATHS: Partial<Record<string, (f: Record<string, any>) => unknown>> = {
  Id: (f) => f.Id,
  ProductArn: (f) => f.ProductArn,
  AwsAccountId: (f) => f.AwsAccountId,
  Region: (f) => f.Region,
  GeneratorId: (f) => f.GeneratorId,
  Title: (f) => f.Title,
  RecordState: (f) => f.RecordState,
  WorkflowStatus: (f) => f.Workflow?.Status,
  ComplianceSecurityControlId: (f) => f.Compliance?.SecurityControlId,
  SeverityLabel: (f) => f.Severity?.Label,
};

/** GetFindings date filter fields (ASFF `DateFilter`) this stand-in evaluates: top-level ASFF timestamps. */
const DATE_PATHS: Partial<Record<string, (f: Record<string, any>) => unknown>> = {
  CreatedAt: (f) => f.CreatedAt,
  UpdatedAt: (f) => f.UpdatedAt,
  FirstObservedAt: (f) => f.FirstObservedAt,
  LastObservedAt: (f) => f.LastObservedAt,
};

interface DateFilter {
  Start?: string;
  End?: string;
  DateRange?: { Value?: number; Unit?: string; Comparison?: string };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** An ASFF timestamp (ISO 8601) as epoch ms; a filter's unreadable bound is refused. */
function instant(text: string, what: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new StandInError('InvalidInputException', `${what} ${JSON.stringify(text)} is not an ISO 8601 timestamp`);
  return ms;
}

/**
 * ASFF date filters. One filter is either `Start` and/or `End` (inclusive bounds), or a `DateRange`
 * relative to now: `{ Value, Unit: 'DAYS' }` is the last Value days (Comparison WITHIN, AWS's
 * default), `Comparison: 'OLDER_THAN'` the time before them. A filter with both forms, or neither,
 * is refused (AWS documents no meaning for it). Several filters on one field: AWS documents nothing
 * for dates; read here as for its positive string comparisons, a finding matches if it matches any
 * of them. A finding without the timestamp matches no date filter.
 */
function matchesDate(value: unknown, filters: DateFilter[], field: string, now: number): boolean {
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return filters.some((f) => {
    const bounded = f.Start !== undefined || f.End !== undefined;
    if (bounded === (f.DateRange !== undefined))
      throw new StandInError(
        'InvalidInputException',
        `GetFindings filter ${field}: a DateFilter takes Start and/or End, or DateRange, not ${bounded ? 'both' : 'neither'}`,
      );
    if (bounded) {
      const start = f.Start === undefined ? -Infinity : instant(f.Start, `${field} Start`);
      const end = f.End === undefined ? Infinity : instant(f.End, `${field} End`);
      return !Number.isNaN(at) && at >= start && at <= end;
    }
    const range = f.DateRange!;
    if (range.Unit !== 'DAYS' || typeof range.Value !== 'number')
      throw new StandInError('InvalidInputException', `GetFindings filter ${field}: DateRange needs a Value and Unit DAYS`);
    const since = now - range.Value * DAY_MS;
    if (Number.isNaN(at)) return false;
    return (range.Comparison ?? 'WITHIN') === 'WITHIN' ? at >= since : at < since;
  });
}

/** The normalized severity ASFF documents when a finding gives only a Label. */
const NORMALIZED_OF_LABEL: Partial<Record<string, number>> = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 40, HIGH: 70, CRITICAL: 90 };

/** GetFindings sort fields this stand-in evaluates, each as a number to compare (undefined: the finding has none). */
const SORT_KEYS: Partial<Record<string, (f: Record<string, any>) => number | undefined>> = {
  CreatedAt: (f) => timestampOf(f.CreatedAt),
  UpdatedAt: (f) => timestampOf(f.UpdatedAt),
  FirstObservedAt: (f) => timestampOf(f.FirstObservedAt),
  LastObservedAt: (f) => timestampOf(f.LastObservedAt),
  SeverityNormalized: (f) => (typeof f.Severity?.Normalized === 'number' ? f.Severity.Normalized : NORMALIZED_OF_LABEL[String(f.Severity?.Label)]),
};

function timestampOf(value: unknown): number | undefined {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * `SortCriteria` applied in order (the first criterion decides, later ones break its ties; equal
 * findings keep moto's order). A finding without the field comes last either way. AWS documents no
 * default `SortOrder`, so a criterion without one is refused rather than guessed.
 */
function sortFindings(findings: Record<string, any>[], criteria: { Field?: string; SortOrder?: string }[] | undefined): Record<string, any>[] {
  if (!criteria || criteria.length === 0) return findings;
  const keys = criteria.map((c) => {
    const key = c.Field === undefined ? undefined : SORT_KEYS[c.Field];
    if (!key)
      throw new StandInError(
        'InvalidInputException',
        `GetFindings SortCriteria field ${c.Field} is not evaluated by the emulator stand-in (moto ignores SortCriteria)`,
      );
    if (c.SortOrder !== 'asc' && c.SortOrder !== 'desc')
      throw new StandInError(
        'InvalidInputException',
        `GetFindings SortCriteria field ${c.Field}: SortOrder asc or desc (the emulator stand-in does not guess a default)`,
      );
    return { key, sign: c.SortOrder === 'asc' ? 1 : -1 };
  });
  const decorated = findings.map((f) => ({ f, values: keys.map(({ key }) => key(f)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const x = a.values[i];
      const y = b.values[i];
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      return (x - y) * keys[i].sign;
    }
    return 0;
  });
  return decorated.map((d) => d.f);
}

function applyFilters(findings: Record<string, any>[], filters: Record<string, unknown> | undefined): Record<string, any>[] {
  const entries = Object.entries(filters ?? {});
  const tests = entries.map(([name, list]): ((f: Record<string, any>) => boolean) => {
    const stringPath = FILTER_PATHS[name];
    if (stringPath) return (f) => matches(stringPath(f), list as { Value?: string; Comparison?: string }[]);
    const datePath = DATE_PATHS[name];
    const now = Date.now();
    if (datePath) return (f) => matchesDate(datePath(f), list as DateFilter[], name, now);
    throw new StandInError('InvalidInputException', `GetFindings filter ${name} is not evaluated by the emulator stand-in (moto ignores filters)`);
  });
  if (tests.length === 0) return findings;
  // Every filter's values are checked even with no findings to test them on.
  for (const [name, list] of entries) if (DATE_PATHS[name]) matchesDate(undefined, list as DateFilter[], name, 0);
  return findings.filter((f) => tests.every((test) => test(f)));
}

/** JSON with object keys sorted, so equal queries give equal text whatever order their members came in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/**
 * GetFindings `NextToken`: opaque to the caller (base64url JSON), it holds the offset of the next
 * page and a hash of the query (caller's account and region, Filters, SortCriteria). A token
 * presented with another query is refused with InvalidInputException, as AWS refuses it. The
 * offset is into the query's answer as it is evaluated again for each page: findings updated
 * between pages so that they leave or enter the filter, or move in the sort, shift the pages.
 */
function queryHash(accountId: string, region: string, input: Record<string, unknown>): string {
  return createHash('sha256')
    .update(canonical({ accountId, region, Filters: input.Filters ?? {}, SortCriteria: input.SortCriteria ?? [] }))
    .digest('base64url')
    .slice(0, 22);
}

function encodeToken(offset: number, query: string): string {
  return Buffer.from(JSON.stringify({ v: 1, offset, query })).toString('base64url');
}

function decodeToken(token: string, query: string): number {
  let parsed: { v?: number; offset?: unknown; query?: unknown } | undefined;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  if (
    !parsed ||
    parsed.v !== 1 ||
    typeof parsed.offset !== 'number' ||
    !Number.isInteger(parsed.offset) ||
    parsed.offset < 0 ||
    typeof parsed.query !== 'string'
  )
    throw new StandInError('InvalidInputException', 'GetFindings: the NextToken is not valid');
  if (parsed.query !== query)
    throw new StandInError('InvalidInputException', 'GetFindings: the NextToken was issued for another query (its Filters or SortCriteria differ)');
  return parsed.offset;
}

/** moto's findings of one account's hub in a region, as read once: in moto's order, and by Id. */
interface MotoStore {
  findings: Record<string, any>[];
  byId: Map<string, Record<string, any>>;
}

/** Recorded stand-in requests after which moto's findings store may differ from a copy read before. */
const WRITES_FINDINGS = new Set(['BatchImportFindings', 'EnableSecurityHub', 'DisableSecurityHub']);

/** Registers the finding operations on the stand-in; the state lives in moto plus the overlay here. */
export function serveFindings(standIn: SecurityHubStandIn, motoUrl: string): FindingsService {
  const updates: AppliedUpdate[] = [];
  /** `<account>/<region>` → finding id → fields set by BatchUpdateFindings, merged over moto's finding. */
  const overlays = new Map<string, Map<string, Record<string, any>>>();
  const ocsfStore = new Map<string, Record<string, any>[]>();
  const accounts = new Map<string, string>();
  const keyAccount = async (accessKeyId: string | undefined): Promise<string> => {
    if (!accessKeyId) throw new StandInError('UnrecognizedClientException', 'no credentials on the request', 403);
    if (!accounts.has(accessKeyId)) accounts.set(accessKeyId, await accountOfKey(motoUrl, accessKeyId));
    return accounts.get(accessKeyId)!;
  };
  const merged = (over: Record<string, any> | undefined, f: Record<string, any>) =>
    over ? { ...f, ...over, UserDefinedFields: { ...(f.UserDefinedFields ?? {}), ...(over.UserDefinedFields ?? {}) } } : f;

  /** `<account>/<region>` → moto's findings there, read once (a promise, so concurrent first reads share one). */
  const stores = new Map<string, Promise<MotoStore>>();
  /** How far `standIn.requests` has been looked through for writes to moto's store, and the last request seen there. */
  let scanned = 0;
  let lastScanned: RecordedRequest | undefined;
  const noticed = new WeakSet<RecordedRequest>();
  /**
   * Drops every copy when the stand-in passed a write of moto's findings store on since the last
   * look. The tests empty `standIn.requests` between cases: when the list no longer continues what
   * was looked through, it is looked through again from the top (requests already noticed are
   * skipped). The stand-in records a request before moto answers it: a GetFindings answered while
   * an import is still at moto may keep the store as it was before that import (until the next
   * import or reset); clients that await their import, as every test and CLI does, never see it.
   */
  const noticeWrites = () => {
    const requests = standIn.requests;
    if (scanned > requests.length || (scanned > 0 && requests[scanned - 1] !== lastScanned)) scanned = 0;
    for (let i = scanned; i < requests.length; i++) {
      const request = requests[i];
      if (WRITES_FINDINGS.has(request.operation) && request.answeredBy !== 'rejected' && !noticed.has(request)) {
        noticed.add(request);
        stores.clear();
      }
    }
    scanned = requests.length;
    lastScanned = requests[scanned - 1];
  };
  const storeOf = (accessKeyId: string, accountId: string, region: string): Promise<MotoStore> => {
    noticeWrites();
    const key = `${accountId}/${region}`;
    let store = stores.get(key);
    if (!store) {
      const reading = motoFindings(motoUrl, accessKeyId, region).then((all) => ({ findings: all, byId: new Map(all.map((f) => [f.Id as string, f])) }));
      store = reading;
      stores.set(key, reading);
      // A failed read is not kept (the caller still gets its error).
      reading.catch(() => {
        if (stores.get(key) === reading) stores.delete(key);
      });
    }
    return store;
  };
  /** The findings as GetFindings answers them: moto's (shared with the copy: never mutate), with the updates merged. */
  const findingsOf = async (accessKeyId: string, accountId: string, region: string) => {
    const { findings: all } = await storeOf(accessKeyId, accountId, region);
    const over = overlays.get(`${accountId}/${region}`);
    return over && over.size > 0 ? all.map((f) => merged(over.get(f.Id as string), f)) : all;
  };
  /** An access key of each account, remembered from its requests, to read moto's store for `findings()`. */
  const keyOf = new Map<string, string>();

  standIn.handle({
    async GetFindings(input, { accessKeyId, region }) {
      const accountId = await keyAccount(accessKeyId);
      keyOf.set(accountId, accessKeyId!);
      const query = queryHash(accountId, region!, input);
      const offset = typeof input.NextToken === 'string' && input.NextToken !== '' ? decodeToken(input.NextToken, query) : 0;
      const filtered = applyFilters(await findingsOf(accessKeyId!, accountId, region!), input.Filters as Record<string, unknown>);
      const found = sortFindings(filtered, input.SortCriteria as { Field?: string; SortOrder?: string }[] | undefined);
      const max = typeof input.MaxResults === 'number' ? input.MaxResults : 100;
      const page = found.slice(offset, offset + max);
      return offset + max < found.length ? { Findings: page, NextToken: encodeToken(offset + max, query) } : { Findings: page };
    },
    async BatchUpdateFindings(input, { accessKeyId, region }) {
      const accountId = await keyAccount(accessKeyId);
      keyOf.set(accountId, accessKeyId!);
      const { byId } = await storeOf(accessKeyId!, accountId, region!);
      const overlayKey = `${accountId}/${region}`;
      const overlay = overlays.get(overlayKey) ?? new Map<string, Record<string, any>>();
      overlays.set(overlayKey, overlay);
      const now = new Date().toISOString();
      const processed: { Id: string; ProductArn: string }[] = [];
      const unprocessed: { FindingIdentifier: { Id: string; ProductArn: string }; ErrorCode: string; ErrorMessage: string }[] = [];
      for (const identifier of input.FindingIdentifiers as { Id: string; ProductArn: string }[]) {
        const finding = byId.get(identifier.Id);
        if (!finding || finding.ProductArn !== identifier.ProductArn) {
          unprocessed.push({
            FindingIdentifier: identifier,
            ErrorCode: 'FindingNotFound',
            ErrorMessage: `no finding ${identifier.Id} of ${identifier.ProductArn} in ${accountId} ${region}`,
          });
          continue;
        }
        const over = { ...(overlay.get(identifier.Id) ?? {}) };
        if (input.Note) over.Note = { ...input.Note, UpdatedAt: now };
        if (input.UserDefinedFields) over.UserDefinedFields = { ...(over.UserDefinedFields ?? {}), ...input.UserDefinedFields };
        if (input.Workflow) over.Workflow = { ...(finding.Workflow ?? {}), ...(over.Workflow ?? {}), ...input.Workflow };
        for (const field of ['Severity', 'VerificationState', 'Confidence', 'Criticality', 'Types', 'RelatedFindings']) {
          if (input[field] !== undefined) over[field] = input[field];
        }
        over.UpdatedAt = now;
        overlay.set(identifier.Id, over);
        processed.push(identifier);
      }
      updates.push({
        operation: 'BatchUpdateFindings',
        accountId,
        region: region!,
        input,
        processed: processed.map((p) => p.Id),
        unprocessed: unprocessed.map((u) => u.FindingIdentifier.Id),
      });
      return { ProcessedFindings: processed, UnprocessedFindings: unprocessed };
    },
    async BatchUpdateFindingsV2(input, { accessKeyId, region }) {
      const accountId = await keyAccount(accessKeyId);
      const store = ocsfStore.get(`${accountId}/${region}`) ?? [];
      type Identifier = { CloudAccountUid: string; FindingInfoUid: string; MetadataProductUid: string };
      // A finding named by its metadata uid, or by its identifier.
      type Ref = { MetadataUid: string; FindingIdentifier?: undefined } | { MetadataUid?: undefined; FindingIdentifier: Identifier };
      const processed: Ref[] = [];
      const unprocessed: (Ref & { ErrorCode: string; ErrorMessage: string })[] = [];
      const uids = (input.MetadataUids as string[] | undefined) ?? [];
      const identifiers = (input.FindingIdentifiers as Identifier[] | undefined) ?? [];
      const targets = [
        ...uids.map((uid) => ({ ref: { MetadataUid: uid }, finding: store.find((f) => f.metadata?.uid === uid) })),
        ...identifiers.map((id) => ({
          ref: { FindingIdentifier: id },
          finding: store.find(
            (f) =>
              f.finding_info?.uid === id.FindingInfoUid && f.cloud?.account?.uid === id.CloudAccountUid && f.metadata?.product?.uid === id.MetadataProductUid,
          ),
        })),
      ];
      for (const { ref, finding } of targets) {
        if (!finding) {
          unprocessed.push({ ...ref, ErrorCode: 'ResourceNotFoundException', ErrorMessage: `no OCSF finding in ${accountId} ${region}` });
          continue;
        }
        if (input.StatusId !== undefined) finding.status_id = input.StatusId;
        if (input.SeverityId !== undefined) finding.severity_id = input.SeverityId;
        if (input.Comment !== undefined) finding.comment = input.Comment;
        processed.push(ref);
      }
      updates.push({
        operation: 'BatchUpdateFindingsV2',
        accountId,
        region: region!,
        input,
        processed: processed.map((p) => p.MetadataUid ?? p.FindingIdentifier.FindingInfoUid),
        unprocessed: unprocessed.map((p) => p.MetadataUid ?? p.FindingIdentifier.FindingInfoUid),
      });
      return { ProcessedFindings: processed, UnprocessedFindings: unprocessed };
    },
  });

  return {
    updates,
    async findings(accountId, region) {
      const key = keyOf.get(accountId);
      if (!key) throw new Error(`no request of account ${accountId} has been seen: import its findings first`);
      // A copy: the caller may change what it gets without changing the store kept here.
      return structuredClone(await findingsOf(key, accountId, region));
    },
    async importFindings(accountId, region, findings, options = {}) {
      // Through the stand-in, so the import is validated against the model like every other request.
      const key = await importKey(accountId);
      keyOf.set(accountId, key);
      let response: Response;
      try {
        response = await fetch(`${options.asDelivered ? motoUrl : standIn.url}/findings/import`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: authorization(key, region, 'securityhub') },
          body: JSON.stringify({ Findings: findings }),
        });
      } finally {
        // moto's store changed (or may have, even on a failure): the copies read before are stale.
        stores.clear();
      }
      const body = (await response.json()) as { FailedCount?: number; FailedFindings?: unknown[] };
      if (!response.ok || body.FailedCount)
        throw new Error(`BatchImportFindings into ${accountId} ${region}: ${response.status} ${JSON.stringify(body).slice(0, 400)}`);
    },
    importOcsf(accountId, region, findings) {
      const key = `${accountId}/${region}`;
      ocsfStore.set(key, [...(ocsfStore.get(key) ?? []), ...findings.map((f) => structuredClone(f))]);
    },
    ocsf: (accountId, region) => ocsfStore.get(`${accountId}/${region}`) ?? [],
    reset() {
      updates.length = 0;
      overlays.clear();
      stores.clear();
      scanned = 0;
      lastScanned = undefined;
      ocsfStore.clear();
      // moto's reset forgets the access keys its STS issued: a remembered key would now name another account.
      accounts.clear();
      keyOf.clear();
    },
  };

  /** moto STS credentials of the account's own OrganizationAccountAccessRole, for imports. */
  async function importKey(accountId: string): Promise<string> {
    const known = keyOf.get(accountId);
    if (known) return known;
    const response = await fetch(`${motoUrl}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: authorization('AKIAEMULATORSEED0001', 'us-east-1', 'sts') },
      body: `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(`arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`)}&RoleSessionName=emulator-import`,
    });
    const text = await response.text();
    const key = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(text)?.[1];
    if (!key) throw new Error(`moto AssumeRole into ${accountId}: ${response.status} ${text.slice(0, 200)}`);
    accounts.set(key, accountId);
    return key;
  }
}
