import { accountOfAccessKey, assumeRole } from './organization';
import { forwardToMoto, type HeldObject } from './securityhub-management';
import { StandInError, type OperationHandler } from './securityhub-standin';

/**
 * GuardDuty's organization configuration, which moto 5.2.1 lacks (UpdateOrganizationConfiguration
 * and DescribeOrganizationConfiguration on /detector/{id}/admin). Answered behind the validating
 * stand-in with AWS's rules: only the delegated administrator may call it (moto's own
 * ListOrganizationAdminAccounts of the management account says who that is), and only with a
 * detector it owns (moto's GetDetector as the caller). The settings live with the detector: once
 * moto no longer has the detector, they are gone, as at AWS.
 */
export interface GuardDutyManagement {
  readonly handlers: Record<string, OperationHandler>;
  /** Organization configurations whose detector still exists at moto. */
  held(): Promise<HeldObject[]>;
}

interface Stored {
  account: string;
  region: string;
  context: { accessKeyId: string; region: string };
  configuration: Record<string, unknown>;
}

export function guardDutyManagement(motoUrl: string, organization: { managementAccountId: string; roleName: string }): GuardDutyManagement {
  const byDetector = new Map<string, Stored>();

  async function administrators(region: string): Promise<string[]> {
    const management = await assumeRole(motoUrl, `arn:aws:iam::${organization.managementAccountId}:role/${organization.roleName}`, 'emulator-guardduty');
    const listed = await forwardToMoto(motoUrl, 'guardduty', { accessKeyId: management.accessKeyId, region }, 'GET', '/admin');
    return ((listed.adminAccounts ?? []) as Array<{ adminAccountId: string }>).map((a) => a.adminAccountId);
  }

  /** The caller's account, after moto confirmed the detector is the caller's. */
  async function ownDetector(detectorId: string, context: { accessKeyId?: string; region?: string }): Promise<{ account: string; region: string }> {
    if (!context.accessKeyId || !context.region) throw new StandInError('UnrecognizedClientException', 'the request is not signed', 403);
    const caller = await assumeRoleAccount(context.accessKeyId);
    await forwardToMoto(motoUrl, 'guardduty', context, 'GET', `/detector/${encodeURIComponent(detectorId)}`);
    if (!(await administrators(context.region)).includes(caller)) {
      throw new StandInError('BadRequestException', `account ${caller} is not the GuardDuty delegated administrator of the organization`);
    }
    return { account: caller, region: context.region };
  }

  const accountByKey = new Map<string, Promise<string>>();
  function assumeRoleAccount(accessKeyId: string): Promise<string> {
    let account = accountByKey.get(accessKeyId);
    if (!account) {
      account = accountOfAccessKey(motoUrl, accessKeyId);
      accountByKey.set(accessKeyId, account);
    }
    return account;
  }

  const handlers: Record<string, OperationHandler> = {
    UpdateOrganizationConfiguration: async (input, context) => {
      const detectorId = String(input.DetectorId);
      const owner = await ownDetector(detectorId, context);
      const { DetectorId: _id, ...settings } = input;
      const previous = byDetector.get(detectorId)?.configuration ?? {};
      byDetector.set(detectorId, {
        ...owner,
        context: { accessKeyId: context.accessKeyId!, region: context.region! },
        configuration: { ...previous, ...settings },
      });
      return {};
    },
    DescribeOrganizationConfiguration: async (input, context) => {
      const detectorId = String(input.DetectorId);
      await ownDetector(detectorId, context);
      const stored = byDetector.get(detectorId)?.configuration ?? {};
      return {
        MemberAccountLimitReached: false,
        AutoEnableOrganizationMembers: stored.AutoEnableOrganizationMembers ?? 'NONE',
        AutoEnable: stored.AutoEnableOrganizationMembers !== undefined ? stored.AutoEnableOrganizationMembers !== 'NONE' : (stored.AutoEnable ?? false),
        ...(stored.Features ? { Features: stored.Features } : {}),
        ...(stored.DataSources ? { DataSources: dataSourcesResult(stored.DataSources as Record<string, any>) } : {}),
      };
    },
  };

  return {
    handlers,
    held: async () => {
      const objects: HeldObject[] = [];
      for (const [detectorId, stored] of byDetector) {
        const exists = await forwardToMoto(motoUrl, 'guardduty', stored.context, 'GET', `/detector/${encodeURIComponent(detectorId)}`).then(
          () => true,
          () => false,
        );
        if (exists) objects.push({ account: stored.account, region: stored.region, kind: 'GuardDuty organization configuration', id: detectorId });
        else byDetector.delete(detectorId);
      }
      return objects;
    },
  };
}

/** The request's data sources as DescribeOrganizationConfiguration reports them. */
function dataSourcesResult(sources: Record<string, any>): Record<string, unknown> {
  return {
    S3Logs: { AutoEnable: sources.S3Logs?.AutoEnable ?? false },
    ...(sources.Kubernetes ? { Kubernetes: { AuditLogs: { AutoEnable: sources.Kubernetes.AuditLogs?.AutoEnable ?? false } } } : {}),
    ...(sources.MalwareProtection
      ? {
          MalwareProtection: {
            ScanEc2InstanceWithFindings: { EbsVolumes: { AutoEnable: sources.MalwareProtection.ScanEc2InstanceWithFindings?.EbsVolumes?.AutoEnable ?? false } },
          },
        }
      : {}),
  };
}
