/**
 * Builds the pull-request comment from per-stack plans: a table of add / change / destroy counts
 * and each plan folded in <details>, kept under GitHub's 65,536-character comment limit by
 * truncating the longest plans first (the full plans stay in the workflow artifact).
 */
export const COMMENT_LIMIT = 65_536;
export const MARKER = '<!-- security-response-plan -->';

export interface StackPlanResult {
  stack: string;
  /** `terraform show -json` of the plan, or undefined when the plan failed. */
  planJson?: { resource_changes?: { address: string; change: { actions: string[] } }[] };
  /** `terraform show -no-color` text, or the error output. */
  text: string;
}

export interface Counts {
  add: number;
  change: number;
  destroy: number;
}

export function countChanges(plan: StackPlanResult['planJson']): Counts {
  const counts: Counts = { add: 0, change: 0, destroy: 0 };
  for (const rc of plan?.resource_changes ?? []) {
    const a = rc.change.actions;
    if (a.includes('create')) counts.add++;
    if (a.includes('delete')) counts.destroy++;
    if (a.length === 1 && a[0] === 'update') counts.change++;
  }
  return counts;
}

export function planComment(results: StackPlanResult[], runUrl?: string): string {
  const sorted = [...results].sort((a, b) => a.stack.localeCompare(b.stack));
  const rows = sorted.map((r) => {
    if (!r.planJson) return `| \`${r.stack}\` | plan failed | | |`;
    const c = countChanges(r.planJson);
    return `| \`${r.stack}\` | ${c.add} | ${c.change} | ${c.destroy}${c.destroy > 0 ? ' ⚠️' : ''} |`;
  });
  const head = [
    MARKER,
    `### Terraform plans: ${sorted.length} stack(s) changed`,
    '',
    '| stack | add | change | destroy |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  const tail = runUrl ? `\nFull plans: [workflow run](${runUrl}) (artifact \`plans\`).\n` : '';
  const fold = (r: StackPlanResult, body: string) => `<details><summary>${r.stack}</summary>\n\n\`\`\`\n${body}\n\`\`\`\n</details>\n`;
  const overhead = head.length + tail.length + sorted.reduce((n, r) => n + fold(r, '').length, 0);
  let budget = COMMENT_LIMIT - overhead - 200;
  // Fair shares: short plans keep everything, the rest split what is left.
  const bodies = new Map<string, string>();
  const byLength = [...sorted].sort((a, b) => a.text.length - b.text.length);
  byLength.forEach((r, i) => {
    const share = Math.max(0, Math.floor(budget / (byLength.length - i)));
    const note = '\n... (truncated; full plan in the workflow artifact)';
    const body = r.text.length <= share ? r.text : `${r.text.slice(0, Math.max(0, share - note.length))}${note}`;
    bodies.set(r.stack, body);
    budget -= body.length;
  });
  const bodyOf = (r: StackPlanResult) => {
    const body = bodies.get(r.stack);
    if (body === undefined) throw new Error(`no plan body for ${r.stack}`);
    return body;
  };
  return `${head}\n${sorted.map((r) => fold(r, bodyOf(r))).join('')}${tail}`;
}
