/**
 * Realistic findings for the classifier tests, in the shapes Security Hub delivers them:
 * ASFF (`Security Hub Findings - Imported`) parsed by findingFromAsff, OCSF (`Findings Imported V2`)
 * parsed by findingFromOcsf. Field names and values follow real findings: a consolidated control
 * finding (Compliance.SecurityControlId, GeneratorId security-control/<id>), a GuardDuty finding as
 * Security Hub imports it (Types "TTPs/<tactic>/<ThreatPurpose>:<Resource>-<Family>", resource
 * AwsIamAccessKey with PrincipalType, AwsEc2Instance, AwsS3Bucket), a third-party finding.
 */
import { findingFromAsff } from '../../../../functions/shared/events/asff';
import { findingFromOcsf } from '../../../../functions/shared/events/ocsf';
import { REMEDIATION_ACTIONS, type Severity } from '../../../../functions/shared/catalogue';
import type { Finding } from '../../../../functions/shared/finding';
import { ResponderSettingsSchema, type ResponderSettings } from '../../../../functions/shared/settings';

export const ACCOUNT = '333333333333';
export const REGION = 'eu-west-1';

type Json = Record<string, unknown>;

export interface ResourceSpec {
  Type: string;
  Id: string;
  Tags?: Record<string, string>;
  Details?: Json;
}

const bucket = (name: string, tags?: Record<string, string>): ResourceSpec => ({
  Type: 'AwsS3Bucket',
  Id: `arn:aws:s3:::${name}`,
  ...(tags ? { Tags: tags } : {}),
  Details: { AwsS3Bucket: { OwnerId: 'a1b2c3', CreatedAt: '2024-03-01T10:00:00.000Z' } },
});

export const resources = {
  bucket,
  account: (): ResourceSpec => ({ Type: 'AwsAccount', Id: `AWS::::Account:${ACCOUNT}` }),
  securityGroup: (id = 'sg-0f28590b3317cd9e2'): ResourceSpec => ({
    Type: 'AwsEc2SecurityGroup',
    Id: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${id}`,
    Details: { AwsEc2SecurityGroup: { GroupId: id, GroupName: 'web', VpcId: 'vpc-035de9c63c12c4cc2' } },
  }),
  instance: (id = 'i-0a1b2c3d4e5f60718', tags?: Record<string, string>): ResourceSpec => ({
    Type: 'AwsEc2Instance',
    Id: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${id}`,
    ...(tags ? { Tags: tags } : {}),
    Details: { AwsEc2Instance: { Type: 't3.medium', ImageId: 'ami-0abcdef1234567890', VpcId: 'vpc-035de9c63c12c4cc2' } },
  }),
  /** The access key resource GuardDuty attaches to IAM findings; PrincipalType is Root, IAMUser, AssumedRole, ... */
  accessKey: (principalType: string, principalName: string, keyId = 'AKIAIOSFODNN7EXAMPLE'): ResourceSpec => ({
    Type: 'AwsIamAccessKey',
    Id: `AWS::IAM::AccessKey:${keyId}`,
    Details: {
      AwsIamAccessKey: {
        PrincipalId: principalType === 'Root' ? ACCOUNT : 'AIDACKCEVSQ6C2EXAMPLE',
        PrincipalType: principalType,
        PrincipalName: principalName,
      },
    },
  }),
  iamPolicy: (name = 'AdminEverything'): ResourceSpec => ({
    Type: 'AwsIamPolicy',
    Id: `arn:aws:iam::${ACCOUNT}:policy/${name}`,
  }),
};

function asffResources(list: ResourceSpec[]): Json[] {
  return list.map((r) => ({ Partition: 'aws', Region: REGION, ...r }));
}

/** A consolidated Security Hub CSPM control finding (FAILED), as in `Security Hub Findings - Imported`. */
export function controlFindingJson(
  controlId: string,
  title: string,
  severity: Severity,
  res: ResourceSpec[],
  opts: { legacyProductFieldsOnly?: boolean } = {},
): Json {
  return {
    SchemaVersion: '2018-10-08',
    Id: `arn:aws:securityhub:${REGION}:${ACCOUNT}:security-control/${controlId}/finding/6d6a26ab-a156-48f0-9403-115983e5a956`,
    ProductArn: `arn:aws:securityhub:${REGION}::product/aws/securityhub`,
    ProductName: 'Security Hub',
    CompanyName: 'AWS',
    Region: REGION,
    GeneratorId: opts.legacyProductFieldsOnly ? `aws-foundational-security-best-practices/v/1.0.0/${controlId}` : `security-control/${controlId}`,
    AwsAccountId: ACCOUNT,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    FirstObservedAt: '2025-01-10T09:00:00.000Z',
    LastObservedAt: '2025-01-12T09:00:00.000Z',
    CreatedAt: '2025-01-10T09:00:00.000Z',
    UpdatedAt: '2025-01-12T09:00:00.000Z',
    Severity: { Label: severity, Original: severity },
    Title: title,
    Description: `This control checks ${title.toLowerCase()}.`,
    Remediation: {
      Recommendation: {
        Text: 'For information on how to correct this issue, consult the AWS Security Hub controls documentation.',
        Url: `https://docs.aws.amazon.com/console/securityhub/${controlId}/remediation`,
      },
    },
    ProductFields: opts.legacyProductFieldsOnly
      ? {
          StandardsArn: `arn:aws:securityhub:::standards/aws-foundational-security-best-practices/v/1.0.0`,
          ControlId: controlId,
          'aws/securityhub/ProductName': 'Security Hub',
        }
      : { RelatedAWSResources: '[]', 'aws/securityhub/ProductName': 'Security Hub', 'aws/securityhub/CompanyName': 'AWS' },
    Resources: asffResources(res),
    Compliance: opts.legacyProductFieldsOnly
      ? { Status: 'FAILED' }
      : {
          Status: 'FAILED',
          SecurityControlId: controlId,
          AssociatedStandards: [{ StandardsId: 'standards/aws-foundational-security-best-practices/v/1.0.0' }],
        },
    WorkflowState: 'NEW',
    Workflow: { Status: 'NEW' },
    RecordState: 'ACTIVE',
    FindingProviderFields: {
      Severity: { Label: severity, Original: severity },
      Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    },
    ProcessedAt: '2025-01-12T09:01:00.000Z',
    AwsAccountName: 'payments-prod',
  };
}

/** The ASFF Types entry Security Hub writes for a GuardDuty type: the first "/" after the resource becomes "-". */
export function guardDutyTypesEntry(tactic: string | undefined, gdType: string): string {
  const flat = gdType.replace('/', '-');
  return tactic ? `TTPs/${tactic}/${flat}` : `TTPs/${flat}`;
}

/** A GuardDuty finding as Security Hub imports it into ASFF. */
export function guardDutyFindingJson(gdType: string, title: string, severity: Severity, res: ResourceSpec[], tactic?: string, extra: Json = {}): Json {
  const types = [guardDutyTypesEntry(tactic, gdType)];
  return {
    SchemaVersion: '2018-10-08',
    Id: `arn:aws:guardduty:${REGION}:${ACCOUNT}:detector/c2db5b53828d466d95f96fc901f93832/finding/aecd9f3bf3543645c3154b30f2661c3a`,
    ProductArn: `arn:aws:securityhub:${REGION}::product/aws/guardduty`,
    ProductName: 'GuardDuty',
    CompanyName: 'Amazon',
    Region: REGION,
    GeneratorId: `arn:aws:guardduty:${REGION}:${ACCOUNT}:detector/c2db5b53828d466d95f96fc901f93832`,
    AwsAccountId: ACCOUNT,
    Types: types,
    FirstObservedAt: '2025-12-21T01:06:24.000Z',
    LastObservedAt: '2025-12-21T01:07:40.000Z',
    CreatedAt: '2025-12-21T01:13:23.880Z',
    UpdatedAt: '2025-12-21T01:13:23.880Z',
    Severity: { Product: 5, Label: severity, Normalized: 50 },
    Title: title,
    Description: title,
    SourceUrl: `https://${REGION}.console.aws.amazon.com/guardduty/home?region=${REGION}#/findings?macros=current&fId=aecd9f3bf3543645c3154b30f2661c3a`,
    ProductFields: {
      'aws/guardduty/service/archived': 'false',
      'aws/guardduty/service/resourceRole': 'TARGET',
      'aws/guardduty/service/count': '3',
      'aws/guardduty/service/serviceName': 'guardduty',
      'aws/guardduty/service/detectorId': 'c2db5b53828d466d95f96fc901f93832',
      'aws/securityhub/FindingId': `arn:aws:securityhub:${REGION}::product/aws/guardduty/arn:aws:guardduty:${REGION}:${ACCOUNT}:detector/c2db5b53828d466d95f96fc901f93832/finding/aecd9f3bf3543645c3154b30f2661c3a`,
      'aws/securityhub/ProductName': 'GuardDuty',
      'aws/securityhub/CompanyName': 'Amazon',
    },
    Resources: asffResources(res),
    WorkflowState: 'NEW',
    Workflow: { Status: 'NEW' },
    RecordState: 'ACTIVE',
    FindingProviderFields: { Severity: { Label: severity }, Types: types },
    Sample: false,
    ProcessedAt: '2025-12-21T01:15:04.345Z',
    ...extra,
  };
}

/** A finding from a third-party integration (no control id, no GuardDuty type). */
export function thirdPartyFindingJson(
  title: string,
  severity: Severity,
  res: ResourceSpec[],
  types: string[] = ['Software and Configuration Checks/Vulnerabilities/CVE'],
  extra: Json = {},
): Json {
  return {
    SchemaVersion: '2018-10-08',
    Id: 'prowler-s3_bucket_public_access-333333333333-eu-west-1-payments-exports',
    ProductArn: `arn:aws:securityhub:${REGION}::product/prowler/prowler`,
    ProductName: 'Prowler',
    CompanyName: 'Prowler',
    Region: REGION,
    GeneratorId: 'prowler-check',
    AwsAccountId: ACCOUNT,
    Types: types,
    CreatedAt: '2025-02-01T08:00:00.000Z',
    UpdatedAt: '2025-02-01T08:00:00.000Z',
    Severity: { Label: severity },
    Title: title,
    Description: title,
    Resources: asffResources(res),
    Workflow: { Status: 'NEW' },
    RecordState: 'ACTIVE',
    ...extra,
  };
}

export const asff = (raw: Json): Finding => findingFromAsff(raw, 0);

export const control = (
  controlId: string,
  title: string,
  severity: Severity,
  res: ResourceSpec[] = [resources.account()],
  opts?: { legacyProductFieldsOnly?: boolean },
) => asff(controlFindingJson(controlId, title, severity, res, opts));

export const guardDuty = (gdType: string, title: string, severity: Severity, res: ResourceSpec[], tactic?: string, extra?: Json) =>
  asff(guardDutyFindingJson(gdType, title, severity, res, tactic, extra));

export const thirdParty = (title: string, severity: Severity, res: ResourceSpec[] = [resources.bucket('payments-exports')], types?: string[], extra?: Json) =>
  asff(thirdPartyFindingJson(title, severity, res, types, extra));

/** A Security Hub V2 (OCSF Compliance Finding) control finding, as in `Findings Imported V2`. */
export function ocsfControlFindingJson(
  controlId: string,
  title: string,
  severityId: number,
  resource: { type: string; uid: string; tags?: { name: string; value: string }[] },
): Json {
  return {
    activity_id: 1,
    activity_name: 'Create',
    category_name: 'Findings',
    category_uid: 2,
    class_name: 'Compliance Finding',
    class_uid: 2003,
    type_uid: 200301,
    time: 1736672400000,
    severity_id: severityId,
    severity: ['Unknown', 'Informational', 'Low', 'Medium', 'High', 'Critical'][severityId],
    status_id: 1,
    status: 'New',
    cloud: { provider: 'AWS', region: REGION, account: { uid: ACCOUNT, type: 'AWS Account' } },
    compliance: { control: controlId, standards: ['standards/aws-foundational-security-best-practices/v/1.0.0'], status: 'Fail', status_id: 3 },
    finding_info: {
      uid: `arn:aws:securityhub:${REGION}:${ACCOUNT}:security-control/${controlId}/finding/0b7a1e44-6a42-4c39-9a0a-3f4c1f2d9e11`,
      title,
      desc: `This control checks ${title.toLowerCase()}.`,
      types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
      created_time: 1736499600000,
    },
    metadata: {
      uid: '5f0d3a8e-8b1c-4d7e-9f21-2a6c4b8e1d30',
      version: '1.5.0',
      product: { name: 'Security Hub', vendor_name: 'AWS', uid: `arn:aws:securityhub:${REGION}::productv2/aws/securityhub` },
    },
    resources: [
      {
        type: resource.type,
        uid: resource.uid,
        region: REGION,
        cloud_partition: 'aws',
        owner: { account: { uid: ACCOUNT } },
        ...(resource.tags ? { tags: resource.tags } : {}),
      },
    ],
  };
}

/** A GuardDuty finding in Security Hub V2 (OCSF Detection Finding); the GuardDuty type is in finding_info.types. */
export function ocsfGuardDutyFindingJson(gdType: string, title: string, severityId: number, resource: { type: string; uid: string }): Json {
  return {
    activity_id: 1,
    class_name: 'Detection Finding',
    class_uid: 2004,
    severity_id: severityId,
    status_id: 1,
    cloud: { provider: 'AWS', region: REGION, account: { uid: ACCOUNT } },
    finding_info: { uid: `arn:aws:guardduty:${REGION}:${ACCOUNT}:detector/c2db5b53828d466d95f96fc901f93832/finding/9e2f`, title, types: [gdType] },
    metadata: {
      uid: '7d1c2b3a-0e9f-4a8b-b7c6-d5e4f3a2b1c0',
      version: '1.5.0',
      product: { name: 'GuardDuty', vendor_name: 'AWS', uid: `arn:aws:securityhub:${REGION}::productv2/aws/guardduty` },
    },
    resources: [{ type: resource.type, uid: resource.uid, region: REGION }],
  };
}

export const ocsf = (raw: Json): Finding => findingFromOcsf(raw, 0);

/** Settings as the stack writes them for one account, validated by the real schema. */
export function settings(overrides: Partial<ResponderSettings> = {}): ResponderSettings {
  return ResponderSettingsSchema.parse({
    organization: 'example',
    accountId: ACCOUNT,
    accountName: 'payments-prod',
    region: REGION,
    owner: 'payments',
    production: false,
    mode: 'enforce',
    actions: Object.fromEntries(REMEDIATION_ACTIONS.map((a) => [a, 'enforce'])),
    notifyMinSeverity: 'MEDIUM',
    criticalResourceTags: [{ key: 'app', value: 'payments' }],
    authorizedPublicPorts: [80, 443],
    alertTopicArn: `arn:aws:sns:${REGION}:111111111111:security-alerts`,
    quarantinePolicyArn: `arn:aws:iam::${ACCOUNT}:policy/security-response-quarantine`,
    evidence: { bucket: 'acme-evidence-222222222222-us-east-1', region: 'us-east-1' },
    quarantine: { trustedCreators: [], exemptUserNames: [] },
    ...overrides,
  });
}
