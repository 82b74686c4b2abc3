import type { FunctionName } from '../../functions/shared/naming';

const RESPOND: FunctionName = 'respond';
import { at, jsonAttribute, referencedId, resources, violation, type GuardRail, type SynthesizedStack, type Violation } from '../types';

/**
 * Every EventBridge rule that targets `respond` filters on its own account and region, ACTIVE and
 * workflow NEW: the security account sees aggregated copies of every member's findings, and our
 * own updates (NOTIFIED, RESOLVED) must never trigger the function again.
 */
export const respondRuleScope: GuardRail = {
  id: 'respond-rule-scope',
  description: 'rules that invoke respond match only this account and region, ACTIVE, workflow NEW',
  severity: 'error',
  explanation:
    "A rule that forwards other accounts' or regions' findings, or archived or already-handled ones, makes respond act outside its account and region or twice.",
  fix: "filter the rule's event pattern on this account and region, RecordState ACTIVE and Workflow.Status NEW (stacks/constructs/event-patterns.ts)",
  check(stack) {
    const out: Violation[] = [];
    const all = resources(stack);
    const respondIds = new Set(all.filter(([t, , a]) => t === 'aws_lambda_function' && String(a.function_name).endsWith(`-${RESPOND}`)).map(([, id]) => id));
    const rules = new Map(all.filter(([t]) => t === 'aws_cloudwatch_event_rule').map(([, id, a]) => [id, a]));
    for (const [type, id, target] of all) {
      if (type !== 'aws_cloudwatch_event_target') continue;
      const fnId = referencedId(target.arn, 'aws_lambda_function');
      if (!fnId || !respondIds.has(fnId)) continue;
      const ruleId = referencedId(target.rule, 'aws_cloudwatch_event_rule');
      const rule = ruleId ? rules.get(ruleId) : undefined;
      if (!ruleId || !rule) {
        out.push(violation(this, stack, type, id, 'targets respond from a rule outside this stack'));
        continue;
      }
      for (const problem of patternProblems(jsonAttribute(`aws_cloudwatch_event_rule.${ruleId}`, rule, 'event_pattern'), stack)) {
        out.push(violation(this, stack, 'aws_cloudwatch_event_rule', ruleId, problem));
      }
    }
    return out;
  },
};

const same = (values: unknown, expected: string) => Array.isArray(values) && values.length === 1 && values[0] === expected;

function patternProblems(pattern: unknown, stack: SynthesizedStack): string[] {
  const f = at(pattern, 'detail', 'findings');
  const problems: string[] = [];
  const detailType = at(pattern, 'detail-type');
  if (same(detailType, 'Security Hub Findings - Imported')) {
    if (!same(at(f, 'AwsAccountId'), stack.accountId)) problems.push(`does not filter detail.findings.AwsAccountId on ${stack.accountId}`);
    if (!same(at(f, 'Region'), stack.region)) problems.push(`does not filter detail.findings.Region on ${stack.region}`);
    if (!same(at(f, 'RecordState'), 'ACTIVE')) problems.push('does not filter RecordState ACTIVE');
    if (!same(at(f, 'Workflow', 'Status'), 'NEW')) problems.push('does not filter Workflow.Status NEW');
  } else if (same(detailType, 'Findings Imported V2')) {
    if (!same(at(f, 'cloud', 'account', 'uid'), stack.accountId)) problems.push(`does not filter cloud.account.uid on ${stack.accountId}`);
    if (!same(at(f, 'cloud', 'region'), stack.region)) problems.push(`does not filter cloud.region on ${stack.region}`);
    if (!same(at(f, 'status'), 'New')) problems.push('does not filter status New');
  } else {
    problems.push(`targets respond with detail-type ${JSON.stringify(detailType)}, not one finding format`);
  }
  return problems;
}
