/**
 * The KPI queries (functions/shared/evidence/kpis.ts) run, translated, in DuckDB over evidence
 * records that the real `evidenceRecord()` made from the simulator's decisions on the shipped
 * example events, written as files in the bucket's key layout. The figures asserted are the ones a
 * person works out by hand from the timeline below.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { loadFleet, parseConfig } from '../../../../config/load';
import type { Fleet } from '../../../../config/fleet';
import type { Decision } from '../../../../functions/shared/decision';
import { evidenceKey, evidenceRecord, type EvidenceRecord } from '../../../../functions/shared/evidence/record';
import { KPI_QUERIES, kpiSql, namedQuerySql, toDuckDb, type KpiQuery } from '../../../../functions/shared/evidence/kpis';
import { ticketEvidenceRecord } from '../../../../functions/shared/evidence/ticket-record';
import type { TicketStatus } from '../../../../functions/shared/routing/tickets';
import { names, type FunctionName } from '../../../../functions/shared/naming';
import { simulate } from '../../../../simulator/simulate';
import { exampleConfig, TEST_ACCOUNTS_FILE } from '../../../helpers/config';
import { ROOT } from '../../../helpers/fleet';

const ORG = 'acme';
const DATABASE = names.evidenceDatabase(ORG);
const TABLE = names.evidenceTable;
const MARCH = { since: new Date('2026-03-01T00:00:00.000Z'), until: new Date('2026-04-01T00:00:00.000Z') };
const MINUTE = 60_000;

/**
 * The Glue table's columns as Athena reads them (openx JSON SerDe: keys not listed are skipped,
 * nested fields not listed too), for DuckDB's read_json. `dt` comes from the folder name.
 */
const GLUE_COLUMNS: Record<string, string> = {
  schema_version: 'INTEGER',
  record_id: 'VARCHAR',
  function: 'VARCHAR',
  organization: 'VARCHAR',
  account_id: 'VARCHAR',
  account_name: 'VARCHAR',
  region: 'VARCHAR',
  finding_id: 'VARCHAR',
  product_arn: 'VARCHAR',
  control_id: 'VARCHAR',
  severity: 'VARCHAR',
  category: 'VARCHAR',
  escalate: 'BOOLEAN',
  action: 'VARCHAR',
  mode: 'VARCHAR',
  status: 'VARCHAR',
  outcome: 'VARCHAR',
  ignored: 'BOOLEAN',
  reason: 'VARCHAR',
  would_remediate: 'BOOLEAN',
  calls: 'STRUCT(service VARCHAR, operation VARCHAR)[]',
  alert: 'STRUCT(subject VARCHAR)',
  first_seen_at: 'VARCHAR',
  handled_at: 'VARCHAR',
  remediated_at: 'VARCHAR',
  ticket: 'STRUCT(system VARCHAR, key VARCHAR, url VARCHAR, status VARCHAR, alert_id VARCHAR)',
};

// ---------------------------------------------------------------------------------------------
// Records, as the functions make them
// ---------------------------------------------------------------------------------------------

interface AsffFinding {
  Id: string;
  ProductArn?: string;
  FirstObservedAt?: string;
  CreatedAt?: string;
  Compliance?: { SecurityControlId?: string };
  [key: string]: unknown;
}
interface FindingsEvent {
  detail: { findings?: AsffFinding[] };
  [key: string]: unknown;
}

/** An example event, with its first finding changed by `patch` (another id, another first-seen time). */
function exampleEvent(file: string, patch: (finding: AsffFinding) => void = () => undefined): FindingsEvent {
  const event = JSON.parse(readFileSync(join(ROOT, 'examples', 'events', file), 'utf8')) as FindingsEvent;
  const first = event.detail.findings?.[0];
  if (first) patch(first);
  return event;
}

/** Another finding id of the same product and control (the last path segment replaced). */
const otherId = (id: string, suffix: string) => id.replace(/[^/]+$/, (last) => `${last.slice(0, -suffix.length)}${suffix}`);

async function decisions(event: FindingsEvent, fleet: Fleet): Promise<Decision[]> {
  return (await simulate(event, fleet)).decisions;
}

/** What the function knows besides the decision: the finding's product, control and first-seen time, the account's name. */
function record(fleet: Fleet, fn: FunctionName, decision: Decision, event: FindingsEvent, handledAt: string): EvidenceRecord {
  const finding = event.detail.findings?.find((f) => f.Id === decision.findingId);
  const firstSeenAt = finding?.FirstObservedAt ?? finding?.CreatedAt;
  return evidenceRecord(decision, {
    function: fn,
    organization: fleet.config.organization.name,
    accountName: fleet.accounts.find((a) => a.id === decision.accountId)?.name ?? decision.accountId,
    ...(finding?.ProductArn ? { productArn: finding.ProductArn } : {}),
    ...(finding?.Compliance?.SecurityControlId ? { controlId: finding.Compliance.SecurityControlId } : {}),
    ...(firstSeenAt ? { firstSeenAt } : {}),
    handledAt: new Date(handledAt),
  });
}

/** route's record of a ticket for the decision's alert, as the router writes it. */
function ticketRecord(fleet: Fleet, decision: Decision, event: FindingsEvent, key: string, status: TicketStatus, handledAt: string): EvidenceRecord {
  const productArn = event.detail.findings?.find((f) => f.Id === decision.findingId)?.ProductArn;
  const alert = decision.notification;
  if (!alert) throw new Error(`the decision on ${decision.findingId} sent no alert`);
  const system = key.startsWith('INC') ? 'servicenow' : 'jira';
  return ticketEvidenceRecord(
    {
      alert: {
        id: `sns-${handledAt}`,
        subject: alert.subject,
        attributes: alert.attributes,
        detail: { title: alert.subject, region: decision.region, findingId: decision.findingId, ...(productArn ? { productArn } : {}) },
      },
      findingId: decision.findingId,
      ticket: { system, key, url: `https://tickets.example.com/${key}` },
      status,
    },
    { organization: fleet.config.organization.name, region: fleet.config.organization.homeRegion, handledAt: new Date(handledAt) },
  );
}

const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** The one decision of an event (the examples hold one finding each). */
async function only(event: FindingsEvent, fleet: Fleet): Promise<Decision> {
  const [d, ...more] = await decisions(event, fleet);
  expect(more).toHaveLength(0);
  return d;
}

/**
 * March 2026 in the test organization (payments-prod enforce, data-lake-prod observe until it is
 * switched to enforce):
 * - EC2.19, S3.8 and the GuardDuty IAM finding in payments-prod remediated 10, 20 and 60 minutes after
 *   first seen; the GuardDuty EC2 backdoor finding remediated a day (1,440 minutes) after first seen,
 *   by a later run after it had been escalated;
 * - a second S3.8 finding whose remediation FAILED;
 * - S3.5 in data-lake-prod held back by observe mode (WOULD_CHANGE), then escalated: waiting, and open;
 * - a second S3.5 finding held back on 3 March and remediated on 10 March once the account enforces
 *   (7 days = 10,080 minutes): not waiting;
 * - "Escalate to SecOps" on three findings (the backdoor one, S3.5, web-staging's EC2.19);
 * - the S3.8 finding seen again after our own update (ignored), and a CreateUser quarantined (no first-seen time);
 * - two EC2.19 remediations just outside the window (the last millisecond of February, the first of April);
 * - route's ticket records: SEC-7 opened for the first S3.5 alert, commented and INC0010042 opened for its escalation.
 */
async function marchRecords(): Promise<EvidenceRecord[]> {
  const fleet = loadFleet(TEST_ACCOUNTS_FILE);
  const raw = exampleConfig();
  const dataLake = raw.accounts.find((a) => a.name === 'data-lake-prod');
  if (!dataLake) throw new Error('the test organization has no data-lake-prod');
  dataLake.mode = 'enforce';
  const enforcing = parseConfig(raw);

  const records: EvidenceRecord[] = [];
  const at = async (fn: FunctionName, event: FindingsEvent, handledAt: (firstSeen: string) => string, use = fleet, change?: (d: Decision) => Decision) => {
    const d = await only(event, use);
    const first = event.detail.findings?.[0];
    records.push(record(use, fn, change ? change(d) : d, event, handledAt(first?.FirstObservedAt ?? first?.CreatedAt ?? '')));
  };

  await at('respond', exampleEvent('ec2-19-open-security-group.json'), (seen) => plus(seen, 10 * MINUTE));
  await at('respond', exampleEvent('s3-8-public-bucket.json'), (seen) => plus(seen, 20 * MINUTE));
  await at('respond', exampleEvent('guardduty-iam-user-compromise.json'), (seen) => plus(seen, 60 * MINUTE));
  await at('respond', exampleEvent('guardduty-ec2-backdoor.json'), (seen) => plus(seen, 1440 * MINUTE));
  // A write refused by AWS: respond reports the module's FAILED outcome (the simulator's world accepts every write).
  await at(
    'respond',
    exampleEvent('s3-8-public-bucket.json', (f) => (f.Id = otherId(f.Id, 'f00d'))),
    () => '2026-03-14T11:00:00.000Z',
    fleet,
    (d) => ({ ...d, remediation: d.remediation && { ...d.remediation, outcome: 'FAILED', summary: 'AccessDenied' } }),
  );
  await at('respond', exampleEvent('s3-5-bucket-without-tls.json'), () => '2026-03-14T06:32:00.000Z');
  // Its alert opened a Jira issue: route's record, the finding's latest, must not take it off the observe-mode list.
  const s35 = exampleEvent('s3-5-bucket-without-tls.json');
  records.push(ticketRecord(fleet, await only(s35, fleet), s35, 'SEC-7', 'opened', '2026-03-14T06:32:04.000Z'));
  const laterFixed = (f: AsffFinding) => {
    f.Id = otherId(f.Id, 'beef');
    f.FirstObservedAt = '2026-03-03T10:00:00.000Z';
  };
  await at('respond', exampleEvent('s3-5-bucket-without-tls.json', laterFixed), () => '2026-03-03T10:05:00.000Z');
  await at('respond', exampleEvent('s3-5-bucket-without-tls.json', laterFixed), () => '2026-03-10T10:00:00.000Z', enforcing);
  await at('respond', exampleEvent('already-notified.json'), () => '2026-03-14T12:00:00.000Z');
  await at('quarantine-user', exampleEvent('create-user-unknown.json'), () => '2026-03-14T02:17:45.000Z');
  const outside = (suffix: string) => exampleEvent('ec2-19-open-security-group.json', (f) => (f.Id = otherId(f.Id, suffix)));
  await at('respond', outside('0001'), () => '2026-02-28T23:59:59.999Z');
  await at('respond', outside('0002'), () => '2026-04-01T00:00:00.000Z');

  const escalation = exampleEvent('custom-action-several-findings.json');
  for (const d of await decisions(escalation, fleet)) {
    records.push(record(fleet, 'escalate', d, escalation, '2026-03-14T09:52:31.000Z'));
    // The S3.5 escalation: a comment on its Jira issue, and a ServiceNow incident (escalations open one whatever the severity).
    if (d.findingId.includes('/S3.5/')) {
      records.push(ticketRecord(fleet, d, escalation, 'SEC-7', 'commented', '2026-03-14T09:52:33.000Z'));
      records.push(ticketRecord(fleet, d, escalation, 'INC0010042', 'opened', '2026-03-14T09:52:34.000Z'));
    }
  }
  return records;
}

// ---------------------------------------------------------------------------------------------
// DuckDB over the files
// ---------------------------------------------------------------------------------------------

/** Writes each record where the evidence bucket holds it, one JSON object per object. */
function writeBucket(root: string, records: EvidenceRecord[]): void {
  for (const r of records) {
    const file = join(root, evidenceKey(r));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(r));
  }
}

async function openTable(root: string): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  // Athena's session time zone is UTC; current_date and timestamptz follow the session's.
  await connection.run(`SET TimeZone = 'UTC'`);
  await connection.run(`CREATE SCHEMA ${DATABASE}`);
  const columns = Object.entries(GLUE_COLUMNS)
    .map(([name, type]) => `"${name}": '${type}'`)
    .join(', ');
  await connection.run(
    `CREATE VIEW ${DATABASE}.${TABLE} AS SELECT * FROM read_json('${join(root, 'decisions')}/*/*.json', format = 'auto', hive_partitioning = true, hive_types = {'dt': 'VARCHAR'}, columns = {${columns}})`,
  );
  return { instance, connection };
}

type Row = Record<string, string | number | boolean | null>;

/** The rows of a query: BIGINT and HUGEINT as numbers (the figures here are small). */
async function rows(connection: DuckDBConnection, sql: string): Promise<Row[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader
    .getRowObjectsJS()
    .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : (v as Row[string])])));
}

const byName = (name: string): KpiQuery => {
  const q = KPI_QUERIES.find((k) => k.name === name);
  if (!q) throw new Error(`no KPI ${name}`);
  return q;
};

describe('KPI queries on evidence records, in DuckDB', () => {
  let root: string;
  let records: EvidenceRecord[];
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  const kpi = (name: string, window = MARCH) => rows(connection, toDuckDb(kpiSql(byName(name), DATABASE, TABLE, window)));

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'evidence-'));
    records = await marchRecords();
    writeBucket(root, records);
    ({ instance, connection } = await openTable(root));
  });
  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
    rmSync(root, { recursive: true, force: true });
  });

  it('reads every record file through the Glue columns, dt from the folder', async () => {
    const all = await rows(connection, `SELECT dt, count(*) AS n FROM ${DATABASE}.${TABLE} GROUP BY dt ORDER BY dt`);
    expect(all).toEqual([
      { dt: '2026-02-28', n: 1 },
      { dt: '2026-03-03', n: 1 },
      { dt: '2026-03-10', n: 1 },
      { dt: '2026-03-14', n: 13 },
      { dt: '2026-03-15', n: 1 },
      { dt: '2026-04-01', n: 1 },
    ]);
    expect(records).toHaveLength(18);
    expect(new Set(records.map(evidenceKey)).size).toBe(18);
  });

  it('mean and p90 minutes from first seen to remediated, per control (GuardDuty by category); FAILED, unknown first-seen and out-of-window records left out', async () => {
    expect(await kpi('time-to-remediate-by-control')).toEqual([
      { control: 'S3.5', remediated: 1, mean_minutes: 10080, p90_minutes: 10080 },
      { control: '(malware)', remediated: 1, mean_minutes: 1440, p90_minutes: 1440 },
      { control: '(credential-compromise)', remediated: 1, mean_minutes: 60, p90_minutes: 60 },
      { control: 'S3.8', remediated: 1, mean_minutes: 20, p90_minutes: 20 },
      { control: 'EC2.19', remediated: 1, mean_minutes: 10, p90_minutes: 10 },
    ]);
  });

  it('per account: payments-prod 10, 20, 60 and 1,440 minutes → mean 382.5, p90 1,026 (60 + 0.7 × 1,380)', async () => {
    expect(await kpi('time-to-remediate-by-account')).toEqual([
      { account_name: 'data-lake-prod', account_id: '444444444444', remediated: 1, mean_minutes: 10080, p90_minutes: 10080 },
      { account_name: 'payments-prod', account_id: '333333333333', remediated: 4, mean_minutes: 382.5, p90_minutes: 1026 },
    ]);
  });

  it('remediations by action and outcome: escalations (NONE), ignored events and records outside the window left out; the write requests counted', async () => {
    const inMarch = records.filter((r) => r.handled_at >= '2026-03' && r.handled_at < '2026-04');
    const writes = (action: string, outcome: string) =>
      inMarch.filter((r) => r.action === action && r.outcome === outcome).reduce((n, r) => n + r.calls.length, 0);
    expect(await kpi('remediations-by-action-and-outcome')).toEqual([
      { action: 'BLOCK_S3_PUBLIC_ACCESS', outcome: 'FAILED', decisions: 1, findings: 1, aws_writes: writes('BLOCK_S3_PUBLIC_ACCESS', 'FAILED') },
      { action: 'BLOCK_S3_PUBLIC_ACCESS', outcome: 'REMEDIATED', decisions: 1, findings: 1, aws_writes: writes('BLOCK_S3_PUBLIC_ACCESS', 'REMEDIATED') },
      { action: 'DEACTIVATE_ACCESS_KEY', outcome: 'REMEDIATED', decisions: 1, findings: 1, aws_writes: writes('DEACTIVATE_ACCESS_KEY', 'REMEDIATED') },
      { action: 'ENFORCE_S3_TLS', outcome: 'REMEDIATED', decisions: 1, findings: 1, aws_writes: writes('ENFORCE_S3_TLS', 'REMEDIATED') },
      { action: 'ENFORCE_S3_TLS', outcome: 'WOULD_CHANGE', decisions: 2, findings: 2, aws_writes: writes('ENFORCE_S3_TLS', 'WOULD_CHANGE') },
      { action: 'ISOLATE_EC2_INSTANCE', outcome: 'REMEDIATED', decisions: 1, findings: 1, aws_writes: writes('ISOLATE_EC2_INSTANCE', 'REMEDIATED') },
      { action: 'QUARANTINE_IAM_USER', outcome: 'REMEDIATED', decisions: 1, findings: 1, aws_writes: writes('QUARANTINE_IAM_USER', 'REMEDIATED') },
      { action: 'REVOKE_PUBLIC_INGRESS', outcome: 'REMEDIATED', decisions: 1, findings: 1, aws_writes: writes('REVOKE_PUBLIC_INGRESS', 'REMEDIATED') },
    ]);
    expect(writes('ISOLATE_EC2_INSTANCE', 'REMEDIATED')).toBeGreaterThan(0);
  });

  it('failure rate: one FAILED of two S3.8 attempts (50 %), one of seven overall (14.3 %); observe mode attempts nothing', async () => {
    expect(await kpi('failure-rate')).toEqual([
      { action: 'BLOCK_S3_PUBLIC_ACCESS', attempted: 2, failed: 1, failure_rate_pct: 50 },
      { action: 'DEACTIVATE_ACCESS_KEY', attempted: 1, failed: 0, failure_rate_pct: 0 },
      { action: 'ENFORCE_S3_TLS', attempted: 1, failed: 0, failure_rate_pct: 0 },
      { action: 'ISOLATE_EC2_INSTANCE', attempted: 1, failed: 0, failure_rate_pct: 0 },
      { action: 'QUARANTINE_IAM_USER', attempted: 1, failed: 0, failure_rate_pct: 0 },
      { action: 'REVOKE_PUBLIC_INGRESS', attempted: 1, failed: 0, failure_rate_pct: 0 },
      { action: '(all)', attempted: 7, failed: 1, failure_rate_pct: 14.3 },
    ]);
  });

  it('failure rate of a window with no attempt: the overall row says 0 attempted and no rate (never a division by zero)', async () => {
    expect(await kpi('failure-rate', { since: new Date('2026-01-01T00:00:00.000Z'), until: new Date('2026-02-01T00:00:00.000Z') })).toEqual([
      { action: '(all)', attempted: 0, failed: 0, failure_rate_pct: null },
    ]);
  });

  it('waiting in observe mode: the S3.5 finding held back (escalated and ticketed since, still waiting); the one remediated a week later is not', async () => {
    expect(await kpi('waiting-in-observe-mode')).toEqual([
      { account_name: 'data-lake-prod', account_id: '444444444444', action: 'ENFORCE_S3_TLS', findings: 1, oldest_first_seen: '2026-03-13T22:03:18.047Z' },
    ]);
  });

  it('waiting in observe mode in a window up to 5 March: the second S3.5 finding (remediated only on 10 March); the first was not seen yet', async () => {
    expect(await kpi('waiting-in-observe-mode', { since: MARCH.since, until: new Date('2026-03-05T00:00:00.000Z') })).toEqual([
      { account_name: 'data-lake-prod', account_id: '444444444444', action: 'ENFORCE_S3_TLS', findings: 1, oldest_first_seen: '2026-03-03T10:00:00.000Z' },
    ]);
  });

  it('open escalations: S3.5 and web-staging EC2.19; the backdoor finding remediated after its escalation is closed', async () => {
    const open = await kpi('open-escalations');
    expect(
      open.map(({ escalated_at, account_name, account_id, region, severity, finding_id }) => ({
        escalated_at,
        account_name,
        account_id,
        region,
        severity,
        finding_id,
      })),
    ).toEqual([
      {
        escalated_at: '2026-03-14T09:52:31.000Z',
        account_name: 'data-lake-prod',
        account_id: '444444444444',
        region: 'eu-west-1',
        severity: 'MEDIUM',
        finding_id: 'arn:aws:securityhub:eu-west-1:444444444444:security-control/S3.5/finding/c81e4b27-5a9d-4d16-8f3e-0b7a2c9d6e54',
      },
      {
        escalated_at: '2026-03-14T09:52:31.000Z',
        account_name: 'web-staging',
        account_id: '555555555555',
        region: 'us-east-1',
        severity: 'CRITICAL',
        finding_id: 'arn:aws:securityhub:us-east-1:555555555555:security-control/EC2.19/finding/7d3a9c15-e2b8-4f60-b1d4-5a8e2c6f9b07',
      },
    ]);
    // The alert's subject, read through the struct column.
    const subjects = records.filter((r) => r.function === 'escalate').map((r) => r.alert?.subject);
    expect(open.map((r) => r.subject)).toEqual([subjects[1], subjects[2]]);
    expect(typeof open[0].subject).toBe('string');
  });

  it("open escalations name the finding's tickets from route's records: S3.5 has SEC-7 and INC0010042, web-staging's none", async () => {
    const open = await kpi('open-escalations');
    expect(open.map(({ account_name, jira, servicenow }) => ({ account_name, jira, servicenow }))).toEqual([
      { account_name: 'data-lake-prod', jira: 'SEC-7', servicenow: 'INC0010042' },
      { account_name: 'web-staging', jira: null, servicenow: null },
    ]);
  });

  it('an escalation whose remediation falls after the window is open in that window', async () => {
    const backdoor = 'arn:aws:guardduty:eu-west-1:333333333333:detector/3e8f1a6c2b9d4e7f0a5c8b1d6e2f9a34/finding/1f7d3b9e5a2c48d6b0e4f8a2c6d9b153';
    const open = await kpi('open-escalations', { since: MARCH.since, until: new Date('2026-03-15T00:00:00.000Z') });
    expect(open.map((r) => r.finding_id)).toContain(backdoor);
  });

  it("a REMEDIATED record of another product under an escalated finding's Id (anyone allowed BatchImportFindings can import one) closes no escalation; the finding's own does", async () => {
    const fleet = loadFleet(TEST_ACCOUNTS_FILE);
    const escalation = exampleEvent('custom-action-several-findings.json');
    const escalated = (await decisions(escalation, fleet)).find((d) => d.accountId === '333333333333');
    if (!escalated) throw new Error('the custom action event has no payments-prod finding');
    const genuineProduct = escalation.detail.findings?.find((f) => f.Id === escalated.findingId)?.ProductArn;
    const escalatedRecord = record(fleet, 'escalate', escalated, escalation, '2026-03-14T09:52:31.000Z');
    const remediatedAs = async (productArn: string | undefined) => {
      const event = exampleEvent('s3-8-public-bucket.json', (f) => {
        f.Id = escalated.findingId;
        f.ProductArn = productArn;
      });
      return record(fleet, 'respond', await only(event, fleet), event, '2026-03-14T10:00:00.000Z');
    };
    const openIn = async (rs: EvidenceRecord[]) => {
      const dir = mkdtempSync(join(tmpdir(), 'evidence-product-'));
      try {
        writeBucket(dir, rs);
        const local = await openTable(dir);
        try {
          return (await rows(local.connection, toDuckDb(kpiSql(byName('open-escalations'), DATABASE, TABLE, MARCH)))).map((r) => r.finding_id);
        } finally {
          local.connection.closeSync();
          local.instance.closeSync();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const forged = await remediatedAs('arn:aws:securityhub:eu-west-1:333333333333:product/333333333333/default');
    expect([forged.outcome, forged.finding_id]).toEqual(['REMEDIATED', escalated.findingId]);
    expect(await openIn([escalatedRecord, forged])).toEqual([escalated.findingId]);
    expect(await openIn([escalatedRecord, await remediatedAs(genuineProduct)])).toEqual([]);
  });

  it('the relative window of the named queries: the last N days, today included, open-ended', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evidence-now-'));
    try {
      const fleet = loadFleet(TEST_ACCOUNTS_FILE);
      const event = exampleEvent('ec2-19-open-security-group.json');
      const d = await only(event, fleet);
      const day = 86_400_000;
      const now = Date.now();
      writeBucket(dir, [
        record(fleet, 'respond', d, event, new Date(now - 2 * day).toISOString()),
        record(fleet, 'respond', d, event, new Date(now - 40 * day).toISOString()),
      ]);
      const local = await openTable(dir);
      try {
        const sql = namedQuerySql(byName('remediations-by-action-and-outcome'), DATABASE, TABLE, 30);
        expect(sql).toContain("date_add('day', -29, current_date)");
        expect(await rows(local.connection, toDuckDb(sql))).toEqual([
          { action: 'REVOKE_PUBLIC_INGRESS', outcome: 'REMEDIATED', decisions: 1, findings: 1, aws_writes: d.calls.length },
        ]);
      } finally {
        local.connection.closeSync();
        local.instance.closeSync();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the Athena text', () => {
  it.each(KPI_QUERIES.map((q) => [q.name, q]))('%s: Trino only (no DuckDB spelling), the partitions of the window named, the table quoted', (_name, q) => {
    const sql = kpiSql(q, DATABASE, TABLE, MARCH);
    expect(sql).not.toMatch(/quantile_cont|TIMESTAMPTZ|\blen\(|to_days|\{\{/i);
    expect(sql).toContain(`"${DATABASE}"."${TABLE}"`);
    expect(sql).toContain(
      "dt >= substr('2026-03-01T00:00:00.000Z', 1, 10) AND dt <= substr('2026-04-01T00:00:00.000Z', 1, 10) AND handled_at >= '2026-03-01T00:00:00.000Z' AND handled_at < '2026-04-01T00:00:00.000Z'",
    );
    // Every KPI has a description for the named query and the report.
    expect(q.description.length).toBeGreaterThan(20);
  });

  it('the names are unique and usable as named-query names', () => {
    const namesOf = KPI_QUERIES.map((q) => q.name);
    expect(new Set(namesOf).size).toBe(namesOf.length);
    for (const n of namesOf) expect(n).toMatch(/^[a-z][a-z0-9-]+$/);
  });

  it('refuses an empty window and a table name that would need escaping', () => {
    const q = KPI_QUERIES[0];
    expect(() => kpiSql(q, DATABASE, TABLE, { since: MARCH.until, until: MARCH.since })).toThrow(/the window is empty/);
    expect(() => kpiSql(q, 'acme-evidence', TABLE, MARCH)).toThrow(/not a Glue database or table name/);
    expect(() => kpiSql(q, DATABASE, 'decisions"; DROP', MARCH)).toThrow(/not a Glue database or table name/);
    expect(() => namedQuerySql(q, DATABASE, TABLE, 0)).toThrow(/positive integer/);
  });
});

describe('toDuckDb', () => {
  it('rewrites each Trino function the queries use, nested calls too', () => {
    expect(toDuckDb("from_iso8601_timestamp('2026-03-01T00:00:00Z')")).toBe("CAST('2026-03-01T00:00:00Z' AS TIMESTAMPTZ)");
    expect(toDuckDb('approx_percentile(ms, 0.9)')).toBe('quantile_cont(ms, 0.9)');
    expect(toDuckDb('sum(cardinality(calls))')).toBe('sum(len(calls))');
    expect(toDuckDb("date_add('day', -29, current_date)")).toBe('CAST(current_date + to_days(CAST(-29 AS INTEGER)) AS DATE)');
    expect(toDuckDb("date_diff('millisecond', from_iso8601_timestamp(a), from_iso8601_timestamp(coalesce(b, c)))")).toBe(
      "date_diff('millisecond', CAST(a AS TIMESTAMPTZ), CAST(coalesce(b, c) AS TIMESTAMPTZ))",
    );
    expect(toDuckDb("round(approx_percentile(CAST(date_diff('second', from_iso8601_timestamp(x), y) AS double), 0.9) / 60.0, 1)")).toBe(
      "round(quantile_cont(CAST(date_diff('second', CAST(x AS TIMESTAMPTZ), y) AS double), 0.9) / 60.0, 1)",
    );
  });

  it('leaves everything else alone: strings, quoted identifiers, names that only contain a function name', () => {
    const same = `SELECT 'cardinality(x)' AS "approx_percentile(", my_cardinality(x), coalesce(a, 'b, c') FROM "t" WHERE "function" = 'x'`;
    expect(toDuckDb(same)).toBe(same);
  });

  it('refuses what it does not translate: another Trino-only function, a date_add unit other than day, the wrong number of arguments', () => {
    expect(() => toDuckDb('SELECT to_iso8601(current_timestamp)')).toThrow(/to_iso8601\(\) has no translation/);
    expect(() => toDuckDb("date_add('hour', 1, x)")).toThrow(/for 'day' only/);
    expect(() => toDuckDb('approx_percentile(x, 1, 0.9)')).toThrow(/takes 2 argument\(s\) here, got 3/);
    expect(() => toDuckDb('cardinality(x')).toThrow(/unbalanced/);
  });

  it('every KPI translates, and differs from its Athena text only where the table of differences says', () => {
    for (const q of KPI_QUERIES) {
      const trino = kpiSql(q, DATABASE, TABLE, MARCH);
      const duck = toDuckDb(trino);
      const normalized = trino
        .replace(/from_iso8601_timestamp\(([^()]*)\)/g, 'CAST($1 AS TIMESTAMPTZ)')
        .replace(/approx_percentile\(/g, 'quantile_cont(')
        .replace(/cardinality\(/g, 'len(');
      expect(duck).toBe(normalized);
    }
  });
});
