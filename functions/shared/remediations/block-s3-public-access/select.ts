import { parseArn } from '../../arn';
import type { Finding } from '../../finding';
import type { ResponderSettings } from '../../settings';

export interface BucketTarget {
  bucket: string;
}

/**
 * The bucket of a bucket ARN, `arn:<partition>:s3:::<bucket>` (no region, no account), or undefined:
 * an object or prefix ARN (`bucket/key`), an access point or any other ARN names no bucket to change.
 */
function bucketOfArn(arn: string): string | undefined {
  const parts = parseArn(arn);
  const isBucket = parts?.service === 's3' && parts.region === '' && parts.accountId === '' && parts.resource !== '' && !/[/:]/.test(parts.resource);
  return isBucket ? parts.resource : undefined;
}

/** The bucket a finding names, when the finding is this account's and region's. */
export function bucketOf(finding: Finding, settings: ResponderSettings): string | undefined {
  if (finding.accountId !== settings.accountId || finding.region !== settings.region) return undefined;
  const resource = finding.resources.find((r) => r.type === 'AwsS3Bucket');
  if (!resource) return undefined;
  // A plain id is the bucket name; anything starting `arn:` must be a bucket ARN.
  return resource.id.startsWith('arn:') ? bucketOfArn(resource.id) : resource.id;
}

const CONTROLS = ['S3.2', 'S3.3', 'S3.8'];

export function selectBlockS3PublicAccess(finding: Finding, settings: ResponderSettings) {
  if (!finding.controlId || !CONTROLS.includes(finding.controlId)) return undefined;
  const bucket = bucketOf(finding, settings);
  if (!bucket) return undefined;
  return { target: { bucket }, reason: `control ${finding.controlId}: bucket ${bucket} is or may become public` };
}
