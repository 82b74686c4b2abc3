import type { RemediationAction } from '../catalogue';
import type { Finding } from '../finding';
import type { ResponderSettings } from '../settings';
import { selectBlockAccountS3PublicAccess } from './block-account-s3-public-access/select';
import { selectBlockS3PublicAccess } from './block-s3-public-access/select';
import { selectDeactivateAccessKey } from './deactivate-access-key/select';
import { selectEnforceS3Tls } from './enforce-s3-tls/select';
import { selectIsolateEc2Instance } from './isolate-ec2-instance/select';
import { selectQuarantineIamUser } from './quarantine-iam-user/select';
import { selectRevokePublicIngress } from './revoke-public-ingress/select';
import type { RemediationModule, RemediationRunner } from './types';

/**
 * The remediation catalogue (docs/architecture.md, "Remediation catalogue"), in the order actions are
 * tried, most specific first: for a GuardDuty IAMUser finding that names a long-term key, deactivating
 * the key comes before quarantining the user. Each action exactly once (a repeat or an omission does
 * not compile, see below). Runners load lazily so a function loads an SDK client only when a finding
 * needs it. IAM grants and reverse operations live beside them in each folder's grants.ts, assembled
 * in ./grants.ts, which only stacks/ and scripts/ import (not the function bundles).
 */
export const CATALOGUE = [
  { action: 'REVOKE_PUBLIC_INGRESS', select: selectRevokePublicIngress, load: () => import('./revoke-public-ingress/run').then((m) => m.runner) },
  { action: 'BLOCK_S3_PUBLIC_ACCESS', select: selectBlockS3PublicAccess, load: () => import('./block-s3-public-access/run').then((m) => m.runner) },
  {
    action: 'BLOCK_ACCOUNT_S3_PUBLIC_ACCESS',
    select: selectBlockAccountS3PublicAccess,
    load: () => import('./block-account-s3-public-access/run').then((m) => m.runner),
  },
  { action: 'ENFORCE_S3_TLS', select: selectEnforceS3Tls, load: () => import('./enforce-s3-tls/run').then((m) => m.runner) },
  { action: 'DEACTIVATE_ACCESS_KEY', select: selectDeactivateAccessKey, load: () => import('./deactivate-access-key/run').then((m) => m.runner) },
  { action: 'QUARANTINE_IAM_USER', select: selectQuarantineIamUser, load: () => import('./quarantine-iam-user/run').then((m) => m.runner) },
  { action: 'ISOLATE_EC2_INSTANCE', select: selectIsolateEc2Instance, load: () => import('./isolate-ec2-instance/run').then((m) => m.runner) },
] as const;

type Catalogue = typeof CATALOGUE;
/** The catalogue's actions, in order. */
type ActionsOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: T[K] extends { action: infer A } ? A : never };
export type CatalogueOrder = ActionsOf<Catalogue>;
/** The module of one action. */
export type RemediationOf<A extends RemediationAction> = Extract<Catalogue[number], { action: A }>;

/** True when the tuple names no action twice. */
type NoRepeats<T extends readonly unknown[]> = T extends readonly [infer H, ...infer R] ? (H extends R[number] ? false : NoRepeats<R>) : true;
/** True when every action is named. */
type Complete<T extends readonly unknown[]> = [Exclude<RemediationAction, T[number]>] extends [never] ? true : false;
/** True when what `select` picks is what the loaded runner takes. */
type TargetsAgree<M> = M extends { select: (...args: never[]) => { target: infer S } | undefined; load: () => Promise<RemediationRunner<infer R>> }
  ? [S] extends [R]
    ? [R] extends [S]
      ? true
      : false
    : false
  : false;
type AllAgree<T extends readonly unknown[]> = { [K in keyof T]: TargetsAgree<T[K]> }[number] extends true ? true : false;
type Holds<T extends true> = T;
/** Compile-time checks on CATALOGUE, no runtime code (the function bundles stay as they were). */
export type CatalogueChecks = [
  Holds<Catalogue extends readonly RemediationModule[] ? true : false>,
  Holds<NoRepeats<CatalogueOrder>>,
  Holds<Complete<CatalogueOrder>>,
  Holds<AllAgree<Catalogue>>,
];

/**
 * Every action's module by name; its type lists every RemediationAction (from CATALOGUE, checked
 * complete above). Marked pure: a function bundle that does not use it leaves it out.
 */
export const REMEDIATIONS = /* @__PURE__ */ Object.fromEntries(CATALOGUE.map((m) => [m.action, m])) as { [A in RemediationAction]: RemediationOf<A> };

/** The order in which actions are tried: CATALOGUE's actions. */
export const CATALOGUE_ORDER: readonly RemediationAction[] = /* @__PURE__ */ CATALOGUE.map((m) => m.action);

export function selectRemediation(finding: Finding, settings: ResponderSettings) {
  for (const module of CATALOGUE as readonly RemediationModule[]) {
    const selected = module.select(finding, settings);
    if (selected) return { module, target: selected.target, reason: selected.reason };
  }
  return undefined;
}
