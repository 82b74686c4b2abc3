import { resources, violation, type GuardRail, type Violation } from '../types';

/** Alerts and dead letters carry finding details: every SNS topic and SQS queue is encrypted. */
export const encryptedMessaging: GuardRail = {
  id: 'encrypted-topics-and-queues',
  description: 'every SNS topic and SQS queue is encrypted at rest',
  severity: 'error',
  explanation: 'Alerts and dead letters carry finding details (resource ids, principals); unencrypted they are readable by anyone with storage access.',
  fix: 'set kms_master_key_id on the topic or queue (the alert key, or alias/aws/sqs for queues)',
  check(stack) {
    const out: Violation[] = [];
    for (const [type, id, attrs] of resources(stack)) {
      if (type === 'aws_sns_topic' && !attrs.kms_master_key_id) {
        out.push(violation(this, stack, type, id, 'topic has no kms_master_key_id'));
      }
      if (type === 'aws_sqs_queue' && attrs.sqs_managed_sse_enabled !== true && !attrs.kms_master_key_id) {
        out.push(violation(this, stack, type, id, 'queue has neither sqs_managed_sse_enabled nor kms_master_key_id'));
      }
    }
    return out;
  },
};
