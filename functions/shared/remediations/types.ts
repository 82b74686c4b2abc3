import type { RemediationAction } from '../catalogue';
import type { CallLog, RecordedCall } from '../aws';
import type { Finding } from '../finding';
import type { ResponderSettings } from '../settings';

/** What a remediation module needs to run on one finding. */
export interface RemediationContext {
  finding: Finding;
  settings: ResponderSettings;
  /** Reads and (recorded) writes. In dry-run the module must not call `aws.write` for a resource change. */
  aws: CallLog;
  /** Observe mode: read the live resource, report what would change, write nothing. */
  dryRun: boolean;
  now: Date;
}

/** How a person reverses what the action changed: a sentence and the exact reverse requests. */
export interface UndoRecord {
  description: string;
  calls: RecordedCall[];
}

export type RemediationResult =
  /**
   * Writes were made; `undo` reverses them. `warnings`: bookkeeping that did not happen (a tag on the
   * resource not written); the remediation itself stands, but a person must be told (alert, note, log).
   */
  | { outcome: 'REMEDIATED'; summary: string; undo: UndoRecord; warnings?: string[] }
  /** Observe mode: the live resource needs these changes; nothing was written. */
  | { outcome: 'WOULD_CHANGE'; summary: string; undo?: UndoRecord }
  /** The live resource is already compliant (idempotent second run). */
  | { outcome: 'NO_CHANGE'; summary: string }
  /** The live resource carries security-response:exempt=true. */
  | { outcome: 'EXEMPT'; summary: string }
  /**
   * An AWS error stopped it; `missingPermission` names the IAM action on AccessDenied. `undo` is
   * present when some writes had already been made before the error (it reverses just those).
   */
  | { outcome: 'FAILED'; summary: string; error: string; missingPermission?: string; undo?: UndoRecord };

export interface RemediationRunner<T> {
  run(target: T, ctx: RemediationContext): Promise<RemediationResult>;
}

/**
 * One catalogue action: a pure `select` (which findings, which resource; no AWS SDK imported)
 * and a lazily loaded runner, so a function loads the EC2 client only when a finding needs it.
 */
export interface RemediationModule<T = unknown> {
  action: RemediationAction;
  /** Why this action fits, for the decision's `reason` (e.g. "control EC2.19: security group open to the world"). */
  select(finding: Finding, settings: ResponderSettings): { target: T; reason: string } | undefined;
  load(): Promise<RemediationRunner<T>>;
}
