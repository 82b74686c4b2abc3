/**
 * The KPIs a security lead asks of the evidence store (issue 13), as Athena SQL over the Glue table
 * of evidence records (functions/shared/evidence/record.ts: one JSON object per decision, partition
 * column `dt` = the UTC day of `handled_at`, projected by day).
 *
 * Every query reads one time window `[since, until)` of `handled_at`, and names the `dt` partitions
 * of that window, so a month's report scans a month of objects and no more. The SQL is Athena's
 * dialect (engine version 3, Trino), kept within what Trino and DuckDB (the unit tests' engine,
 * `@duckdb/node-api`) read the same way. Where they differ, `toDuckDb` rewrites exactly the
 * constructs below and nothing else; the tests run every query through it on records made by the
 * real `evidenceRecord()`.
 *
 * Trino (Athena) and DuckDB, where the queries meet them:
 *
 * | construct | Athena (Trino) | DuckDB | here |
 * | --- | --- | --- | --- |
 * | ISO-8601 string → instant | `from_iso8601_timestamp(s)` (timestamp(3) with time zone) | no such function; `CAST(s AS TIMESTAMPTZ)` (ICU, built in) | rewritten by `toDuckDb` |
 * | percentile | `approx_percentile(x, p)`: a t-digest estimate | `quantile_cont(x, p)`: exact, linear interpolation | rewritten; on few values Athena's estimate can differ from the exact figure the tests check (for many values it is within t-digest's error) |
 * | array length | `cardinality(a)` | `len(a)` (its `cardinality` is for maps) | rewritten |
 * | day arithmetic (named queries only) | `date_add('day', n, d)` | `date_add(d, INTERVAL n DAY)`, which returns a timestamp | rewritten to `CAST(d + to_days(n) AS DATE)` |
 * | `date_diff(unit, a, b)` | whole units elapsed | unit boundaries crossed | same text; the queries use `'millisecond'`, where both agree on ISO timestamps with millisecond precision (in `'second'` they could differ by one) |
 * | integer `/` integer | integer division | floating-point division | avoided: every ratio casts to `double` first |
 * | `round(double, n)`, `avg`, `coalesce`, `\|\|`, `CASE`, `row_number() OVER`, `LEFT JOIN`, `UNION ALL`, `WITH`, `count(DISTINCT)`, `struct.field`, string comparison | same | same | same text |
 * | a division by zero | double: NaN or Infinity | NULL | avoided with `nullif(…, 0)` |
 * | correlated `NOT EXISTS` with a non-equality | depends on Trino's decorrelation | supported | avoided: "no later REMEDIATED record" is a `LEFT JOIN` on each finding's last remediation |
 * | partition column `dt` | string, projected (`projection.dt.type = date`) | `VARCHAR` from the folder name (`hive_partitioning`, `hive_types`) | same text (string comparisons) |
 *
 * Timestamps are compared as strings where only their order matters: `handled_at` and
 * `remediated_at` are `Date.toISOString()` output (`YYYY-MM-DDTHH:mm:ss.sssZ`, UTC), whose string
 * order is their time order in both engines. `first_seen_at` comes from the finding; record.ts
 * (`firstSeenAt`) writes it in the same form, so "oldest first seen" is a string minimum, but the
 * durations parse it all the same (a record written before that, or by hand, may carry an offset).
 */

export interface KpiWindow {
  /** Included. */
  readonly since: Date;
  /** Excluded. */
  readonly until: Date;
}

export interface KpiQuery {
  /** A stable id: the report's table heading and the Athena named query's name (`<org>-<name>`). */
  readonly name: string;
  readonly description: string;
  /**
   * Trino SQL with placeholders, filled in by `kpiSql` (or `namedQuerySql`):
   * - `{{table}}`: the quoted `"database"."table"`;
   * - `{{window}}`: the window's predicate on the unqualified columns (`dt` and `handled_at`);
   * - `{{since}}`, `{{until}}`: the window's bounds as SQL string expressions (ISO-8601, UTC).
   */
  readonly template: string;
}

/** Records of remediations that ran and ended in REMEDIATED, with both timestamps known. */
const REMEDIATED_DURATIONS = `
  SELECT account_id, account_name, control_id, category,
    CAST(date_diff('millisecond', from_iso8601_timestamp(first_seen_at), from_iso8601_timestamp(remediated_at)) AS double) AS ms
  FROM {{table}}
  WHERE {{window}} AND outcome = 'REMEDIATED' AND first_seen_at IS NOT NULL AND remediated_at IS NOT NULL`;

/**
 * A finding is its Id with its ProductArn: Security Hub keys findings by both, and anyone allowed
 * BatchImportFindings in an account can import a finding of their own product under any Id. Joined
 * on the Id alone, such a finding's REMEDIATED record could close another product's escalation.
 * (quarantine-user's records have no product: its CloudTrail event ids are keyed as '' here.)
 */
const PRODUCT = `coalesce(product_arn, '')`;

/** Each finding's last REMEDIATED record in the window. */
const LAST_REMEDIATED = `
  SELECT finding_id, ${PRODUCT} AS product, max(handled_at) AS last_remediated_at
  FROM {{table}}
  WHERE {{window}} AND outcome = 'REMEDIATED'
  GROUP BY finding_id, ${PRODUCT}`;

/** Attempts: remediations that changed something or tried to (REMEDIATED or FAILED). */
const ATTEMPTS = `
  SELECT action, CASE WHEN outcome = 'FAILED' THEN 1 ELSE 0 END AS failed
  FROM {{table}}
  WHERE {{window}} AND NOT ignored AND action <> 'NONE' AND outcome IN ('REMEDIATED', 'FAILED')`;

const MINUTES = (ms: string) => `round(${ms} / 60000.0, 1)`;
const RATE = (failed: string, attempted: string) => `round(100 * CAST(${failed} AS double) / nullif(${attempted}, 0), 1)`;

export const KPI_QUERIES: readonly KpiQuery[] = [
  {
    name: 'time-to-remediate-by-control',
    description:
      'Minutes from first seen (Security Hub) to remediated, mean and p90, per control; findings without a control (GuardDuty) by their category in parentheses.',
    template: `
SELECT
  coalesce(control_id, '(' || coalesce(category, 'none') || ')') AS control,
  count(*) AS remediated,
  ${MINUTES('avg(ms)')} AS mean_minutes,
  ${MINUTES('approx_percentile(ms, 0.9)')} AS p90_minutes
FROM (${REMEDIATED_DURATIONS}
) AS durations
GROUP BY coalesce(control_id, '(' || coalesce(category, 'none') || ')')
ORDER BY 4 DESC, 1`,
  },
  {
    name: 'time-to-remediate-by-account',
    description: 'Minutes from first seen (Security Hub) to remediated, mean and p90, per account.',
    template: `
SELECT
  account_name,
  account_id,
  count(*) AS remediated,
  ${MINUTES('avg(ms)')} AS mean_minutes,
  ${MINUTES('approx_percentile(ms, 0.9)')} AS p90_minutes
FROM (${REMEDIATED_DURATIONS}
) AS durations
GROUP BY account_name, account_id
ORDER BY 5 DESC, 1`,
  },
  {
    name: 'remediations-by-action-and-outcome',
    description:
      'Decisions with a catalogue action (not ignored), per action and outcome (WOULD_CHANGE: held back by observe mode; the status when no remediation ran), with the findings and the AWS write requests they made.',
    template: `
SELECT
  action,
  coalesce(outcome, status) AS outcome,
  count(*) AS decisions,
  count(DISTINCT finding_id) AS findings,
  sum(cardinality(calls)) AS aws_writes
FROM {{table}}
WHERE {{window}} AND NOT ignored AND action <> 'NONE'
GROUP BY action, coalesce(outcome, status)
ORDER BY 1, 2`,
  },
  {
    name: 'failure-rate',
    description: 'Remediations attempted (outcome REMEDIATED or FAILED) and how many FAILED, per action and overall ("(all)", last).',
    template: `
WITH attempts AS (${ATTEMPTS}
)
SELECT action, attempted, failed, failure_rate_pct
FROM (
  SELECT action, count(*) AS attempted, sum(failed) AS failed, ${RATE('sum(failed)', 'count(*)')} AS failure_rate_pct, 0 AS overall
  FROM attempts
  GROUP BY action
  UNION ALL
  SELECT '(all)', count(*), coalesce(sum(failed), 0), ${RATE('sum(failed)', 'count(*)')}, 1
  FROM attempts
) AS rates
ORDER BY overall, action`,
  },
  {
    name: 'waiting-in-observe-mode',
    description:
      "Findings whose latest remediation decision (respond's and quarantine-user's; ignored events aside) is observe mode holding back a change enforce would have made, with no REMEDIATED record since: per account and action, and the oldest one's first-seen time.",
    template: `
WITH latest AS (
  SELECT finding_id, ${PRODUCT} AS product, account_id, account_name, action, would_remediate, handled_at,
    coalesce(first_seen_at, handled_at) AS first_seen,
    row_number() OVER (PARTITION BY finding_id, ${PRODUCT} ORDER BY handled_at DESC, record_id DESC) AS n
  FROM {{table}}
  WHERE {{window}} AND "function" IN ('respond', 'quarantine-user') AND NOT ignored
),
remediated AS (${LAST_REMEDIATED}
)
SELECT l.account_name, l.account_id, l.action, count(*) AS findings, min(l.first_seen) AS oldest_first_seen
FROM latest AS l
LEFT JOIN remediated AS r ON r.finding_id = l.finding_id AND r.product = l.product
WHERE l.n = 1 AND l.would_remediate AND (r.last_remediated_at IS NULL OR r.last_remediated_at < l.handled_at)
GROUP BY l.account_name, l.account_id, l.action
ORDER BY 4 DESC, 1, 3`,
  },
  {
    name: 'open-escalations',
    description:
      "Findings escalated to a person (the escalate function, or outcome ESCALATED) with no REMEDIATED record since their latest escalation, oldest first, with the finding's Jira and ServiceNow tickets (route's records).",
    template: `
WITH escalations AS (
  SELECT finding_id, ${PRODUCT} AS product, account_id, account_name, region, severity, handled_at, alert.subject AS subject,
    row_number() OVER (PARTITION BY finding_id, ${PRODUCT} ORDER BY handled_at DESC, record_id DESC) AS n
  FROM {{table}}
  WHERE {{window}} AND ("function" = 'escalate' OR outcome = 'ESCALATED')
),
remediated AS (${LAST_REMEDIATED}
),
tickets AS (
  SELECT finding_id, ${PRODUCT} AS product,
    max(CASE WHEN ticket.system = 'jira' THEN ticket.key END) AS jira,
    max(CASE WHEN ticket.system = 'servicenow' THEN ticket.key END) AS servicenow
  FROM {{table}}
  WHERE {{window}} AND "function" = 'route' AND ticket IS NOT NULL
  GROUP BY finding_id, ${PRODUCT}
)
SELECT e.handled_at AS escalated_at, e.account_name, e.account_id, e.region, e.severity, e.finding_id, e.subject, t.jira, t.servicenow
FROM escalations AS e
LEFT JOIN remediated AS r ON r.finding_id = e.finding_id AND r.product = e.product
LEFT JOIN tickets AS t ON t.finding_id = e.finding_id AND t.product = e.product
WHERE e.n = 1 AND (r.last_remediated_at IS NULL OR r.last_remediated_at < e.handled_at)
ORDER BY 1, 6`,
  },
];

/** Glue database and table names: lowercase letters, digits, underscores (names.evidenceDatabase, names.evidenceTable). */
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function quoted(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`${JSON.stringify(name)} is not a Glue database or table name (lowercase letters, digits, _)`);
  return `"${name}"`;
}

/** The window's predicate: the `dt` partitions that can hold it (projection prunes the rest), then the exact bounds. */
function windowPredicate(since: string, until: string, alias?: string): string {
  const c = (column: string) => (alias ? `${alias}.${column}` : column);
  return `${c('dt')} >= substr(${since}, 1, 10) AND ${c('dt')} <= substr(${until}, 1, 10) AND ${c('handled_at')} >= ${since} AND ${c('handled_at')} < ${until}`;
}

function render(query: KpiQuery, database: string, table: string, since: string, until: string): string {
  return query.template
    .replaceAll('{{table}}', `${quoted(database)}.${quoted(table)}`)
    .replaceAll('{{window}}', windowPredicate(since, until))
    .replaceAll('{{since}}', since)
    .replaceAll('{{until}}', until)
    .trim();
}

/** The query for one window, its bounds as ISO-8601 literals (what `npm run report` sends). */
export function kpiSql(query: KpiQuery, database: string, table: string, window: KpiWindow): string {
  if (!(window.since.getTime() < window.until.getTime())) {
    throw new Error(`the window is empty: since ${window.since.toISOString()} is not before until ${window.until.toISOString()}`);
  }
  return render(query, database, table, `'${window.since.toISOString()}'`, `'${window.until.toISOString()}'`);
}

/**
 * The query over the last `days` UTC days, today included, relative to when it runs: the text of an
 * Athena named query, which takes no parameters. Its bounds are `current_date` arithmetic (Trino's
 * `date_add`, translated by `toDuckDb`): `since` is a day (`YYYY-MM-DD`, which sorts before every
 * instant of that day), `until` is open.
 */
export function namedQuerySql(query: KpiQuery, database: string, table: string, days: number): string {
  if (!Number.isInteger(days) || days < 1) throw new Error(`days must be a positive integer, got ${days}`);
  return render(query, database, table, `CAST(date_add('day', -${days - 1}, current_date) AS varchar)`, `'9999-12-31'`);
}

// ---------------------------------------------------------------------------------------------
// Trino → DuckDB
// ---------------------------------------------------------------------------------------------

/** Each Trino function the queries use that DuckDB reads otherwise, and its DuckDB form (arguments as SQL text). */
const REWRITES: Record<string, { arity: number; to: (args: string[]) => string }> = {
  from_iso8601_timestamp: { arity: 1, to: ([s]) => `CAST(${s} AS TIMESTAMPTZ)` },
  approx_percentile: { arity: 2, to: ([x, p]) => `quantile_cont(${x}, ${p})` },
  cardinality: { arity: 1, to: ([a]) => `len(${a})` },
  date_add: {
    arity: 3,
    to: ([unit, n, d]) => {
      if (unit.trim().toLowerCase() !== "'day'") throw new Error(`toDuckDb: date_add is translated for 'day' only, got ${unit.trim()}`);
      return `CAST(${d} + to_days(CAST(${n} AS INTEGER)) AS DATE)`;
    },
  },
};

/** Trino functions with no DuckDB twin of the same meaning that `toDuckDb` does not translate: refused, so a new query cannot pass the tests by accident. */
const UNTRANSLATED = ['to_iso8601', 'date_format', 'format_datetime', 'parse_datetime', 'approx_distinct', 'json_extract_scalar'];

/** The text of a call's parenthesised arguments from `open` (the `(`): the arguments split at top-level commas, and the index after `)`. */
function callArguments(sql: string, open: number): { args: string[]; end: number } {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < sql.length; i += 1) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      // A quoted string or identifier; its quote doubled inside is read as two quoted parts.
      const close = sql.indexOf(ch, i + 1);
      if (close < 0) throw new Error(`toDuckDb: unterminated ${ch} at ${i}`);
      i = close;
    } else if (ch === '(') {
      depth += 1;
    } else if (ch === ')') {
      depth -= 1;
      if (depth === 0) {
        args.push(sql.slice(start, i));
        return { args: args.map((a) => a.trim()), end: i + 1 };
      }
    } else if (ch === ',' && depth === 1) {
      args.push(sql.slice(start, i));
      start = i + 1;
    }
  }
  throw new Error(`toDuckDb: unbalanced parentheses after ${open}`);
}

/**
 * Rewrites a query of this module from Athena's dialect to DuckDB's: exactly the function calls in
 * the table at the top of this file (nested calls included), nothing else. Throws on a call of a
 * Trino function it does not translate, or a translated one with the wrong number of arguments.
 */
export function toDuckDb(sql: string): string {
  for (const name of UNTRANSLATED) {
    if (new RegExp(`\\b${name}\\s*\\(`, 'i').test(sql)) throw new Error(`toDuckDb: ${name}() has no translation`);
  }
  const call = new RegExp(`\\b(${Object.keys(REWRITES).join('|')})\\s*\\(`, 'gi');
  let out = '';
  let from = 0;
  for (let match = call.exec(sql); match; match = call.exec(sql)) {
    if (match.index < from) continue;
    // Skip names inside a string literal or a quoted identifier: an odd number of quotes before the match.
    const before = sql.slice(0, match.index);
    if ((before.match(/'/g) ?? []).length % 2 === 1 || (before.match(/"/g) ?? []).length % 2 === 1) continue;
    const name = match[1].toLowerCase();
    const open = match.index + match[0].length - 1;
    const { args, end } = callArguments(sql, open);
    const rewrite = REWRITES[name];
    if (args.length !== rewrite.arity) throw new Error(`toDuckDb: ${name}() takes ${rewrite.arity} argument(s) here, got ${args.length}`);
    out += sql.slice(from, match.index) + rewrite.to(args.map(toDuckDb));
    from = end;
    call.lastIndex = end;
  }
  return out + sql.slice(from);
}
