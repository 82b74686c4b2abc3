import { COMMENT_LIMIT, countChanges, MARKER, planComment } from '../../../scripts/ci/plan-comment';

const change = (actions: string[]) => ({ address: 'aws_x.y', change: { actions } });

describe('plan comment', () => {
  it('counts adds, in-place changes and destroys; a replacement counts as one add and one destroy', () => {
    expect(
      countChanges({
        resource_changes: [change(['create']), change(['update']), change(['delete']), change(['delete', 'create']), change(['no-op']), change(['read'])],
      }),
    ).toEqual({
      add: 2,
      change: 1,
      destroy: 2,
    });
  });

  it('summarizes each stack in a table and folds its plan', () => {
    const comment = planComment([
      { stack: 'b-eu-west-1', planJson: { resource_changes: [change(['update'])] }, text: 'plan b' },
      { stack: 'a-us-east-1', planJson: { resource_changes: [change(['delete'])] }, text: 'plan a' },
      { stack: 'c-us-east-1', text: 'Error: AccessDenied' },
    ]);
    expect(comment.startsWith(MARKER)).toBe(true);
    expect(comment).toContain('| `a-us-east-1` | 0 | 0 | 1 ⚠️ |\n| `b-eu-west-1` | 0 | 1 | 0 |\n| `c-us-east-1` | plan failed | | |');
    expect(comment).toContain('<details><summary>a-us-east-1</summary>\n\n```\nplan a\n```\n</details>');
    expect(comment).toContain('Error: AccessDenied');
  });

  it('stays under the GitHub comment limit by truncating the longest plans, keeping short ones whole', () => {
    const results = [
      { stack: 'small', planJson: { resource_changes: [] }, text: 'tiny plan' },
      ...Array.from({ length: 30 }, (_, i) => ({ stack: `big-${i}`, planJson: { resource_changes: [] }, text: 'x'.repeat(20_000) })),
    ];
    const comment = planComment(results, 'https://github.com/o/r/actions/runs/1');
    expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment).toContain('tiny plan');
    expect(comment).toContain('(truncated; full plan in the workflow artifact)');
    expect(comment).toContain('<summary>big-29</summary>');
  });
});
