import type { AccountMode, ActionMode, ActionOrNone, Severity } from './catalogue';
import type { RecordedCall } from './aws';
import type { Category } from './classify';

/** What happened to the remediation of one finding, as the simulator prints it (SYSTEM.md). */
export type RemediationStatus = 'PLANNED' | 'OBSERVE_ONLY' | 'EXEMPT' | 'DISABLED' | 'NOT_APPLICABLE';

/**
 * One decision per finding (or per CreateUser event): the deployed functions log it, the
 * simulator prints it. `calls` are the AWS write requests, exactly as the SDK commands received them.
 */
export interface Decision {
  findingId: string;
  accountId: string;
  region: string;
  severity: Severity;
  mode: AccountMode | ActionMode;
  ignored: boolean;
  reason: string;
  classification?: { category: Category; escalate: boolean };
  remediation?: {
    action: ActionOrNone;
    status: RemediationStatus;
    /** What the module reported (REMEDIATED, WOULD_CHANGE, NO_CHANGE, EXEMPT, FAILED); absent when no module ran. */
    outcome?: string;
    summary: string;
  };
  notification?: { subject: string; attributes: Record<string, string> };
  calls: Omit<RecordedCall, 'region'>[] | RecordedCall[];
}
