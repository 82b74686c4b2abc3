import { KPI_QUERIES, namedQuerySql } from '../../../functions/shared/evidence/kpis';
import { exampleConfig } from '../../helpers/config';
import { buildTestFleet, findResource, resourcesOf, synthJson } from '../../helpers/fleet';

const fleet = buildTestFleet();
const home = synthJson(fleet.stacks.get('security-us-east-1')!);
const values = (json: any, type: string) => Object.values<any>(resourcesOf(json, type));

const BUCKET = 'acme-evidence-222222222222-us-east-1';
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const RESULTS = 'acme-athena-222222222222-us-east-1';
const EVIDENCE_KEY = /^\$\{aws_kms_key\.evidence_key_\w+\.arn\}$/;
const WRITERS = [
  'arn:aws:iam::*:role/acme-respond-*',
  'arn:aws:iam::*:role/acme-quarantine-user',
  'arn:aws:iam::222222222222:role/acme-escalate',
  'arn:aws:iam::222222222222:role/acme-investigate',
  'arn:aws:iam::222222222222:role/acme-route',
];

/** The resource of `type` whose `bucket` refers to the aws_s3_bucket named `name`. */
function ofBucket(json: any, type: string, name: string): any {
  const [id] = Object.entries<any>(resourcesOf(json, 'aws_s3_bucket')).find(([, b]) => b.bucket === name) ?? [];
  if (!id) throw new Error(`no bucket ${name}`);
  return findResource(json, type, (r) => r.bucket === `\${aws_s3_bucket.${id}.id}`);
}
const bucketPolicy = (json: any = home, name = BUCKET) => JSON.parse(ofBucket(json, 'aws_s3_bucket_policy', name).policy);
const keyPolicy = (json: any = home) => JSON.parse(findResource(json, 'aws_kms_key', (k) => k.description.includes(BUCKET)).policy);
const actions = (st: any): string[] => [st.Action].flat();
const securityHome = (retentionDays?: number) => {
  const config = exampleConfig();
  if (retentionDays !== undefined) (config.organization as any).evidence = { retentionDays };
  return synthJson(buildTestFleet(config).stacks.get('security-us-east-1')!);
};

describe('the evidence bucket (security account, home region)', () => {
  it('is created with Object Lock, and retains every record in COMPLIANCE mode for organization.evidence.retentionDays (400 by default)', () => {
    expect(findResource(home, 'aws_s3_bucket', (b) => b.bucket === BUCKET).object_lock_enabled).toBe(true);
    const lock = ofBucket(home, 'aws_s3_bucket_object_lock_configuration', BUCKET);
    expect(lock.object_lock_enabled).toBe('Enabled');
    expect(lock.rule).toEqual({ default_retention: { mode: 'COMPLIANCE', days: 400 } });
    const changed = securityHome(1000);
    expect(ofBucket(changed, 'aws_s3_bucket_object_lock_configuration', BUCKET).rule).toEqual({ default_retention: { mode: 'COMPLIANCE', days: 1000 } });
  });

  it('is versioned (Object Lock needs it), the lock and the lifecycle set after versioning', () => {
    expect(ofBucket(home, 'aws_s3_bucket_versioning', BUCKET).versioning_configuration).toEqual({ status: 'Enabled' });
    for (const type of ['aws_s3_bucket_object_lock_configuration', 'aws_s3_bucket_lifecycle_configuration']) {
      expect(ofBucket(home, type, BUCKET).depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\.evidence_versioning_/)]);
    }
  });

  it('removes a record only after its retention: a delete marker at retentionDays, the version a day later (lifecycle never removes a locked version)', () => {
    const rules = (json: any) => ofBucket(json, 'aws_s3_bucket_lifecycle_configuration', BUCKET).rule;
    expect(rules(home)).toEqual([
      {
        id: 'expire-after-retention',
        status: 'Enabled',
        filter: [{}],
        expiration: [{ days: 400 }],
        noncurrent_version_expiration: [{ noncurrent_days: 1 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
      },
    ]);
    expect(rules(securityHome(30))[0].expiration).toEqual([{ days: 30 }]);
  });

  it('encrypts by default with its own rotating customer managed key (alias/<org>-evidence), S3 bucket keys on', () => {
    const sse = ofBucket(home, 'aws_s3_bucket_server_side_encryption_configuration', BUCKET);
    expect(sse.rule).toEqual([
      {
        apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(EVIDENCE_KEY) },
        bucket_key_enabled: true,
      },
    ]);
    const key = findResource(home, 'aws_kms_key', (k) => k.description.includes(BUCKET));
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    const alias = findResource(home, 'aws_kms_alias', (a) => a.name === 'alias/acme-evidence');
    expect(alias.target_key_id).toMatch(/^\$\{aws_kms_key\.evidence_key_\w+\.key_id\}$/);
  });

  it('blocks public access (all four settings), bucket owner enforced (no ACLs)', () => {
    for (const name of [BUCKET, RESULTS]) {
      expect(ofBucket(home, 'aws_s3_bucket_public_access_block', name)).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(ofBucket(home, 'aws_s3_bucket_ownership_controls', name).rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
      // The policy is written after the public access block (both at once: OperationAborted).
      expect(ofBucket(home, 'aws_s3_bucket_policy', name).depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_public_access_block\./)]);
    }
  });

  it('refuses every request without TLS, from anyone, on the bucket and its objects (the results bucket too)', () => {
    for (const [name, arn] of [
      [BUCKET, BUCKET_ARN],
      [RESULTS, `arn:aws:s3:::${RESULTS}`],
    ]) {
      expect(bucketPolicy(home, name).Statement).toContainEqual({
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
    }
  });

  it('lets the alerting roles of the organization only put objects under decisions/, by org id and role-name patterns', () => {
    const allows = bucketPolicy().Statement.filter((s: any) => s.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Sid: 'OrganizationRespondersWriteRecords',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Resource: `${BUCKET_ARN}/decisions/*`,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }, ArnLike: { 'aws:PrincipalArn': WRITERS } },
      },
    ]);
  });

  it('never lets them delete, change retention or legal hold, read, list, or reconfigure the bucket', () => {
    const denies = bucketPolicy().Statement.filter((s: any) => s.Effect === 'Deny' && s.Condition?.ArnLike);
    for (const st of denies) expect(st.Condition).toEqual({ ArnLike: { 'aws:PrincipalArn': WRITERS } });
    const denied = denies.flatMap(actions);
    for (const action of [
      's3:DeleteObject*',
      's3:PutObjectRetention',
      's3:PutObjectLegalHold',
      's3:BypassGovernanceRetention',
      's3:GetObject*',
      's3:ListBucket*',
      's3:PutBucket*',
    ]) {
      expect(denied).toContain(action);
    }
    expect(denies.find((s: any) => actions(s).includes('s3:DeleteObject*')).Resource).toBe(`${BUCKET_ARN}/*`);
    expect(denies.find((s: any) => actions(s).includes('s3:PutBucket*')).Resource).toEqual([BUCKET_ARN, `${BUCKET_ARN}/*`]);
  });

  it('gives the organization no read: no Get or List in any allow of the bucket, no kms:Decrypt in the key for anyone but the account', () => {
    const allowed = bucketPolicy()
      .Statement.filter((s: any) => s.Effect === 'Allow')
      .flatMap(actions);
    expect(allowed).toEqual(['s3:PutObject']);
    const keyAllows = keyPolicy().Statement.filter((s: any) => s.Effect === 'Allow' && s.Principal.AWS !== 'arn:aws:iam::222222222222:root');
    expect(keyAllows.flatMap(actions)).toEqual(['kms:GenerateDataKey']);
  });

  it('key policy: the account administers it; the organization’s writers may only generate data keys, through S3 in the home region', () => {
    expect(keyPolicy().Statement).toEqual([
      { Sid: 'SecurityAccountAdministersKey', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'OrganizationRespondersEncryptRecords',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'kms:GenerateDataKey',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5', 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
          ArnLike: { 'aws:PrincipalArn': WRITERS },
        },
      },
    ]);
  });

  it('exists once, in the security home stack only', () => {
    for (const [name, stack] of fleet.stacks) {
      const buckets = values(synthJson(stack), 'aws_s3_bucket').map((b) => b.bucket);
      expect(buckets.sort()).toEqual(name === 'security-us-east-1' ? [RESULTS, BUCKET] : []);
    }
  });
});

describe('the writers’ own roles (cross-account, their policy must allow it too)', () => {
  const rolePolicy = (stack: string, fn: string) =>
    JSON.parse(findResource(synthJson(fleet.stacks.get(stack)!), 'aws_iam_role_policy', (p) => p.name === `acme-${fn}-permissions`).policy);
  const WRITE = { Sid: 'WriteEvidence', Effect: 'Allow', Action: 's3:PutObject', Resource: `${BUCKET_ARN}/decisions/*` };
  const ENCRYPT = {
    Sid: 'EncryptEvidence',
    Effect: 'Allow',
    Action: 'kms:GenerateDataKey',
    Resource: 'arn:aws:kms:us-east-1:222222222222:key/*',
    Condition: {
      'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/acme-evidence' },
      StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
    },
  };

  it.each([
    ['payments-prod-eu-west-1', 'respond', 'arn:aws:sqs:eu-west-1:333333333333:acme-respond-dlq'],
    ['payments-prod-us-east-1', 'quarantine-user', 'arn:aws:sqs:us-east-1:333333333333:acme-quarantine-user-dlq'],
    ['security-us-east-1', 'escalate', 'arn:aws:sqs:us-east-1:222222222222:acme-escalate-dlq'],
    ['security-us-east-1', 'route', 'arn:aws:sqs:us-east-1:222222222222:acme-route-dlq'],
  ])('%s: %s may put records (decisions/ only) with the evidence key through S3, and dead-letter a record it could not write', (stack, fn, dlq) => {
    const doc = rolePolicy(stack, fn);
    expect(doc.Statement).toEqual(
      expect.arrayContaining([WRITE, ENCRYPT, { Sid: 'DeadLetterQueue', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: dlq }]),
    );
    // Nothing else on the bucket or the evidence key.
    const text = JSON.stringify(doc.Statement.filter((s: any) => s !== undefined && s.Sid !== 'WriteEvidence' && s.Sid !== 'EncryptEvidence'));
    expect(text).not.toContain(BUCKET);
    expect(text).not.toContain('alias/acme-evidence');
  });

  it('the router, which records tickets, may still not publish to the alert topic (its own intake)', () => {
    const published = rolePolicy('security-us-east-1', 'route')
      .Statement.filter((st: any) => actions(st).includes('sns:Publish'))
      .flatMap((st: any) => [st.Resource].flat());
    expect(published.length).toBeGreaterThan(0);
    expect(published).not.toContain('arn:aws:sns:us-east-1:222222222222:acme-security-alerts');
    const topicPolicy = JSON.parse(findResource(home, 'aws_sns_topic_policy', (p) => p.policy.includes('OrganizationRespondersPublish')).policy);
    expect(JSON.stringify(topicPolicy)).not.toContain('role/acme-route');
  });
});

describe('querying: Glue table, Athena workgroup and named queries', () => {
  const table = () => findResource(home, 'aws_glue_catalog_table', (t) => t.name === 'decisions');

  it('a JSON table over decisions/ in the <org>_evidence database', () => {
    expect(findResource(home, 'aws_glue_catalog_database', (d) => d.name === 'acme_evidence')).toBeDefined();
    const t = table();
    expect(t.database_name).toMatch(/^\$\{aws_glue_catalog_database\.evidence_database_\w+\.name\}$/);
    expect(t.table_type).toBe('EXTERNAL_TABLE');
    expect(t.storage_descriptor).toMatchObject({
      location: `s3://${BUCKET}/decisions/`,
      input_format: 'org.apache.hadoop.mapred.TextInputFormat',
      output_format: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      ser_de_info: { serialization_library: 'org.openx.data.jsonserde.JsonSerDe' },
    });
  });

  it('partitioned by dt with date projection by day from 2025-01-01 to now, the template escaped from Terraform interpolation', () => {
    const t = table();
    expect(t.partition_keys).toEqual([expect.objectContaining({ name: 'dt', type: 'string' })]);
    expect(t.parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2025-01-01,NOW',
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'DAYS',
      // $${dt} in Terraform's syntax is the literal ${dt} Athena reads.
      'storage.location.template': `s3://${BUCKET}/decisions/dt=$\${dt}/`,
    });
  });

  it('a column for every scalar field of the record, calls, alert, investigation and ticket as structs; undo kept in the JSON only', () => {
    expect(table().storage_descriptor.columns.map((c: any) => `${c.name} ${c.type}`)).toEqual([
      'schema_version int',
      'record_id string',
      'function string',
      'organization string',
      'account_id string',
      'account_name string',
      'region string',
      'finding_id string',
      'product_arn string',
      'control_id string',
      'severity string',
      'category string',
      'escalate boolean',
      'action string',
      'mode string',
      'status string',
      'outcome string',
      'ignored boolean',
      'reason string',
      'would_remediate boolean',
      'calls array<struct<service:string,operation:string>>',
      'alert struct<subject:string>',
      'first_seen_at string',
      'handled_at string',
      'remediated_at string',
      'investigation struct<investigation_id:string,entity_arn:string,status:string,severity:string,console_link:string>',
      'ticket struct<system:string,key:string,url:string,status:string,alert_id:string>',
    ]);
  });

  it('an Athena workgroup that enforces its result location (the results bucket) and KMS encryption with the evidence key', () => {
    const wg = findResource(home, 'aws_athena_workgroup', (w) => w.name === 'acme-evidence');
    expect(wg.configuration).toMatchObject({
      enforce_workgroup_configuration: true,
      engine_version: { selected_engine_version: 'Athena engine version 3' },
      result_configuration: {
        output_location: `s3://${RESULTS}/`,
        expected_bucket_owner: '222222222222',
        encryption_configuration: { encryption_option: 'SSE_KMS', kms_key_arn: expect.stringMatching(EVIDENCE_KEY) },
      },
    });
    expect(wg.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket\.evidence_results-bucket_/)]);
  });

  it('query results: encrypted with the evidence key, expired after 30 days, emptied on destroy (a cache, not evidence)', () => {
    const results = findResource(home, 'aws_s3_bucket', (b) => b.bucket === RESULTS);
    expect(results.force_destroy).toBe(true);
    expect(results.object_lock_enabled).toBeUndefined();
    expect(ofBucket(home, 'aws_s3_bucket_server_side_encryption_configuration', RESULTS).rule[0].apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: 'aws:kms',
      kms_master_key_id: expect.stringMatching(EVIDENCE_KEY),
    });
    expect(ofBucket(home, 'aws_s3_bucket_lifecycle_configuration', RESULTS).rule[0]).toMatchObject({ status: 'Enabled', expiration: [{ days: 30 }] });
    // The evidence bucket itself is never force-destroyed.
    expect(findResource(home, 'aws_s3_bucket', (b) => b.bucket === BUCKET).force_destroy).toBeUndefined();
  });

  it('one named query per KPI, in the workgroup and database, over the last 30 days', () => {
    const queries = values(home, 'aws_athena_named_query');
    expect(queries.map((q) => q.name).sort()).toEqual(KPI_QUERIES.map((k) => `acme-${k.name}`).sort());
    for (const kpi of KPI_QUERIES) {
      const q = queries.find((x) => x.name === `acme-${kpi.name}`);
      expect(q.workgroup).toMatch(/^\$\{aws_athena_workgroup\.evidence_workgroup_\w+\.name\}$/);
      expect(q.database).toMatch(/^\$\{aws_glue_catalog_database\.evidence_database_\w+\.name\}$/);
      // The KPI's SQL, on one line (a multi-line string's HCL form, a heredoc, would add a newline).
      const sql = namedQuerySql(kpi, 'acme_evidence', 'decisions', 30);
      expect(q.query).not.toContain('\n');
      expect(q.query.replace(/\s+/g, ' ')).toBe(
        sql
          .replace(/\s+/g, ' ')
          .replaceAll('${', () => '$${')
          .replaceAll('%{', () => '%%{'),
      );
      expect(q.description).toContain(kpi.description);
    }
  });
});
