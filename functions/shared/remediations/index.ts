import type { Finding } from '../finding';
import type { ResponderSettings } from '../settings';
import { selectBlockAccountS3PublicAccess } from './block-account-s3-public-access/select';
import { selectBlockS3PublicAccess } from './block-s3-public-access/select';
import { selectDeactivateAccessKey } from './deactivate-access-key/select';
import { selectEnforceS3Tls } from './enforce-s3-tls/select';
import { selectIsolateEc2Instance } from './isolate-ec2-instance/select';
import { selectQuarantineIamUser } from './quarantine-iam-user/select';
import { selectRevokePublicIngress } from './revoke-public-ingress/select';
import type { RemediationModule } from './types';

/**
 * The remediation catalogue (docs/architecture.md, "Remediation catalogue"), most specific first: for
 * a GuardDuty IAMUser finding that names a long-term key, deactivating the key comes before quarantining
 * the user. Runners load lazily so a function loads an SDK client only when a finding needs it.
 */
export const CATALOGUE: RemediationModule<any>[] = [
  { action: 'REVOKE_PUBLIC_INGRESS', select: selectRevokePublicIngress, load: () => import('./revoke-public-ingress/run').then((m) => m.runner) },
  { action: 'BLOCK_S3_PUBLIC_ACCESS', select: selectBlockS3PublicAccess, load: () => import('./block-s3-public-access/run').then((m) => m.runner) },
  { action: 'BLOCK_ACCOUNT_S3_PUBLIC_ACCESS', select: selectBlockAccountS3PublicAccess, load: () => import('./block-account-s3-public-access/run').then((m) => m.runner) },
  { action: 'ENFORCE_S3_TLS', select: selectEnforceS3Tls, load: () => import('./enforce-s3-tls/run').then((m) => m.runner) },
  { action: 'DEACTIVATE_ACCESS_KEY', select: selectDeactivateAccessKey, load: () => import('./deactivate-access-key/run').then((m) => m.runner) },
  { action: 'QUARANTINE_IAM_USER', select: selectQuarantineIamUser, load: () => import('./quarantine-iam-user/run').then((m) => m.runner) },
  { action: 'ISOLATE_EC2_INSTANCE', select: selectIsolateEc2Instance, load: () => import('./isolate-ec2-instance/run').then((m) => m.runner) },
];

export function selectRemediation(finding: Finding, settings: ResponderSettings) {
  for (const module of CATALOGUE) {
    const selected = module.select(finding, settings);
    if (selected) return { module, target: selected.target, reason: selected.reason };
  }
  return undefined;
}
