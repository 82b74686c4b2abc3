import type { AccountMode, ActionMode, ActionOrNone, Severity } from './catalogue';
import type { RecordedCall } from './aws';
import type { RemediationResult } from './remediations/types';
import type { Category } from './classify';

/** What happened to the remediation of one finding, as the simulator prints it (docs/architecture.md, "Simulator output"). */
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
  calls: DecisionCall[];
  /**
   * Simulator only: what the security account's router does with the alert (sent at once, or held for
   * its window's digest) and the e-mail and chat publishes it makes.
   */
  routing?: { admission: 'now' | 'held' | 'duplicate'; calls: DecisionCall[] };
}

/** A write request as the decision shows it: the region is the function's own. */
export type DecisionCall = Omit<RecordedCall, 'region'>;

/** The writes a decision lists, in order, from the recorded calls (undefined entries skipped). */
export function decisionCalls(calls: (RecordedCall | undefined)[]): DecisionCall[] {
  return calls.filter((c): c is RecordedCall => c !== undefined).map(({ service, operation, input }) => ({ service, operation, input }));
}

/** A remediation module's outcome → the status the decision reports. */
export const STATUS_BY_OUTCOME: Record<RemediationResult['outcome'], RemediationStatus> = {
  REMEDIATED: 'PLANNED',
  FAILED: 'PLANNED',
  WOULD_CHANGE: 'OBSERVE_ONLY',
  NO_CHANGE: 'NOT_APPLICABLE',
  EXEMPT: 'EXEMPT',
};
