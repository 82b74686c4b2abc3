import type { Finding } from '../finding';

/**
 * Classification rules. Two passes, each in category priority order:
 *
 * 1. STRUCTURED rules read fields a product sets on purpose: the security control id
 *    (`Compliance.SecurityControlId` / `ProductFields.ControlId`, OCSF `compliance.control`), the
 *    GuardDuty finding type, ASFF `Types`, resource types and details, and the ASFF `Malware` list.
 * 2. TITLE rules read keywords in the title, only when no structured rule of ANY category matched,
 *    so a control id always decides before a misleading word in a title.
 *
 * Sources for the identifiers (checked when the rules were written):
 * - control ids and titles: AWS Security Hub CSPM controls reference
 *   (docs.aws.amazon.com/securityhub/latest/userguide/securityhub-controls-reference.html and the
 *   per-service pages: iam-controls, ec2-controls, s3-controls, ...). Retired controls are left out
 *   (S3.4 "S3 buckets should have server-side encryption enabled", IAM.20 "Avoid the use of the
 *   root user"): they no longer produce findings.
 * - GuardDuty finding types: docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-active.html
 *   and its pages (IAM, EC2, S3 Protection, Runtime Monitoring, Malware Protection for EC2/S3/Backup).
 *   GuardDuty says of every IAM finding type: "If the activity is unexpected, the credentials may
 *   be compromised", which is why any `…:IAMUser/…` type is a credential compromise.
 * - ASFF `Types` taxonomy: docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format-type-taxonomy.html
 *   (namespaces TTPs, Effects, Unusual Behaviors, Software and Configuration Checks, Sensitive Data
 *   Identifications; it has no "Malware" or "Unauthorized Access" category).
 * - `Resources[].Details.AwsIamAccessKey.PrincipalType` and the ASFF `Malware` object: ASFF reference
 *   (asff-resourcedetails-awsiamaccesskey, asff-malware).
 */

export const CATEGORIES = [
  'critical-admin-root',
  'malware',
  'credential-compromise',
  'public-exposure',
  'encryption',
  'mfa',
  'logging-monitoring',
  'other-high',
  'standard-compliance',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** What a rule reads: structured fields, or the title as the last resort. */
export type RuleBasis = 'structured' | 'title';

/** One classification rule. */
export interface ClassificationRule {
  category: Category;
  basis: RuleBasis;
  /** Why the finding falls in the category, or undefined. */
  match(finding: Finding): string | undefined;
}

type Check = (f: Finding) => string | undefined;

// ---------------------------------------------------------------------------------------------
// Matchers
// ---------------------------------------------------------------------------------------------

const control =
  (ids: readonly string[]): Check =>
  (f) =>
    f.controlId && ids.includes(f.controlId) ? `control ${f.controlId}` : undefined;

const guardDuty =
  (pattern: RegExp): Check =>
  (f) =>
    f.guardDutyType && pattern.test(f.guardDutyType) ? `GuardDuty type ${f.guardDutyType}` : undefined;

const types =
  (pattern: RegExp): Check =>
  (f) => {
    const t = f.types.find((x) => pattern.test(x));
    return t ? `finding type ${t}` : undefined;
  };

const resource =
  (type: string, test: (details: Record<string, unknown>) => string | undefined): Check =>
  (f) => {
    for (const r of f.resources) {
      if (r.type !== type) continue;
      const why = test(r.details);
      if (why) return `resource ${r.type} ${r.id}: ${why}`;
    }
    return undefined;
  };

const title =
  (pattern: RegExp): Check =>
  (f) => {
    const m = pattern.exec(f.title);
    return m ? `title mentions "${m[0].toLowerCase()}"` : undefined;
  };

const any =
  (...checks: Check[]): Check =>
  (f) => {
    for (const c of checks) {
      const why = c(f);
      if (why) return why;
    }
    return undefined;
  };

function record(x: unknown): Record<string, unknown> | undefined {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;
}

/** `Details.AwsIamAccessKey.PrincipalType` is `Root` when the key belongs to the account root user. */
const rootAccessKey = resource('AwsIamAccessKey', (details) => {
  const key = record(details.AwsIamAccessKey);
  return typeof key?.PrincipalType === 'string' && key.PrincipalType.toLowerCase() === 'root' ? 'principal type Root (the account root user)' : undefined;
});

/**
 * The finding's own malware list: ASFF `Malware[]` (Name, Type, Path, State) or OCSF `malware[]`
 * (name, classification_ids, ...). A product fills it only when it observed malware.
 */
const malwareList: Check = (f) => {
  const raw = record(f.raw);
  const list = raw?.[f.format === 'ocsf' ? 'malware' : 'Malware'];
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const names = list.map((m) => record(m)?.[f.format === 'ocsf' ? 'name' : 'Name']).filter((n): n is string => typeof n === 'string');
  return `malware reported: ${names.length ? names.join(', ') : `${list.length} item(s)`}`;
};

// ---------------------------------------------------------------------------------------------
// Structured rules, in priority order
// ---------------------------------------------------------------------------------------------

/** Root credentials and account-wide admin: the keys to everything. */
export const criticalAdminRoot: ClassificationRule = {
  category: 'critical-admin-root',
  basis: 'structured',
  match: any(
    // IAM.1 IAM policies should not allow full "*" administrative privileges; IAM.4 IAM root user
    // access key should not exist; IAM.6 Hardware MFA should be enabled for the root user;
    // IAM.9 MFA should be enabled for the root user. (Root MFA outranks the generic MFA category.)
    control(['IAM.1', 'IAM.4', 'IAM.6', 'IAM.9']),
    // Policy:IAMUser/RootCredentialUsage (long-term root credentials) and
    // Policy:IAMUser/ShortTermRootCredentialUsage (temporary root sessions).
    guardDuty(/^Policy:IAMUser\/(ShortTerm)?RootCredentialUsage$/),
    // Any finding, whatever its type, on an access key of the root user (GuardDuty puts it there
    // for every IAM finding type, e.g. UnauthorizedAccess:IAMUser/MaliciousIPCaller by root).
    rootAccessKey,
  ),
};

export const malware: ClassificationRule = {
  category: 'malware',
  basis: 'structured',
  match: any(
    // Backdoor:EC2/C&CActivity.B!DNS, Trojan:EC2/DNSDataExfiltration, CryptoCurrency:EC2/BitcoinTool.B!DNS,
    // the same families on Runtime/Lambda/ECS; Malware Protection: Execution:EC2/MaliciousFile
    // (and !Snapshot, !AMI, !RecoveryPoint), Execution:Runtime/MaliciousFileExecuted,
    // Object:S3/MaliciousFile; Runtime Monitoring: Impact:Runtime/CryptoMinerExecuted.
    guardDuty(/^(Backdoor|Trojan|CryptoCurrency):|^Execution:[A-Za-z0-9]+\/MaliciousFile|^Object:S3\/MaliciousFile|^Impact:[A-Za-z0-9]+\/CryptoMinerExecuted/),
    // The same GuardDuty-style classifier in ASFF Types ("TTPs/Command and Control/Backdoor:EC2-C&CActivity.B"),
    // for findings whose product is not recognised as GuardDuty.
    types(/(^|\/)(Backdoor|Trojan|CryptoCurrency):[A-Za-z0-9]+-/),
    malwareList,
  ),
};

export const credentialCompromise: ClassificationRule = {
  category: 'credential-compromise',
  basis: 'structured',
  match: any(
    // Every GuardDuty IAM finding type (…:IAMUser/…), including
    // UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS/.InsideAWS, and every
    // CredentialAccess:… type (IAMUser, Kubernetes, RDS, …).
    guardDuty(/^[A-Za-z]+:IAMUser\/|^CredentialAccess:/),
    // Extended Threat Detection's AttackSequence:IAM/CompromisedCredentials (Security Hub type
    // TTPs/AttackSequence:IAM/CompromisedCredentials, per GuardDuty's Security Hub integration page):
    // a sequence of signals GuardDuty ties to one compromised credential.
    guardDuty(/^AttackSequence:IAM\//),
    // ASFF taxonomy category TTPs/Credential Access.
    types(/^TTPs\/Credential Access(\/|$)/),
  ),
};

export const publicExposure: ClassificationRule = {
  category: 'public-exposure',
  basis: 'structured',
  match: any(
    control([
      'EC2.1', // Amazon EBS snapshots should not be publicly restorable
      'EC2.13', // Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22
      'EC2.14', // Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 3389
      'EC2.18', // Security groups should only allow unrestricted incoming traffic for authorized ports
      'EC2.19', // Security groups should not allow unrestricted access to ports with high risk
      'EC2.53', // EC2 security groups should not allow ingress from 0.0.0.0/0 to remote server administration ports
      'EC2.54', // EC2 security groups should not allow ingress from ::/0 to remote server administration ports
      'S3.1', // S3 general purpose buckets should have block public access settings enabled (account level)
      'S3.2', // S3 general purpose buckets should block public read access
      'S3.3', // S3 general purpose buckets should block public write access
      'S3.8', // S3 general purpose buckets should block public access (bucket level)
      'S3.19', // S3 access points should have block public access settings enabled
      'CloudTrail.6', // Ensure the S3 bucket used to store CloudTrail logs is not publicly accessible
      'RDS.1', // RDS snapshot should be private
      'RDS.2', // RDS DB Instances should prohibit public access
      'Lambda.1', // Lambda function policies should prohibit public access
      'ES.2', // Elasticsearch domains should not be publicly accessible
      'Opensearch.2', // OpenSearch domains should not be publicly accessible
      'Redshift.1', // Amazon Redshift clusters should prohibit public access
      'DMS.1', // Database Migration Service replication instances should not be public
      'EKS.1', // EKS cluster endpoints should not be publicly accessible
      'SSM.4', // SSM documents should not be public
    ]),
    // GuardDuty S3 Protection: a bucket was opened to the internet or its public access block removed.
    guardDuty(/^Policy:S3\/(BucketAnonymousAccessGranted|BucketPublicAccessGranted|BucketBlockPublicAccessDisabled|AccountBlockPublicAccessDisabled)$/),
    // ASFF taxonomy: Effects/Data Exposure; Software and Configuration Checks/AWS Security Best
    // Practices/Network Reachability (Inspector's network reachability findings).
    types(/^Effects\/Data Exposure(\/|$)|\/Network Reachability(\/|$)/),
  ),
};

export const encryption: ClassificationRule = {
  category: 'encryption',
  basis: 'structured',
  match: control([
    'S3.5', // S3 general purpose buckets should require requests to use SSL
    'S3.17', // S3 general purpose buckets should be encrypted at rest with AWS KMS keys
    'EC2.3', // Attached Amazon EBS volumes should be encrypted at-rest
    'EC2.7', // EBS default encryption should be enabled
    'RDS.3', // RDS DB instances should have encryption at-rest enabled
    'RDS.4', // RDS cluster snapshots and database snapshots should be encrypted at rest
    'EFS.1', // Elastic File System should be configured to encrypt file data at-rest using AWS KMS
    'SNS.1', // SNS topics should be encrypted at-rest using AWS KMS
    'SQS.1', // Amazon SQS queues should be encrypted at rest
    'KMS.4', // AWS KMS key rotation should be enabled
    'CloudTrail.2', // CloudTrail should have encryption at-rest enabled
    'ES.1', // Elasticsearch domains should have encryption at-rest enabled
    'Opensearch.1', // OpenSearch domains should have encryption at rest enabled
    'ELB.1', // Application Load Balancer should be configured to redirect all HTTP requests to HTTPS
    'ELB.2', // Classic Load Balancers with SSL/HTTPS listeners should use a certificate provided by ACM
    'ELB.3', // Classic Load Balancer listeners should be configured with HTTPS or TLS termination
  ]),
};

export const mfa: ClassificationRule = {
  category: 'mfa',
  basis: 'structured',
  // IAM.5 MFA should be enabled for all IAM users that have a console password; IAM.19 MFA should be
  // enabled for all IAM users. (Root user MFA, IAM.6/IAM.9, is critical-admin-root.)
  match: control(['IAM.5', 'IAM.19']),
};

export const loggingMonitoring: ClassificationRule = {
  category: 'logging-monitoring',
  basis: 'structured',
  match: control([
    'CloudTrail.1', // CloudTrail should be enabled and configured with at least one multi-Region trail ...
    'CloudTrail.3', // At least one CloudTrail trail should be enabled
    'CloudTrail.4', // CloudTrail log file validation should be enabled
    'CloudTrail.5', // CloudTrail trails should be integrated with Amazon CloudWatch Logs
    'CloudWatch.1', // A log metric filter and alarm should exist for usage of the "root" user (monitoring, not root use)
    'Config.1', // AWS Config should be enabled and use the service-linked role for resource recording
    'GuardDuty.1', // GuardDuty should be enabled
    'S3.9', // S3 general purpose buckets should have server access logging enabled
    'EC2.6', // VPC flow logging should be enabled in all VPCs
  ]),
};

// ---------------------------------------------------------------------------------------------
// Title rules: only for findings no structured rule recognised (third-party products, custom checks)
// ---------------------------------------------------------------------------------------------

export const criticalAdminRootByTitle: ClassificationRule = {
  category: 'critical-admin-root',
  basis: 'title',
  match: title(/\broot (user|account|credentials?)\b/i),
};

export const malwareByTitle: ClassificationRule = {
  category: 'malware',
  basis: 'title',
  match: title(/\b(malware|ransomware|trojan|crypto ?miner)\b/i),
};

export const publicExposureByTitle: ClassificationRule = {
  category: 'public-exposure',
  basis: 'title',
  match: title(/\bpublic(ly)?\b|0\.0\.0\.0\/0|::\/0/i),
};

export const encryptionByTitle: ClassificationRule = {
  category: 'encryption',
  basis: 'title',
  match: title(/\b(encrypt\w*|TLS|SSL|HTTPS)\b/i),
};

export const mfaByTitle: ClassificationRule = {
  category: 'mfa',
  basis: 'title',
  match: title(/\bMFA\b|\bmulti-factor\b/i),
};

export const loggingMonitoringByTitle: ClassificationRule = {
  category: 'logging-monitoring',
  basis: 'title',
  match: title(/\blogging\b|\bCloudTrail\b/i),
};

export const STRUCTURED_RULES: readonly ClassificationRule[] = [
  criticalAdminRoot,
  malware,
  credentialCompromise,
  publicExposure,
  encryption,
  mfa,
  loggingMonitoring,
];

export const TITLE_RULES: readonly ClassificationRule[] = [
  criticalAdminRootByTitle,
  malwareByTitle,
  publicExposureByTitle,
  encryptionByTitle,
  mfaByTitle,
  loggingMonitoringByTitle,
];

/** Order matters: the first rule that matches decides the category. Every structured rule comes first. */
export const RULES: ClassificationRule[] = [...STRUCTURED_RULES, ...TITLE_RULES];
