import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetUserCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsPort } from '../../../functions/shared/aws';
import { IAM_EVENTS_REGION } from '../../../functions/shared/naming';
import { errorCode } from '../../../functions/shared/remediations/common';
import { answerOf } from '../aws-answer';
import type { Expected, QuarantineExpected } from './expect';
import type { SmokeFinding } from './findings';
import { PRIVATE_CIDR, SMOKE_PORT, WORLD_V4, WORLD_V6 } from './resources';
import { isAccessDenied, type FindingResponse, type QuarantineSeen } from './wait';

export type Result = 'PASS' | 'FAIL' | 'UNVERIFIED';

/** One line of the table: one check. */
export interface Row {
  kind: string;
  check: string;
  resource: string;
  expected: string;
  observed: string;
  result: Result;
}

const pass = (ok: boolean): Result => (ok ? 'PASS' : 'FAIL');

/** The finding: workflow and the outcome the responder recorded on it. */
export function checkFinding(s: SmokeFinding, expected: Expected, seen: FindingResponse | undefined, timeoutSeconds: number): Row {
  const want = `${expected.workflow}, ${expected.outcome} (${expected.action}, ${expected.mode})`;
  const row = { kind: s.kind, check: 'finding', resource: s.resource, expected: want };
  if (!seen) return { ...row, observed: `no response within ${timeoutSeconds}s`, result: 'FAIL' };
  const ok = seen.workflow === expected.workflow && seen.outcome === expected.outcome && (seen.action === undefined || seen.action === expected.action);
  return { ...row, observed: `${seen.workflow}, ${seen.outcome}${seen.action ? ` (${seen.action})` : ''}`, result: pass(ok) };
}

interface ResourceState {
  changed: boolean;
  unchanged: boolean;
  observed: string;
}

async function securityGroupState(aws: AwsPort, region: string, groupId: string): Promise<ResourceState> {
  const out = await answerOf(aws.client(EC2Client, region).send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] })));
  const rules = (out?.SecurityGroups?.[0]?.IpPermissions ?? []).filter(
    (p: { IpProtocol?: string; FromPort?: number; ToPort?: number }) =>
      p.IpProtocol === 'tcp' && p.FromPort !== undefined && p.FromPort <= SMOKE_PORT && p.ToPort !== undefined && p.ToPort >= SMOKE_PORT,
  );
  const cidrs: (string | undefined)[] = rules.flatMap((p: { IpRanges?: { CidrIp?: string }[]; Ipv6Ranges?: { CidrIpv6?: string }[] }) => [
    ...(p.IpRanges ?? []).map((r) => r.CidrIp),
    ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6),
  ]);
  const has = (c: string) => cidrs.includes(c);
  return {
    changed: !has(WORLD_V4) && !has(WORLD_V6) && has(PRIVATE_CIDR),
    unchanged: has(WORLD_V4) && has(WORLD_V6) && has(PRIVATE_CIDR),
    observed: `port ${SMOKE_PORT} from ${cidrs.length > 0 ? cidrs.join(', ') : 'nowhere'}`,
  };
}

async function bucketState(aws: AwsPort, region: string, bucket: string): Promise<ResourceState> {
  let config: Record<string, boolean | undefined> = {};
  try {
    config = ((await answerOf(aws.client(S3Client, region).send(new GetPublicAccessBlockCommand({ Bucket: bucket }))))?.PublicAccessBlockConfiguration ??
      {}) as Record<string, boolean | undefined>;
  } catch (error) {
    if (errorCode(error) !== 'NoSuchPublicAccessBlockConfiguration') throw error;
  }
  const on = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'].filter((k) => config[k] === true).length;
  return { changed: on === 4, unchanged: on === 0, observed: `Block Public Access ${on}/4 on` };
}

async function accessKeyState(aws: AwsPort, userName: string | undefined, accessKeyId: string): Promise<ResourceState> {
  if (userName === undefined) throw new Error(`no test user name to list the keys of (access key ${accessKeyId})`);
  const out = await answerOf(aws.client(IAMClient, IAM_EVENTS_REGION).send(new ListAccessKeysCommand({ UserName: userName })));
  const status = (out?.AccessKeyMetadata ?? []).find((k: { AccessKeyId?: string }) => k.AccessKeyId === accessKeyId)?.Status ?? 'missing';
  return { changed: status === 'Inactive', unchanged: status === 'Active', observed: `key ${status}` };
}

const EXPECTED_CHANGE: Record<SmokeFinding['kind'], [changed: string, unchanged: string]> = {
  'EC2.19': [
    `port ${SMOKE_PORT} closed to ${WORLD_V4} and ${WORLD_V6}, ${PRIVATE_CIDR} kept`,
    `unchanged: port ${SMOKE_PORT} from ${WORLD_V4}, ${PRIVATE_CIDR}, ${WORLD_V6}`,
  ],
  'S3.8': ['Block Public Access 4/4 on', 'unchanged: Block Public Access 0/4 on'],
  'GuardDuty IAMUser': ['key Inactive', 'unchanged: key Active'],
};

/** A read the operator's credentials may not allow is UNVERIFIED, not a failure of the responder. */
function unreadable(row: Omit<Row, 'observed' | 'result'>, error: unknown): Row {
  return { ...row, observed: `could not read: ${errorCode(error)}`, result: isAccessDenied(error) ? 'UNVERIFIED' : 'FAIL' };
}

/** The live resource: changed as the action says (enforce), or untouched (observe, off). */
export async function checkResource(aws: AwsPort, region: string, s: SmokeFinding, expected: Expected, userName?: string): Promise<Row> {
  const row = { kind: s.kind, check: 'resource', resource: s.resource, expected: EXPECTED_CHANGE[s.kind][expected.changes ? 0 : 1] };
  try {
    const state =
      s.kind === 'EC2.19'
        ? await securityGroupState(aws, region, s.resource)
        : s.kind === 'S3.8'
          ? await bucketState(aws, region, s.resource)
          : await accessKeyState(aws, userName, s.resource);
    return { ...row, observed: state.observed, result: pass(expected.changes ? state.changed : state.unchanged) };
  } catch (error) {
    return unreadable(row, error);
  }
}

/**
 * quarantine-user on the test user: enforce → the deny-all boundary is set and the user tagged (seen
 * while waiting); otherwise → its log line says the expected outcome, and the user has no quarantine
 * boundary.
 */
export async function checkQuarantine(
  aws: AwsPort,
  userName: string,
  policyArn: string,
  expected: QuarantineExpected,
  seen: QuarantineSeen | undefined,
  timeoutSeconds: number,
): Promise<Row[]> {
  const base = { kind: 'CreateUser', check: 'quarantine-user', resource: userName };
  if (expected.changes) {
    return [
      {
        ...base,
        expected: `deny-all boundary set (${expected.outcome})`,
        observed: seen && 'quarantined' in seen ? 'deny-all boundary set' : `not set within ${timeoutSeconds}s`,
        result: pass(!!seen && 'quarantined' in seen),
      },
    ];
  }
  const logged = `logged ${expected.outcome} (${expected.mode})`;
  const rows: Row[] = [];
  if (!seen) rows.push({ ...base, expected: logged, observed: `nothing logged within ${timeoutSeconds}s`, result: 'FAIL' });
  else if ('unverified' in seen) rows.push({ ...base, expected: logged, observed: seen.unverified, result: 'UNVERIFIED' });
  else if ('failed' in seen) rows.push({ ...base, expected: logged, observed: seen.failed, result: 'FAIL' });
  else if ('logged' in seen) rows.push({ ...base, expected: logged, observed: `logged ${seen.logged}`, result: pass(seen.logged === expected.outcome) });
  const resource = { kind: 'CreateUser', check: 'resource', resource: userName, expected: 'unchanged: no quarantine boundary' };
  try {
    const out = await answerOf(aws.client(IAMClient, IAM_EVENTS_REGION).send(new GetUserCommand({ UserName: userName })));
    const bounded = out?.User?.PermissionsBoundary?.PermissionsBoundaryArn === policyArn;
    rows.push({ ...resource, observed: bounded ? 'quarantine boundary set' : 'no quarantine boundary', result: pass(!bounded) });
  } catch (error) {
    rows.push(unreadable(resource, error));
  }
  return rows;
}
