import {
  BatchUpdateFindingsCommand,
  BatchUpdateFindingsV2Command,
  SecurityHubClient,
  type BatchUpdateFindingsCommandOutput,
  type BatchUpdateFindingsV2CommandOutput,
} from '@aws-sdk/client-securityhub';
import { CallLog, type AwsPort, type RecordedCall } from './aws';
import type { Finding } from './finding';
import type { Log } from './log';
import { NOTE_AUTHOR, TAG_PREFIX } from './naming';
import { OCSF_STATUS_ID } from './events/ocsf';
import { encodeUndo } from './undo';

/** BatchUpdateFindings takes at most 100 finding identifiers a request. */
export const MAX_FINDINGS_PER_UPDATE = 100;
/** Security Hub caps a note at 512 characters and a user-defined field value at 1,024. */
export const MAX_NOTE_CHARS = 512;
const MAX_FIELD_CHARS = 1024;

/** What the record step writes on one finding. */
export interface FindingUpdate {
  finding: Finding;
  /** Region of the hub that holds the finding (the function's own, or the aggregation region for escalate). */
  region: string;
  note: string;
  /** ASFF user-defined fields; OCSF findings have none (V2 takes a comment and a status only). */
  fields: Record<string, string>;
  /** NOTIFIED, or RESOLVED after a successful remediation; undefined leaves the workflow as it is. */
  workflow?: 'NOTIFIED' | 'RESOLVED';
}

export interface RecordOutcome {
  ok: boolean;
  error?: string;
  /** The BatchUpdateFindings(V2) request that carried this finding. */
  call?: RecordedCall;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `security-response:<name>` user-defined fields, plus the undo record when something was changed. */
export function recordFields(values: Record<string, string>, undo: RecordedCall[] = []): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) fields[`${TAG_PREFIX}${k}`] = truncate(v, MAX_FIELD_CHARS);
  try {
    Object.assign(fields, encodeUndo(undo));
  } catch (error) {
    fields[`${TAG_PREFIX}undo`] = `not stored on the finding (${(error as Error).message}); see the function's log`;
  }
  return fields;
}

interface Batch {
  region: string;
  format: Finding['format'];
  command: BatchUpdateFindingsCommand | BatchUpdateFindingsV2Command;
  findings: Finding[];
}

/** BatchUpdateFindingsV2 names a finding by its metadata uid; the OCSF parser refuses a finding without one. */
function metadataUidOf(f: Finding): string {
  if (f.metadataUid === undefined) throw new Error(`OCSF finding ${f.id} has no metadata uid`);
  return f.metadataUid;
}

/**
 * One request carries one note, one set of fields and one status for all its findings, so findings
 * are grouped by identical update, then chunked by 100: a batch of findings with the same outcome
 * costs one call, and no finding ever costs more than one.
 */
export function batchUpdates(updates: FindingUpdate[]): Batch[] {
  const groups = new Map<string, FindingUpdate[]>();
  for (const u of updates) {
    const key = JSON.stringify([u.region, u.finding.format, u.note, u.fields, u.workflow ?? '']);
    const group = groups.get(key) ?? [];
    group.push(u);
    groups.set(key, group);
  }
  const batches: Batch[] = [];
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; i += MAX_FINDINGS_PER_UPDATE) {
      const chunk = group.slice(i, i + MAX_FINDINGS_PER_UPDATE);
      const { region, note, fields, workflow, finding } = chunk[0];
      const findings = chunk.map((u) => u.finding);
      const command =
        finding.format === 'asff'
          ? new BatchUpdateFindingsCommand({
              FindingIdentifiers: findings.map((f) => ({ Id: f.id, ProductArn: f.productArn })),
              Note: { Text: truncate(note, MAX_NOTE_CHARS), UpdatedBy: NOTE_AUTHOR },
              ...(Object.keys(fields).length > 0 ? { UserDefinedFields: fields } : {}),
              ...(workflow ? { Workflow: { Status: workflow } } : {}),
            })
          : new BatchUpdateFindingsV2Command({
              MetadataUids: findings.map(metadataUidOf),
              Comment: truncate(`${NOTE_AUTHOR}: ${note}`, MAX_NOTE_CHARS),
              ...(workflow ? { StatusId: OCSF_STATUS_ID[workflow] } : {}),
            });
      batches.push({ region, format: finding.format, command, findings });
    }
  }
  return batches;
}

/**
 * Sends the updates. A failed request or an unprocessed finding is reported per finding (and
 * logged); it never stops the other batches or the notify step.
 */
export async function recordUpdates(updates: FindingUpdate[], aws: AwsPort, log: Log): Promise<Map<string, RecordOutcome>> {
  const outcomes = new Map<string, RecordOutcome>();
  for (const batch of batchUpdates(updates)) {
    const calls = new CallLog(aws);
    const operation = batch.format === 'asff' ? 'securityhub:BatchUpdateFindings' : 'securityhub:BatchUpdateFindingsV2';
    try {
      // A test double behind the port may answer nothing at all.
      const out = (await calls.write(SecurityHubClient, batch.region, batch.command)) as
        BatchUpdateFindingsCommandOutput | BatchUpdateFindingsV2CommandOutput | undefined;
      const call = calls.calls[0];
      const unprocessed = new Map<string, string>();
      for (const u of (out?.UnprocessedFindings ?? []) as {
        FindingIdentifier?: { Id?: string; FindingInfoUid?: string };
        MetadataUid?: string;
        ErrorCode?: string;
        ErrorMessage?: string;
      }[]) {
        const id = u.FindingIdentifier?.Id ?? u.FindingIdentifier?.FindingInfoUid ?? batch.findings.find((f) => f.metadataUid === u.MetadataUid)?.id;
        if (id) unprocessed.set(id, `${u.ErrorCode ?? 'Unprocessed'}: ${u.ErrorMessage ?? 'no message'}`);
      }
      for (const f of batch.findings) {
        const error = unprocessed.get(f.id);
        if (error) log.error('finding not updated', { findingId: f.id, operation, error });
        outcomes.set(f.id, error ? { ok: false, error, call } : { ok: true, call });
      }
    } catch (e) {
      const error = `${(e as Error).name}: ${(e as Error).message}`;
      log.error('finding update failed', { operation, error, findingIds: batch.findings.map((f) => f.id) });
      for (const f of batch.findings) outcomes.set(f.id, { ok: false, error, call: calls.calls[0] });
    }
  }
  return outcomes;
}
