import { ALWAYS_ESCALATE, CATEGORIES, classify, criticalTagOf } from '../../../../functions/shared/classify';
import { control, guardDuty, ocsf, ocsfControlFindingJson, ocsfGuardDutyFindingJson, resources, settings, thirdParty } from './fixtures';

const nonProd = settings({ production: false });
const prod = settings({ production: true, accountName: 'payments-prod' });

const paymentsBucket = resources.bucket('payments-ledger', { app: 'payments', env: 'prod' });
const otherBucket = resources.bucket('marketing-site', { app: 'marketing' });

describe('classify: structured fields decide before title keywords', () => {
  it('CloudWatch.1 is logging-monitoring although its title names the root user', () => {
    const f = control('CloudWatch.1', 'A log metric filter and alarm should exist for usage of the "root" user', 'LOW');
    const c = classify(f, nonProd);
    expect(c.category).toBe('logging-monitoring');
    expect(c.reasons[0]).toBe('logging-monitoring: control CloudWatch.1');
    expect(c.escalate).toBe(false);
  });

  it('a lower-ranked control (encryption, CloudTrail.2) wins over a higher-ranked title keyword ("public")', () => {
    const f = control('CloudTrail.2', 'CloudTrail should have encryption at-rest enabled (trail for the public website account)', 'MEDIUM');
    expect(classify(f, nonProd).category).toBe('encryption');
  });

  it('IAM.9 (root MFA) is critical-admin-root, not mfa', () => {
    const c = classify(control('IAM.9', 'MFA should be enabled for the root user', 'CRITICAL'), nonProd);
    expect(c.category).toBe('critical-admin-root');
  });

  it('a GuardDuty credential type on a root access key is critical-admin-root, not credential-compromise', () => {
    const f = guardDuty(
      'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
      'API ListBuckets was invoked from a known malicious IP address.',
      'MEDIUM',
      [resources.accessKey('Root', 'Root', 'ASIASR75JUREFGK6G3JJ')],
      'Initial Access',
    );
    const c = classify(f, nonProd);
    expect(c.category).toBe('critical-admin-root');
    expect(c.reasons[0]).toMatch(/^critical-admin-root: resource AwsIamAccessKey .*principal type Root/);
  });

  it('the same GuardDuty type on an IAM user key is credential-compromise', () => {
    const f = guardDuty(
      'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
      'API ListBuckets was invoked from a known malicious IP address.',
      'MEDIUM',
      [resources.accessKey('IAMUser', 'alice')],
      'Initial Access',
    );
    expect(classify(f, nonProd).category).toBe('credential-compromise');
  });

  it('falls back to a title keyword only when no structured rule matches', () => {
    const c = classify(
      thirdParty('Bucket payments-exports is publicly readable', 'HIGH', [otherBucket], ['Software and Configuration Checks/Vulnerabilities/CVE']),
      nonProd,
    );
    expect(c.category).toBe('public-exposure');
    expect(c.reasons[0]).toBe('public-exposure: title mentions "publicly"');
  });
});

describe('classify: categories when no rule matches', () => {
  it('other-high for a HIGH finding (EC2.2 default security group)', () => {
    const c = classify(
      control('EC2.2', 'VPC default security groups should not allow inbound or outbound traffic', 'HIGH', [resources.securityGroup()]),
      nonProd,
    );
    expect(c.category).toBe('other-high');
    expect(c.reasons[0]).toBe('other-high: no specific rule matched; reported severity HIGH');
  });

  it('standard-compliance for a lower-severity control finding (S3.13 lifecycle)', () => {
    const c = classify(control('S3.13', 'S3 general purpose buckets should have Lifecycle configurations', 'LOW', [otherBucket]), nonProd);
    expect(c.category).toBe('standard-compliance');
    expect(c.reasons).toEqual(['standard-compliance: no specific rule matched control S3.13']);
    expect(c.escalate).toBe(false);
  });

  it('other for a lower-severity finding without a control id (GuardDuty Recon:EC2/PortProbeUnprotectedPort)', () => {
    const c = classify(
      guardDuty(
        'Recon:EC2/PortProbeUnprotectedPort',
        'Unprotected port on EC2 instance i-0a1b2c3d4e5f60718 is being probed.',
        'LOW',
        [resources.instance()],
        'Discovery',
      ),
      nonProd,
    );
    expect(c.category).toBe('other');
  });

  it('uses the reported severity, not the raised one, to choose other-high', () => {
    const c = classify(control('S3.13', 'S3 general purpose buckets should have Lifecycle configurations', 'MEDIUM', [paymentsBucket]), nonProd);
    expect(c.severity).toBe('CRITICAL');
    expect(c.category).toBe('standard-compliance');
  });

  it('only ever returns a declared category', () => {
    const c = classify(thirdParty('Something odd', 'LOW', [otherBucket], []), nonProd);
    expect(CATEGORIES).toContain(c.category);
  });
});

describe('classify: severity raise for criticalResourceTags', () => {
  it('raises a MEDIUM finding on a resource tagged app=payments to CRITICAL and escalates it', () => {
    const c = classify(control('S3.9', 'S3 general purpose buckets should have server access logging enabled', 'MEDIUM', [paymentsBucket]), nonProd);
    expect(c.severity).toBe('CRITICAL');
    expect(c.escalate).toBe(true);
    expect(c.reasons).toEqual([
      'logging-monitoring: control S3.9',
      'severity raised from MEDIUM to CRITICAL: resource tagged app=payments',
      'escalate: severity CRITICAL',
    ]);
  });

  it('raises when any of the finding resources carries the tag', () => {
    const c = classify(control('S3.9', 'S3 general purpose buckets should have server access logging enabled', 'LOW', [otherBucket, paymentsBucket]), nonProd);
    expect(c.severity).toBe('CRITICAL');
  });

  it('needs the exact key and value', () => {
    const wrongValue = resources.bucket('billing', { app: 'billing' });
    const wrongCase = resources.bucket('payments-b', { App: 'payments' });
    expect(
      classify(control('S3.9', 'S3 general purpose buckets should have server access logging enabled', 'MEDIUM', [wrongValue, wrongCase]), nonProd).severity,
    ).toBe('MEDIUM');
  });

  it('takes precedence over the production raise (CRITICAL, one reason)', () => {
    const c = classify(control('S3.9', 'S3 general purpose buckets should have server access logging enabled', 'LOW', [paymentsBucket]), prod);
    expect(c.severity).toBe('CRITICAL');
    expect(c.reasons.filter((r) => r.startsWith('severity raised'))).toEqual(['severity raised from LOW to CRITICAL: resource tagged app=payments']);
  });

  it('leaves an already CRITICAL finding as it is, without a raise reason', () => {
    const c = classify(control('S3.2', 'S3 general purpose buckets should block public read access', 'CRITICAL', [paymentsBucket]), prod);
    expect(c.severity).toBe('CRITICAL');
    expect(c.reasons.some((r) => r.startsWith('severity raised'))).toBe(false);
  });

  it('does nothing for an account without criticalResourceTags', () => {
    const c = classify(
      control('S3.9', 'S3 general purpose buckets should have server access logging enabled', 'MEDIUM', [paymentsBucket]),
      settings({ criticalResourceTags: [] }),
    );
    expect(c.severity).toBe('MEDIUM');
  });

  it('criticalTagOf names the first matching tag as key=value', () => {
    const f = control('S3.9', 'S3 general purpose buckets should have server access logging enabled', 'MEDIUM', [otherBucket, paymentsBucket]);
    expect(
      criticalTagOf(
        f,
        settings({
          criticalResourceTags: [
            { key: 'env', value: 'prod' },
            { key: 'app', value: 'payments' },
          ],
        }),
      ),
    ).toBe('env=prod');
    expect(criticalTagOf(f, settings({ criticalResourceTags: [{ key: 'tier', value: 'gold' }] }))).toBeUndefined();
  });
});

describe('classify: production raise', () => {
  it.each([
    ['LOW', 'MEDIUM'],
    ['MEDIUM', 'HIGH'],
    ['HIGH', 'CRITICAL'],
  ] as const)('raises %s to %s, one step', (reported, raised) => {
    const c = classify(control('S3.13', 'S3 general purpose buckets should have Lifecycle configurations', reported, [otherBucket]), prod);
    expect(c.severity).toBe(raised);
    expect(c.reasons).toContain(`severity raised from ${reported} to ${raised}: production account payments-prod`);
  });

  it('leaves INFORMATIONAL and CRITICAL as they are', () => {
    expect(classify(control('S3.13', 'S3 general purpose buckets should have Lifecycle configurations', 'INFORMATIONAL', [otherBucket]), prod).severity).toBe(
      'INFORMATIONAL',
    );
    expect(classify(control('S3.2', 'S3 general purpose buckets should block public read access', 'CRITICAL', [otherBucket]), prod).severity).toBe('CRITICAL');
  });

  it('does not raise outside production', () => {
    const c = classify(control('S3.13', 'S3 general purpose buckets should have Lifecycle configurations', 'MEDIUM', [otherBucket]), nonProd);
    expect(c.severity).toBe('MEDIUM');
    expect(c.reasons.some((r) => r.startsWith('severity raised'))).toBe(false);
  });

  it('a HIGH public exposure in production becomes CRITICAL and escalates; outside production it does not escalate', () => {
    const f = control('EC2.13', 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22', 'HIGH', [resources.securityGroup()]);
    const inProd = classify(f, prod);
    expect(inProd).toEqual({
      category: 'public-exposure',
      severity: 'CRITICAL',
      escalate: true,
      reasons: ['public-exposure: control EC2.13', 'severity raised from HIGH to CRITICAL: production account payments-prod', 'escalate: severity CRITICAL'],
    });
    const outside = classify(f, nonProd);
    expect(outside).toEqual({ category: 'public-exposure', severity: 'HIGH', escalate: false, reasons: ['public-exposure: control EC2.13'] });
  });
});

describe('classify: escalation', () => {
  it('always escalates root/admin, malware and credential compromise, even at LOW outside production', () => {
    expect(ALWAYS_ESCALATE).toEqual(['critical-admin-root', 'malware', 'credential-compromise']);
    const root = classify(
      guardDuty('Policy:IAMUser/RootCredentialUsage', 'The API GetDetector was invoked using root credentials.', 'LOW', [
        resources.accessKey('Root', 'Root', 'ASIASR75JUREFGK6G3JJ'),
      ]),
      nonProd,
    );
    expect(root).toMatchObject({ category: 'critical-admin-root', severity: 'LOW', escalate: true });
    expect(root.reasons).toEqual([
      'critical-admin-root: GuardDuty type Policy:IAMUser/RootCredentialUsage',
      'escalate: critical-admin-root always reaches a person',
    ]);

    const miner = classify(
      guardDuty(
        'CryptoCurrency:EC2/BitcoinTool.B!DNS',
        'EC2 instance i-0a1b2c3d4e5f60718 is querying a domain name associated with Bitcoin activity.',
        'HIGH',
        [resources.instance()],
        'Command and Control',
      ),
      nonProd,
    );
    expect(miner).toMatchObject({ category: 'malware', severity: 'HIGH', escalate: true });

    const exfil = classify(
      guardDuty(
        'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
        'Credentials for instance role web-role used from external IP address.',
        'HIGH',
        [resources.accessKey('AssumedRole', 'web-role', 'ASIAEXAMPLEKEY000001')],
        'Initial Access',
      ),
      nonProd,
    );
    expect(exfil).toMatchObject({ category: 'credential-compromise', escalate: true });
  });

  it('does not escalate MEDIUM encryption, MFA or logging findings outside production', () => {
    for (const f of [
      control('S3.5', 'S3 general purpose buckets should require requests to use SSL', 'MEDIUM', [otherBucket]),
      control('IAM.19', 'MFA should be enabled for all IAM users', 'MEDIUM'),
      control('EC2.6', 'VPC flow logging should be enabled in all VPCs', 'MEDIUM'),
    ]) {
      const c = classify(f, nonProd);
      expect(c.escalate).toBe(false);
      expect(c.reasons.some((r) => r.startsWith('escalate'))).toBe(false);
    }
  });

  it('escalates a reported CRITICAL finding whatever its category', () => {
    const c = classify(
      control('EC2.19', 'Security groups should not allow unrestricted access to ports with high risk', 'CRITICAL', [resources.securityGroup()]),
      nonProd,
    );
    expect(c).toMatchObject({ category: 'public-exposure', escalate: true });
    expect(c.reasons).toEqual(['public-exposure: control EC2.19', 'escalate: severity CRITICAL']);
  });
});

describe('classify: OCSF findings (Security Hub V2)', () => {
  it('reads the control id from compliance.control and critical tags from resources[].tags', () => {
    const raw = ocsfControlFindingJson('S3.8', 'S3 general purpose buckets should block public access', 4, {
      type: 'AWS::S3::Bucket',
      uid: 'arn:aws:s3:::payments-ledger',
      tags: [{ name: 'app', value: 'payments' }],
    });
    const c = classify(ocsf(raw), nonProd);
    expect(c).toEqual({
      category: 'public-exposure',
      severity: 'CRITICAL',
      escalate: true,
      reasons: ['public-exposure: control S3.8', 'severity raised from HIGH to CRITICAL: resource tagged app=payments', 'escalate: severity CRITICAL'],
    });
  });

  it('reads the GuardDuty type from finding_info.types', () => {
    const raw = ocsfGuardDutyFindingJson('Policy:IAMUser/RootCredentialUsage', 'The API GetDetector was invoked using root credentials.', 2, {
      type: 'AWS::IAM::AccessKey',
      uid: 'ASIASR75JUREFGK6G3JJ',
    });
    const c = classify(ocsf(raw), prod);
    expect(c).toMatchObject({ category: 'critical-admin-root', severity: 'MEDIUM', escalate: true });
  });
});
