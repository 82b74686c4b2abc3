import type { Finding } from '../../finding';
import type { ResponderSettings } from '../../settings';

export interface AccountTarget {
  accountId: string;
}

/** S3.1: account-level Block Public Access. The account itself cannot carry the exempt tag. */
export function selectBlockAccountS3PublicAccess(finding: Finding, settings: ResponderSettings) {
  if (finding.controlId !== 'S3.1') return undefined;
  if (finding.accountId !== settings.accountId || finding.region !== settings.region) return undefined;
  return { target: { accountId: settings.accountId }, reason: `control S3.1: account ${settings.accountId} does not block public access to S3` };
}
