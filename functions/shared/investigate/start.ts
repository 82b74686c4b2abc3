import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CallLog, type AwsPort, type RecordedCall } from '../aws';
import { decisionCalls, type Decision } from '../decision';
import { accountLabel, aggregatedFindingContext, analystNote, escalationCategory } from '../escalate';
import { evidenceRecord, firstSeenAt, type EvidenceInvestigation } from '../evidence/record';
import { recordThenAlert } from '../evidence/record-then-alert';
import type { Finding } from '../finding';
import { withFindingId, type Log } from '../log';
import { names } from '../naming';
import { recordFields, recordUpdates } from '../record';
import type { ResponderSettings } from '../settings';
import { startedAlert, notStartedAlert } from './alert';
import { InvestigationClaims } from './claims';
import { Graphs, investigationsConsoleLink, retryable, startInvestigation } from './detective';
import { investigationEntity, type InvestigationEntity } from './entity';
import { FIRST_CHECK_DELAY_SECONDS, type InvestigationJob } from './job';
import { asProviderWrote, isSampleFinding } from './provider';
import { investigationScope, type InvestigationScope } from './scope';
import type { InvestigateSettings } from './settings';

export interface InvestigateDeps {
  aws: AwsPort;
  log: Log;
  now: Date;
}

/**
 * What became of one finding of the event:
 * - `started`: an investigation runs, the finding, the alert and the evidence say so;
 * - `not-started`: no investigation can be run for it (another region, no IAM principal, Detective
 *   refused), recorded once;
 * - `retry`: Detective could not be reached or throttled; the claim was given back and the event
 *   fails, so Lambda sends it again;
 * - `in-progress`: another invocation claimed it moments ago and has not finished; the event fails
 *   (not counted as a failure) so Lambda brings it back, by when the claim is settled or stale;
 * - `already-claimed`: an earlier event of the same finding took it;
 * - `not-credential-compromise`, `not-active`, `not-asff`, `sample`: not for this function (its rule
 *   sends the ASFF feed; an OCSF finding carries no user-defined fields to record the investigation
 *   on; GuardDuty's sample findings name made-up principals).
 */
export type InvestigationResult =
  'started' | 'not-started' | 'retry' | 'in-progress' | 'already-claimed' | 'not-credential-compromise' | 'not-active' | 'not-asff' | 'sample';

export interface FindingInvestigation {
  findingId: string;
  result: InvestigationResult;
  reason: string;
  /** A failure a person should know of (Detective refused or unreachable, a check not queued): counted, and alarmed. */
  failed: boolean;
  decision?: Decision;
  investigationId?: string;
}

/** The investigation checks queue, in the function's own account and region. */
export function checkQueueUrl(settings: Pick<ResponderSettings, 'organization' | 'accountId' | 'region'>): string {
  return `https://sqs.${settings.region}.amazonaws.com/${settings.accountId}/${names.investigationCheckQueue(settings.organization)}`;
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** The job that brings the function back for the result. */
export function jobFor(finding: Finding, entity: InvestigationEntity, scope: InvestigationScope, graphArn: string, investigationId: string): InvestigationJob {
  return {
    findingId: finding.id,
    productArn: finding.productArn,
    accountId: finding.accountId,
    accountName: accountLabel(finding),
    region: finding.region,
    severity: finding.severity,
    title: finding.title,
    ...(finding.controlId ? { controlId: finding.controlId } : {}),
    ...(firstSeenAt(finding) ? { firstSeenAt: firstSeenAt(finding) } : {}),
    investigationId,
    graphArn,
    entityArn: entity.arn,
    entityType: entity.type,
    scopeStart: scope.start.toISOString(),
    scopeEnd: scope.end.toISOString(),
    checks: 0,
  };
}

export function evidenceInvestigation(
  job: InvestigationJob,
  result: { status: string; severity?: string; indicators?: Record<string, number> },
): EvidenceInvestigation {
  return {
    investigation_id: job.investigationId,
    graph_arn: job.graphArn,
    entity_arn: job.entityArn,
    entity_type: job.entityType,
    scope_start: job.scopeStart,
    scope_end: job.scopeEnd,
    status: result.status,
    severity: result.severity ?? null,
    indicators: result.indicators ?? null,
    console_link: investigationsConsoleLink(job.region),
  };
}

/**
 * `investigate` on the aggregated findings of the security account's home region: every ACTIVE
 * credential-compromise finding (classified here, from the finding as its provider wrote it) gets
 * one Detective investigation of its IAM user or role, started from the security account in the
 * finding's region, recorded on the finding, alerted, and written to the evidence store; a delayed
 * message brings the function back for the result (check.ts).
 */
export async function investigateFindings(
  findings: Finding[],
  settings: ResponderSettings,
  scopeSettings: InvestigateSettings,
  deps: InvestigateDeps,
): Promise<FindingInvestigation[]> {
  const { aws, log } = deps;
  const claims = new InvestigationClaims(aws, names.investigationTable(settings.organization), settings.region);
  const graphs = new Graphs(aws);
  const results: FindingInvestigation[] = [];
  for (const finding of findings) {
    // Decided on what the provider wrote, never on what an update of the finding changed.
    const asWritten = asProviderWrote(finding);
    results.push(await withFindingId(log, finding.id, () => investigateOne(asWritten, settings, scopeSettings, { ...deps, claims, graphs })));
  }
  return results;
}

async function investigateOne(
  finding: Finding,
  settings: ResponderSettings,
  scopeSettings: InvestigateSettings,
  deps: InvestigateDeps & { claims: InvestigationClaims; graphs: Graphs },
): Promise<FindingInvestigation> {
  const { aws, log, now, claims, graphs } = deps;
  const skip = (result: InvestigationResult, reason: string): FindingInvestigation => {
    log.info('finding not investigated', { result, reason });
    return { findingId: finding.id, result, reason, failed: false };
  };
  if (finding.format !== 'asff') return skip('not-asff', 'an OCSF finding');
  if (finding.recordState !== 'ACTIVE') return skip('not-active', `record state ${finding.recordState}`);
  if (isSampleFinding(finding)) return skip('sample', 'a GuardDuty sample finding');
  const category = escalationCategory(finding, settings);
  if (category !== 'credential-compromise') return skip('not-credential-compromise', `classified ${category}`);
  const claim = await claims.claim(finding.id, now);
  if (!claim.taken) {
    if (claim.status === 'starting') return skip('in-progress', 'another invocation is starting its investigation; this event is retried');
    return skip('already-claimed', `an earlier event of this finding took it (${claim.status})`);
  }

  const scope = investigationScope(firstSeenAt(finding), now);
  const entity = investigationEntity(finding);
  let refusal: { reason: string; failed: boolean } | undefined;
  let graphArn: string | undefined;
  if (!scopeSettings.regions.includes(finding.region)) {
    refusal = {
      reason: `region ${finding.region} is not one of the organization's (${scopeSettings.regions.join(', ')}): no graph of ours holds it`,
      failed: false,
    };
  } else if (!entity.ok) {
    refusal = { reason: entity.reason, failed: false };
  } else {
    try {
      graphArn = await graphs.graphIn(finding.region);
      if (!graphArn)
        refusal = { reason: `the security account administers no Detective graph in ${finding.region} (organization.detective deployed there?)`, failed: true };
    } catch (error) {
      return giveBack(finding, claims, claim.claimedAt, log, `ListGraphs in ${finding.region} failed: ${describe(error)}`);
    }
  }

  let started: { investigationId: string; call: RecordedCall } | undefined;
  if (!refusal && entity.ok && graphArn) {
    try {
      started = await startInvestigation(aws, finding.region, graphArn, entity.entity, scope);
    } catch (error) {
      if (retryable(error)) return giveBack(finding, claims, claim.claimedAt, log, `StartInvestigation in ${finding.region} failed: ${describe(error)}`);
      refusal = { reason: `Detective refused to start the investigation of ${entity.entity.arn}: ${describe(error)}`, failed: true };
    }
  }

  if (!started || !entity.ok || !graphArn) {
    const reason = refusal?.reason ?? 'no investigation started';
    await claims.notStarted(finding.id, reason, refusal?.failed ?? false, now);
    log.warn('no investigation started', { reason });
    return reportNotStarted(finding, settings, category, reason, refusal?.failed ?? false, deps);
  }

  await claims.started(finding.id, { investigationId: started.investigationId, graphArn, entityArn: entity.entity.arn });
  const job = jobFor(finding, entity.entity, scope, graphArn, started.investigationId);
  log.info('investigation started', { investigationId: started.investigationId, entityArn: entity.entity.arn, graphArn });
  return reportStarted(finding, settings, job, entity.entity, started.call, deps);
}

/** A failure a retry may mend: the finding is given back, and the event will fail after the batch. */
async function giveBack(finding: Finding, claims: InvestigationClaims, claimedAt: number, log: Log, reason: string): Promise<FindingInvestigation> {
  log.error('investigation not started; the event will be retried', { reason });
  await claims.release(finding.id, claimedAt);
  return { findingId: finding.id, result: 'retry', reason, failed: true };
}

function baseDecision(finding: Finding, settings: ResponderSettings, reason: string, outcome: string, summary: string): Omit<Decision, 'calls'> {
  return {
    findingId: finding.id,
    accountId: finding.accountId,
    region: finding.region,
    severity: finding.severity,
    mode: settings.mode,
    ignored: false,
    reason,
    classification: { category: 'credential-compromise', escalate: true },
    remediation: { action: 'NONE', status: 'NOT_APPLICABLE', outcome, summary },
  };
}

async function reportStarted(
  finding: Finding,
  settings: ResponderSettings,
  job: InvestigationJob,
  entity: InvestigationEntity,
  startCall: RecordedCall,
  deps: InvestigateDeps,
): Promise<FindingInvestigation> {
  const { aws, log, now } = deps;
  const link = investigationsConsoleLink(finding.region);
  const previous = analystNote(finding).text;
  // The aggregated copy, in this region: the update reaches the member's copy too.
  const recorded = await recordUpdates(
    [
      {
        finding,
        region: settings.region,
        note: `${now.toISOString()} Detective investigation ${job.investigationId} of ${entity.arn} started (${job.scopeStart} to ${job.scopeEnd}): ${link}${previous ? ` | Previous note: ${previous}` : ''}`,
        fields: recordFields({ investigation: job.investigationId, 'investigation-status': 'RUNNING' }),
        // As escalate does: our update replicates to the member's copy, whose responder acts on NEW findings only.
        ...(finding.workflowStatus === 'NEW' ? { workflow: 'NOTIFIED' as const } : {}),
      },
    ],
    aws,
    log,
  );
  const record = recorded.get(finding.id);
  let checkCall: RecordedCall | undefined;
  let checkProblem: string | undefined;
  try {
    const calls = new CallLog(aws);
    await calls.write(
      SQSClient,
      settings.region,
      new SendMessageCommand({ QueueUrl: checkQueueUrl(settings), MessageBody: JSON.stringify(job), DelaySeconds: FIRST_CHECK_DELAY_SECONDS }),
    );
    checkCall = calls.calls[0];
  } catch (error) {
    checkProblem = describe(error);
    log.error('the check for the result could not be queued; the result will not be reported', { error: checkProblem });
  }
  const alert = startedAlert(finding, job, entity, checkProblem);
  const decision = (publish?: RecordedCall): Decision => ({
    ...baseDecision(
      finding,
      settings,
      `credential compromise of ${entity.arn} (${entity.from})`,
      'INVESTIGATION_STARTED',
      `Detective investigation ${job.investigationId} started`,
    ),
    notification: { subject: alert.subject, attributes: alert.attributes },
    calls: decisionCalls([startCall, record?.call, checkCall, publish]),
  });
  const { publish } = await recordThenAlert(
    evidenceRecord(decision(), {
      ...aggregatedFindingContext('investigate', finding, settings.organization, now),
      investigation: evidenceInvestigation(job, { status: 'RUNNING' }),
    }),
    alert,
    settings,
    aws,
    log,
  );
  return {
    findingId: finding.id,
    result: 'started',
    reason: `investigation ${job.investigationId} of ${entity.arn}`,
    failed: checkProblem !== undefined,
    decision: decision(publish.call),
    investigationId: job.investigationId,
  };
}

async function reportNotStarted(
  finding: Finding,
  settings: ResponderSettings,
  category: 'credential-compromise',
  reason: string,
  failed: boolean,
  deps: InvestigateDeps,
): Promise<FindingInvestigation> {
  const { aws, log, now } = deps;
  const recorded = await recordUpdates(
    [
      {
        finding,
        region: settings.region,
        note: `${now.toISOString()} no Detective investigation: ${reason}`,
        fields: recordFields({ investigation: `none: ${reason}` }),
      },
    ],
    aws,
    log,
  );
  const alert = notStartedAlert(finding, category, reason);
  const decision = (publish?: RecordedCall): Decision => ({
    ...baseDecision(finding, settings, reason, 'INVESTIGATION_NOT_STARTED', 'No Detective investigation'),
    notification: { subject: alert.subject, attributes: alert.attributes },
    calls: decisionCalls([recorded.get(finding.id)?.call, publish]),
  });
  const { publish } = await recordThenAlert(
    evidenceRecord(decision(), aggregatedFindingContext('investigate', finding, settings.organization, now)),
    alert,
    settings,
    aws,
    log,
  );
  return { findingId: finding.id, result: 'not-started', reason, failed, decision: decision(publish.call) };
}
