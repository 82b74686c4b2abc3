import { at, resources, violation, type GuardRail, type Violation } from '../types';

/** Runtimes AWS supports for new functions that this project builds for (esbuild target node22). */
export const SUPPORTED_RUNTIMES = ['nodejs22.x', 'nodejs24.x'];

/**
 * Every Lambda function can run unattended: failed invocations land somewhere (dead-letter queue
 * or on-failure destination), logs are kept for a bounded time, and it runs on arm64 with a
 * supported runtime. Reserved concurrency is optional (accounts.json `reservedConcurrency`: a new
 * account's quota can be 10, and Lambda refuses a reservation leaving fewer than 10 unreserved),
 * but when set it must be at least 1: 0 throttles every invocation, so the function never runs.
 */
export const lambdaHardening: GuardRail = {
  id: 'lambda-hardening',
  description: 'functions have a DLQ or on-failure destination, no zero reserved concurrency, a log group with retention, arm64 and a supported runtime',
  severity: 'error',
  explanation: 'A response function that fails without a dead-letter queue, keeps no logs, or is throttled to zero loses findings without a trace.',
  fix: 'give the function a dead_letter_config or on-failure destination, a log group with retention_in_days, architectures ["arm64"], a nodejs22.x or newer runtime, and no reserved_concurrent_executions of 0',
  check(stack) {
    const out: Violation[] = [];
    const all = resources(stack);
    const logGroups = new Map(all.filter(([t]) => t === 'aws_cloudwatch_log_group').map(([, , a]) => [a.name, a]));
    const onFailure = new Set(
      all
        .filter(([t, , a]) => t === 'aws_lambda_function_event_invoke_config' && at(a, 'destination_config', 'on_failure', 'destination'))
        .map(([, , a]) => a.function_name),
    );
    for (const [type, id, fn] of all) {
      if (type !== 'aws_lambda_function') continue;
      const name = fn.function_name;
      const bad = (message: string) => out.push(violation(this, stack, type, id, `${String(name)}: ${message}`));
      if (!at(fn, 'dead_letter_config', 'target_arn') && !onFailure.has(name) && !onFailure.has(`\${aws_lambda_function.${id}.function_name}`)) {
        bad('no dead-letter queue and no on-failure destination');
      }
      // Unset (or -1, the provider's "unreserved") is fine; 0 would stop the function.
      const reserved = fn.reserved_concurrent_executions;
      if (reserved !== undefined && Number(reserved) !== -1 && !(Number(reserved) >= 1)) {
        bad(`reserved concurrency ${JSON.stringify(reserved)} throttles every invocation (leave it unset, or reserve at least 1)`);
      }
      const logGroup = logGroups.get(`/aws/lambda/${String(name)}`);
      if (!logGroup) bad(`no log group /aws/lambda/${String(name)} in the stack`);
      else if (!(Number(logGroup.retention_in_days) > 0)) bad('log group keeps logs forever (no retention_in_days)');
      if (JSON.stringify(fn.architectures) !== '["arm64"]') bad(`architectures ${JSON.stringify(fn.architectures)} is not ["arm64"]`);
      if (typeof fn.runtime !== 'string' || !SUPPORTED_RUNTIMES.includes(fn.runtime))
        bad(`runtime ${String(fn.runtime)} is not one of ${SUPPORTED_RUNTIMES.join(', ')}`);
    }
    return out;
  },
};
