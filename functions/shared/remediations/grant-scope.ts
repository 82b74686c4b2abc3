import { PARTITION, TAG_PREFIX } from '../naming';
import type { ResponderSettings } from '../settings';
import type { PolicyStatement } from '../../../stacks/constructs/policy';

/**
 * What each folder's grants.ts builds: the statements one catalogue action needs, reads (observe
 * and enforce) and writes (enforce only). Imported by stacks/ only (through ./grants.ts), never by
 * a function entry point, so the Lambda bundles do not carry them.
 */
export interface ActionGrant {
  read: PolicyStatement[];
  write: PolicyStatement[];
}

/** Tag writes limited to our own keys. */
export const tagKeysOurs = { 'ForAllValues:StringLike': { 'aws:TagKeys': `${TAG_PREFIX}*` } };

/** The resource ARNs a grant is scoped to: this account and region. */
export function grantScope(s: ResponderSettings) {
  const { accountId: acct, region } = s;
  return {
    acct,
    ec2: (type: string) => `arn:${PARTITION}:ec2:${region}:${acct}:${type}/*`,
    iamUser: `arn:${PARTITION}:iam::${acct}:user/*`,
    bucket: `arn:${PARTITION}:s3:::*`,
  };
}
