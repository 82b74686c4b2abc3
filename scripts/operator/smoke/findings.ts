import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { AwsPort } from '../../../functions/shared/aws';
import type { ActionOrNone, Severity } from '../../../functions/shared/catalogue';
import { IAM_EVENTS_REGION } from '../../../functions/shared/naming';
import { answerOf } from '../aws-answer';
import { PRIVATE_CIDR, SMOKE_PORT, SMOKE_TAG_KEY, WORLD_V4, WORLD_V6 } from './resources';

/**
 * The test findings, one per remediable kind, in ASFF as a custom integration imports them. Each
 * carries exactly the fields the responder's classifier and selectors key on (control id in
 * GeneratorId and ProductFields, resource type and details, GuardDuty type in Types), and the
 * resource state in Details, as Security Hub's own findings do, so the simulator can judge them.
 */

export type FindingKind = 'EC2.19' | 'S3.8' | 'GuardDuty IAMUser';

/**
 * The catalogue action each kind of test finding must trigger. The GuardDuty IAMUser finding is
 * imported under the account's own product and calls itself GuardDuty (a custom integration may set
 * ProductName): the responder must take no action on it, and the test user's key must stay Active.
 * Only GuardDuty's own findings (its ProductArn) may deactivate a key or quarantine a user, and no
 * import can produce one, so those two actions cannot be smoke-tested by import.
 */
export const INTENDED_ACTION: Record<FindingKind, ActionOrNone> = {
  'EC2.19': 'REVOKE_PUBLIC_INGRESS',
  'S3.8': 'BLOCK_S3_PUBLIC_ACCESS',
  'GuardDuty IAMUser': 'NONE',
};

export interface FindingContext {
  org: string;
  runId: string;
  accountId: string;
  region: string;
  /** At or above the account's notify threshold, or the responder's rule would not fire. */
  severity: Severity;
  now: Date;
}

/** What the smoke test created; a kind whose resource is missing gets no finding. */
export interface SmokeTargets {
  groupId?: string;
  groupName?: string;
  vpcId?: string;
  bucket?: string;
  userName?: string;
  accessKeyId?: string;
}

/** A test finding: built here, so its Id is always set. */
export type SmokeAsffFinding = AwsSecurityFinding & { Id: string };

export interface SmokeFinding {
  kind: FindingKind;
  /** The resource the row of the table names. */
  resource: string;
  finding: SmokeAsffFinding;
}

/** BatchImportFindings takes at most 100 findings a request. */
export const MAX_IMPORT = 100;

/** The default product of the account: what a custom integration imports under. */
export function productArn(region: string, accountId: string): string {
  return `arn:aws:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

const NORMALIZED: Record<Severity, number> = { INFORMATIONAL: 0, LOW: 20, MEDIUM: 40, HIGH: 70, CRITICAL: 90 };
const CONTROL_TYPES = ['Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices'];
const GUARDDUTY_TYPES = ['TTPs/Initial Access/UnauthorizedAccess:IAMUser-MaliciousIPCaller'];

function base(ctx: FindingContext, slug: string, types: string[], title: string, description: string): SmokeAsffFinding {
  const time = ctx.now.toISOString();
  return {
    SchemaVersion: '2018-10-08',
    // An ARN-shaped id names region and account, so `npm run undo -- <id>` works on it too.
    Id: `arn:aws:securityhub:${ctx.region}:${ctx.accountId}:${ctx.org}-smoke/${ctx.runId}/${slug}`,
    ProductArn: productArn(ctx.region, ctx.accountId),
    CompanyName: `${ctx.org} security-response`,
    ProductName: 'smoke test',
    GeneratorId: `${ctx.org}-smoke`,
    AwsAccountId: ctx.accountId,
    Region: ctx.region,
    Types: types,
    CreatedAt: time,
    UpdatedAt: time,
    FirstObservedAt: time,
    Severity: { Label: ctx.severity, Normalized: NORMALIZED[ctx.severity] },
    FindingProviderFields: { Severity: { Label: ctx.severity }, Types: types },
    Title: `SMOKE TEST ${ctx.runId}: ${title}`,
    Description: `Imported by npm run smoke (run ${ctx.runId}) to check the automated response; the resource was created for the test and is deleted when the test ends. ${description}`,
    Workflow: { Status: 'NEW' },
    RecordState: 'ACTIVE',
    ProductFields: { 'security-response/smoke': ctx.runId },
    Resources: [],
  };
}

function control(ctx: FindingContext, controlId: string, title: string, description: string): SmokeAsffFinding {
  const f = base(ctx, controlId.toLowerCase().replace('.', '-'), CONTROL_TYPES, title, description);
  // The classifier reads the control id from GeneratorId `security-control/<id>` (as consolidated
  // control findings carry it) or ProductFields.ControlId; both are open to a custom integration.
  return { ...f, GeneratorId: `security-control/${controlId}`, ProductFields: { ...f.ProductFields, ControlId: controlId }, Compliance: { Status: 'FAILED' } };
}

function smokeTags(ctx: FindingContext): Record<string, string> {
  return { Name: `${ctx.org}-smoke-${ctx.runId}`, [SMOKE_TAG_KEY]: ctx.runId };
}

/** One finding per created resource, in the order security group, bucket, access key. */
export function buildFindings(ctx: FindingContext, t: SmokeTargets): SmokeFinding[] {
  const out: SmokeFinding[] = [];
  if (t.groupId) {
    const f = control(
      ctx,
      'EC2.19',
      'Security groups should not allow unrestricted access to ports with high risk',
      `Security group ${t.groupId} allows port ${SMOKE_PORT} from ${WORLD_V4} and ${WORLD_V6}.`,
    );
    f.Resources = [
      {
        Type: 'AwsEc2SecurityGroup',
        Id: `arn:aws:ec2:${ctx.region}:${ctx.accountId}:security-group/${t.groupId}`,
        Partition: 'aws',
        Region: ctx.region,
        Tags: smokeTags(ctx),
        Details: {
          AwsEc2SecurityGroup: {
            GroupId: t.groupId,
            GroupName: t.groupName,
            OwnerId: ctx.accountId,
            VpcId: t.vpcId,
            IpPermissions: [
              {
                IpProtocol: 'tcp',
                FromPort: SMOKE_PORT,
                ToPort: SMOKE_PORT,
                IpRanges: [{ CidrIp: WORLD_V4 }, { CidrIp: PRIVATE_CIDR }],
                Ipv6Ranges: [{ CidrIpv6: WORLD_V6 }],
              },
            ],
          },
        },
      },
    ];
    out.push({ kind: 'EC2.19', resource: t.groupId, finding: f });
  }
  if (t.bucket) {
    const f = control(ctx, 'S3.8', 'S3 general purpose buckets should block public access', `Bucket ${t.bucket} has every Block Public Access setting off.`);
    f.Resources = [
      {
        Type: 'AwsS3Bucket',
        Id: `arn:aws:s3:::${t.bucket}`,
        Partition: 'aws',
        Region: ctx.region,
        Tags: smokeTags(ctx),
        Details: {
          AwsS3Bucket: {
            OwnerAccountId: ctx.accountId,
            PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
          },
        },
      },
    ];
    out.push({ kind: 'S3.8', resource: t.bucket, finding: f });
  }
  if (t.userName && t.accessKeyId) {
    const f = base(
      ctx,
      'iam-access-key',
      GUARDDUTY_TYPES,
      'API was invoked from a known malicious IP address (simulated)',
      `Access key ${t.accessKeyId} of IAM user ${t.userName}.`,
    );
    // Imported under our own product, GuardDuty-shaped by ProductName and Types, which a custom
    // integration may set: what anyone allowed BatchImportFindings could forge. It must change nothing.
    f.ProductName = 'GuardDuty';
    f.Resources = [
      {
        Type: 'AwsIamAccessKey',
        Id: `AWS::IAM::AccessKey:${t.accessKeyId}`,
        Partition: 'aws',
        Region: ctx.region,
        Details: { AwsIamAccessKey: { PrincipalType: 'IAMUser', PrincipalName: t.userName, AccessKeyId: t.accessKeyId, Status: 'Active' } },
      },
    ];
    out.push({ kind: 'GuardDuty IAMUser', resource: t.accessKeyId, finding: f });
  }
  return out;
}

/** The findings as EventBridge delivers them to the responder (`Security Hub Findings - Imported`). */
export function findingsEvent(findings: AwsSecurityFinding[], region: string, accountId: string, time: Date): Record<string, unknown> {
  return {
    version: '0',
    id: `smoke-${time.getTime()}`,
    'detail-type': 'Security Hub Findings - Imported',
    source: 'aws.securityhub',
    account: accountId,
    time: time.toISOString(),
    region,
    resources: findings.map((f) => `${f.ProductArn}/${f.Id}`),
    detail: { findings },
  };
}

/** Imports findings; any finding Security Hub refuses is an error naming it and why. */
export async function importFindings(aws: AwsPort, region: string, findings: AwsSecurityFinding[]): Promise<void> {
  for (let i = 0; i < findings.length; i += MAX_IMPORT) {
    const out = await answerOf(aws.client(SecurityHubClient, region).send(new BatchImportFindingsCommand({ Findings: findings.slice(i, i + MAX_IMPORT) })));
    const failed = out?.FailedFindings ?? [];
    if ((out?.FailedCount ?? 0) > 0 || failed.length > 0) {
      const why = failed.map((f) => `${f.Id}: ${f.ErrorCode} ${f.ErrorMessage}`).join('; ');
      throw Object.assign(new Error(`Security Hub refused ${out?.FailedCount ?? failed.length} finding(s): ${why}`), { failedIds: failed.map((f) => f.Id) });
    }
  }
}

/**
 * The same findings, ARCHIVED: how the owning product retires its findings. Workflow is left out:
 * after the responder's BatchUpdateFindings, the workflow belongs to it, not to the importer.
 */
export function archivedFindings(findings: AwsSecurityFinding[], now: Date): AwsSecurityFinding[] {
  return findings.map(({ Workflow: _workflow, ...f }) => ({ ...f, RecordState: 'ARCHIVED', UpdatedAt: now.toISOString() }));
}

/** The CloudTrail event the smoke test's CreateUser produces, as quarantine-user receives it (us-east-1). */
export function createUserEvent(accountId: string, userName: string, creator: { arn: string; roleArn?: string }, time: Date): Record<string, unknown> {
  const assumed = creator.arn.includes(':assumed-role/');
  return {
    version: '0',
    id: `smoke-create-user-${time.getTime()}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.iam',
    account: accountId,
    time: time.toISOString(),
    region: IAM_EVENTS_REGION,
    resources: [],
    detail: {
      eventVersion: '1.10',
      userIdentity: {
        type: assumed ? 'AssumedRole' : creator.arn.endsWith(':root') ? 'Root' : 'IAMUser',
        arn: creator.arn,
        accountId,
        ...(creator.roleArn ? { sessionContext: { sessionIssuer: { type: 'Role', arn: creator.roleArn, accountId } } } : {}),
      },
      eventTime: time.toISOString(),
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      awsRegion: IAM_EVENTS_REGION,
      sourceIPAddress: 'smoke-test',
      userAgent: 'security-response smoke test',
      requestParameters: { userName },
      responseElements: { user: { userName } },
      eventID: `smoke-create-user-${time.getTime()}`,
      recipientAccountId: accountId,
    },
  };
}
