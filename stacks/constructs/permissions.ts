import type { RemediationAction } from '../../functions/shared/catalogue';
import { EVIDENCE_PREFIX } from '../../functions/shared/evidence/record';
import { names, PARTITION } from '../../functions/shared/naming';
import { GRANTS, type ActionGrant } from '../../functions/shared/remediations/grants';
import type { ResponderSettings } from '../../functions/shared/settings';
import type { PolicyStatement } from './policy';

/**
 * Actions AWS authorizes only on `Resource: "*"` (no resource-level permissions), with the reason.
 * The one place such grants are allowed; the guard rails read this list.
 */
export const WILDCARD_RESOURCE_EXCEPTIONS: Record<string, string> = {
  'ec2:DescribeSecurityGroupRules': 'EC2 Describe* actions support no resource-level permissions',
  'ec2:DescribeSecurityGroups': 'EC2 Describe* actions support no resource-level permissions',
  'ec2:DescribeInstances': 'EC2 Describe* actions support no resource-level permissions',
  'ec2:DescribeNetworkInterfaces': 'EC2 Describe* actions support no resource-level permissions',
  'ec2:DescribeIamInstanceProfileAssociations': 'EC2 Describe* actions support no resource-level permissions',
  's3:GetAccountPublicAccessBlock': 'account-level S3 setting; the action has no resource type',
  's3:PutAccountPublicAccessBlock': 'account-level S3 setting; the action has no resource type',
};

/** The permissions each catalogue action needs, scoped to this account and region: its folder's grants.ts. */
function grantsFor(action: RemediationAction, s: ResponderSettings): ActionGrant {
  return GRANTS[action].grants(s);
}

/** Statements for every catalogue action that is not off: reads in observe mode, reads and writes in enforce. */
export function remediationStatements(settings: ResponderSettings, only?: RemediationAction[]): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  for (const [action, mode] of Object.entries(settings.actions) as [RemediationAction, string][]) {
    if (only && !only.includes(action)) continue;
    if (mode === 'off') continue;
    const grant = grantsFor(action, settings);
    statements.push(...grant.read, ...(mode === 'enforce' ? grant.write : []));
  }
  return mergeBySid(statements);
}

/** Two actions can ask for the same statement (e.g. tag reads); keep one of each Sid. */
function mergeBySid(statements: PolicyStatement[]): PolicyStatement[] {
  const seen = new Map<string, PolicyStatement>();
  for (const st of statements) if (!seen.has(st.Sid ?? JSON.stringify(st))) seen.set(st.Sid ?? JSON.stringify(st), st);
  return [...seen.values()];
}

/**
 * Publishing to the organization's alert topic, encrypted with its KMS key (found by alias); and,
 * as every alerting function (only they call this) records each decision, writing the records
 * into the evidence bucket (evidenceWriteStatements).
 */
export function alertPublishStatements(settings: ResponderSettings, homeRegion: string, securityAccountId: string): PolicyStatement[] {
  return [
    { Sid: 'PublishAlerts', Effect: 'Allow', Action: 'sns:Publish', Resource: settings.alertTopicArn },
    {
      Sid: 'EncryptAlerts',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: `arn:${PARTITION}:kms:${homeRegion}:${securityAccountId}:key/*`,
      Condition: {
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': names.alertKeyAlias(settings.organization) },
        StringEquals: { 'kms:ViaService': `sns.${homeRegion}.amazonaws.com` },
      },
    },
    ...evidenceWriteStatements(settings, homeRegion, securityAccountId),
  ];
}

/**
 * Writing decision records into the organization's evidence bucket (security account, home region;
 * stacks/constructs/evidence-store.ts), encrypted by the bucket's default with the evidence key
 * (found by alias). Cross-account, the bucket and key policies admit the writer and this policy
 * must allow it too. Write only: no read, list or delete. A write that fails goes to the
 * function's dead-letter queue, which its role already may send to (ResponseFunction).
 */
export function evidenceWriteStatements(settings: Pick<ResponderSettings, 'organization'>, homeRegion: string, securityAccountId: string): PolicyStatement[] {
  const bucket = names.evidenceBucket(settings.organization, securityAccountId, homeRegion);
  return [
    { Sid: 'WriteEvidence', Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:${PARTITION}:s3:::${bucket}/${EVIDENCE_PREFIX}/*` },
    {
      Sid: 'EncryptEvidence',
      Effect: 'Allow',
      Action: 'kms:GenerateDataKey',
      Resource: `arn:${PARTITION}:kms:${homeRegion}:${securityAccountId}:key/*`,
      Condition: {
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': names.evidenceKeyAlias(settings.organization) },
        StringEquals: { 'kms:ViaService': `s3.${homeRegion}.amazonaws.com` },
      },
    },
  ];
}

/**
 * Reading findings of this account and region, for `npm run sweep`: the sweep names findings by id
 * and `respond` reads them itself. GetFindings is authorized on the hub (Service Authorization Reference).
 */
export function sweptFindingReadStatements(accountId: string, region: string): PolicyStatement[] {
  return [
    {
      Sid: 'ReadSweptFindings',
      Effect: 'Allow',
      Action: 'securityhub:GetFindings',
      Resource: `arn:${PARTITION}:securityhub:${region}:${accountId}:hub/default`,
    },
  ];
}

/**
 * Updating findings of this account and region (the function's own hub). BatchUpdateFindingsV2
 * has no IAM action of its own: AWS authorizes it as securityhub:BatchUpdateFindings (API reference).
 */
export function recordFindingStatements(accountId: string, region: string): PolicyStatement[] {
  return [
    {
      Sid: 'RecordOnFindings',
      Effect: 'Allow',
      Action: 'securityhub:BatchUpdateFindings',
      Resource: `arn:${PARTITION}:securityhub:${region}:${accountId}:hub/default`,
    },
  ];
}
