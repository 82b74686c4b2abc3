import { CallLog, type AwsPort, type RecordedCall } from '../aws';
import { severityRank, type AccountMode, type ActionMode, type ActionOrNone } from '../catalogue';
import { classify, type Classification } from '../classify';
import { STATUS_BY_OUTCOME, type RemediationStatus } from '../decision';
import type { Finding } from '../finding';
import type { Log } from '../log';
import { exemptSummary, isExempt } from '../remediations/common';
import { selectRemediation } from '../remediations';
import type { RemediationResult, UndoRecord } from '../remediations/types';
import type { ResponderSettings } from '../settings';

/** The remediation step's result for one finding. */
export interface RemediationReport {
  action: ActionOrNone;
  status: RemediationStatus;
  outcome?: RemediationResult['outcome'];
  summary: string;
  /** Why this action (the module's reason) or why none. */
  reason: string;
  undo?: UndoRecord;
  error?: string;
  missingPermission?: string;
  /** What did not happen beside the remediation itself (e.g. its tag not written); it still counts as done. */
  warnings?: string[];
  /** Resource write requests made (enforce) in order. */
  calls: RecordedCall[];
}

/**
 * Classify and remediate of one finding, before it is recorded and notified: either the function
 * leaves it alone (`ignored`: not classified, nothing run, not recorded, not alerted) or it acts
 * (`acted`: classified, the remediation step ran, even if only to say no action fits).
 * The fields absent from a state are typed `never` so both can be read (as undefined) before narrowing.
 */
export type Judgement = IgnoredJudgement | ActedJudgement;

/** A finding the function must leave alone (another account or region, already handled, below threshold). */
export interface IgnoredJudgement {
  kind: 'ignored';
  finding: Finding;
  settings: ResponderSettings;
  /** Why the function must leave this finding alone. */
  ignoredBecause: string;
  /** The account's mode: no action was chosen. */
  mode: AccountMode;
  classification?: never;
  remediation?: never;
}

/** A finding the function classified and ran the remediation step on; it is recorded and alerted. */
export interface ActedJudgement {
  kind: 'acted';
  finding: Finding;
  settings: ResponderSettings;
  ignoredBecause?: never;
  /** The chosen action's mode, or the account's when no action fits. */
  mode: AccountMode | ActionMode;
  classification: Classification;
  remediation: RemediationReport;
}

/**
 * Why a `respond` function must not act on this finding: another account or region than its own
 * (the security account also sees aggregated copies of every member's findings), not ACTIVE, not
 * NEW (our own updates come back as NOTIFIED or RESOLVED), or below the notify threshold.
 */
export function ignoreReason(finding: Finding, settings: ResponderSettings): string | undefined {
  if (finding.accountId !== settings.accountId) return `finding of account ${finding.accountId}; this function acts only for ${settings.accountId}`;
  if (finding.region !== settings.region) return `finding of region ${finding.region}; this function acts only in ${settings.region}`;
  if (finding.recordState !== 'ACTIVE') return `record state is ${finding.recordState}, not ACTIVE`;
  if (finding.workflowStatus !== 'NEW') return `workflow status is ${finding.workflowStatus}, not NEW: already handled`;
  if (severityRank(finding.severity) < severityRank(settings.notifyMinSeverity)) {
    return `severity ${finding.severity} is below the account's threshold ${settings.notifyMinSeverity}`;
  }
  return undefined;
}

/** Picks the catalogue action, applies the account's mode for it, and runs it (or its dry run). */
export async function remediate(finding: Finding, settings: ResponderSettings, aws: AwsPort, log: Log, now: Date): Promise<RemediationReport> {
  let selected: ReturnType<typeof selectRemediation>;
  try {
    selected = selectRemediation(finding, settings);
  } catch (error) {
    // A finding shaped in a way no selector expected: nothing is changed, a person looks.
    const message = `${(error as Error).name}: ${(error as Error).message}`;
    log.error('choosing a remediation failed', { error: message });
    return {
      action: 'NONE',
      status: 'NOT_APPLICABLE',
      outcome: 'FAILED',
      summary: 'Choosing a remediation failed on this finding: manual review.',
      reason: 'remediation selection failed',
      error: message,
      calls: [],
    };
  }
  if (!selected) {
    return {
      action: 'NONE',
      status: 'NOT_APPLICABLE',
      summary: 'No catalogue action fits this finding: manual review.',
      reason: 'no catalogue action fits this finding',
      calls: [],
    };
  }
  const { module, target, reason } = selected;
  const action = module.action;
  const mode = settings.actions[action];
  if (mode === 'off') {
    return {
      action,
      status: 'DISABLED',
      summary: `${action} is off for this account: manual review.`,
      reason: `${reason}; ${action} is off for this account`,
      calls: [],
    };
  }
  const exemptResource = finding.resources.find((r) => isExempt(r.tags));
  if (exemptResource) {
    return { action, status: 'EXEMPT', outcome: 'EXEMPT', summary: exemptSummary(exemptResource.id), reason: `${reason}; resource is exempt`, calls: [] };
  }
  // Observe mode reads through a read-only log: a write is refused before it leaves the function.
  const calls = new CallLog(aws, mode !== 'enforce');
  let result: RemediationResult;
  try {
    const runner = await module.load();
    result = await runner.run(target, { finding, settings, aws: calls, dryRun: mode !== 'enforce', now });
  } catch (error) {
    // A module bug must not stop the batch; the finding stays NOTIFIED and the alert says so.
    result = { outcome: 'FAILED', summary: `${action} failed unexpectedly.`, error: `${(error as Error).name}: ${(error as Error).message}` };
  }
  const report: RemediationReport = {
    action,
    status: STATUS_BY_OUTCOME[result.outcome],
    outcome: result.outcome,
    summary: result.summary,
    reason,
    calls: calls.calls,
  };
  if ('undo' in result && result.undo) report.undo = result.undo;
  if (result.outcome === 'REMEDIATED' && result.warnings && result.warnings.length > 0) {
    report.warnings = result.warnings;
    log.warn('remediation warning', { action, warnings: result.warnings });
  }
  if (result.outcome === 'FAILED') {
    report.error = result.error;
    if (result.missingPermission) report.missingPermission = result.missingPermission;
    log.error('remediation failed', { action, error: result.error, missingPermission: result.missingPermission });
  } else {
    log.info('remediation', { action, mode, outcome: result.outcome, summary: result.summary });
  }
  return report;
}

/** Classify → remediate for one finding (record and notify happen per batch, after every finding is judged). */
export async function judge(finding: Finding, settings: ResponderSettings, aws: AwsPort, log: Log, now: Date): Promise<Judgement> {
  const ignoredBecause = ignoreReason(finding, settings);
  if (ignoredBecause) {
    log.info('finding ignored', { reason: ignoredBecause });
    return { kind: 'ignored', finding, settings, ignoredBecause, mode: settings.mode };
  }
  let classification: Classification;
  try {
    classification = classify(finding, settings);
  } catch (error) {
    // Never lose a finding to a classifier bug: it goes to a person at its reported severity.
    classification = {
      category: 'other',
      escalate: true,
      severity: finding.severity,
      reasons: [`classification failed (${(error as Error).message}): escalated for a person`],
    };
  }
  log.info('finding classified', {
    category: classification.category,
    severity: classification.severity,
    escalate: classification.escalate,
    reasons: classification.reasons,
  });
  const remediation = await remediate(finding, settings, aws, log, now);
  const mode = remediation.action === 'NONE' ? settings.mode : settings.actions[remediation.action];
  return { kind: 'acted', finding, settings, mode, classification, remediation };
}
