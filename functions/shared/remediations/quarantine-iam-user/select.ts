import type { Finding } from '../../finding';
import type { ResponderSettings } from '../../settings';

export interface IamPrincipal {
  userName: string;
  /** Long-term access key (AKIA…) named by the finding, if any. */
  accessKeyId?: string;
}

/** GuardDuty finding types about an IAM principal: `<ThreatPurpose>:IAMUser/<name>`. */
export const IAM_USER_TYPE = /^[A-Za-z]+:IAMUser\//;

/**
 * The IAM user a GuardDuty IAMUser finding is about. Only users: GuardDuty uses the same types for
 * assumed roles and root, which have no user to quarantine (PrincipalType tells them apart).
 */
export function iamUserOf(finding: Finding, settings: ResponderSettings): IamPrincipal | undefined {
  if (finding.accountId !== settings.accountId || finding.region !== settings.region) return undefined;
  if (!finding.guardDutyType || !IAM_USER_TYPE.test(finding.guardDutyType)) return undefined;
  for (const r of finding.resources) {
    if (r.type === 'AwsIamAccessKey') {
      const d = (r.details.AwsIamAccessKey ?? {}) as { PrincipalType?: string; PrincipalName?: string; UserName?: string; AccessKeyId?: string };
      if (d.PrincipalType !== 'IAMUser') continue;
      const userName = d.PrincipalName ?? d.UserName;
      if (!userName) continue;
      const keyId = d.AccessKeyId ?? /(AKIA[A-Z0-9]{12,})$/.exec(r.id)?.[1];
      return { userName, accessKeyId: keyId?.startsWith('AKIA') ? keyId : undefined };
    }
    if (r.type === 'AwsIamUser') {
      const d = (r.details.AwsIamUser ?? {}) as { UserName?: string };
      const userName = d.UserName ?? /:user\/(?:.*\/)?([^/]+)$/.exec(r.id)?.[1];
      if (userName) return { userName };
    }
  }
  return undefined;
}

export function selectQuarantineIamUser(finding: Finding, settings: ResponderSettings) {
  const principal = iamUserOf(finding, settings);
  if (!principal) return undefined;
  return { target: principal, reason: `GuardDuty ${finding.guardDutyType}: IAM user ${principal.userName} may be compromised` };
}
