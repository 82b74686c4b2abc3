import type { Finding } from '../../finding';
import type { ResponderSettings } from '../../settings';
import { bucketOf } from '../block-s3-public-access/select';

export function selectEnforceS3Tls(finding: Finding, settings: ResponderSettings) {
  if (finding.controlId !== 'S3.5') return undefined;
  const bucket = bucketOf(finding, settings);
  if (!bucket) return undefined;
  return { target: { bucket }, reason: `control S3.5: bucket ${bucket} accepts requests without TLS` };
}
