import { at, jsonAttribute, resources, violation, type GuardRail, type Violation } from '../types';

/**
 * A dead-letter queue nobody watches hides every event a function failed: each queue has an alarm
 * on its depth, and that alarm is forwarded by a rule of the stack (to the security account's
 * alert topic, see stacks/constructs/function-alarms.ts).
 */
export const deadLetterAlarm: GuardRail = {
  id: 'dead-letter-alarm',
  description: 'every SQS queue has a depth (or, for a work queue, an age) alarm whose state changes a rule of the stack forwards',
  severity: 'warning',
  explanation: 'A dead-letter queue fills silently: findings that failed to process wait there unseen until their retention ends.',
  fix: "add a FunctionAlarms construct (stacks/constructs/function-alarms.ts) for the queue, or forward its alarm with the stack's alarm rule",
  check(stack) {
    const out: Violation[] = [];
    const all = resources(stack);
    // A dead-letter queue should be empty (depth); a work queue always holds something, so its
    // oldest message's age is what says nobody is reading it.
    const queueMetrics = new Set(['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage']);
    const alarms = all.filter(([t, , a]) => t === 'aws_cloudwatch_metric_alarm' && a.namespace === 'AWS/SQS' && queueMetrics.has(String(a.metric_name)));
    const forwarded = new Set<unknown>(
      all
        .filter(([t]) => t === 'aws_cloudwatch_event_rule')
        .flatMap(([t, id, r]) => {
          const pattern = jsonAttribute(`${t}.${id}`, r, 'event_pattern', '{}');
          const source = at(pattern, 'source');
          return Array.isArray(source) && source[0] === 'aws.cloudwatch' ? (at(pattern, 'detail', 'alarmName') ?? []) : [];
        }),
    );
    for (const [type, id, queue] of all) {
      if (type !== 'aws_sqs_queue') continue;
      const watching = alarms.filter(([, , a]) => at(a, 'dimensions', 'QueueName') === queue.name);
      if (watching.length === 0) {
        out.push(violation(this, stack, type, id, `${String(queue.name)}: no ApproximateNumberOfMessagesVisible alarm`));
        continue;
      }
      if (!watching.some(([, , a]) => forwarded.has(a.alarm_name))) {
        out.push(
          violation(this, stack, type, id, `${String(queue.name)}: its alarm ${String(watching[0][2].alarm_name)} is forwarded by no rule of the stack`),
        );
      }
    }
    return out;
  },
};
