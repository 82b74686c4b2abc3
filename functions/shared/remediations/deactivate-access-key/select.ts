import type { Finding } from '../../finding';
import type { ResponderSettings } from '../../settings';
import { iamUserOf, type IamPrincipal } from '../quarantine-iam-user/select';

/**
 * A GuardDuty IAMUser finding that names a long-term access key (AKIA…): deactivating that key
 * stops the misuse and is reversible, so it wins over quarantining the whole user. Temporary
 * (ASIA…) credentials cannot be deactivated; those findings fall to QUARANTINE_IAM_USER.
 */
export function selectDeactivateAccessKey(finding: Finding, settings: ResponderSettings) {
  const principal = iamUserOf(finding, settings);
  if (!principal?.accessKeyId) return undefined;
  return {
    target: principal as Required<IamPrincipal>,
    reason: `GuardDuty ${finding.guardDutyType}: access key ${principal.accessKeyId} of ${principal.userName} may be compromised`,
  };
}
