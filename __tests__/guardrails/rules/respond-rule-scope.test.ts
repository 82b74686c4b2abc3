import { respondRuleScope } from '../../../guardrails/rules/respond-rule-scope';
import { asffFindingsPattern, ocsfFindingsPattern } from '../../../stacks/constructs/event-patterns';
import { stackWith } from '../stack-fixture';

function stackWithRule(pattern: object) {
  return stackWith({
    aws_lambda_function: { respond: { function_name: 'acme-respond' } },
    aws_cloudwatch_event_rule: { rule: { name: 'acme-respond-asff-findings', event_pattern: JSON.stringify(pattern) } },
    aws_cloudwatch_event_target: { t: { arn: '${aws_lambda_function.respond.arn}', rule: '${aws_cloudwatch_event_rule.rule.name}' } },
  });
}

describe('respond-rule-scope', () => {
  it('passes the ASFF and OCSF patterns the stacks generate', () => {
    expect(respondRuleScope.check(stackWithRule(asffFindingsPattern('333333333333', 'eu-west-1', 'MEDIUM')))).toEqual([]);
    expect(respondRuleScope.check(stackWithRule(ocsfFindingsPattern('333333333333', 'eu-west-1', 'MEDIUM')))).toEqual([]);
  });

  it('fails a rule that would also match aggregated findings of other accounts', () => {
    const pattern: any = asffFindingsPattern('333333333333', 'eu-west-1', 'MEDIUM');
    delete pattern.detail.findings.AwsAccountId;
    expect(respondRuleScope.check(stackWithRule(pattern))).toEqual([
      {
        rule: 'respond-rule-scope',
        stack: 'acme-prod-eu-west-1',
        resource: 'aws_cloudwatch_event_rule.rule',
        message: 'does not filter detail.findings.AwsAccountId on 333333333333',
      },
    ]);
  });

  it('fails a rule that our own NOTIFIED updates would re-trigger', () => {
    const pattern: any = asffFindingsPattern('333333333333', 'eu-west-1', 'MEDIUM');
    pattern.detail.findings.Workflow.Status = ['NEW', 'NOTIFIED'];
    expect(respondRuleScope.check(stackWithRule(pattern)).map((v) => v.message)).toEqual(['does not filter Workflow.Status NEW']);
  });

  it('fails a rule of another region', () => {
    expect(respondRuleScope.check(stackWithRule(ocsfFindingsPattern('333333333333', 'us-east-1', 'MEDIUM'))).map((v) => v.message)).toEqual([
      'does not filter cloud.region on eu-west-1',
    ]);
  });

  it('ignores rules that target other functions', () => {
    const stack = stackWithRule({ source: ['aws.iam'] });
    stack.json.resource.aws_lambda_function.respond.function_name = 'acme-quarantine-user';
    expect(respondRuleScope.check(stack)).toEqual([]);
  });
});
