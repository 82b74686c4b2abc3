import { encryptedMessaging } from '../../../guardrails/rules/encrypted-messaging';
import { stackWith } from '../stack-fixture';

describe('encrypted-topics-and-queues', () => {
  it('passes a KMS-encrypted topic and an SSE queue', () => {
    const stack = stackWith({
      aws_sns_topic: { t: { name: 'alerts', kms_master_key_id: '${aws_kms_key.k.arn}' } },
      aws_sqs_queue: { q: { name: 'dlq', sqs_managed_sse_enabled: true } },
    });
    expect(encryptedMessaging.check(stack)).toEqual([]);
  });

  it('fails an unencrypted topic and an unencrypted queue, each by name', () => {
    const stack = stackWith({ aws_sns_topic: { t: { name: 'alerts' } }, aws_sqs_queue: { q: { name: 'dlq' } } });
    expect(encryptedMessaging.check(stack).map((v) => `${v.resource}: ${v.message}`)).toEqual([
      'aws_sns_topic.t: topic has no kms_master_key_id',
      'aws_sqs_queue.q: queue has neither sqs_managed_sse_enabled nor kms_master_key_id',
    ]);
  });
});
