import type { AwsPort } from '../aws';
import { decisionCalls, type Decision } from '../decision';
import type { Finding } from '../finding';
import { withFindingId, type Log } from '../log';
import { publishAlert, type PublishOutcome } from '../notify';
import { recordFields, recordUpdates, type FindingUpdate, type RecordOutcome } from '../record';
import type { ResponderSettings } from '../settings';
import { changed, findingAlert } from './alert';
import { judge, type Judgement } from './judge';

export { changed } from './alert';
export { ignoreReason, judge, remediate, type Judgement } from './judge';

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
}

/** The record step's update for one judged finding. */
export function updateOf(j: Judgement, now: Date): FindingUpdate {
  const c = j.classification!;
  const r = j.remediation!;
  const outcome = r.outcome ?? r.status;
  const note = [
    `${now.toISOString()} ${c.category}, ${c.severity}${c.escalate ? ', escalated' : ''}.`,
    // A warning goes before the summary: the note is cut at 512 characters and an isolation's summary is long.
    `${r.action} (${j.mode}): ${outcome}.${r.warnings?.length ? ` Warning: ${r.warnings.join('; ')}.` : ''} ${r.summary}`,
    r.error ? `Error: ${r.error}` : '',
    changed(r) ? `Undo: ${r.undo!.description} (${j.finding.format === 'ocsf' ? 'by hand: the requests are in the alert' : 'npm run undo'}).` : '',
  ].filter(Boolean).join(' ');
  return {
    finding: j.finding,
    region: j.settings.region,
    note,
    fields: recordFields(
      { category: c.category, action: r.action, outcome, time: now.toISOString() },
      changed(r) ? r.undo!.calls : [],
    ),
    workflow: r.outcome === 'REMEDIATED' ? 'RESOLVED' : 'NOTIFIED',
  };
}

function decisionOf(j: Judgement, record?: RecordOutcome, publish?: PublishOutcome, subject?: { subject: string; attributes: Record<string, string> }): Decision {
  return {
    findingId: j.finding.id,
    accountId: j.finding.accountId,
    region: j.finding.region,
    severity: j.classification?.severity ?? j.finding.severity,
    mode: j.mode,
    ignored: j.ignoredBecause !== undefined,
    reason: j.ignoredBecause ?? [j.remediation!.reason, ...j.classification!.reasons].join('; '),
    ...(j.classification ? { classification: { category: j.classification.category, escalate: j.classification.escalate } } : {}),
    ...(j.remediation
      ? { remediation: { action: j.remediation.action, status: j.remediation.status, ...(j.remediation.outcome ? { outcome: j.remediation.outcome } : {}), summary: j.remediation.summary } }
      : {}),
    ...(subject ? { notification: subject } : {}),
    calls: decisionCalls([...(j.remediation?.calls ?? []), record?.call, publish?.call]),
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
  const acted = judgements.filter((j) => !j.ignoredBecause);
  const records = await recordUpdates(acted.map((j) => updateOf(j, now)), aws, log);
  const handled: Handled[] = [];
  for (const j of judgements) {
    if (j.ignoredBecause) {
      handled.push({ judgement: j, decision: decisionOf(j) });
      continue;
    }
    const record = records.get(j.finding.id);
    const alert = findingAlert(j, record);
    const publish = await withFindingId(log, j.finding.id, async () => {
      const out = await publishAlert(aws, j.settings.alertTopicArn, alert, log);
      log.info('finding handled', { decision: { action: j.remediation!.action, outcome: j.remediation!.outcome ?? j.remediation!.status, recorded: record?.ok ?? false, alerted: out.ok } });
      return out;
    });
    handled.push({ judgement: j, record, publish, decision: decisionOf(j, record, publish, { subject: alert.subject, attributes: alert.attributes }) });
  }
  return handled;
}
