/**
 * Whole EventBridge events for the handler tests (respond, quarantine-user, escalate) and the
 * property test, shaped like AWS's documented samples (docs/aws-facts.md): ASFF `Security Hub
 * Findings - Imported`, OCSF `Findings Imported V2`, `Security Hub Findings - Custom Action` and
 * CloudTrail `CreateUser`. Every builder returns plain JSON (what Lambda hands the handler), and
 * every finding gets its own Id so that several findings can share one event.
 */
import type { Severity } from '../../../../functions/shared/catalogue';
import type { Log } from '../../../../functions/shared/log';

export const ACCOUNT = '333333333333';
export const OTHER_ACCOUNT = '444444444444';
export const SECURITY_ACCOUNT = '222222222222';
export const REGION = 'eu-west-1';
export const OTHER_REGION = 'eu-central-1';
export const EVENT_TIME = '2026-03-14T08:50:07Z';

type Json = Record<string, any>;

let counter = 0;
/** A fresh uuid-looking suffix, so no two findings built in one test share an Id. */
function uid(): string {
  counter += 1;
  return `6d6a26ab-a156-48f0-9403-${counter.toString(16).padStart(12, '0')}`;
}

export interface Where {
  account?: string;
  region?: string;
}

export interface AsffOptions extends Where {
  severity?: Severity;
  workflow?: string;
  recordState?: string;
  title?: string;
  tags?: Record<string, string>;
  id?: string;
}

export const SG = 'sg-0c1d2e3f4a5b6c7d8';
export const BUCKET = 'payments-settlement-exports-333333333333';
export const INSTANCE = 'i-0a1b2c3d4e5f67890';

/** The EC2.19 security group of examples/events: 22 open to 0.0.0.0/0, 10.0.0.0/8 and ::/0; 443 open to 0.0.0.0/0. */
export const SSH_WORLD_AND_PRIVATE = {
  IpProtocol: 'tcp',
  FromPort: 22,
  ToPort: 22,
  IpRanges: [{ CidrIp: '0.0.0.0/0' }, { CidrIp: '10.0.0.0/8' }],
  Ipv6Ranges: [{ CidrIpv6: '::/0' }],
  UserIdGroupPairs: [],
  PrefixListIds: [],
};
export const HTTPS_WORLD = {
  IpProtocol: 'tcp',
  FromPort: 443,
  ToPort: 443,
  IpRanges: [{ CidrIp: '0.0.0.0/0' }],
  Ipv6Ranges: [],
  UserIdGroupPairs: [],
  PrefixListIds: [],
};

export function securityGroupResource(where: Where = {}, groupId = SG, tags?: Record<string, string>): Json {
  const account = where.account ?? ACCOUNT;
  const region = where.region ?? REGION;
  return {
    Type: 'AwsEc2SecurityGroup',
    Id: `arn:aws:ec2:${region}:${account}:security-group/${groupId}`,
    Partition: 'aws',
    Region: region,
    ...(tags ? { Tags: tags } : {}),
    Details: {
      AwsEc2SecurityGroup: {
        GroupId: groupId,
        GroupName: 'payments-api-bastion',
        VpcId: 'vpc-0a9b8c7d6e5f40312',
        OwnerId: account,
        IpPermissions: [SSH_WORLD_AND_PRIVATE, HTTPS_WORLD],
      },
    },
  };
}

export function bucketResource(where: Where = {}, bucket = BUCKET, tags?: Record<string, string>): Json {
  return {
    Type: 'AwsS3Bucket',
    Id: `arn:aws:s3:::${bucket}`,
    Partition: 'aws',
    Region: where.region ?? REGION,
    ...(tags ? { Tags: tags } : {}),
    Details: {
      AwsS3Bucket: {
        OwnerId: 'a1b2c3',
        PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
      },
    },
  };
}

export function instanceResource(where: Where = {}, instanceId = INSTANCE): Json {
  const region = where.region ?? REGION;
  return {
    Type: 'AwsEc2Instance',
    Id: `arn:aws:ec2:${region}:${where.account ?? ACCOUNT}:instance/${instanceId}`,
    Partition: 'aws',
    Region: region,
    Details: { AwsEc2Instance: { Type: 't3.medium', VpcId: 'vpc-0a9b8c7d6e5f40312', NetworkInterfaces: [{ NetworkInterfaceId: 'eni-0123456789abcdef0' }] } },
  };
}

export function accessKeyResource(userName = 'ci-deploy-bot', keyId = 'AKIAVRUVRQ7EXAMPLE42', where: Where = {}): Json {
  return {
    Type: 'AwsIamAccessKey',
    Id: `AWS::IAM::AccessKey:${keyId}`,
    Partition: 'aws',
    Region: where.region ?? REGION,
    Details: { AwsIamAccessKey: { PrincipalId: 'AIDAVRUVRQ7EXAMPLEB3C', PrincipalType: 'IAMUser', PrincipalName: userName } },
  };
}

/** A consolidated Security Hub control finding (Compliance.SecurityControlId, GeneratorId security-control/<id>). */
export function controlFinding(controlId: string, resources: Json[], o: AsffOptions = {}): Json {
  const account = o.account ?? ACCOUNT;
  const region = o.region ?? REGION;
  const severity = o.severity ?? 'HIGH';
  return {
    SchemaVersion: '2018-10-08',
    Id: o.id ?? `arn:aws:securityhub:${region}:${account}:security-control/${controlId}/finding/${uid()}`,
    ProductArn: `arn:aws:securityhub:${region}::product/aws/securityhub`,
    ProductName: 'Security Hub',
    CompanyName: 'AWS',
    Region: region,
    GeneratorId: `security-control/${controlId}`,
    AwsAccountId: account,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    CreatedAt: '2026-03-14T08:49:00.000Z',
    UpdatedAt: '2026-03-14T08:50:00.000Z',
    Severity: { Label: severity, Original: severity },
    Title: o.title ?? `${controlId} control failed`,
    Description: `This control checks ${controlId}.`,
    ProductFields: { 'aws/securityhub/ProductName': 'Security Hub', 'aws/securityhub/CompanyName': 'AWS' },
    Resources: resources,
    Compliance: { Status: 'FAILED', SecurityControlId: controlId },
    Workflow: { Status: o.workflow ?? 'NEW' },
    WorkflowState: o.workflow ?? 'NEW',
    RecordState: o.recordState ?? 'ACTIVE',
  };
}

/** A GuardDuty finding as Security Hub imports it (type in Types with its "/" turned into "-"). */
export function guardDutyFinding(gdType: string, resources: Json[], o: AsffOptions = {}): Json {
  const account = o.account ?? ACCOUNT;
  const region = o.region ?? REGION;
  const severity = o.severity ?? 'HIGH';
  return {
    SchemaVersion: '2018-10-08',
    Id: o.id ?? `arn:aws:guardduty:${region}:${account}:detector/12abc34d567e8fa901bc2d34e56789f0/finding/${uid().replace(/-/g, '')}`,
    ProductArn: `arn:aws:securityhub:${region}::product/aws/guardduty`,
    ProductName: 'GuardDuty',
    CompanyName: 'Amazon',
    Region: region,
    GeneratorId: `arn:aws:guardduty:${region}:${account}:detector/12abc34d567e8fa901bc2d34e56789f0`,
    AwsAccountId: account,
    Types: [`TTPs/${gdType.replace('/', '-')}`],
    Severity: { Label: severity, Normalized: 50 },
    Title: o.title ?? gdType,
    Description: gdType,
    ProductFields: { 'aws/guardduty/service/serviceName': 'guardduty', 'aws/securityhub/ProductName': 'GuardDuty' },
    Resources: resources,
    Workflow: { Status: o.workflow ?? 'NEW' },
    RecordState: o.recordState ?? 'ACTIVE',
  };
}

/** A third-party finding no catalogue action fits (action NONE). */
export function thirdPartyFinding(o: AsffOptions = {}): Json {
  const account = o.account ?? ACCOUNT;
  const region = o.region ?? REGION;
  return {
    SchemaVersion: '2018-10-08',
    Id: o.id ?? `prowler-check-${account}-${region}-${uid()}`,
    ProductArn: `arn:aws:securityhub:${region}::product/prowler/prowler`,
    ProductName: 'Prowler',
    Region: region,
    GeneratorId: 'prowler-check',
    AwsAccountId: account,
    Types: ['Software and Configuration Checks/Vulnerabilities/CVE'],
    Severity: { Label: o.severity ?? 'HIGH' },
    Title: o.title ?? 'Outdated package with a known CVE',
    Description: 'A package with a known vulnerability is installed.',
    Resources: [{ Type: 'Other', Id: 'some-resource', Partition: 'aws', Region: region, ...(o.tags ? { Tags: o.tags } : {}) }],
    Workflow: { Status: o.workflow ?? 'NEW' },
    RecordState: o.recordState ?? 'ACTIVE',
  };
}

/** `Security Hub Findings - Imported` carrying these ASFF findings. */
export function asffEvent(findings: unknown[], where: Where = {}): Json {
  const region = where.region ?? REGION;
  return {
    version: '0',
    id: 'c8a4b2d6-0f1e-4a3b-9c5d-7e2f1a0b3c4d',
    'detail-type': 'Security Hub Findings - Imported',
    source: 'aws.securityhub',
    account: where.account ?? ACCOUNT,
    time: EVENT_TIME,
    region,
    resources: findings.map((f) => `arn:aws:securityhub:${region}::product/aws/securityhub/${(f as Json | null | undefined)?.Id}`),
    detail: { findings },
  };
}

/** An OCSF Compliance Finding (class 2003) as in `Findings Imported V2`. */
export function ocsfControlFinding(
  controlId: string,
  resource: Json,
  o: { account?: string; region?: string; severityId?: number; statusId?: number; activityId?: number; metadataUid?: string } = {},
): Json {
  const account = o.account ?? ACCOUNT;
  const region = o.region ?? REGION;
  const severityId = o.severityId ?? 4;
  const statusId = o.statusId ?? 1;
  const activityId = o.activityId ?? 1;
  return {
    activity_id: activityId,
    activity_name: activityId === 3 ? 'Close' : 'Create',
    category_uid: 2,
    class_name: 'Compliance Finding',
    class_uid: 2003,
    cloud: { account: { uid: account }, provider: 'AWS', region },
    compliance: { control: controlId, status: 'Fail', status_id: 3 },
    finding_info: {
      uid: `arn:aws:securityhub:${region}:${account}:security-control/${controlId}/finding/${uid()}`,
      title: `${controlId} control failed`,
      desc: `This control checks ${controlId}.`,
      types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    },
    metadata: {
      product: { name: 'Security Hub', uid: `arn:aws:securityhub:${region}::productv2/aws/securityhub`, vendor_name: 'AWS' },
      uid: o.metadataUid ?? uid().replace(/-/g, ''),
      version: '1.6.0',
    },
    resources: [resource],
    severity: ['Unknown', 'Informational', 'Low', 'Medium', 'High', 'Critical'][severityId] ?? 'High',
    severity_id: severityId,
    status: ['Unknown', 'New', 'In Progress', 'Suppressed', 'Resolved', 'Archived'][statusId] ?? 'New',
    status_id: statusId,
  };
}

export function ocsfBucket(bucket = BUCKET, where: Where = {}): Json {
  return {
    type: 'AWS::S3::Bucket',
    uid: bucket,
    uid_alt: `arn:aws:s3:::${bucket}`,
    region: where.region ?? REGION,
    cloud_partition: 'aws',
    owner: { account: { uid: where.account ?? ACCOUNT } },
  };
}

export function ocsfSecurityGroup(groupId = SG, where: Where = {}): Json {
  const region = where.region ?? REGION;
  const account = where.account ?? ACCOUNT;
  return {
    type: 'AWS::EC2::SecurityGroup',
    uid: groupId,
    uid_alt: `arn:aws:ec2:${region}:${account}:security-group/${groupId}`,
    region,
    cloud_partition: 'aws',
    owner: { account: { uid: account } },
  };
}

export function ocsfEvent(findings: unknown[], where: Where = {}): Json {
  return {
    version: '0',
    id: '2c5d8f1a-6e3b-4907-b4a2-8d1f0c7e5b39',
    'detail-type': 'Findings Imported V2',
    source: 'aws.securityhub',
    account: where.account ?? ACCOUNT,
    time: EVENT_TIME,
    region: where.region ?? REGION,
    resources: findings.map((f) => String((f as Json | null | undefined)?.metadata?.uid ?? '')),
    detail: { findings },
  };
}

export const ANALYST = 'arn:aws:sts::222222222222:assumed-role/SecOpsAnalyst/jdoe';

/** `Security Hub Findings - Custom Action` "Escalate to SecOps" in the security account. */
export function customActionEvent(findings: unknown[], actionName = 'Escalate to SecOps', region = 'us-east-1'): Json {
  return {
    version: '0',
    id: '8c4e1a7d-3f9b-4b26-9e50-d2a7c6f1b384',
    'detail-type': 'Security Hub Findings - Custom Action',
    source: 'aws.securityhub',
    account: SECURITY_ACCOUNT,
    time: EVENT_TIME,
    region,
    resources: [`arn:aws:securityhub:${region}:${SECURITY_ACCOUNT}:action/custom/EscalateToSecOps`],
    detail: { actionName, actionDescription: 'Page the SecOps on-call and open an incident', findings },
  };
}

export interface CreateUserOptions {
  account?: string;
  userName?: string;
  /** userIdentity.arn */
  creatorArn?: string;
  /** sessionContext.sessionIssuer.arn (only for assumed roles) */
  issuerArn?: string;
  identityType?: string;
  sourceIp?: string;
  userAgent?: string;
  errorCode?: string;
}

export const UNKNOWN_CREATOR = `arn:aws:iam::${ACCOUNT}:user/mallory`;
export const PIPELINE_ROLE = `arn:aws:iam::${ACCOUNT}:role/terraform-pipeline`;
export const PIPELINE_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/terraform-pipeline/terraform-run-8841`;

/** CloudTrail `CreateUser` through EventBridge (us-east-1). */
export function createUserEvent(o: CreateUserOptions = {}): Json {
  const account = o.account ?? ACCOUNT;
  const creatorArn = o.creatorArn ?? UNKNOWN_CREATOR;
  const assumed = creatorArn.includes(':assumed-role/');
  const identityType = o.identityType ?? (assumed ? 'AssumedRole' : 'IAMUser');
  const userName = o.userName ?? 'support-backup';
  return {
    version: '0',
    id: '1b8f4c2a-6d3e-4f95-a7b0-3c9e5d1f8a46',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.iam',
    account,
    time: '2026-03-14T02:17:44Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.10',
      userIdentity: {
        type: identityType,
        principalId: 'AIDAVRUVRQ7EXAMPLEM4L',
        arn: creatorArn,
        accountId: account,
        ...(identityType === 'AssumedRole'
          ? {
              sessionContext: {
                sessionIssuer: {
                  type: 'Role',
                  principalId: 'AROAEXAMPLE',
                  arn: o.issuerArn ?? creatorArn.replace(/^arn:aws:sts::(\d+):assumed-role\/([^/]+)\/.*$/, 'arn:aws:iam::$1:role/$2'),
                  accountId: account,
                  userName: 'terraform-pipeline',
                },
              },
            }
          : { userName: creatorArn.split('/').pop() }),
      },
      eventTime: '2026-03-14T02:17:44Z',
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      awsRegion: 'us-east-1',
      sourceIPAddress: o.sourceIp ?? '198.51.100.77',
      userAgent: o.userAgent ?? 'aws-cli/2.22.4 md/command#iam.create-user',
      requestParameters: { userName },
      responseElements: o.errorCode
        ? null
        : { user: { path: '/', userName, userId: 'AIDAVRUVRQ7EXAMPLEZ9X', arn: `arn:aws:iam::${account}:user/${userName}` } },
      ...(o.errorCode ? { errorCode: o.errorCode, errorMessage: 'denied' } : {}),
      requestID: '6a1c3e5f-7b9d-4e2a-8c0f-2d4b6f8a0c31',
      eventID: '8e2b5d9f-1c7a-4a30-b6e4-0d9f3c5a7b12',
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: account,
    },
  };
}

/** A logger that keeps every line with the keys appended at the time, as Powertools would print it. */
export class CollectingLog implements Log {
  readonly lines: { level: string; message: string; keys: Record<string, unknown>; extra: Record<string, unknown> }[] = [];
  private keys: Record<string, unknown> = {};
  info(message: string, ...extra: Record<string, unknown>[]) {
    this.push('info', message, extra);
  }
  warn(message: string, ...extra: Record<string, unknown>[]) {
    this.push('warn', message, extra);
  }
  error(message: string, ...extra: Record<string, unknown>[]) {
    this.push('error', message, extra);
  }
  appendKeys(keys: Record<string, unknown>) {
    this.keys = { ...this.keys, ...keys };
  }
  removeKeys(keys: string[]) {
    this.keys = Object.fromEntries(Object.entries(this.keys).filter(([k]) => !keys.includes(k)));
  }
  private push(level: string, message: string, extra: Record<string, unknown>[]) {
    this.lines.push({ level, message, keys: { ...this.keys }, extra: Object.assign({}, ...extra) });
  }
  currentKeys(): Record<string, unknown> {
    return { ...this.keys };
  }
  errors() {
    return this.lines.filter((l) => l.level === 'error');
  }
}
