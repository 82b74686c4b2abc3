import type { Finding, ResourceRef } from '../finding';
import { PARTITION } from '../naming';

/** What Detective investigates: an IAM user or an IAM role (StartInvestigation takes no other entity). */
export interface InvestigationEntity {
  readonly arn: string;
  readonly type: 'IAM_USER' | 'IAM_ROLE';
  /** Which part of the finding named it, for the alert and the log. */
  readonly from: string;
}

export type EntityOf = { ok: true; entity: InvestigationEntity } | { ok: false; reason: string };

/** An IAM user or role ARN: path segments and names of IAM's own character set, nothing else. */
const IAM_PRINCIPAL_ARN = /^arn:aws:iam::(\d{12}):(user|role)((?:\/[\w+=,.@-]+)+)$/;
/** An IAM user or role name as IAM allows it (no path). */
const IAM_NAME = /^[\w+=,.@-]{1,128}$/;

function stringAt(x: unknown, path: readonly string[]): string | undefined {
  let v: unknown = x;
  for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The entity in the finding's own account: an ARN naming another account is refused, so a finding
 * can never point the investigation at an account it is not about.
 */
function fromArn(arn: string, finding: Finding, from: string): EntityOf {
  const m = IAM_PRINCIPAL_ARN.exec(arn);
  if (!m) return { ok: false, reason: `${from} is not an IAM user or role ARN: ${arn}` };
  if (m[1] !== finding.accountId) return { ok: false, reason: `${from} names account ${m[1]}, but the finding is of account ${finding.accountId}` };
  return { ok: true, entity: { arn, type: m[2] === 'user' ? 'IAM_USER' : 'IAM_ROLE', from } };
}

function fromName(kind: 'user' | 'role', name: string, finding: Finding, from: string): EntityOf {
  if (!IAM_NAME.test(name)) return { ok: false, reason: `${from} is not an IAM ${kind} name: ${name}` };
  return fromArn(`arn:${PARTITION}:iam::${finding.accountId}:${kind}/${name}`, finding, from);
}

/**
 * The access key's owner. GuardDuty's IAM findings name the principal on an AwsIamAccessKey
 * resource: PrincipalType IAMUser with the user's name, or AssumedRole with the role's name (and,
 * where the finding has it, the session issuer in SessionContext, preferred: it has the role's path).
 * Root and federated users are not entities Detective investigates.
 */
function fromAccessKey(r: ResourceRef, finding: Finding): EntityOf {
  const key = r.details.AwsIamAccessKey;
  const type = stringAt(key, ['PrincipalType']);
  if (type === 'IAMUser') {
    const name = stringAt(key, ['PrincipalName']) ?? stringAt(key, ['UserName']);
    if (!name) return { ok: false, reason: `the access key ${r.id} names no user (PrincipalName)` };
    return fromName('user', name, finding, `the access key ${r.id} (PrincipalType IAMUser)`);
  }
  if (type === 'AssumedRole') {
    const issuer = stringAt(key, ['SessionContext', 'SessionIssuer', 'Arn']);
    if (issuer) return fromArn(issuer, finding, `the access key ${r.id} (AssumedRole, session issuer)`);
    const issuerName = stringAt(key, ['SessionContext', 'SessionIssuer', 'UserName']);
    if (issuerName) return fromName('role', issuerName, finding, `the access key ${r.id} (AssumedRole, session issuer)`);
    // GuardDuty's findings carry no SessionContext: PrincipalName is the role's name (its userName
    // for an assumed role; PrincipalId is `AROA…:<session>`). A role with a path is not found under
    // this ARN: Detective refuses it, and the refusal is counted as a failure.
    const name = stringAt(key, ['PrincipalName']);
    if (name) return fromName('role', name, finding, `the access key ${r.id} (AssumedRole, PrincipalName)`);
    return { ok: false, reason: `the access key ${r.id} is of an assumed role whose role the finding does not name` };
  }
  return { ok: false, reason: `the access key ${r.id} belongs to a ${type ?? 'principal of no stated type'}; Detective investigates IAM users and roles only` };
}

function fromResource(r: ResourceRef, finding: Finding): EntityOf | undefined {
  switch (r.type) {
    case 'AwsIamUser':
      if (r.id.startsWith('arn:')) return fromArn(r.id, finding, `the AwsIamUser resource`);
      return fromName('user', stringAt(r.details, ['AwsIamUser', 'UserName']) ?? r.id, finding, `the AwsIamUser resource`);
    case 'AwsIamRole':
      if (r.id.startsWith('arn:')) return fromArn(r.id, finding, `the AwsIamRole resource`);
      return fromName('role', stringAt(r.details, ['AwsIamRole', 'RoleName']) ?? r.id, finding, `the AwsIamRole resource`);
    case 'AwsIamAccessKey':
      return fromAccessKey(r, finding);
    default:
      return undefined;
  }
}

/**
 * The actors of a GuardDuty attack sequence (ASFF `Detection.Sequence.Actors`, set by the provider;
 * BatchUpdateFindings cannot change it): an assumed role by its session issuer (documented as
 * CloudTrail's `sessionContext.sessionIssuer.arn`), an IAM user by its name in its account.
 * `User.Uid` is a principal id, not an ARN, and is not read.
 */
function fromActors(finding: Finding): EntityOf[] {
  const raw = finding.raw as Record<string, unknown> | undefined;
  const detection = raw?.Detection as { Sequence?: { Actors?: unknown } } | undefined;
  const actors = Array.isArray(detection?.Sequence?.Actors) ? (detection.Sequence.Actors as unknown[]) : [];
  return actors.map((actor, i): EntityOf => {
    const from = `the attack sequence's actor ${stringAt(actor, ['Id']) ?? i + 1}`;
    const issuer = stringAt(actor, ['Session', 'Issuer']);
    if (issuer) return fromArn(issuer, finding, `${from} (session issuer)`);
    const type = stringAt(actor, ['User', 'Type']);
    const name = stringAt(actor, ['User', 'Name']);
    const account = stringAt(actor, ['User', 'Account', 'Uid']);
    if (type !== 'IAMUser' || !name) return { ok: false, reason: `${from} is a ${type ?? 'principal of no stated type'} with no session issuer` };
    if (account !== undefined && account !== finding.accountId)
      return { ok: false, reason: `${from} is of account ${account}, but the finding is of account ${finding.accountId}` };
    return fromName('user', name, finding, `${from} (IAMUser)`);
  });
}

/**
 * The IAM user or role a credential-compromise finding is about: the first IAM resource that names
 * one; for an attack sequence, first its actors (the principal whose credentials the sequence
 * follows, a role by its session issuer's full ARN), then its resources, which may list other
 * principals it touched or a role's name without its path. The names come from the finding's
 * provider (GuardDuty reads them from CloudTrail); they only choose which entity of the finding's
 * own account a read-only investigation looks at.
 */
export function investigationEntity(finding: Finding): EntityOf {
  const problems: string[] = [];
  const resources = finding.resources.map((r) => fromResource(r, finding));
  const sequence = finding.guardDutyType?.startsWith('AttackSequence:') === true;
  const candidates = sequence ? [...fromActors(finding), ...resources] : [...resources, ...fromActors(finding)];
  for (const found of candidates) {
    if (found?.ok) return found;
    if (found) problems.push(found.reason);
  }
  if (problems.length > 0) return { ok: false, reason: problems.join('; ') };
  return { ok: false, reason: 'the finding names no IAM user, role or access key among its resources or attack-sequence actors' };
}
