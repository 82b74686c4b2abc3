import type { AwsPort } from '../aws';
import type { Log } from '../log';
import { publishAlert, type Alert, type PublishOutcome } from '../notify';
import type { ResponderSettings } from '../settings';
import type { EvidenceRecord } from './record';
import { evidenceLine, writeEvidence, type EvidenceWrite } from './write';

/**
 * The record first, so the alert can say where it is (or that it is not there), then the alert.
 * The record's dead-letter queue is the function's own, in its region.
 */
export async function recordThenAlert(
  record: EvidenceRecord,
  alert: Alert,
  settings: Pick<ResponderSettings, 'organization' | 'accountId' | 'evidence' | 'region' | 'alertTopicArn'>,
  aws: AwsPort,
  log: Log,
): Promise<{ evidence: EvidenceWrite; publish: PublishOutcome }> {
  const evidence = await writeEvidence(record, settings, settings.region, aws, log);
  alert.message = `${alert.message.trimEnd()}\n\n${evidenceLine(evidence)}\n`;
  const publish = await publishAlert(aws, settings.alertTopicArn, alert, log);
  return { evidence, publish };
}
