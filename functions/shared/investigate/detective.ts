import { DetectiveClient, ListGraphsCommand, StartInvestigationCommand } from '@aws-sdk/client-detective';
import { CallLog, type AwsPort, type RecordedCall } from '../aws';
import type { InvestigationEntity } from './entity';
import type { InvestigationScope } from './scope';

/** The Detective console's investigations page of a region (Detective documents no link to one investigation). */
export function investigationsConsoleLink(region: string): string {
  return `https://${region}.console.aws.amazon.com/detective/home?region=${region}#investigations`;
}

/**
 * The behavior graph the security account administers in a region. Its ARN ends in a random id,
 * so it is asked for (ListGraphs answers the graphs the caller administers), once per region and
 * invocation.
 */
export class Graphs {
  private readonly byRegion = new Map<string, Promise<string | undefined>>();

  constructor(private readonly aws: AwsPort) {}

  graphIn(region: string): Promise<string | undefined> {
    let graph = this.byRegion.get(region);
    if (!graph) {
      graph = this.aws
        .client(DetectiveClient, region)
        .send(new ListGraphsCommand({}))
        .then((out) => out.GraphList?.find((g) => g.Arn?.split(':')[3] === region)?.Arn);
      // A failed lookup is not remembered: the next finding of the region asks again.
      graph.catch(() => this.byRegion.delete(region));
      this.byRegion.set(region, graph);
    }
    return graph;
  }
}

export interface Started {
  readonly investigationId: string;
  readonly call: RecordedCall;
}

export async function startInvestigation(
  aws: AwsPort,
  region: string,
  graphArn: string,
  entity: InvestigationEntity,
  scope: InvestigationScope,
): Promise<Started> {
  const calls = new CallLog(aws);
  const out = await calls.write(
    DetectiveClient,
    region,
    new StartInvestigationCommand({ GraphArn: graphArn, EntityArn: entity.arn, ScopeStartTime: scope.start, ScopeEndTime: scope.end }),
  );
  if (!out.InvestigationId) throw new Error(`StartInvestigation in ${region} answered no InvestigationId`);
  return { investigationId: out.InvestigationId, call: calls.calls[0] };
}

/** Node's codes for a connection that failed before any answer (the SDK's own transient errors). */
const TRANSIENT_CODES = ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'];

/**
 * Throttling, a server fault or a lost connection: worth another attempt. A refusal is not, nor an
 * answer that made no sense. (A timeout after Detective accepted the request can start a second
 * investigation on the retry: StartInvestigation takes no idempotency token.)
 */
export function retryable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $fault?: string; $retryable?: unknown };
  if (e.$retryable || e.$fault === 'server') return true;
  if (e.name === 'TooManyRequestsException' || e.name === 'ThrottlingException' || e.name === 'InternalServerException') return true;
  return e.name === 'TimeoutError' || TRANSIENT_CODES.includes(e.code ?? '');
}
