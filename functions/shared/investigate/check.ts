import { DetectiveClient, GetInvestigationCommand, ListIndicatorsCommand, type Indicator } from '@aws-sdk/client-detective';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AwsPort, RecordedCall } from '../aws';
import { SEVERITIES, type Severity } from '../catalogue';
import { decisionCalls, type Decision } from '../decision';
import { evidenceRecord } from '../evidence/record';
import { recordThenAlert } from '../evidence/record-then-alert';
import type { Finding } from '../finding';
import type { Log } from '../log';
import { names } from '../naming';
import { recordFields, recordUpdates } from '../record';
import type { ResponderSettings } from '../settings';
import { indicatorCounts, resultAlert, type InvestigationResultSummary } from './alert';
import { InvestigationClaims } from './claims';
import { CHECK_DELAY_SECONDS, FIRST_CHECK_DELAY_SECONDS, MAX_CHECKS, type InvestigationJob } from './job';
import { checkQueueUrl, evidenceInvestigation } from './start';

/** Indicators read for the alert: one page of ListIndicators' largest. The console has them all. */
const INDICATOR_PAGE = 100;
const MAX_HIGHLIGHTS = 5;

export type CheckResult = 'reported' | 'checked-again' | 'already-reported';

export interface CheckOutcome {
  result: CheckResult;
  status: string;
  decision?: Decision;
}

function highlight(i: Indicator): string | undefined {
  const d = i.IndicatorDetail;
  if (!d) return undefined;
  if (d.TTPsObservedDetail) {
    const t = d.TTPsObservedDetail;
    return `${i.IndicatorType}: ${[t.Tactic, t.Technique, t.APIName].filter(Boolean).join(' / ')}${t.IpAddress ? ` from ${t.IpAddress}` : ''}`;
  }
  if (d.ImpossibleTravelDetail)
    return `${i.IndicatorType}: ${d.ImpossibleTravelDetail.StartingIpAddress ?? '?'} to ${d.ImpossibleTravelDetail.EndingIpAddress ?? '?'}`;
  if (d.FlaggedIpAddressDetail) return `${i.IndicatorType}: ${d.FlaggedIpAddressDetail.IpAddress ?? '?'} (${d.FlaggedIpAddressDetail.Reason ?? 'flagged'})`;
  if (d.NewGeolocationDetail) return `${i.IndicatorType}: ${[d.NewGeolocationDetail.Location, d.NewGeolocationDetail.IpAddress].filter(Boolean).join(' ')}`;
  if (d.RelatedFindingDetail) return `${i.IndicatorType}: ${d.RelatedFindingDetail.Type ?? ''} ${d.RelatedFindingDetail.Arn ?? ''}`.trim();
  return undefined;
}

/** The finding as the job remembers it: BatchUpdateFindings needs its Id and ProductArn. */
function findingOf(job: InvestigationJob): Finding {
  return {
    format: 'asff',
    id: job.findingId,
    productArn: job.productArn,
    accountId: job.accountId,
    region: job.region,
    title: job.title,
    description: '',
    severity: job.severity,
    workflowStatus: '',
    recordState: 'ACTIVE',
    controlId: job.controlId,
    types: [],
    productName: '',
    resources: [],
    raw: {},
  };
}

async function summarize(aws: AwsPort, job: InvestigationJob, status: string, severity: string | undefined): Promise<InvestigationResultSummary> {
  const known = (SEVERITIES as readonly string[]).includes(severity ?? '') ? (severity as Severity) : undefined;
  const indicators: Record<string, number> = {};
  const highlights: string[] = [];
  if (status === 'SUCCESSFUL') {
    const out = await aws
      .client(DetectiveClient, job.region)
      .send(new ListIndicatorsCommand({ GraphArn: job.graphArn, InvestigationId: job.investigationId, MaxResults: INDICATOR_PAGE }));
    for (const i of out.Indicators ?? []) {
      const type = i.IndicatorType ?? 'UNKNOWN';
      indicators[type] = (indicators[type] ?? 0) + 1;
      const words = highlights.length < MAX_HIGHLIGHTS ? highlight(i) : undefined;
      if (words) highlights.push(words);
    }
    if (out.NextToken) highlights.push(`more indicators than the ${INDICATOR_PAGE} counted here: see the console`);
  }
  return { status, severity: known, indicators, highlights };
}

/**
 * One check of an investigation this function started: still running, it is checked again later
 * (up to MAX_CHECKS); done, or given up on, its result goes onto the finding, into an alert and into
 * the evidence store, once: the reads come first, then the claim moves to `done`, then the writes
 * (none of which throws), so a redelivered message reports nothing twice and a failed read reports
 * nothing yet. A Detective, DynamoDB or SQS error throws: the message returns to the queue.
 */
export async function checkInvestigation(
  job: InvestigationJob,
  settings: ResponderSettings,
  deps: { aws: AwsPort; log: Log; now: Date },
): Promise<CheckOutcome> {
  const { aws, log, now } = deps;
  const out = await aws.client(DetectiveClient, job.region).send(new GetInvestigationCommand({ GraphArn: job.graphArn, InvestigationId: job.investigationId }));
  const status = out.Status ?? 'RUNNING';
  const checks = job.checks + 1;
  if (status === 'RUNNING' && checks < MAX_CHECKS) {
    await aws
      .client(SQSClient, settings.region)
      .send(new SendMessageCommand({ QueueUrl: checkQueueUrl(settings), MessageBody: JSON.stringify({ ...job, checks }), DelaySeconds: CHECK_DELAY_SECONDS }));
    log.info('investigation still running; checked again later', { investigationId: job.investigationId, checks });
    return { result: 'checked-again', status };
  }
  // Every read first: a failure here returns the message to the queue with nothing claimed done.
  const summary = await summarize(aws, job, status, out.Severity);
  const claims = new InvestigationClaims(aws, names.investigationTable(settings.organization), settings.region);
  if (!(await claims.finish(job.findingId, job.investigationId))) {
    log.info('investigation result already reported', { investigationId: job.investigationId });
    return { result: 'already-reported', status };
  }
  const hoursWaited = Math.round((FIRST_CHECK_DELAY_SECONDS + (checks - 1) * CHECK_DELAY_SECONDS) / 360) / 10;
  const alert = resultAlert(job, summary, hoursWaited);
  const finding = findingOf(job);
  const recorded = await recordUpdates(
    [
      {
        finding,
        region: settings.region,
        note: `${now.toISOString()} Detective investigation ${job.investigationId}: ${status}${summary.severity ? `, ${summary.severity}` : ''}; indicators ${indicatorCounts(summary.indicators)}`,
        fields: recordFields({ 'investigation-status': status, ...(summary.severity ? { 'investigation-severity': summary.severity } : {}) }),
      },
    ],
    aws,
    log,
  );
  const decision = (publish?: RecordedCall): Decision => ({
    findingId: job.findingId,
    accountId: job.accountId,
    region: job.region,
    severity: job.severity,
    mode: settings.mode,
    ignored: false,
    reason: `Detective investigation ${job.investigationId} of ${job.entityArn}: ${status}`,
    classification: { category: 'credential-compromise', escalate: true },
    remediation: { action: 'NONE', status: 'NOT_APPLICABLE', outcome: `INVESTIGATION_${status}`, summary: alert.detail?.done ?? status },
    notification: { subject: alert.subject, attributes: alert.attributes },
    calls: decisionCalls([recorded.get(job.findingId)?.call, publish]),
  });
  const { publish } = await recordThenAlert(
    evidenceRecord(decision(), {
      function: 'investigate',
      organization: settings.organization,
      accountName: job.accountName,
      productArn: job.productArn,
      controlId: job.controlId,
      firstSeenAt: job.firstSeenAt,
      investigation: evidenceInvestigation(job, { status, severity: summary.severity, indicators: summary.indicators }),
      handledAt: now,
    }),
    alert,
    settings,
    aws,
    log,
  );
  log.info('investigation result reported', { investigationId: job.investigationId, status, severity: summary.severity, alerted: publish.ok });
  return { result: 'reported', status, decision: decision(publish.call) };
}
