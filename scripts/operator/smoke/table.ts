import type { Row } from './check';

const COLUMNS: [keyof Row, string][] = [
  ['kind', 'kind'],
  ['check', 'check'],
  ['resource', 'resource'],
  ['expected', 'expected'],
  ['observed', 'observed'],
  ['result', 'result'],
];

/** The result table: aligned columns, one row per check, and a count line. */
export function formatTable(rows: Row[]): string {
  const widths = COLUMNS.map(([key, title]) => Math.max(title.length, ...rows.map((r) => r[key].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const count = (result: Row['result']) => rows.filter((r) => r.result === result).length;
  return [
    line(COLUMNS.map(([, title]) => title)),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(COLUMNS.map(([key]) => r[key]))),
    '',
    `${rows.length} checks: ${count('PASS')} PASS, ${count('FAIL')} FAIL, ${count('UNVERIFIED')} UNVERIFIED`,
  ].join('\n');
}
