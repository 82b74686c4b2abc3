/**
 * Rules for `accounts[].quarantine.trustedCreators`. quarantine-user matches these patterns only on
 * identities the caller cannot choose (functions/shared/quarantine unchosenIdentity): the role ARN of
 * an assumed-role session's issuer, an IAM user's ARN, the root user's ARN. A pattern that could only
 * ever match something else is refused here, with the fix, rather than silently trusting nobody or,
 * worse, a name the caller picks.
 */

/** The shape quarantine-user can match: an IAM role, user or root ARN, `*` allowed in the account and the name. */
// Hand-written, not @aws-sdk/util-arn-parser: these are glob patterns (`*` in the account and names), not ARNs, and parse checks no part's shape.
export const TRUSTED_CREATOR_SHAPE = /^arn:aws:iam::(\d{12}|\*):(root|(role|user)\/[\w+=,.@*/-]+)$/;

const STS_SESSION = /^arn:aws[\w-]*:sts::([^:]*):assumed-role\/([^/]+)\//;

/** Why a trustedCreators pattern is refused, or undefined when it is fine. */
export function trustedCreatorProblem(pattern: string): string | undefined {
  if (/^arn:aws[\w-]*:sts:/.test(pattern)) {
    // Session ARNs end in the session name, which whoever calls AssumeRole chooses (ci-* included).
    const session = STS_SESSION.exec(pattern);
    const role = session ? `arn:aws:iam::${session[1]}:role/${session[2]}` : 'arn:aws:iam::<acct>:role/<name>';
    return `${pattern} is an STS session pattern: the session name in it is chosen by the caller, so it could match anyone allowed to assume the role; use the role ARN ${role} (with the role's path, if it has one)`;
  }
  const shape = TRUSTED_CREATOR_SHAPE.exec(pattern);
  if (!shape) {
    return `${pattern} is not an IAM role, user or root ARN pattern: use arn:aws:iam::<acct>:role/<path/name> or arn:aws:iam::<acct>:user/<path/name> (glob * allowed in the name)`;
  }
  const [, account, resource] = shape;
  const name = resource.includes('/') ? resource.slice(resource.indexOf('/') + 1) : '';
  if (resource !== 'root' && /^[*/]+$/.test(name)) {
    // A bare `*` trusts every role (or user) there: whoever can create one can create users freely.
    const kind = resource.startsWith('role/') ? 'role' : 'user';
    const where = account === '*' ? 'every account' : `account ${account}`;
    return `${pattern} trusts every ${kind} in ${where}: name the ${kind} (arn:aws:iam::<acct>:${kind}/<name>) or a name prefix such as ${kind}/ci-*`;
  }
  return undefined;
}
