import { GetFindingsCommand, SecurityHubClient, type AwsSecurityFindingFilters } from '@aws-sdk/client-securityhub';
import type { AwsPort } from '../../../functions/shared/aws';
import { SEVERITIES, severityRank } from '../../../functions/shared/catalogue';
import type { ResponderSettings } from '../../../functions/shared/settings';
import type { TokenBucket } from './pace';

/** One finding of the backlog, as the sweep names it to `respond`. */
export interface BacklogEntry {
  id: string;
  productArn: string;
  createdAt: string;
}

/** GetFindings returns at most 100 findings a page. */
const PAGE = 100;

/**
 * The filters of the backlog: this account's findings in this region, ACTIVE and still NEW, at or
 * above the responder's threshold (below it `respond` leaves them alone anyway), created in the window.
 */
export function backlogFilters(
  settings: Pick<ResponderSettings, 'accountId' | 'region' | 'notifyMinSeverity'>,
  window: { since: Date; until: Date },
): AwsSecurityFindingFilters {
  const eq = (Value: string) => ({ Value, Comparison: 'EQUALS' as const });
  return {
    AwsAccountId: [eq(settings.accountId)],
    Region: [eq(settings.region)],
    RecordState: [eq('ACTIVE')],
    WorkflowStatus: [eq('NEW')],
    SeverityLabel: SEVERITIES.filter((s) => severityRank(s) >= severityRank(settings.notifyMinSeverity)).map(eq),
    CreatedAt: [{ Start: window.since.toISOString(), End: window.until.toISOString() }],
  };
}

/**
 * Lists the backlog once, newest first (stopped early, the freshest findings matter most), before
 * anything is sent: the sweep then works from this list, so findings leaving NEW as it goes cannot
 * shift a page under it. Each page waits for a GetFindings token.
 */
export async function listBacklog(
  aws: AwsPort,
  settings: Pick<ResponderSettings, 'accountId' | 'region' | 'notifyMinSeverity'>,
  window: { since: Date; until: Date },
  pace: { getFindings: TokenBucket; signal?: AbortSignal; limit?: number; onPage?: (listed: number) => void },
): Promise<BacklogEntry[]> {
  const hub = aws.client(SecurityHubClient, settings.region);
  const Filters = backlogFilters(settings, window);
  const listed: BacklogEntry[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    if (pace.signal?.aborted) break;
    await pace.getFindings.take(1, pace.signal);
    const want = pace.limit === undefined ? PAGE : Math.min(PAGE, pace.limit - listed.length);
    const page = await hub.send(
      new GetFindingsCommand({ Filters, SortCriteria: [{ Field: 'CreatedAt', SortOrder: 'desc' }], MaxResults: want, ...(token ? { NextToken: token } : {}) }),
    );
    for (const f of page.Findings ?? []) {
      // A finding is named by Id and ProductArn; a page boundary must not list one twice.
      if (!f.Id || !f.ProductArn) continue;
      const key = `${f.ProductArn} ${f.Id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      listed.push({ id: f.Id, productArn: f.ProductArn, createdAt: f.CreatedAt ?? '' });
    }
    pace.onPage?.(listed.length);
    token = page.NextToken || undefined;
  } while (token && (pace.limit === undefined || listed.length < pace.limit));
  return pace.limit === undefined ? listed : listed.slice(0, pace.limit);
}
