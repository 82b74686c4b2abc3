import { deadLetterAlarm } from '../../../guardrails/rules/dead-letter-alarm';
import { stackWith } from '../stack-fixture';

const queue = { q: { name: 'acme-respond-dlq', sqs_managed_sse_enabled: true } };
const alarm = { name: 'acme-respond-dead-letters', queue: 'acme-respond-dlq' };
const depthAlarm = (a = alarm) => ({
  alarm_name: a.name,
  namespace: 'AWS/SQS',
  metric_name: 'ApproximateNumberOfMessagesVisible',
  dimensions: { QueueName: a.queue },
});
const forwarder = (alarmNames: string[]) => ({
  name: 'acme-respond-alarms',
  event_pattern: JSON.stringify({ source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], detail: { alarmName: alarmNames } }),
});

describe('dead-letter-alarm', () => {
  it('passes a queue whose depth alarm a rule of the stack forwards', () => {
    const stack = stackWith({
      aws_sqs_queue: queue,
      aws_cloudwatch_metric_alarm: { a: depthAlarm() },
      aws_cloudwatch_event_rule: { r: forwarder([alarm.name]) },
    });
    expect(deadLetterAlarm.check(stack)).toEqual([]);
  });

  it('fails a queue without a depth alarm (an alarm on another queue does not count)', () => {
    const stack = stackWith({
      aws_sqs_queue: queue,
      aws_cloudwatch_metric_alarm: { a: depthAlarm({ name: 'x', queue: 'other-dlq' }) },
      aws_cloudwatch_event_rule: { r: forwarder(['x']) },
    });
    expect(deadLetterAlarm.check(stack).map((v) => `${v.resource}: ${v.message}`)).toEqual([
      'aws_sqs_queue.q: acme-respond-dlq: no ApproximateNumberOfMessagesVisible alarm',
    ]);
  });

  it('fails a queue whose alarm no rule forwards, so nobody would hear it', () => {
    const stack = stackWith({
      aws_sqs_queue: queue,
      aws_cloudwatch_metric_alarm: { a: depthAlarm() },
      aws_cloudwatch_event_rule: { r: forwarder(['acme-respond-remediation-failures']) },
    });
    expect(deadLetterAlarm.check(stack).map((v) => v.message)).toEqual([
      'acme-respond-dlq: its alarm acme-respond-dead-letters is forwarded by no rule of the stack',
    ]);
  });

  it('passes a work queue whose oldest-message age alarm a rule forwards; another SQS metric does not count', () => {
    const work = { q: { name: 'acme-alert-intake', sqs_managed_sse_enabled: true } };
    const ageAlarm = (metric: string) => ({
      alarm_name: 'acme-route-intake-backlog',
      namespace: 'AWS/SQS',
      metric_name: metric,
      dimensions: { QueueName: 'acme-alert-intake' },
    });
    const withMetric = (metric: string) =>
      deadLetterAlarm.check(
        stackWith({
          aws_sqs_queue: work,
          aws_cloudwatch_metric_alarm: { a: ageAlarm(metric) },
          aws_cloudwatch_event_rule: { r: forwarder(['acme-route-intake-backlog']) },
        }),
      );
    expect(withMetric('ApproximateAgeOfOldestMessage')).toEqual([]);
    expect(withMetric('NumberOfMessagesSent').map((v) => v.message)).toEqual(['acme-alert-intake: no ApproximateNumberOfMessagesVisible alarm']);
  });
});
