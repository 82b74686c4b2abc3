import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import { securityHomeStack, type Fleet } from '../../config/fleet';
import { KPI_QUERIES, kpiSql, type KpiQuery, type KpiWindow } from '../../functions/shared/evidence/kpis';
import { names } from '../../functions/shared/naming';
import { CliError, EXIT, parseCliArgs, parseTime } from '../cli';
import type { ProgressLine } from './progress';

/**
 * `npm run report`: the evidence store's KPIs (functions/shared/evidence/kpis.ts) for a time window,
 * run in Athena in the security account's home region, one table per KPI.
 */

export const USAGE =
  'usage: npm run report -- [--since <Nd | Nh | YYYY-MM-DD | ISO time>] [--until <same>] [--stack <security home stack> | --profile <AWS profile>]';

export interface ReportOptions {
  window: KpiWindow;
  stack?: string;
  profile?: string;
}

/** The command line (default window: the last 30 days up to now); bad arguments are usage errors. */
export function parseReportArgs(args: string[], now: Date): ReportOptions {
  const { values, positionals } = parseCliArgs(
    {
      args,
      options: { since: { type: 'string' }, until: { type: 'string' }, stack: { type: 'string' }, profile: { type: 'string' } },
      allowPositionals: true,
    },
    USAGE,
  );
  if (positionals.length > 0) throw new CliError(`unexpected argument ${positionals.join(' ')}\n${USAGE}`, EXIT.usage);
  if (values.stack !== undefined && values.profile !== undefined)
    throw new CliError(`--stack and --profile both name the credentials: give one\n${USAGE}`, EXIT.usage);
  const since = parseTime('since', values.since ?? '30d', now, USAGE);
  const until = values.until === undefined ? now : parseTime('until', values.until, now, USAGE);
  if (since.getTime() >= until.getTime()) {
    throw new CliError(`the window is empty: --since ${since.toISOString()} is not before --until ${until.toISOString()}\n${USAGE}`, EXIT.usage);
  }
  return {
    window: { since, until },
    ...(values.stack !== undefined ? { stack: values.stack } : {}),
    ...(values.profile !== undefined ? { profile: values.profile } : {}),
  };
}

/** Where the queries run: the evidence store's Athena workgroup and Glue table, in the organization's home region. */
export interface ReportTarget {
  region: string;
  workgroup: string;
  database: string;
  table: string;
  /** The AWS shared-config profile to sign with; absent: the default credential chain (AWS_PROFILE, environment, SSO…). */
  profile?: string;
}

/**
 * The target from the configuration. `--stack` must name the security account's home stack (where
 * the evidence store lives) and signs with that account's profile (`<org>-<account name>`, as
 * `npm run aws-profiles` writes it); `--profile` names any profile.
 */
export function reportTarget(fleet: Fleet, options: Pick<ReportOptions, 'stack' | 'profile'>): ReportTarget {
  const org = fleet.config.organization;
  const home = securityHomeStack(fleet);
  if (options.stack !== undefined && options.stack !== home.name) {
    const known = fleet.stacks.some((s) => s.name === options.stack);
    throw new CliError(
      `--stack ${options.stack}: ${known ? 'the evidence store is not there' : 'no such stack in the configuration'}; it lives in the security account's home stack, ${home.name}\n${USAGE}`,
      EXIT.usage,
    );
  }
  const profile = options.stack !== undefined ? home.account.profile : options.profile;
  return {
    region: org.homeRegion,
    workgroup: names.athenaWorkgroup(org.name),
    database: names.evidenceDatabase(org.name),
    table: names.evidenceTable,
    ...(profile !== undefined ? { profile } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Running the queries
// ---------------------------------------------------------------------------------------------

export interface KpiResult {
  query: KpiQuery;
  state: 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  queryExecutionId?: string;
  /** Why Athena (or the request to start it) failed. */
  reason?: string;
  columns: string[];
  /** Cells as Athena returns them (text); null for SQL NULL. */
  rows: (string | null)[][];
  scannedBytes: number;
  elapsedMillis: number;
}

export interface ReportDeps {
  athena: Pick<AthenaClient, 'send'>;
  /** Milliseconds since some origin (Date.now). */
  now(): number;
  /** Resolves after `ms`, or at once when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  progress: ProgressLine;
  signal: AbortSignal;
  /** Between two GetQueryExecution calls. Default 1000 ms. */
  pollMillis?: number;
  queries?: readonly KpiQuery[];
}

/** The operator interrupted the report: the running query was stopped. */
export class ReportInterrupted extends Error {
  constructor(readonly queryName: string) {
    super(`interrupted: stopped the query ${queryName}`);
    this.name = 'ReportInterrupted';
  }
}

/** The SDK's errors for missing or expired credentials: no use trying the next query. */
const CREDENTIAL_ERRORS = new Set(['CredentialsProviderError', 'ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException']);

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Every row of a succeeded query, page by page; the header row Athena puts first is dropped. */
async function results(athena: ReportDeps['athena'], queryExecutionId: string): Promise<{ columns: string[]; rows: (string | null)[][] }> {
  let columns: string[] = [];
  const rows: (string | null)[][] = [];
  let nextToken: string | undefined;
  let first = true;
  do {
    const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: queryExecutionId, MaxResults: 1000, NextToken: nextToken }));
    if (first) columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Label ?? c.Name ?? '');
    const pageRows = (page.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue ?? null));
    // A SELECT's first row holds the column labels (Athena's documented behaviour).
    if (first && pageRows.length > 0 && pageRows[0].join('\u0000') === columns.join('\u0000')) pageRows.shift();
    rows.push(...pageRows);
    first = false;
    nextToken = page.NextToken;
  } while (nextToken);
  return { columns, rows };
}

function reasonOf(execution: QueryExecution | undefined): string {
  return execution?.Status?.StateChangeReason ?? execution?.Status?.AthenaError?.ErrorMessage ?? 'no reason given';
}

/** One query: start, poll with the progress line until it ends, read its rows. */
async function runOne(query: KpiQuery, position: string, target: ReportTarget, window: KpiWindow, deps: ReportDeps): Promise<KpiResult> {
  const started = deps.now();
  const base = { query, columns: [] as string[], rows: [] as (string | null)[][], scannedBytes: 0 };
  let queryExecutionId: string | undefined;
  try {
    const start = await deps.athena.send(
      new StartQueryExecutionCommand({
        QueryString: kpiSql(query, target.database, target.table, window),
        WorkGroup: target.workgroup,
        QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: target.database },
      }),
    );
    queryExecutionId = start.QueryExecutionId;
  } catch (error) {
    const err = error as Partial<Error>;
    if (err.name !== undefined && CREDENTIAL_ERRORS.has(err.name)) throw error;
    const reason = String(err.message ?? error).split('\n')[0];
    deps.progress.done(`report: ${position} ${query.name} FAILED to start: ${reason}`);
    return { ...base, state: 'FAILED', reason, elapsedMillis: deps.now() - started };
  }
  if (!queryExecutionId) throw new Error(`Athena started ${query.name} without a query execution id`);

  const pollMillis = deps.pollMillis ?? 1000;
  for (;;) {
    if (deps.signal.aborted) {
      await deps.athena.send(new StopQueryExecutionCommand({ QueryExecutionId: queryExecutionId }));
      deps.progress.done(`report: ${position} ${query.name} stopped`);
      throw new ReportInterrupted(query.name);
    }
    const { QueryExecution: execution } = await deps.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: queryExecutionId }));
    const state = execution?.Status?.State ?? 'QUEUED';
    const scannedBytes = execution?.Statistics?.DataScannedInBytes ?? 0;
    const elapsedMillis = deps.now() - started;
    const line = `report: ${position} ${query.name} ${state}, ${formatBytes(scannedBytes)} scanned, ${seconds(elapsedMillis)}`;
    if (state === 'SUCCEEDED') {
      const { columns, rows } = await results(deps.athena, queryExecutionId);
      deps.progress.done(`${line}, ${rows.length} row${rows.length === 1 ? '' : 's'}`);
      return { ...base, state, queryExecutionId, columns, rows, scannedBytes, elapsedMillis: deps.now() - started };
    }
    if (state === 'FAILED' || state === 'CANCELLED') {
      const reason = reasonOf(execution);
      deps.progress.done(`${line}: ${reason}`);
      return { ...base, state, queryExecutionId, reason, scannedBytes, elapsedMillis };
    }
    deps.progress.update(line, `${query.name} ${state}`);
    await deps.sleep(pollMillis, deps.signal);
  }
}

/**
 * Runs every KPI query in turn (Athena bills per query by data scanned; one at a time keeps the
 * progress line readable and a month's queries take seconds each). A query that fails is reported
 * with Athena's reason and the others still run; missing credentials stop the report.
 */
export async function runReport(target: ReportTarget, window: KpiWindow, deps: ReportDeps): Promise<KpiResult[]> {
  const queries = deps.queries ?? KPI_QUERIES;
  const out: KpiResult[] = [];
  for (const [i, query] of queries.entries()) {
    out.push(await runOne(query, `[${i + 1}/${queries.length}]`, target, window, deps));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------------------------

const NUMBER = /^-?\d+(\.\d+)?(E-?\d+)?$/i;

/** One KPI as a table: its name and description, aligned columns (numbers to the right), a row count. */
export function formatKpi(result: KpiResult): string {
  const heading = `${result.query.name}: ${result.query.description}`;
  if (result.state !== 'SUCCEEDED') return `${heading}\n${result.state}: ${result.reason ?? 'no reason given'}`;
  if (result.rows.length === 0) return `${heading}\n(no rows)`;
  const cells = result.rows.map((r) => result.columns.map((_, i) => r[i] ?? ''));
  const widths = result.columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const numeric = result.columns.map((_, i) => cells.every((r) => r[i] === '' || NUMBER.test(r[i])));
  const line = (row: string[]) =>
    row
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [
    heading,
    line(result.columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
    `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`,
  ].join('\n');
}

/** Every KPI's table, and the window and target they are for. */
export function formatReport(results: KpiResult[], target: ReportTarget, window: KpiWindow): string {
  const scanned = results.reduce((n, r) => n + r.scannedBytes, 0);
  return [
    `Evidence KPIs, ${window.since.toISOString()} to ${window.until.toISOString()} (${target.database}.${target.table}, workgroup ${target.workgroup}, ${target.region}); ${formatBytes(scanned)} scanned`,
    ...results.map(formatKpi),
  ].join('\n\n');
}

/** The exit code: 0 when every query succeeded, else 1 with the line that names the failed ones. */
export function reportOutcome(results: KpiResult[]): { code: number; line?: string } {
  const failed = results.filter((r) => r.state !== 'SUCCEEDED');
  if (failed.length === 0) return { code: EXIT.ok };
  return {
    code: EXIT.error,
    line: `report: ${failed.length} of ${results.length} queries did not succeed: ${failed.map((r) => `${r.query.name} (${r.reason ?? r.state})`).join('; ')}`,
  };
}
