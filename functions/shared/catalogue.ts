/**
 * The vocabulary shared by the configuration, the stacks and the functions:
 * remediation actions, modes and severities. One definition, imported everywhere.
 */

/** Remediation catalogue v1 (docs/architecture.md, "Remediation catalogue"). `NONE` means manual review. */
export const REMEDIATION_ACTIONS = [
  'REVOKE_PUBLIC_INGRESS',
  'BLOCK_S3_PUBLIC_ACCESS',
  'BLOCK_ACCOUNT_S3_PUBLIC_ACCESS',
  'ENFORCE_S3_TLS',
  'QUARANTINE_IAM_USER',
  'DEACTIVATE_ACCESS_KEY',
  'ISOLATE_EC2_INSTANCE',
] as const;
export type RemediationAction = (typeof REMEDIATION_ACTIONS)[number];
export type ActionOrNone = RemediationAction | 'NONE';

/** Account-wide switch: `observe` never writes to a resource, whatever the per-action settings say. */
export const ACCOUNT_MODES = ['observe', 'enforce'] as const;
export type AccountMode = (typeof ACCOUNT_MODES)[number];

/** Per-action setting. */
export const ACTION_MODES = ['off', 'observe', 'enforce'] as const;
export type ActionMode = (typeof ACTION_MODES)[number];

/** ASFF severity labels, lowest first. */
export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** Severities at or above `min`, lowest first (event patterns, subscription filter policies). */
export function severitiesAtOrAbove(min: Severity): Severity[] {
  return SEVERITIES.slice(severityRank(min));
}

/**
 * The effective mode of one action in one account. The account mode is the master switch:
 * an account in `observe` never gets `enforce`, so flipping one account back to observe is
 * always enough to stop every write there.
 */
export function effectiveActionMode(accountMode: AccountMode, actionSetting: ActionMode | undefined): ActionMode {
  const setting = actionSetting ?? accountMode;
  if (setting === 'off') return 'off';
  return accountMode === 'observe' ? 'observe' : setting;
}
