/**
 * `npm run report` (scripts/operator/report.ts): arguments, target, and the Athena round trips
 * against aws-sdk-client-mock (no network): a query queued, running, then succeeded with its rows on
 * two pages; a FAILED query reported with Athena's reason while the others still run; a request
 * refused at the start; missing credentials; an interruption that stops the running query.
 */
import { mockClient } from 'aws-sdk-client-mock';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type GetQueryExecutionOutput,
  type GetQueryResultsOutput,
} from '@aws-sdk/client-athena';
import { loadFleet } from '../../../config/load';
import { KPI_QUERIES, kpiSql, type KpiQuery } from '../../../functions/shared/evidence/kpis';
import { CliError, EXIT } from '../../../scripts/cli';
import {
  formatBytes,
  formatKpi,
  formatReport,
  parseReportArgs,
  reportOutcome,
  reportTarget,
  ReportInterrupted,
  runReport,
  type KpiResult,
  type ReportDeps,
  type ReportTarget,
} from '../../../scripts/operator/report';
import { ProgressLine } from '../../../scripts/operator/progress';
import { TEST_ACCOUNTS_FILE } from '../../helpers/config';

const NOW = new Date('2026-03-31T12:00:00.000Z');
const WINDOW = { since: new Date('2026-03-01T00:00:00.000Z'), until: new Date('2026-04-01T00:00:00.000Z') };
const TARGET: ReportTarget = { region: 'us-east-1', workgroup: 'acme-evidence', database: 'acme_evidence', table: 'decisions' };

function usageError(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.usage);
    return error as CliError;
  }
  throw new Error('no error');
}

describe('parseReportArgs', () => {
  it('defaults to the last 30 days up to now', () => {
    expect(parseReportArgs([], NOW)).toEqual({ window: { since: new Date('2026-03-01T12:00:00.000Z'), until: NOW } });
  });

  it('takes --since, --until and the credentials option', () => {
    expect(parseReportArgs(['--since', '2026-03-01', '--until', '2026-04-01', '--stack', 'security-us-east-1'], NOW)).toEqual({
      window: WINDOW,
      stack: 'security-us-east-1',
    });
    expect(parseReportArgs(['--since', '7d', '--profile', 'acme-security'], NOW)).toEqual({
      window: { since: new Date('2026-03-24T12:00:00.000Z'), until: NOW },
      profile: 'acme-security',
    });
  });

  it.each([
    [['--sinec', '30d'], /^Unknown option '--sinec'/],
    [['--since'], /^Option '--since <value>' argument missing/],
    [['30d'], /^unexpected argument 30d$/],
    [['--since', 'soon'], /^--since must be/],
    [['--until', '2026-13-01'], /^--until must be/],
    [
      ['--since', '2026-04-01', '--until', '2026-03-01'],
      /^the window is empty: --since 2026-04-01T00:00:00.000Z is not before --until 2026-03-01T00:00:00.000Z$/,
    ],
    [['--since', '2026-04-02'], /^the window is empty/],
    [['--stack', 'security-us-east-1', '--profile', 'p'], /^--stack and --profile both name the credentials: give one$/],
  ])('%p: a usage error, its first line %p, then the usage line', (args, first) => {
    const error = usageError(() => parseReportArgs(args, NOW));
    const [line, usage, ...rest] = error.message.split('\n');
    expect(line).toMatch(first);
    expect(usage).toMatch(/^usage: npm run report -- /);
    expect(rest).toEqual([]);
  });
});

describe('reportTarget', () => {
  const fleet = loadFleet(TEST_ACCOUNTS_FILE);

  it('the workgroup, database and table named from the organization, in its home region; default credentials', () => {
    expect(reportTarget(fleet, {})).toEqual({ region: 'us-east-1', workgroup: 'acme-evidence', database: 'acme_evidence', table: 'decisions' });
  });

  it('--stack: the security home stack, signing with its account profile; --profile as given', () => {
    expect(reportTarget(fleet, { stack: 'security-us-east-1' }).profile).toBe('acme-security');
    expect(reportTarget(fleet, { profile: 'my-sso' }).profile).toBe('my-sso');
  });

  it('--stack of another stack or of none: a usage error naming the security home stack', () => {
    expect(usageError(() => reportTarget(fleet, { stack: 'payments-prod-eu-west-1' })).message).toMatch(
      /^--stack payments-prod-eu-west-1: the evidence store is not there; it lives in the security account's home stack, security-us-east-1\n/,
    );
    expect(usageError(() => reportTarget(fleet, { stack: 'nope' })).message).toMatch(
      /^--stack nope: no such stack in the configuration; .* security-us-east-1\n/,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Athena
// ---------------------------------------------------------------------------------------------

const athena = mockClient(AthenaClient);

/** Three small KPIs whose SQL names them, so the mock can tell the executions apart. */
const QUERIES: KpiQuery[] = ['alpha', 'beta', 'gamma'].map((name) => ({
  name,
  description: `the ${name} KPI`,
  template: `SELECT count(*) AS n -- ${name}\nFROM {{table}} WHERE {{window}}`,
}));

const execution = (state: string, scanned = 0, reason?: string): GetQueryExecutionOutput => ({
  QueryExecution: { Status: { State: state as never, ...(reason ? { StateChangeReason: reason } : {}) }, Statistics: { DataScannedInBytes: scanned } },
});

const page = (rows: string[][], nextToken?: string, columns?: string[]): GetQueryResultsOutput => ({
  ResultSet: {
    ...(columns ? { ResultSetMetadata: { ColumnInfo: columns.map((c) => ({ Name: c, Label: c, Type: 'varchar' })) } } : {}),
    Rows: rows.map((r) => ({ Data: r.map((v) => (v === 'NULL' ? {} : { VarCharValue: v })) })),
  },
  ...(nextToken ? { NextToken: nextToken } : {}),
});

interface Harness {
  deps: ReportDeps;
  stderr: string[];
  sleeps: number[];
  controller: AbortController;
}

function harness(isTTY = false): Harness {
  const stderr: string[] = [];
  const sleeps: number[] = [];
  const controller = new AbortController();
  let clock = 0;
  return {
    stderr,
    sleeps,
    controller,
    deps: {
      athena: new AthenaClient({ region: 'us-east-1' }),
      now: () => clock,
      sleep: (ms) => {
        sleeps.push(ms);
        clock += ms;
        return Promise.resolve();
      },
      progress: new ProgressLine({ isTTY, write: (text: string) => stderr.push(text) }),
      signal: controller.signal,
      queries: QUERIES,
    },
  };
}

describe('runReport', () => {
  beforeEach(() => {
    athena.reset();
    athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString: string }) => ({ QueryExecutionId: `q-${/-- (\w+)/.exec(input.QueryString)?.[1]}` }));
  });

  it('queued → running → succeeded, rows read over two pages without the header row; a FAILED query reported with its reason, the next one still run', async () => {
    athena
      .on(GetQueryExecutionCommand, { QueryExecutionId: 'q-alpha' })
      .resolvesOnce(execution('QUEUED'))
      .resolvesOnce(execution('RUNNING', 1024))
      .resolvesOnce(execution('RUNNING', 2048))
      .resolves(execution('SUCCEEDED', 3 * 1024 * 1024));
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-alpha' })
      .resolvesOnce(
        page(
          [
            ['action', 'n'],
            ['REVOKE_PUBLIC_INGRESS', '3'],
          ],
          'page-2',
          ['action', 'n'],
        ),
      )
      .resolvesOnce(page([['BLOCK_S3_PUBLIC_ACCESS', 'NULL']]));
    athena
      .on(GetQueryExecutionCommand, { QueryExecutionId: 'q-beta' })
      .resolvesOnce(execution('RUNNING'))
      .resolves(execution('FAILED', 0, "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved"));
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: 'q-gamma' }).resolves(execution('SUCCEEDED', 10));
    athena.on(GetQueryResultsCommand, { QueryExecutionId: 'q-gamma' }).resolves(page([['n']], undefined, ['n']));

    const h = harness();
    const results = await runReport(TARGET, WINDOW, h.deps);

    expect(results.map((r) => [r.query.name, r.state, r.queryExecutionId])).toEqual([
      ['alpha', 'SUCCEEDED', 'q-alpha'],
      ['beta', 'FAILED', 'q-beta'],
      ['gamma', 'SUCCEEDED', 'q-gamma'],
    ]);
    expect(results[0]).toMatchObject({
      columns: ['action', 'n'],
      rows: [
        ['REVOKE_PUBLIC_INGRESS', '3'],
        ['BLOCK_S3_PUBLIC_ACCESS', null],
      ],
      scannedBytes: 3 * 1024 * 1024,
      elapsedMillis: 3000,
    });
    expect(results[1].reason).toBe("COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved");
    expect(results[2]).toMatchObject({ columns: ['n'], rows: [] });

    // The second page asked with the first page's token.
    const pages = athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input);
    expect(pages).toEqual([
      { QueryExecutionId: 'q-alpha', MaxResults: 1000 },
      { QueryExecutionId: 'q-alpha', MaxResults: 1000, NextToken: 'page-2' },
      { QueryExecutionId: 'q-gamma', MaxResults: 1000 },
    ]);
    // Polled once a second while the query was queued or running.
    expect(h.sleeps).toEqual([1000, 1000, 1000, 1000]);
    // Not a terminal: one line per change of state, and each query's last line.
    expect(h.stderr).toEqual([
      'report: [1/3] alpha QUEUED, 0 B scanned, 0.0 s\n',
      'report: [1/3] alpha RUNNING, 1.0 KB scanned, 1.0 s\n',
      'report: [1/3] alpha SUCCEEDED, 3.0 MB scanned, 3.0 s, 2 rows\n',
      'report: [2/3] beta RUNNING, 0 B scanned, 0.0 s\n',
      "report: [2/3] beta FAILED, 0 B scanned, 1.0 s: COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved\n",
      'report: [3/3] gamma SUCCEEDED, 10 B scanned, 0.0 s, 0 rows\n',
    ]);
  });

  it('starts each query in the workgroup with the database, the window rendered into the SQL', async () => {
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED'));
    athena.on(GetQueryResultsCommand).resolves(page([['n']], undefined, ['n']));
    const h = harness();
    await runReport(TARGET, WINDOW, { ...h.deps, queries: KPI_QUERIES });
    const starts = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input);
    expect(starts).toEqual(
      KPI_QUERIES.map((q) => ({
        QueryString: kpiSql(q, 'acme_evidence', 'decisions', WINDOW),
        WorkGroup: 'acme-evidence',
        QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: 'acme_evidence' },
      })),
    );
  });

  it('on a terminal the progress line is rewritten in place (\\r, cleared to the end), and kept when the query ends', async () => {
    athena.on(GetQueryExecutionCommand).resolvesOnce(execution('RUNNING', 5)).resolvesOnce(execution('RUNNING', 7)).resolves(execution('SUCCEEDED', 9));
    athena.on(GetQueryResultsCommand).resolves(page([['n'], ['1']], undefined, ['n']));
    const h = harness(true);
    await runReport(TARGET, WINDOW, { ...h.deps, queries: QUERIES.slice(0, 1) });
    expect(h.stderr).toEqual([
      '\rreport: [1/1] alpha RUNNING, 5 B scanned, 0.0 s\x1b[K',
      '\rreport: [1/1] alpha RUNNING, 7 B scanned, 1.0 s\x1b[K',
      '\rreport: [1/1] alpha SUCCEEDED, 9 B scanned, 2.0 s, 1 row\x1b[K\n',
    ]);
  });

  it('a query Athena refuses to start (no such workgroup) is reported and the others still run', async () => {
    athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString: string }) => {
      if (input.QueryString.includes('-- alpha')) throw Object.assign(new Error('WorkGroup acme-evidence is not found.'), { name: 'InvalidRequestException' });
      return { QueryExecutionId: `q-${/-- (\w+)/.exec(input.QueryString)?.[1]}` };
    });
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED'));
    athena.on(GetQueryResultsCommand).resolves(page([['n']], undefined, ['n']));
    const h = harness();
    const results = await runReport(TARGET, WINDOW, h.deps);
    expect(results.map((r) => [r.query.name, r.state, r.reason])).toEqual([
      ['alpha', 'FAILED', 'WorkGroup acme-evidence is not found.'],
      ['beta', 'SUCCEEDED', undefined],
      ['gamma', 'SUCCEEDED', undefined],
    ]);
    expect(h.stderr[0]).toBe('report: [1/3] alpha FAILED to start: WorkGroup acme-evidence is not found.\n');
    expect(reportOutcome(results)).toEqual({ code: EXIT.error, line: 'report: 1 of 3 queries did not succeed: alpha (WorkGroup acme-evidence is not found.)' });
  });

  it('a CANCELLED query (stopped in the console) is reported with its reason', async () => {
    athena.on(GetQueryExecutionCommand).resolves(execution('CANCELLED', 0, 'Query cancelled by user'));
    const h = harness();
    const [result] = await runReport(TARGET, WINDOW, { ...h.deps, queries: QUERIES.slice(0, 1) });
    expect(result).toMatchObject({ state: 'CANCELLED', reason: 'Query cancelled by user' });
  });

  it('missing credentials stop the report at the first query (exit 3 through describeFailure)', async () => {
    athena
      .on(StartQueryExecutionCommand)
      .rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    await expect(runReport(TARGET, WINDOW, harness().deps)).rejects.toMatchObject({ name: 'CredentialsProviderError' });
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(1);
  });

  it('an interruption stops the running query in Athena and ends the report', async () => {
    const h = harness();
    athena.on(GetQueryExecutionCommand).callsFake(() => {
      h.controller.abort();
      return execution('RUNNING');
    });
    athena.on(StopQueryExecutionCommand).resolves({});
    await expect(runReport(TARGET, WINDOW, h.deps)).rejects.toBeInstanceOf(ReportInterrupted);
    expect(athena.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input)).toEqual([{ QueryExecutionId: 'q-alpha' }]);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(1);
    expect(h.stderr.at(-1)).toBe('report: [1/3] alpha stopped\n');
  });
});

describe('printing', () => {
  const result = (over: Partial<KpiResult>): KpiResult => ({
    query: QUERIES[0],
    state: 'SUCCEEDED',
    columns: [],
    rows: [],
    scannedBytes: 0,
    elapsedMillis: 0,
    ...over,
  });

  it('one table per KPI: heading, aligned columns with numbers to the right, NULL as an empty cell, a row count', () => {
    expect(
      formatKpi(
        result({
          columns: ['action', 'attempted', 'failure_rate_pct'],
          rows: [
            ['BLOCK_S3_PUBLIC_ACCESS', '2', '50.0'],
            ['(all)', '12', null],
          ],
        }),
      ),
    ).toBe(
      [
        'alpha: the alpha KPI',
        'action                  attempted  failure_rate_pct',
        '----------------------  ---------  ----------------',
        'BLOCK_S3_PUBLIC_ACCESS          2              50.0',
        '(all)                          12',
        '(2 rows)',
      ].join('\n'),
    );
  });

  it('a KPI with no rows, and one that failed with its reason', () => {
    expect(formatKpi(result({ columns: ['n'] }))).toBe('alpha: the alpha KPI\n(no rows)');
    expect(formatKpi(result({ state: 'FAILED', reason: 'SYNTAX_ERROR: x' }))).toBe('alpha: the alpha KPI\nFAILED: SYNTAX_ERROR: x');
  });

  it('the report: the window, the table, the workgroup and the data scanned, then every KPI', () => {
    const text = formatReport([result({ scannedBytes: 1536 }), result({ query: QUERIES[1], scannedBytes: 512 })], TARGET, WINDOW);
    expect(text.split('\n\n')).toEqual([
      'Evidence KPIs, 2026-03-01T00:00:00.000Z to 2026-04-01T00:00:00.000Z (acme_evidence.decisions, workgroup acme-evidence, us-east-1); 2.0 KB scanned',
      'alpha: the alpha KPI\n(no rows)',
      'beta: the beta KPI\n(no rows)',
    ]);
    expect(reportOutcome([result({})])).toEqual({ code: EXIT.ok });
  });

  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [10 * 1024 * 1024, '10.0 MB'],
    [3 * 1024 ** 4, '3.0 TB'],
  ])('formatBytes(%p) = %p', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
