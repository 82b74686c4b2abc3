import { lambdaHardening } from '../../../guardrails/rules/lambda-hardening';
import { stackWith } from '../stack-fixture';

const hardened = {
  function_name: 'acme-respond',
  runtime: 'nodejs22.x',
  architectures: ['arm64'],
  reserved_concurrent_executions: 5,
  dead_letter_config: { target_arn: '${aws_sqs_queue.q.arn}' },
};
const logGroup = { lg: { name: '/aws/lambda/acme-respond', retention_in_days: 365 } };

describe('lambda-hardening', () => {
  it('passes a function with a DLQ, reserved concurrency, retained logs, arm64 and nodejs22.x', () => {
    expect(lambdaHardening.check(stackWith({ aws_lambda_function: { f: hardened }, aws_cloudwatch_log_group: logGroup }))).toEqual([]);
  });

  it('passes a function without reserved concurrency (the default: new accounts may have a quota of 10)', () => {
    const { reserved_concurrent_executions: _reserved, ...unreserved } = hardened;
    expect(lambdaHardening.check(stackWith({ aws_lambda_function: { f: unreserved }, aws_cloudwatch_log_group: logGroup }))).toEqual([]);
    const minusOne = { ...hardened, reserved_concurrent_executions: -1 };
    expect(lambdaHardening.check(stackWith({ aws_lambda_function: { f: minusOne }, aws_cloudwatch_log_group: logGroup }))).toEqual([]);
  });

  it('fails a reservation of 0, which throttles every invocation', () => {
    const zero = { ...hardened, reserved_concurrent_executions: 0 };
    expect(lambdaHardening.check(stackWith({ aws_lambda_function: { f: zero }, aws_cloudwatch_log_group: logGroup })).map((v) => v.message)).toEqual([
      'acme-respond: reserved concurrency 0 throttles every invocation (leave it unset, or reserve at least 1)',
    ]);
  });

  it('accepts an on-failure destination in place of a dead-letter queue', () => {
    const { dead_letter_config: _dlq, ...noDlq } = hardened;
    const stack = stackWith({
      aws_lambda_function: { f: noDlq },
      aws_cloudwatch_log_group: logGroup,
      aws_lambda_function_event_invoke_config: {
        c: {
          function_name: '${aws_lambda_function.f.function_name}',
          destination_config: { on_failure: { destination: 'arn:aws:sqs:eu-west-1:333333333333:q' } },
        },
      },
    });
    expect(lambdaHardening.check(stack)).toEqual([]);
  });

  it('fails each missing protection with its own message', () => {
    const stack = stackWith({
      aws_lambda_function: { f: { function_name: 'acme-respond', runtime: 'nodejs18.x', architectures: ['x86_64'], reserved_concurrent_executions: 0 } },
      aws_cloudwatch_log_group: { lg: { name: '/aws/lambda/acme-respond' } },
    });
    expect(lambdaHardening.check(stack).map((v) => v.message)).toEqual([
      'acme-respond: no dead-letter queue and no on-failure destination',
      'acme-respond: reserved concurrency 0 throttles every invocation (leave it unset, or reserve at least 1)',
      'acme-respond: log group keeps logs forever (no retention_in_days)',
      'acme-respond: architectures ["x86_64"] is not ["arm64"]',
      'acme-respond: runtime nodejs18.x is not one of nodejs22.x, nodejs24.x',
    ]);
  });

  it('fails a function without a log group in its stack', () => {
    expect(lambdaHardening.check(stackWith({ aws_lambda_function: { f: hardened } })).map((v) => v.message)).toEqual([
      'acme-respond: no log group /aws/lambda/acme-respond in the stack',
    ]);
  });
});
