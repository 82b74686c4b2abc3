import type { AwsPort } from '../aws';
import { decisionCalls, type Decision } from '../decision';
import type { Finding } from '../finding';
import { withFindingId, type Log } from '../log';
import { publishAlert, type PublishOutcome } from '../notify';
import { recordFields, recordUpdates, type FindingUpdate, type RecordOutcome } from '../record';
import type { ResponderSettings } from '../settings';
import { changed, findingAlert } from './alert';
import { judge, type ActedJudgement, type IgnoredJudgement, type Judgement } from './judge';
import { evidenceRecord, firstSeenAt } from '../evidence/record';
import { evidenceLine, writeEvidence, type EvidenceWrite } from '../evidence/write';

export { changed } from './alert';
export { ignoreReason, judge, remediate, type ActedJudgement, type IgnoredJudgement, type Judgement } from './judge';

export interface ResponseDeps {
  aws: AwsPort;
  log: Log;
  /** One clock reading for the whole event: the same time on every record of the batch. */
  now: Date;
}

/** A finding and the settings of the function that judges it (the simulator judges each with its own account's). */
export interface FindingItem {
  finding: Finding;
  settings: ResponderSettings;
}

export interface Handled {
  judgement: Judgement;
  record?: RecordOutcome;
  publish?: PublishOutcome;
  decision: Decision;
  /** Where the decision's evidence record went (findings acted on). */
  evidence?: EvidenceWrite;
}

/** The record step's update for one finding the function acted on. */
export function updateOf(j: ActedJudgement, now: Date): FindingUpdate {
  const { classification: c, remediation: r } = j;
  const outcome = r.outcome ?? r.status;
  const note = [
    `${now.toISOString()} ${c.category}, ${c.severity}${c.escalate ? ', escalated' : ''}.`,
    // A warning goes before the summary: the note is cut at 512 characters and an isolation's summary is long.
    `${r.action} (${j.mode}): ${outcome}.${r.warnings?.length ? ` Warning: ${r.warnings.join('; ')}.` : ''} ${r.summary}`,
    r.error ? `Error: ${r.error}` : '',
    changed(r) ? `Undo: ${r.undo.description} (${j.finding.format === 'ocsf' ? 'by hand: the requests are in the alert' : 'npm run undo'}).` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return {
    finding: j.finding,
    region: j.settings.region,
    note,
    fields: recordFields({ category: c.category, action: r.action, outcome, time: now.toISOString() }, changed(r) ? r.undo.calls : []),
    workflow: r.outcome === 'REMEDIATED' ? 'RESOLVED' : 'NOTIFIED',
  };
}

/** The decision for a finding left alone: nothing classified, run, recorded or sent. */
function ignoredDecision(j: IgnoredJudgement): Decision {
  return {
    findingId: j.finding.id,
    accountId: j.finding.accountId,
    region: j.finding.region,
    severity: j.finding.severity,
    mode: j.mode,
    ignored: true,
    reason: j.ignoredBecause,
    calls: [],
  };
}

/** The decision for a finding acted on: its classification, remediation, and every write made for it. */
function actedDecision(
  j: ActedJudgement,
  record: RecordOutcome | undefined,
  publish: PublishOutcome | undefined,
  subject: { subject: string; attributes: Record<string, string> },
): Decision {
  const { classification: c, remediation: r } = j;
  return {
    findingId: j.finding.id,
    accountId: j.finding.accountId,
    region: j.finding.region,
    severity: c.severity,
    mode: j.mode,
    ignored: false,
    reason: [r.reason, ...c.reasons].join('; '),
    classification: { category: c.category, escalate: c.escalate },
    remediation: { action: r.action, status: r.status, ...(r.outcome ? { outcome: r.outcome } : {}), summary: r.summary },
    notification: subject,
    calls: decisionCalls([...r.calls, record?.call, publish?.call]),
  };
}

/**
 * The `respond` pipeline over every finding of an event, in order: classify and remediate each
 * finding, record them all (one BatchUpdateFindings per group of up to 100 identical updates), then
 * notify once per finding. Nothing here throws for one finding's sake: each failure is logged,
 * recorded in the note where possible and said in that finding's alert.
 */
export async function respondToFindings(items: FindingItem[], deps: ResponseDeps): Promise<Handled[]> {
  const { aws, log, now } = deps;
  const judgements: Judgement[] = [];
  for (const { finding, settings } of items) {
    judgements.push(await withFindingId(log, finding.id, () => judge(finding, settings, aws, log, now)));
  }
  const acted = judgements.filter((j): j is ActedJudgement => j.kind === 'acted');
  const records = await recordUpdates(
    acted.map((j) => updateOf(j, now)),
    aws,
    log,
  );
  const handled: Handled[] = [];
  const evidence = (j: ActedJudgement, decision: Decision) =>
    writeEvidence(
      evidenceRecord(decision, {
        function: 'respond',
        organization: j.settings.organization,
        accountName: j.settings.accountName,
        productArn: j.finding.productArn,
        controlId: j.finding.controlId,
        firstSeenAt: firstSeenAt(j.finding),
        undo: changed(j.remediation) ? j.remediation.undo.calls : undefined,
        handledAt: now,
      }),
      j.settings,
      j.settings.region,
      aws,
      log,
    );
  for (const j of judgements) {
    // A finding left alone is no decision to act on: no write of any kind, evidence included.
    if (j.kind === 'ignored') {
      handled.push({ judgement: j, decision: ignoredDecision(j) });
      continue;
    }
    const r = j.remediation;
    const record = records.get(j.finding.id);
    const alert = findingAlert(j, record);
    // The record first, so the alert can say where it is (or that it is not there).
    const written = await evidence(j, actedDecision(j, record, undefined, { subject: alert.subject, attributes: alert.attributes }));
    alert.message = `${alert.message.trimEnd()}\n\n${evidenceLine(written)}\n`;
    const publish = await withFindingId(log, j.finding.id, async () => {
      const out = await publishAlert(aws, j.settings.alertTopicArn, alert, log);
      log.info('finding handled', { decision: { action: r.action, outcome: r.outcome ?? r.status, recorded: record?.ok ?? false, alerted: out.ok } });
      return out;
    });
    handled.push({
      judgement: j,
      record,
      publish,
      decision: actedDecision(j, record, publish, { subject: alert.subject, attributes: alert.attributes }),
      evidence: written,
    });
  }
  return handled;
}
