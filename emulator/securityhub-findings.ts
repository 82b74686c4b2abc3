import { StandInError, type SecurityHubStandIn } from './securityhub-standin';

/**
 * Security Hub finding operations moto 5.2.1 lacks or answers wrongly, answered at the validating
 * stand-in (emulator/securityhub-standin.ts) from moto's own findings store:
 *
 * - `BatchUpdateFindings` (not in moto): each identified finding must exist in moto's hub of the
 *   caller's account and region (imported there with BatchImportFindings) with the same ProductArn,
 *   else it is unprocessed (`FindingNotFound`), as at AWS. The update is kept here, as an overlay.
 * - `GetFindings`: moto ignores `Filters` (its own docstring says so) and would hand `npm run undo`
 *   whichever finding comes first. Answered here from moto's findings of the caller, with the
 *   overlay of updates merged in and the string filters AWS documents applied. A filter field this
 *   stand-in does not evaluate is refused with an error, never ignored.
 * - `BatchUpdateFindingsV2` (not in moto, nor any OCSF store): OCSF findings are put here with
 *   `importOcsf`; updates name them by metadata uid or finding identifier.
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
  /** Forgets updates, OCSF findings and the access keys seen; call it with moto's own reset. */
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

/** GetFindings filter fields this stand-in evaluates, and where each lives in ASFF. */
const FILTER_PATHS: Partial<Record<string, (f: Record<string, any>) => unknown>> = {
  Id: (f) => f.Id,
  ProductArn: (f) => f.ProductArn,
  AwsAccountId: (f) => f.AwsAccountId,
  GeneratorId: (f) => f.GeneratorId,
  Title: (f) => f.Title,
  RecordState: (f) => f.RecordState,
  WorkflowStatus: (f) => f.Workflow?.Status,
  ComplianceSecurityControlId: (f) => f.Compliance?.SecurityControlId,
  SeverityLabel: (f) => f.Severity?.Label,
};

function applyFilters(findings: Record<string, any>[], filters: Record<string, unknown> | undefined): Record<string, any>[] {
  const entries = Object.entries(filters ?? {});
  for (const [name] of entries) {
    if (!FILTER_PATHS[name])
      throw new StandInError('InvalidInputException', `GetFindings filter ${name} is not evaluated by the emulator stand-in (moto ignores filters)`);
  }
  return findings.filter((f) => entries.every(([name, list]) => matches(FILTER_PATHS[name]!(f), list as { Value?: string; Comparison?: string }[])));
}

/** Registers the finding operations on the stand-in; the state lives in moto plus the overlay here. */
export function serveFindings(standIn: SecurityHubStandIn, motoUrl: string): FindingsService {
  const updates: AppliedUpdate[] = [];
  /** `<account>/<region>/<finding id>` → fields set by BatchUpdateFindings, merged over moto's finding. */
  const overlay = new Map<string, Record<string, any>>();
  const ocsfStore = new Map<string, Record<string, any>[]>();
  const accounts = new Map<string, string>();
  const keyAccount = async (accessKeyId: string | undefined): Promise<string> => {
    if (!accessKeyId) throw new StandInError('UnrecognizedClientException', 'no credentials on the request', 403);
    if (!accounts.has(accessKeyId)) accounts.set(accessKeyId, await accountOfKey(motoUrl, accessKeyId));
    return accounts.get(accessKeyId)!;
  };
  const merged = (accountId: string, region: string, f: Record<string, any>) => {
    const over = overlay.get(`${accountId}/${region}/${f.Id}`);
    return over ? { ...f, ...over, UserDefinedFields: { ...(f.UserDefinedFields ?? {}), ...(over.UserDefinedFields ?? {}) } } : f;
  };
  const findingsOf = async (accessKeyId: string, accountId: string, region: string) =>
    (await motoFindings(motoUrl, accessKeyId, region)).map((f) => merged(accountId, region, f));
  /** An access key of each account, remembered from its requests, to read moto's store for `findings()`. */
  const keyOf = new Map<string, string>();

  standIn.handle({
    async GetFindings(input, { accessKeyId, region }) {
      const accountId = await keyAccount(accessKeyId);
      keyOf.set(accountId, accessKeyId!);
      const found = applyFilters(await findingsOf(accessKeyId!, accountId, region!), input.Filters as Record<string, unknown>);
      const max = typeof input.MaxResults === 'number' ? input.MaxResults : 100;
      return { Findings: found.slice(0, max) };
    },
    async BatchUpdateFindings(input, { accessKeyId, region }) {
      const accountId = await keyAccount(accessKeyId);
      keyOf.set(accountId, accessKeyId!);
      const existing = await motoFindings(motoUrl, accessKeyId!, region!);
      const now = new Date().toISOString();
      const processed: { Id: string; ProductArn: string }[] = [];
      const unprocessed: { FindingIdentifier: { Id: string; ProductArn: string }; ErrorCode: string; ErrorMessage: string }[] = [];
      for (const identifier of input.FindingIdentifiers as { Id: string; ProductArn: string }[]) {
        const finding = existing.find((f) => f.Id === identifier.Id && f.ProductArn === identifier.ProductArn);
        if (!finding) {
          unprocessed.push({
            FindingIdentifier: identifier,
            ErrorCode: 'FindingNotFound',
            ErrorMessage: `no finding ${identifier.Id} of ${identifier.ProductArn} in ${accountId} ${region}`,
          });
          continue;
        }
        const key = `${accountId}/${region}/${identifier.Id}`;
        const over = { ...(overlay.get(key) ?? {}) };
        if (input.Note) over.Note = { ...input.Note, UpdatedAt: now };
        if (input.UserDefinedFields) over.UserDefinedFields = { ...(over.UserDefinedFields ?? {}), ...input.UserDefinedFields };
        if (input.Workflow) over.Workflow = { ...(finding.Workflow ?? {}), ...(over.Workflow ?? {}), ...input.Workflow };
        for (const field of ['Severity', 'VerificationState', 'Confidence', 'Criticality', 'Types', 'RelatedFindings']) {
          if (input[field] !== undefined) over[field] = input[field];
        }
        over.UpdatedAt = now;
        overlay.set(key, over);
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
      return findingsOf(key, accountId, region);
    },
    async importFindings(accountId, region, findings, options = {}) {
      // Through the stand-in, so the import is validated against the model like every other request.
      const key = await importKey(accountId);
      keyOf.set(accountId, key);
      const response = await fetch(`${options.asDelivered ? motoUrl : standIn.url}/findings/import`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: authorization(key, region, 'securityhub') },
        body: JSON.stringify({ Findings: findings }),
      });
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
      overlay.clear();
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
