import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { AwsPort } from '../../../functions/shared/aws';
import { IAM_EVENTS_REGION, TAG_PREFIX } from '../../../functions/shared/naming';
import { errorCode } from '../../../functions/shared/remediations/common';
import { answerOf } from '../aws-answer';
import { throwIfAborted } from './errors';

/** The user-defined fields the responder's record step writes (functions/shared/record.ts recordFields). */
export const OUTCOME_FIELD = `${TAG_PREFIX}outcome`;
export const ACTION_FIELD = `${TAG_PREFIX}action`;
/** The tag quarantine-user writes last (functions/shared/remediations/quarantine-iam-user/run.ts). */
const QUARANTINED_AT_TAG = `${TAG_PREFIX}quarantined-at`;

/** What the responder wrote on a finding once it handled it. */
export interface FindingResponse {
  workflow: string;
  outcome: string;
  action?: string;
}

/** What quarantine-user was seen to do with the test user. */
export type QuarantineSeen =
  /** enforce: the deny-all boundary is on the user and the quarantine tags (its last write) too. */
  | { quarantined: true }
  /** otherwise: its log line about the user (outcome, or IGNORED for a trusted creator). */
  | { logged: string }
  /** the log could not be read with these credentials. */
  | { unverified: string }
  | { failed: string };

export interface QuarantineWatch {
  userName: string;
  policyArn: string;
  /** `boundary`: poll the user's boundary and tags; `log`: look for quarantine-user's log line. */
  watch: 'boundary' | 'log';
  logGroup: string;
  since: Date;
}

export interface WaitInput {
  region: string;
  productArn: string;
  findingIds: string[];
  quarantine?: QuarantineWatch;
}

export interface Observed {
  findings: Map<string, FindingResponse>;
  quarantine?: QuarantineSeen;
}

export interface Clock {
  now(): Date;
  /** Resolves after `ms`, or at once when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  signal: AbortSignal;
}

/** The CLI's sleep: a timer that an interruption cuts short. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

async function findingResponses(aws: AwsPort, input: WaitInput, pending: Set<string>): Promise<Map<string, FindingResponse>> {
  const out = await answerOf(
    aws.client(SecurityHubClient, input.region).send(
      new GetFindingsCommand({
        Filters: { Id: [...pending].map((Value) => ({ Value, Comparison: 'EQUALS' })), ProductArn: [{ Value: input.productArn, Comparison: 'EQUALS' }] },
        MaxResults: 100,
      }),
    ),
  );
  const seen = new Map<string, FindingResponse>();
  for (const f of out?.Findings ?? []) {
    const outcome = f.UserDefinedFields?.[OUTCOME_FIELD];
    // Handled = no longer NEW and carrying our outcome; NEW alone may be the import still settling.
    if (f.Id && pending.has(f.Id) && f.Workflow?.Status !== 'NEW' && outcome) {
      seen.set(f.Id, { workflow: f.Workflow?.Status ?? '', outcome, action: f.UserDefinedFields?.[ACTION_FIELD] });
    }
  }
  return seen;
}

/** quarantine-user's Powertools line about this user: `create user handled` (outcome or status) or `create user ignored`. */
export function quarantineLogOutcome(message: string, userName: string): string | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  try {
    const line = JSON.parse(message.slice(start)) as { message?: string; userName?: string; outcome?: string; status?: string };
    if (line.userName !== userName) return undefined;
    if (line.message === 'create user ignored') return 'IGNORED';
    if (line.message === 'create user handled') return line.outcome ?? line.status;
  } catch {
    // Not one of the function's JSON lines (a Lambda platform line): not what we look for.
  }
  return undefined;
}

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Forbidden']);
export const isAccessDenied = (error: unknown) => DENIED.has(errorCode(error));

async function quarantineSeen(aws: AwsPort, q: QuarantineWatch): Promise<QuarantineSeen | undefined> {
  if (q.watch === 'boundary') {
    // The boundary comes first and the tags last: both present means the key deactivation is done too.
    const user = (await answerOf(aws.client(IAMClient, IAM_EVENTS_REGION).send(new GetUserCommand({ UserName: q.userName }))))?.User;
    const bounded = user?.PermissionsBoundary?.PermissionsBoundaryArn === q.policyArn;
    const tagged = (user?.Tags ?? []).some((t: { Key?: string }) => t.Key === QUARANTINED_AT_TAG);
    return bounded && tagged ? { quarantined: true } : undefined;
  }
  const logs = aws.client(CloudWatchLogsClient, IAM_EVENTS_REGION);
  let nextToken: string | undefined;
  try {
    // A page may come back empty with a token while the service scans streams: read a few.
    for (let page = 0; page < 5; page++) {
      const out = await answerOf(
        logs.send(new FilterLogEventsCommand({ logGroupName: q.logGroup, filterPattern: `"${q.userName}"`, startTime: q.since.getTime(), nextToken })),
      );
      for (const e of out?.events ?? []) {
        const outcome = quarantineLogOutcome(e.message ?? '', q.userName);
        if (outcome) return { logged: outcome };
      }
      nextToken = out?.nextToken;
      if (!nextToken) break;
    }
  } catch (error) {
    if (isAccessDenied(error)) return { unverified: `cannot read ${q.logGroup} in ${IAM_EVENTS_REGION} (${errorCode(error)})` };
    if (errorCode(error) === 'ResourceNotFoundException')
      return { failed: `log group ${q.logGroup} not found in ${IAM_EVENTS_REGION}: is quarantine-user deployed?` };
    throw error;
  }
  return undefined;
}

/**
 * Polls until every finding carries the responder's outcome and quarantine-user was seen to act,
 * or until the timeout. What is missing at the end is absent from the result ("no response").
 */
export async function waitForResponder(aws: AwsPort, input: WaitInput, clock: Clock, timeoutMs: number, pollMs: number): Promise<Observed> {
  const observed: Observed = { findings: new Map() };
  const pending = new Set(input.findingIds);
  const deadline = clock.now().getTime() + timeoutMs;
  for (;;) {
    throwIfAborted(clock.signal);
    if (pending.size > 0) {
      for (const [id, response] of await findingResponses(aws, input, pending)) {
        observed.findings.set(id, response);
        pending.delete(id);
      }
    }
    if (input.quarantine && !observed.quarantine) observed.quarantine = await quarantineSeen(aws, input.quarantine);
    const done = pending.size === 0 && (!input.quarantine || observed.quarantine !== undefined);
    const left = deadline - clock.now().getTime();
    if (done || left <= 0) return observed;
    await clock.sleep(Math.min(pollMs, left), clock.signal);
  }
}
