import type { RemediationAction } from '../catalogue';
import type { ResponderSettings } from '../settings';
import * as blockAccountS3PublicAccess from './block-account-s3-public-access/grants';
import * as blockS3PublicAccess from './block-s3-public-access/grants';
import * as deactivateAccessKey from './deactivate-access-key/grants';
import * as enforceS3Tls from './enforce-s3-tls/grants';
import type { ActionGrant } from './grant-scope';
import * as isolateEc2Instance from './isolate-ec2-instance/grants';
import * as quarantineIamUser from './quarantine-iam-user/grants';
import * as revokePublicIngress from './revoke-public-ingress/grants';

export type { ActionGrant } from './grant-scope';

/** What each action's folder says outside the function bundles: its IAM grants and the reverse operations undo may replay. */
export interface RemediationGrants {
  grants(s: ResponderSettings): ActionGrant;
  reverseOperations: readonly string[];
}

/**
 * Every action's grants.ts, one entry per action (the type makes a missing one a compile error).
 * Imported by stacks/ and scripts/ only: the function entry points import ./index.ts, which must
 * not import this file, so the Lambda bundles do not carry the policy statements.
 */
export const GRANTS = {
  REVOKE_PUBLIC_INGRESS: revokePublicIngress,
  BLOCK_S3_PUBLIC_ACCESS: blockS3PublicAccess,
  BLOCK_ACCOUNT_S3_PUBLIC_ACCESS: blockAccountS3PublicAccess,
  ENFORCE_S3_TLS: enforceS3Tls,
  QUARANTINE_IAM_USER: quarantineIamUser,
  DEACTIVATE_ACCESS_KEY: deactivateAccessKey,
  ISOLATE_EC2_INSTANCE: isolateEc2Instance,
} satisfies Record<RemediationAction, RemediationGrants>;

/** The reverse operations (`service:Operation`) of every action, each once. */
export const REVERSE_OPERATIONS: ReadonlySet<string> = new Set(Object.values(GRANTS).flatMap((g) => [...g.reverseOperations]));
