import type { Finding } from '../../finding';
import type { ResponderSettings } from '../../settings';

export interface BucketTarget {
  bucket: string;
}

/** The bucket a finding names, when the finding is this account's and region's. */
export function bucketOf(finding: Finding, settings: ResponderSettings): string | undefined {
  if (finding.accountId !== settings.accountId || finding.region !== settings.region) return undefined;
  const resource = finding.resources.find((r) => r.type === 'AwsS3Bucket');
  if (!resource) return undefined;
  return /^arn:aws[\w-]*:s3:::([^/]+)$/.exec(resource.id)?.[1] ?? (resource.id.startsWith('arn:') ? undefined : resource.id);
}

const CONTROLS = ['S3.2', 'S3.3', 'S3.8'];

export function selectBlockS3PublicAccess(finding: Finding, settings: ResponderSettings) {
  if (!finding.controlId || !CONTROLS.includes(finding.controlId)) return undefined;
  const bucket = bucketOf(finding, settings);
  if (!bucket) return undefined;
  return { target: { bucket } as BucketTarget, reason: `control ${finding.controlId}: bucket ${bucket} is or may become public` };
}
