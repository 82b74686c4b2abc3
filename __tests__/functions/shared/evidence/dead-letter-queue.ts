import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type Message,
  type ServiceInputTypes,
  type ServiceOutputTypes,
  type SQSClientResolvedConfig,
} from '@aws-sdk/client-sqs';
import type { AwsStub } from 'aws-sdk-client-mock';

/** A dead-letter queue as ReceiveMessage answers it: each message once, then nothing; deletes succeed. */
export function queueOf(sqs: AwsStub<ServiceInputTypes, ServiceOutputTypes, SQSClientResolvedConfig>, messages: Message[]): void {
  let handed = false;
  sqs.on(ReceiveMessageCommand).callsFake(() => {
    const out = handed ? [] : messages;
    handed = true;
    return Promise.resolve({ Messages: out });
  });
  sqs.on(DeleteMessageCommand).resolves({});
}
