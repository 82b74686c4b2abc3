import { GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { AwsPort } from '../aws';
import { findingFromAsff } from '../events/asff';
import { FindingError } from '../events/errors';
import type { Finding } from '../finding';
import type { ResponderSettings } from '../settings';
import { MAX_SWEEP_FINDINGS, type FindingRef } from './event';

export interface SweptFindings {
  findings: Finding[];
  /** Named by the sweep, not in this hub for this account and region (archived and purged, or never here). */
  notFound: FindingRef[];
  /** In the hub but unreadable as a finding: alerted like any unreadable finding. */
  problems: FindingError[];
}

const unique = (xs: string[]) => [...new Set(xs)];

/**
 * The named findings as this account's hub in this region holds them now: one GetFindings,
 * filtered by id and product and pinned to the function's own account and region, so a sweep can
 * never bring in another account's finding.
 */
export async function findingsOfSweep(refs: FindingRef[], settings: Pick<ResponderSettings, 'accountId' | 'region'>, aws: AwsPort): Promise<SweptFindings> {
  if (refs.length > MAX_SWEEP_FINDINGS) throw new Error(`a sweep names at most ${MAX_SWEEP_FINDINGS} findings, not ${refs.length}`);
  const eq = (values: string[]) => values.map((Value) => ({ Value, Comparison: 'EQUALS' as const }));
  const out = await aws.client(SecurityHubClient, settings.region).send(
    new GetFindingsCommand({
      Filters: {
        Id: eq(unique(refs.map((r) => r.id))),
        ProductArn: eq(unique(refs.map((r) => r.productArn))),
        AwsAccountId: eq([settings.accountId]),
        Region: eq([settings.region]),
      },
      MaxResults: 100,
    }),
  );
  const raw: AwsSecurityFinding[] = out.Findings ?? [];
  const findings: Finding[] = [];
  const problems: FindingError[] = [];
  const notFound: FindingRef[] = [];
  refs.forEach((ref, index) => {
    const match = raw.find((f) => f.Id === ref.id && f.ProductArn === ref.productArn);
    if (!match) {
      notFound.push(ref);
      return;
    }
    try {
      findings.push(findingFromAsff(match, index));
    } catch (error) {
      problems.push(
        error instanceof FindingError ? error : new FindingError(`finding ${ref.id} could not be read: ${(error as Error).message}`, index, ref.id),
      );
    }
  });
  return { findings, notFound, problems };
}
