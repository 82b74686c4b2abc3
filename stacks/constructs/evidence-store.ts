import { Construct } from 'constructs';
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { EvidenceRecord } from '../../functions/shared/evidence/record';
import { KPI_QUERIES, namedQuerySql } from '../../functions/shared/evidence/kpis';
import { EVIDENCE_PREFIX } from '../../functions/shared/evidence/record';
import { names, PARTITION } from '../../functions/shared/naming';
import { organizationEvidenceWriters, policyDocument, type PolicyStatement } from './policy';

export interface EvidenceStoreProps {
  readonly organizationName: string;
  readonly organizationId: string;
  readonly securityAccountId: string;
  /** The security account's home region, where the stack deploys the store. */
  readonly homeRegion: string;
  /**
   * Days each record is kept under Object Lock in COMPLIANCE mode (organization.evidence.retentionDays),
   * and after which the lifecycle removes it. @default 400
   */
  readonly retentionDays?: number;
  /** Days Athena's query results are kept in the results bucket. @default 30 */
  readonly queryResultDays?: number;
  /** The first day the table's `dt` partition projection covers (yyyy-MM-dd). @default '2025-01-01' */
  readonly firstDay?: string;
  /**
   * The days the KPI named queries look back, today included (a named query takes no parameters;
   * `npm run report -- --since` asks for any other window). @default 30
   */
  readonly namedQueryDays?: number;
}

/**
 * Kept in the JSON only: the requests that undo a remediation have no fixed shape (the inputs of
 * `calls` are left out of its column type the same way). The JSON SerDe ignores keys with no column.
 */
type EvidenceJsonOnly = 'undo';

/**
 * Glue columns of the evidence table, one per scalar field of EvidenceRecord (and the two nested
 * fields a KPI reads), so that a new record field does not compile until it is given a column here
 * or listed as JSON-only. The JSON SerDe maps columns to the record's keys by name.
 */
const EVIDENCE_COLUMNS: Record<Exclude<keyof EvidenceRecord, EvidenceJsonOnly>, string> = {
  schema_version: 'int',
  record_id: 'string',
  function: 'string',
  organization: 'string',
  account_id: 'string',
  account_name: 'string',
  region: 'string',
  finding_id: 'string',
  product_arn: 'string',
  control_id: 'string',
  severity: 'string',
  category: 'string',
  escalate: 'boolean',
  action: 'string',
  mode: 'string',
  status: 'string',
  outcome: 'string',
  ignored: 'boolean',
  reason: 'string',
  would_remediate: 'boolean',
  calls: 'array<struct<service:string,operation:string>>',
  alert: 'struct<subject:string>',
  first_seen_at: 'string',
  handled_at: 'string',
  remediated_at: 'string',
  // Indicator counts are in the JSON only (a map whose keys are Detective's indicator types).
  investigation: 'struct<investigation_id:string,entity_arn:string,status:string,severity:string,console_link:string>',
  ticket: 'struct<system:string,key:string,url:string,status:string,alert_id:string>',
};

/** The lifecycle filter for a whole bucket (an empty filter block). */
const WHOLE_BUCKET = [{}];

/**
 * The evidence store, in the security account's home region: one bucket that every alerting
 * function of the organization (respond, quarantine-user, escalate, investigate, in any account and
 * region) and the alert router (its ticket records) writes its records into and can never read
 * or delete, kept under S3 Object Lock in COMPLIANCE mode and encrypted with its own customer
 * managed key; and the Glue table, Athena workgroup, results bucket and named queries the KPIs are
 * queried through.
 *
 * COMPLIANCE retention means nobody, the account root included, can delete a record version or
 * shorten its retention before it expires, and Object Lock cannot be turned off on the bucket. So
 * `terraform destroy` of this bucket fails while any record is retained: that is the point.
 *
 * The writers are admitted by `aws:PrincipalOrgID` and role-name patterns, as the alert topic
 * admits them, so the policies are the same size for 5 accounts or 500. Cross-account, each
 * writer's own role must allow the same (alertPublishStatements in permissions.ts grants it).
 */
export class EvidenceStore extends Construct {
  readonly key: KmsKey;
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly resultsBucket: S3Bucket;
  readonly database: GlueCatalogDatabase;
  readonly table: GlueCatalogTable;
  readonly workgroup: AthenaWorkgroup;
  readonly namedQueries: AthenaNamedQuery[];

  constructor(scope: Construct, id: string, props: EvidenceStoreProps) {
    super(scope, id);
    const org = props.organizationName;
    const region = props.homeRegion;
    const retentionDays = props.retentionDays ?? 400;
    const queryResultDays = props.queryResultDays ?? 30;
    const bucketName = (this.bucketName = names.evidenceBucket(org, props.securityAccountId, region));
    const bucketArn = `arn:${PARTITION}:s3:::${bucketName}`;
    const resultsBucketName = names.athenaResultsBucket(org, props.securityAccountId, region);
    const resultsBucketArn = `arn:${PARTITION}:s3:::${resultsBucketName}`;

    // The alerting functions' roles of the organization's accounts (the alert topic's publishers),
    // and route's, which records the tickets it opens.
    const orgWriters = organizationEvidenceWriters(org, props.organizationId, props.securityAccountId);

    const key = (this.key = new KmsKey(this, 'key', {
      description: `Encrypts the evidence records in ${bucketName} and their Athena results (security-response)`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyDocument([
        {
          // Without this the key becomes unmanageable; IAM policies in the security account decide
          // who administers it and who reads the records (Athena, through S3, with kms:Decrypt).
          Sid: 'SecurityAccountAdministersKey',
          Effect: 'Allow',
          Principal: { AWS: `arn:${PARTITION}:iam::${props.securityAccountId}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          // A single PutObject under SSE-KMS needs only GenerateDataKey (kms:Decrypt is for
          // multipart uploads, which the small records never use, and for reads, which they may not).
          Sid: 'OrganizationRespondersEncryptRecords',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'kms:GenerateDataKey',
          Resource: '*',
          Condition: {
            ...orgWriters,
            StringEquals: { ...orgWriters.StringEquals, 'kms:ViaService': `s3.${region}.amazonaws.com` },
          },
        },
      ]),
    }));
    new KmsAlias(this, 'key-alias', { name: names.evidenceKeyAlias(org), targetKeyId: key.keyId });

    // Object Lock can only be turned on when the bucket is created; it turns versioning on with it.
    const bucket = (this.bucket = new S3Bucket(this, 'bucket', { bucket: bucketName, objectLockEnabled: true }));
    const versioning = new S3BucketVersioningA(this, 'versioning', {
      bucket: bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    // Every record version is retained in COMPLIANCE mode from its write: the writers send no
    // Object Lock headers, the default applies. Nobody, root included, can delete it or shorten
    // its retention before it expires.
    new S3BucketObjectLockConfigurationA(this, 'object-lock', {
      bucket: bucket.id,
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: 'COMPLIANCE', days: retentionDays } },
      dependsOn: [versioning],
    });
    this.encrypt(bucket, 'encryption', key);
    const bpa = this.blockPublicAccess(bucket, 'public-access-block');
    new S3BucketOwnershipControls(this, 'ownership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    // After the retention a record goes: the expiration puts a delete marker over it (a marker
    // deletes no version, so it is allowed even on a locked one), then the version, noncurrent
    // from that day, is removed a day later; lifecycle never removes a version still under
    // retention, so a shorter retentionDays later on cannot cut an older record's retention short.
    // Expiration by days also removes the expired delete markers. Keeping records forever instead
    // would grow the bill without bound for what retentionDays says is no longer needed.
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucket.id,
      rule: [
        {
          id: 'expire-after-retention',
          status: 'Enabled',
          filter: WHOLE_BUCKET,
          expiration: [{ days: retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
      dependsOn: [versioning],
    });
    new S3BucketPolicy(this, 'policy', {
      bucket: bucket.id,
      policy: policyDocument([
        denyInsecureTransport(bucketArn),
        {
          // Write only, under decisions/: no Get, no List, no Delete for the writers.
          Sid: 'OrganizationRespondersWriteRecords',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 's3:PutObject',
          Resource: `${bucketArn}/${EVIDENCE_PREFIX}/*`,
          Condition: orgWriters,
        },
        {
          // Object Lock already forbids deleting a retained version; this also forbids delete
          // markers, retention and legal-hold changes by the writers, in any account.
          Sid: 'OrganizationRespondersNeverDelete',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['s3:DeleteObject*', 's3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:BypassGovernanceRetention'],
          Resource: `${bucketArn}/*`,
          Condition: { ArnLike: orgWriters.ArnLike },
        },
        {
          // respond in this account may put bucket policies on its account's buckets (the TLS
          // remediation): without this it could rewrite this policy, then the Object Lock default
          // or the lifecycle. Reads are refused by the key as well (the writers may not decrypt).
          Sid: 'OrganizationRespondersNeverReadOrReconfigure',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: [
            's3:GetObject*',
            's3:ListBucket*',
            's3:PutBucket*',
            's3:DeleteBucket*',
            's3:PutLifecycleConfiguration',
            's3:PutEncryptionConfiguration',
            's3:PutReplicationConfiguration',
          ],
          Resource: [bucketArn, `${bucketArn}/*`],
          Condition: { ArnLike: orgWriters.ArnLike },
        },
      ]),
      // A bucket policy and the public access block written at once conflict (S3 answers OperationAborted).
      dependsOn: [bpa],
    });

    // Athena's query results: their own bucket, so nothing but records lives under Object Lock.
    // Results are a cache of the records, so a destroy may empty the bucket.
    const resultsBucket = (this.resultsBucket = new S3Bucket(this, 'results-bucket', { bucket: resultsBucketName, forceDestroy: true }));
    this.encrypt(resultsBucket, 'results-encryption', key);
    const resultsBpa = this.blockPublicAccess(resultsBucket, 'results-public-access-block');
    new S3BucketOwnershipControls(this, 'results-ownership', { bucket: resultsBucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketLifecycleConfiguration(this, 'results-lifecycle', {
      bucket: resultsBucket.id,
      rule: [
        {
          id: 'expire-query-results',
          status: 'Enabled',
          filter: WHOLE_BUCKET,
          expiration: [{ days: queryResultDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
    });
    new S3BucketPolicy(this, 'results-policy', {
      bucket: resultsBucket.id,
      policy: policyDocument([denyInsecureTransport(resultsBucketArn)]),
      dependsOn: [resultsBpa],
    });

    const database = (this.database = new GlueCatalogDatabase(this, 'database', {
      name: names.evidenceDatabase(org),
      description: `Security-response decision records in s3://${bucketName}/${EVIDENCE_PREFIX}/`,
    }));
    const location = `s3://${bucketName}/${EVIDENCE_PREFIX}/`;
    this.table = new GlueCatalogTable(this, 'table', {
      databaseName: database.name,
      name: names.evidenceTable,
      description: 'One row per decision of respond, quarantine-user and escalate (functions/shared/evidence/record.ts)',
      tableType: 'EXTERNAL_TABLE',
      parameters: {
        EXTERNAL: 'TRUE',
        classification: 'json',
        // Partition projection: Athena computes the dt partitions from the query's dt predicate,
        // so a month's query reads that month's folders only, with no crawler and no partition to add.
        'projection.enabled': 'true',
        'projection.dt.type': 'date',
        'projection.dt.format': 'yyyy-MM-dd',
        'projection.dt.range': `${props.firstDay ?? '2025-01-01'},NOW`,
        'projection.dt.interval': '1',
        'projection.dt.interval.unit': 'DAYS',
        // ${dt} is Athena's placeholder, not a Terraform interpolation.
        'storage.location.template': literal(`${location}dt=\${dt}/`),
      },
      partitionKeys: [{ name: 'dt', type: 'string', comment: 'UTC day the decision was made (yyyy-MM-dd)' }],
      storageDescriptor: {
        location,
        inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        serDeInfo: { name: 'json', serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
        columns: Object.entries(EVIDENCE_COLUMNS).map(([name, type]) => ({ name, type })),
      },
    });

    this.workgroup = new AthenaWorkgroup(this, 'workgroup', {
      name: names.athenaWorkgroup(org),
      description: 'Security-response KPIs over the evidence records',
      configuration: {
        // Queries in this workgroup cannot choose another result location or turn encryption off.
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${resultsBucketName}/`,
          expectedBucketOwner: props.securityAccountId,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKeyArn: key.arn },
        },
      },
      dependsOn: [resultsBucket],
    });

    // One saved query per KPI (functions/shared/evidence/kpis.ts) in the workgroup, over the last
    // namedQueryDays days: what npm run report runs, for the console.
    const days = props.namedQueryDays ?? 30;
    this.namedQueries = KPI_QUERIES.map(
      (kpi) =>
        new AthenaNamedQuery(this, `kpi-${kpi.name}`, {
          name: `${org}-${kpi.name}`,
          description: `${kpi.description} Last ${days} days.`,
          workgroup: this.workgroup.name,
          database: database.name,
          query: literal(oneLine(namedQuerySql(kpi, names.evidenceDatabase(org), names.evidenceTable, days))),
        }),
    );
  }

  /** Default encryption with the evidence key; bucket keys cut the KMS requests (and their cost) by S3 caching a bucket-level key. */
  private encrypt(bucket: S3Bucket, id: string, key: KmsKey): void {
    new S3BucketServerSideEncryptionConfigurationA(this, id, {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
    });
  }

  private blockPublicAccess(bucket: S3Bucket, id: string): S3BucketPublicAccessBlock {
    return new S3BucketPublicAccessBlock(this, id, {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  }
}

/**
 * Text Terraform must not read as a template: `${` and `%{` escaped as `$${` and `%%{`, which
 * Terraform turns back into the text. (cdktf's Fn.rawString escapes newlines and quotes too, which
 * would reach AWS as backslashes in JSON syntax.)
 */
function literal(text: string): string {
  // A function, not '$${': in a replacement string $$ stands for one $.
  return text.replaceAll('${', () => '$${').replaceAll('%{', () => '%%{');
}

/**
 * The SQL on one line: the HCL form of a multi-line string is a heredoc, which adds a final newline
 * the JSON form (what Terraform applies) does not have, so the reviewed snapshot would not say what
 * is applied. A line comment would swallow the rest of the query, so there must be none.
 */
function oneLine(sql: string): string {
  if (sql.includes('--')) throw new Error(`a named query's SQL has a line comment, which one line would break: ${sql}`);
  return sql.replace(/\s*\n\s*/g, ' ');
}

/** Every request over plain HTTP is refused, whoever makes it. */
function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}
