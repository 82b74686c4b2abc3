import { generateFleetConfig } from '../helpers/fleet-generator';
import { checkStack, formatViolation, GUARD_RAILS } from '../../guardrails';
import { buildTestFleet, guardRailViolations as violationsOf, synthJson } from '../helpers/fleet';

describe('guard rails over whole organizations', () => {
  it('the test organization (TEST_ACCOUNTS_FILE) breaks no guard rail', () => {
    expect(violationsOf(buildTestFleet())).toEqual([]);
  });

  it('a generated 50-account organization (4 regions, enforce and observe accounts) breaks no guard rail', () => {
    const built = buildTestFleet(generateFleetConfig(50, 4));
    expect(built.fleet.stacks).toHaveLength(200);
    expect(violationsOf(built)).toEqual([]);
  });
});

/**
 * Each rule seen failing on a real stack: payments-prod-eu-west-1 as synthesized, broken in one
 * way per rule, must produce exactly that rule's violation naming the stack and the resource.
 */
describe('guard rails on a deliberately broken real stack', () => {
  const { fleet, stacks } = buildTestFleet();
  const NAME = 'payments-prod-eu-west-1';
  const plan = fleet.stacks.find((s) => s.name === NAME)!;
  const fresh = () => synthJson(stacks.get(NAME)!);
  const only = (json: any, type: string, pick: (r: any) => boolean = () => true): [string, any] => {
    const found = Object.entries(json.resource[type] as Record<string, any>).filter(([, r]) => pick(r));
    if (found.length !== 1) throw new Error(`${found.length} ${type}`);
    return found[0];
  };
  const check = (json: any) => checkStack({ name: NAME, accountId: plan.account.id, region: plan.region, json }).map(formatViolation);

  it('passes unbroken', () => {
    expect(check(fresh())).toEqual([]);
  });

  const breakages: [string, string, (json: any) => string][] = [
    [
      'iam-no-wildcard-write',
      'a role policy that may write on every resource',
      (json) => {
        const [id, p] = only(json, 'aws_iam_role_policy', (r) => r.name === 'acme-respond-permissions');
        const doc = JSON.parse(p.policy);
        doc.Statement.push({ Effect: 'Allow', Action: 'ec2:RevokeSecurityGroupIngress', Resource: '*' });
        p.policy = JSON.stringify(doc);
        return `aws_iam_role_policy.${id}`;
      },
    ],
    [
      'role-trust-single-principal',
      'the respond role trusting another account',
      (json) => {
        const [id, role] = only(json, 'aws_iam_role', (r) => r.name === 'acme-respond-eu-west-1');
        role.assume_role_policy = JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' }],
        });
        return `aws_iam_role.${id}`;
      },
    ],
    [
      'encrypted-topics-and-queues',
      'an unencrypted dead-letter queue',
      (json) => {
        const [id, queue] = only(json, 'aws_sqs_queue');
        delete queue.sqs_managed_sse_enabled;
        return `aws_sqs_queue.${id}`;
      },
    ],
    [
      'lambda-hardening',
      'respond with a reserved concurrency of 0',
      (json) => {
        const [id, fn] = only(json, 'aws_lambda_function');
        fn.reserved_concurrent_executions = 0;
        return `aws_lambda_function.${id}`;
      },
    ],
    [
      'respond-rule-scope',
      'the ASFF rule without its account filter',
      (json) => {
        const [id, rule] = only(json, 'aws_cloudwatch_event_rule', (r) => r.name === 'acme-respond-asff-findings');
        const pattern = JSON.parse(rule.event_pattern);
        delete pattern.detail.findings.AwsAccountId;
        rule.event_pattern = JSON.stringify(pattern);
        return `aws_cloudwatch_event_rule.${id}`;
      },
    ],
    [
      'service-principal-source',
      'the dead-letter queue policy without its aws:SourceArn condition',
      (json) => {
        const [id, queuePolicy] = only(json, 'aws_sqs_queue_policy');
        const doc = JSON.parse(queuePolicy.policy);
        for (const st of doc.Statement) delete st.Condition;
        queuePolicy.policy = JSON.stringify(doc);
        return `aws_sqs_queue_policy.${id}`;
      },
    ],
    [
      'dead-letter-alarm',
      'the dead-letter alarm removed',
      (json) => {
        const [id] = only(json, 'aws_cloudwatch_metric_alarm', (a) => a.namespace === 'AWS/SQS');
        const { [id]: _removed, ...alarms } = json.resource.aws_cloudwatch_metric_alarm;
        json.resource.aws_cloudwatch_metric_alarm = alarms;
        return `aws_sqs_queue.${only(json, 'aws_sqs_queue')[0]}`;
      },
    ],
  ];

  it('covers every guard rail', () => {
    expect(breakages.map(([rule]) => rule).sort()).toEqual(GUARD_RAILS.map((r) => r.id).sort());
  });

  it.each(breakages)('%s fails on %s, naming the stack and the resource', (rule, _what, breakIt) => {
    const json = fresh();
    const resource = breakIt(json);
    const violations = check(json);
    expect(violations.length).toBeGreaterThan(0);
    for (const v of violations) expect(v.startsWith(`${NAME}: ${resource}: [${rule}] `)).toBe(true);
  });
});
