import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AwsPort } from '../aws';
import type { Log } from '../log';
import { names, type FunctionName } from '../naming';
import type { ResponderSettings } from '../settings';
import { evidenceKey, type EvidenceRecord } from './record';

/**
 * Writes one evidence record into the organization's bucket (security account, home region):
 * a direct PutObject, across accounts and regions, retried by the SDK. The bucket's default
 * encryption and Object Lock retention apply; a retried write lands on the same key. A write that
 * still fails is never lost: the record goes to the function's own dead-letter queue (kind
 * `evidence`, alarmed like every dead letter), and, should even that fail, into the log in full.
 */
export interface EvidenceWrite {
  readonly written: boolean;
  /** `s3://bucket/key`, or where the record waits instead. */
  readonly where: string;
  readonly problem?: string;
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** The function's own dead-letter queue, in its region (its role may send to it: Lambda's own DLQ needs that too). */
export function deadLetterQueueUrl(settings: Pick<ResponderSettings, 'organization' | 'accountId'>, fn: FunctionName, region: string): string {
  return `https://sqs.${region}.amazonaws.com/${settings.accountId}/${names.deadLetterQueue(settings.organization, fn)}`;
}

/** One PutObject of a record into the evidence bucket (its default encryption and Object Lock retention apply). */
export async function putEvidence(key: string, body: string, settings: Pick<ResponderSettings, 'evidence'>, aws: AwsPort): Promise<void> {
  await aws.client(S3Client, settings.evidence.region).send(
    new PutObjectCommand({
      Bucket: settings.evidence.bucket,
      Key: key,
      Body: body,
      ContentType: 'application/json',
      // Object Lock refuses an upload without a checksum (Content-MD5 or an SDK checksum).
      ChecksumAlgorithm: 'SHA256',
    }),
  );
}

export async function writeEvidence(
  record: EvidenceRecord,
  settings: Pick<ResponderSettings, 'organization' | 'accountId' | 'evidence'>,
  region: string,
  aws: AwsPort,
  log: Log,
): Promise<EvidenceWrite> {
  const key = evidenceKey(record);
  const body = JSON.stringify(record);
  const target = `s3://${settings.evidence.bucket}/${key}`;
  try {
    await putEvidence(key, body, settings, aws);
    return { written: true, where: target };
  } catch (e) {
    const problem = describe(e);
    const queueUrl = deadLetterQueueUrl(settings, record.function, region);
    log.error('evidence record not written; sending it to the dead-letter queue', { target, queueUrl, error: problem });
    try {
      await aws.client(SQSClient, region).send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          MessageAttributes: {
            kind: { DataType: 'String', StringValue: 'evidence' },
            bucket: { DataType: 'String', StringValue: settings.evidence.bucket },
            key: { DataType: 'String', StringValue: key },
          },
        }),
      );
      return { written: false, where: queueUrl, problem };
    } catch (e2) {
      // The last place left: the log keeps the whole record.
      log.error('evidence record neither written nor dead-lettered; the record is in this log line', { record, error: describe(e2) });
      return { written: false, where: 'the function log', problem: `${problem}; the dead-letter queue too: ${describe(e2)}` };
    }
  }
}

/** The alert's line about the record. */
export function evidenceLine(w: EvidenceWrite): string {
  return w.written
    ? `Evidence: ${w.where}`
    : `Evidence: NOT written to the evidence bucket (${w.problem ?? 'error'}); the record waits in ${w.where} (an alarm is raised).`;
}
