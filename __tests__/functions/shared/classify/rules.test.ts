import {
  RULES,
  STRUCTURED_RULES,
  TITLE_RULES,
  criticalAdminRoot,
  criticalAdminRootByTitle,
  credentialCompromise,
  encryption,
  encryptionByTitle,
  loggingMonitoring,
  loggingMonitoringByTitle,
  malware,
  malwareByTitle,
  mfa,
  mfaByTitle,
  publicExposure,
  publicExposureByTitle,
  type ClassificationRule,
} from '../../../../functions/shared/classify/rules';
import type { Finding } from '../../../../functions/shared/finding';
import { control, guardDuty, ocsf, ocsfGuardDutyFindingJson, resources, thirdParty } from './fixtures';

/** cdk-nag style: each rule has findings it must match (with the reason it gives) and findings it must not. */
function expectMatches(rule: ClassificationRule, finding: Finding, reason: string | RegExp) {
  const why = rule.match(finding);
  expect(why).toBeDefined();
  if (typeof reason === 'string') expect(why).toBe(reason);
  else expect(why).toMatch(reason);
}
function expectNoMatch(rule: ClassificationRule, finding: Finding) {
  expect(rule.match(finding)).toBeUndefined();
}

const sg = [resources.securityGroup()];
const instance = [resources.instance()];
const userKey = [resources.accessKey('IAMUser', 'alice')];
const rootKey = [resources.accessKey('Root', 'Root', 'ASIASR75JUREFGK6G3JJ')];

describe('rule order', () => {
  it('puts every structured rule before every title rule', () => {
    expect(RULES.map((r) => r.basis)).toEqual([...STRUCTURED_RULES.map(() => 'structured'), ...TITLE_RULES.map(() => 'title')]);
    expect(STRUCTURED_RULES.every((r) => r.basis === 'structured')).toBe(true);
    expect(TITLE_RULES.every((r) => r.basis === 'title')).toBe(true);
  });

  it('ranks categories root/admin, malware, credential compromise, public exposure, encryption, MFA, logging in both passes', () => {
    const order = ['critical-admin-root', 'malware', 'credential-compromise', 'public-exposure', 'encryption', 'mfa', 'logging-monitoring'];
    expect(STRUCTURED_RULES.map((r) => r.category)).toEqual(order);
    const titleOrder: string[] = TITLE_RULES.map((r) => r.category);
    expect(titleOrder).toEqual(order.filter((c) => titleOrder.includes(c)));
  });
});

describe('criticalAdminRoot (structured)', () => {
  describe('matches', () => {
    it.each([
      ['IAM.1', 'IAM policies should not allow full "*" administrative privileges', [resources.iamPolicy()]],
      ['IAM.4', 'IAM root user access key should not exist', [resources.account()]],
      ['IAM.6', 'Hardware MFA should be enabled for the root user', [resources.account()]],
      ['IAM.9', 'MFA should be enabled for the root user', [resources.account()]],
    ])('control %s (%s)', (id, title, res) => {
      expectMatches(criticalAdminRoot, control(id, title, 'CRITICAL', res), `control ${id}`);
    });

    it('GuardDuty Policy:IAMUser/RootCredentialUsage, read from the ASFF Types entry', () => {
      const f = guardDuty('Policy:IAMUser/RootCredentialUsage', 'The API GetDetector was invoked using root credentials.', 'LOW', rootKey);
      expect(f.guardDutyType).toBe('Policy:IAMUser/RootCredentialUsage');
      expectMatches(criticalAdminRoot, f, 'GuardDuty type Policy:IAMUser/RootCredentialUsage');
    });

    it('GuardDuty Policy:IAMUser/ShortTermRootCredentialUsage (temporary root session)', () => {
      const f = guardDuty('Policy:IAMUser/ShortTermRootCredentialUsage', 'The API ListUsers was invoked using restricted root user credentials.', 'LOW', [
        resources.account(),
      ]);
      expectMatches(criticalAdminRoot, f, 'GuardDuty type Policy:IAMUser/ShortTermRootCredentialUsage');
    });

    it('any finding on an AwsIamAccessKey whose PrincipalType is Root, whatever its GuardDuty type', () => {
      const f = guardDuty(
        'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
        'API ListBuckets was invoked from a known malicious IP address.',
        'MEDIUM',
        rootKey,
        'Initial Access',
      );
      expectMatches(criticalAdminRoot, f, 'resource AwsIamAccessKey AWS::IAM::AccessKey:ASIASR75JUREFGK6G3JJ: principal type Root (the account root user)');
    });
  });

  describe('does not match', () => {
    it.each([
      ['IAM.5', 'MFA should be enabled for all IAM users that have a console password'],
      ['IAM.19', 'MFA should be enabled for all IAM users'],
      ['IAM.3', "IAM users' access keys should be rotated every 90 days or less"],
    ])('control %s (%s): about IAM users, not root or admin', (id, title) => {
      expectNoMatch(criticalAdminRoot, control(id, title, 'MEDIUM'));
    });

    it('CloudWatch.1, the root-usage alarm: a monitoring control whose title names the root user', () => {
      expectNoMatch(criticalAdminRoot, control('CloudWatch.1', 'A log metric filter and alarm should exist for usage of the "root" user', 'LOW'));
    });

    it('an IAM finding on an ordinary IAM user key', () => {
      expectNoMatch(
        criticalAdminRoot,
        guardDuty('UnauthorizedAccess:IAMUser/MaliciousIPCaller', 'API invoked from a known malicious IP address.', 'MEDIUM', userKey, 'Initial Access'),
      );
    });

    it('the retired PrivilegeEscalation:IAMUser/AdministrativePermissions type on a user key (no longer a root/admin rule)', () => {
      expectNoMatch(
        criticalAdminRoot,
        guardDuty(
          'PrivilegeEscalation:IAMUser/AdministrativePermissions',
          'Principal alice attempted to assign a highly permissive policy to themselves.',
          'MEDIUM',
          userKey,
          'Privilege Escalation',
        ),
      );
    });

    it('a title that mentions root without any structured field (left to the title pass)', () => {
      expectNoMatch(criticalAdminRoot, thirdParty('Root account has active access keys', 'CRITICAL', [resources.account()]));
    });
  });
});

describe('malware (structured)', () => {
  describe('matches', () => {
    it.each([
      ['Backdoor:EC2/C&CActivity.B!DNS', 'Command and Control'],
      ['Trojan:EC2/DNSDataExfiltration', 'Command and Control'],
      ['CryptoCurrency:EC2/BitcoinTool.B!DNS', 'Command and Control'],
      ['Execution:EC2/MaliciousFile', 'Execution'],
      ['Execution:EC2/MaliciousFile!Snapshot', 'Execution'],
      ['Execution:Runtime/MaliciousFileExecuted', 'Execution'],
      ['Impact:Runtime/CryptoMinerExecuted', undefined],
      ['Backdoor:Lambda/C&CActivity.B', 'Command and Control'],
    ])('GuardDuty %s', (gdType, tactic) => {
      const f = guardDuty(gdType, `${gdType} detected on i-0a1b2c3d4e5f60718`, 'HIGH', instance, tactic);
      expectMatches(malware, f, `GuardDuty type ${gdType}`);
    });

    it('GuardDuty Object:S3/MaliciousFile (Malware Protection for S3)', () => {
      const f = guardDuty(
        'Object:S3/MaliciousFile',
        'A malicious file was uploaded to payments-uploads.',
        'HIGH',
        [resources.bucket('payments-uploads')],
        'Execution',
      );
      expectMatches(malware, f, 'GuardDuty type Object:S3/MaliciousFile');
    });

    it('a GuardDuty-style classifier in Types from a product not recognised as GuardDuty', () => {
      const f = thirdParty('C&C traffic from i-0a1b2c3d4e5f60718', 'HIGH', instance, ['TTPs/Command and Control/Backdoor:EC2-C&CActivity.B']);
      expect(f.guardDutyType).toBeUndefined();
      expectMatches(malware, f, 'finding type TTPs/Command and Control/Backdoor:EC2-C&CActivity.B');
    });

    it('the ASFF Malware list', () => {
      const f = thirdParty('Suspicious process on i-0a1b2c3d4e5f60718', 'MEDIUM', instance, ['Unusual Behaviors/Process'], {
        Malware: [{ Name: 'Stringler', Type: 'COIN_MINER', Path: '/usr/sbin/stringler', State: 'OBSERVED' }],
      });
      expectMatches(malware, f, 'malware reported: Stringler');
    });

    it('a GuardDuty type in an OCSF finding (finding_info.types)', () => {
      const f = ocsf(
        ocsfGuardDutyFindingJson('CryptoCurrency:EC2/BitcoinTool.B!DNS', 'EC2 instance querying a Bitcoin domain', 4, {
          type: 'AWS::EC2::Instance',
          uid: 'arn:aws:ec2:eu-west-1:333333333333:instance/i-0a1b2c3d4e5f60718',
        }),
      );
      expectMatches(malware, f, 'GuardDuty type CryptoCurrency:EC2/BitcoinTool.B!DNS');
    });
  });

  describe('does not match', () => {
    it.each([
      ['UnauthorizedAccess:EC2/TorClient', 'Initial Access'],
      ['Recon:EC2/PortProbeUnprotectedPort', 'Discovery'],
      ['Execution:Runtime/NewBinaryExecuted', 'Execution'],
    ])('GuardDuty %s (suspicious, but no malware)', (gdType, tactic) => {
      expectNoMatch(malware, guardDuty(gdType, `${gdType} on i-0a1b2c3d4e5f60718`, 'HIGH', instance, tactic));
    });

    it('an empty ASFF Malware list', () => {
      expectNoMatch(malware, thirdParty('Suspicious process', 'MEDIUM', instance, ['Unusual Behaviors/Process'], { Malware: [] }));
    });

    it('"Trojan" only in the title', () => {
      expectNoMatch(malware, thirdParty('Possible trojan on build host', 'HIGH', instance, ['Unusual Behaviors/Process']));
    });
  });
});

describe('credentialCompromise (structured)', () => {
  describe('matches', () => {
    it.each([
      ['UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', 'Initial Access'],
      ['UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS', 'Initial Access'],
      ['UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B', 'Initial Access'],
      ['CredentialAccess:IAMUser/AnomalousBehavior', 'Credential Access'],
      ['PenTest:IAMUser/KaliLinux', undefined],
      ['Stealth:IAMUser/CloudTrailLoggingDisabled', 'Defense Evasion'],
    ])('GuardDuty %s on an IAM user key', (gdType, tactic) => {
      expectMatches(credentialCompromise, guardDuty(gdType, `${gdType} by alice`, 'HIGH', userKey, tactic), `GuardDuty type ${gdType}`);
    });

    it('GuardDuty Extended Threat Detection AttackSequence:IAM/CompromisedCredentials (in Security Hub: TTPs/AttackSequence:IAM/CompromisedCredentials, slash kept)', () => {
      const f = guardDuty(
        'AttackSequence:IAM/CompromisedCredentials',
        'Potential data exfiltration using compromised AWS credentials',
        'CRITICAL',
        userKey,
        undefined,
        {
          Types: ['TTPs/AttackSequence:IAM/CompromisedCredentials'],
        },
      );
      expectMatches(credentialCompromise, f, 'GuardDuty type AttackSequence:IAM/CompromisedCredentials');
    });

    it('ASFF Types TTPs/Credential Access from another product', () => {
      const f = thirdParty('Password spraying against the console', 'MEDIUM', [resources.account()], ['TTPs/Credential Access/Brute Force']);
      expectMatches(credentialCompromise, f, 'finding type TTPs/Credential Access/Brute Force');
    });
  });

  describe('does not match', () => {
    it('an EC2 finding that is not about credentials (UnauthorizedAccess:EC2/SSHBruteForce)', () => {
      expectNoMatch(
        credentialCompromise,
        guardDuty(
          'UnauthorizedAccess:EC2/SSHBruteForce',
          '203.0.113.7 is performing SSH brute force attacks against i-0a1b2c3d4e5f60718.',
          'LOW',
          instance,
          'Initial Access',
        ),
      );
    });

    it('the attack sequence of compromised S3 data (AttackSequence:S3/CompromisedData)', () => {
      const f = guardDuty(
        'AttackSequence:S3/CompromisedData',
        'Potential data exfiltration from S3',
        'CRITICAL',
        [resources.bucket('payments-exports')],
        undefined,
        {
          Types: ['TTPs/AttackSequence:S3/CompromisedData'],
        },
      );
      expectNoMatch(credentialCompromise, f);
    });

    it('the old "Unauthorized Access" wording in a Types entry, which is not an ASFF category', () => {
      expectNoMatch(credentialCompromise, thirdParty('Unusual sign-in', 'MEDIUM', [resources.account()], ['Unusual Behaviors/User/Unauthorized Access']));
    });

    it('a control finding about IAM users (IAM.5)', () => {
      expectNoMatch(credentialCompromise, control('IAM.5', 'MFA should be enabled for all IAM users that have a console password', 'MEDIUM'));
    });
  });
});

describe('publicExposure (structured)', () => {
  describe('matches', () => {
    it.each([
      ['EC2.1', 'Amazon EBS snapshots should not be publicly restorable'],
      ['EC2.13', 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22'],
      ['EC2.14', 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 3389'],
      ['EC2.18', 'Security groups should only allow unrestricted incoming traffic for authorized ports'],
      ['EC2.19', 'Security groups should not allow unrestricted access to ports with high risk'],
      ['EC2.53', 'EC2 security groups should not allow ingress from 0.0.0.0/0 to remote server administration ports'],
      ['EC2.54', 'EC2 security groups should not allow ingress from ::/0 to remote server administration ports'],
      ['S3.1', 'S3 general purpose buckets should have block public access settings enabled'],
      ['S3.2', 'S3 general purpose buckets should block public read access'],
      ['S3.3', 'S3 general purpose buckets should block public write access'],
      ['S3.8', 'S3 general purpose buckets should block public access'],
      ['S3.19', 'S3 access points should have block public access settings enabled'],
      ['CloudTrail.6', 'Ensure the S3 bucket used to store CloudTrail logs is not publicly accessible'],
      ['RDS.1', 'RDS snapshot should be private'],
      ['RDS.2', 'RDS DB Instances should prohibit public access, as determined by the PubliclyAccessible configuration'],
      ['Lambda.1', 'Lambda function policies should prohibit public access'],
      ['ES.2', 'Elasticsearch domains should not be publicly accessible'],
      ['Opensearch.2', 'OpenSearch domains should not be publicly accessible'],
      ['Redshift.1', 'Amazon Redshift clusters should prohibit public access'],
      ['DMS.1', 'Database Migration Service replication instances should not be public'],
      ['EKS.1', 'EKS cluster endpoints should not be publicly accessible'],
      ['SSM.4', 'SSM documents should not be public'],
    ])('control %s (%s)', (id, title) => {
      expectMatches(publicExposure, control(id, title, 'HIGH', sg), `control ${id}`);
    });

    it('the legacy ProductFields.ControlId when consolidated control findings are off', () => {
      const f = control('S3.8', 'S3 general purpose buckets should block public access', 'HIGH', [resources.bucket('payments-exports')], {
        legacyProductFieldsOnly: true,
      });
      expectMatches(publicExposure, f, 'control S3.8');
    });

    it.each([
      'Policy:S3/BucketAnonymousAccessGranted',
      'Policy:S3/BucketPublicAccessGranted',
      'Policy:S3/BucketBlockPublicAccessDisabled',
      'Policy:S3/AccountBlockPublicAccessDisabled',
    ])('GuardDuty %s', (gdType) => {
      expectMatches(
        publicExposure,
        guardDuty(gdType, `${gdType} on payments-exports`, 'HIGH', [resources.bucket('payments-exports')]),
        `GuardDuty type ${gdType}`,
      );
    });

    it.each([
      'Effects/Data Exposure',
      'Software and Configuration Checks/AWS Security Best Practices/Network Reachability',
      'Software and Configuration Checks/AWS Security Best Practices/Network Reachability/Recognized port reachable from internet',
    ])('ASFF Types %s', (t) => {
      expectMatches(publicExposure, thirdParty('Port 5432 reachable', 'MEDIUM', sg, [t]), `finding type ${t}`);
    });
  });

  describe('does not match', () => {
    it('EC2.2, the default security group control (not about the internet)', () => {
      expectNoMatch(publicExposure, control('EC2.2', 'VPC default security groups should not allow inbound or outbound traffic', 'HIGH', sg));
    });

    it('EC2.8 (IMDSv2)', () => {
      expectNoMatch(publicExposure, control('EC2.8', 'EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)', 'HIGH', instance));
    });

    it('GuardDuty Stealth:S3/ServerAccessLoggingDisabled', () => {
      expectNoMatch(
        publicExposure,
        guardDuty('Stealth:S3/ServerAccessLoggingDisabled', 'S3 server access logging was disabled for payments-exports.', 'LOW', [
          resources.bucket('payments-exports'),
        ]),
      );
    });

    it('"public" only in the title', () => {
      expectNoMatch(publicExposure, thirdParty('Bucket payments-exports is publicly readable', 'HIGH'));
    });
  });
});

describe('encryption (structured)', () => {
  describe('matches', () => {
    it.each([
      ['S3.5', 'S3 general purpose buckets should require requests to use SSL'],
      ['S3.17', 'S3 general purpose buckets should be encrypted at rest with AWS KMS keys'],
      ['EC2.3', 'Attached Amazon EBS volumes should be encrypted at-rest'],
      ['EC2.7', 'EBS default encryption should be enabled'],
      ['RDS.3', 'RDS DB instances should have encryption at-rest enabled'],
      ['RDS.4', 'RDS cluster snapshots and database snapshots should be encrypted at rest'],
      ['EFS.1', 'Elastic File System should be configured to encrypt file data at-rest using AWS KMS'],
      ['SNS.1', 'SNS topics should be encrypted at-rest using AWS KMS'],
      ['SQS.1', 'Amazon SQS queues should be encrypted at rest'],
      ['KMS.4', 'AWS KMS key rotation should be enabled'],
      ['CloudTrail.2', 'CloudTrail should have encryption at-rest enabled'],
      ['ES.1', 'Elasticsearch domains should have encryption at-rest enabled'],
      ['Opensearch.1', 'OpenSearch domains should have encryption at rest enabled'],
      ['ELB.1', 'Application Load Balancer should be configured to redirect all HTTP requests to HTTPS'],
      ['ELB.2', 'Classic Load Balancers with SSL/HTTPS listeners should use a certificate provided by AWS Certificate Manager'],
      ['ELB.3', 'Classic Load Balancer listeners should be configured with HTTPS or TLS termination'],
    ])('control %s (%s)', (id, title) => {
      expectMatches(encryption, control(id, title, 'MEDIUM'), `control ${id}`);
    });
  });

  describe('does not match', () => {
    it('the retired S3.4 (S3 now encrypts every bucket by default)', () => {
      expectNoMatch(encryption, control('S3.4', 'S3 buckets should have server-side encryption enabled', 'MEDIUM', [resources.bucket('payments-exports')]));
    });

    it('KMS.3 (key deletion, not encryption settings)', () => {
      expectNoMatch(encryption, control('KMS.3', 'AWS KMS keys should not be deleted unintentionally', 'CRITICAL'));
    });

    it('"encrypted" only in the title', () => {
      expectNoMatch(encryption, thirdParty('Volume vol-0abc is not encrypted', 'MEDIUM'));
    });
  });
});

describe('mfa (structured)', () => {
  describe('matches', () => {
    it.each([
      ['IAM.5', 'MFA should be enabled for all IAM users that have a console password'],
      ['IAM.19', 'MFA should be enabled for all IAM users'],
    ])('control %s (%s)', (id, title) => {
      expectMatches(mfa, control(id, title, 'MEDIUM'), `control ${id}`);
    });
  });

  describe('does not match', () => {
    it('IAM.9, root user MFA (a critical-admin-root control)', () => {
      expectNoMatch(mfa, control('IAM.9', 'MFA should be enabled for the root user', 'CRITICAL'));
    });

    it('"MFA" only in the title', () => {
      expectNoMatch(mfa, thirdParty('Console user bob has no MFA device', 'MEDIUM', [resources.account()]));
    });
  });
});

describe('loggingMonitoring (structured)', () => {
  describe('matches', () => {
    it.each([
      ['CloudTrail.1', 'CloudTrail should be enabled and configured with at least one multi-Region trail that includes read and write management events'],
      ['CloudTrail.3', 'At least one CloudTrail trail should be enabled'],
      ['CloudTrail.4', 'CloudTrail log file validation should be enabled'],
      ['CloudTrail.5', 'CloudTrail trails should be integrated with Amazon CloudWatch Logs'],
      ['CloudWatch.1', 'A log metric filter and alarm should exist for usage of the "root" user'],
      ['Config.1', 'AWS Config should be enabled and use the service-linked role for resource recording'],
      ['GuardDuty.1', 'GuardDuty should be enabled'],
      ['S3.9', 'S3 general purpose buckets should have server access logging enabled'],
      ['EC2.6', 'VPC flow logging should be enabled in all VPCs'],
    ])('control %s (%s)', (id, title) => {
      expectMatches(loggingMonitoring, control(id, title, 'MEDIUM'), `control ${id}`);
    });
  });

  describe('does not match', () => {
    it('CloudTrail.6 (its bucket being public is public exposure)', () => {
      expectNoMatch(loggingMonitoring, control('CloudTrail.6', 'Ensure the S3 bucket used to store CloudTrail logs is not publicly accessible', 'CRITICAL'));
    });

    it('"logging" only in the title', () => {
      expectNoMatch(loggingMonitoring, thirdParty('Access logging is disabled on payments-exports', 'LOW'));
    });
  });
});

describe('criticalAdminRootByTitle (title)', () => {
  it('matches a title naming the root user, account or credentials', () => {
    expectMatches(
      criticalAdminRootByTitle,
      thirdParty('Root account has active access keys', 'CRITICAL', [resources.account()]),
      'title mentions "root account"',
    );
    expectMatches(
      criticalAdminRootByTitle,
      thirdParty('Console sign-in with root credentials', 'HIGH', [resources.account()]),
      'title mentions "root credentials"',
    );
  });

  it('does not match "root" in other senses', () => {
    expectNoMatch(criticalAdminRootByTitle, thirdParty('ECS containers should be limited to read-only access to root filesystems', 'HIGH'));
    expectNoMatch(criticalAdminRootByTitle, thirdParty('CloudFront distributions should have a default root object configured', 'HIGH'));
  });
});

describe('malwareByTitle (title)', () => {
  it('matches malware words', () => {
    expectMatches(malwareByTitle, thirdParty('Ransomware note found on fileserver', 'CRITICAL', instance), 'title mentions "ransomware"');
    expectMatches(malwareByTitle, thirdParty('Crypto miner process detected', 'HIGH', instance), 'title mentions "crypto miner"');
  });

  it('does not match other titles', () => {
    expectNoMatch(malwareByTitle, thirdParty('Outdated OpenSSL package', 'HIGH', instance));
  });
});

describe('publicExposureByTitle (title)', () => {
  it('matches "public" and world-open CIDRs', () => {
    expectMatches(publicExposureByTitle, thirdParty('Bucket payments-exports is publicly readable', 'HIGH'), 'title mentions "publicly"');
    expectMatches(publicExposureByTitle, thirdParty('Port 5432 open to 0.0.0.0/0', 'HIGH', sg), 'title mentions "0.0.0.0/0"');
    expectMatches(publicExposureByTitle, thirdParty('Port 22 open to ::/0', 'HIGH', sg), 'title mentions "::/0"');
  });

  it('does not match "republic" or private ranges', () => {
    expectNoMatch(publicExposureByTitle, thirdParty('Data residency outside the Czech Republic', 'LOW'));
    expectNoMatch(publicExposureByTitle, thirdParty('Port 5432 open to 10.0.0.0/8', 'LOW', sg));
  });
});

describe('encryptionByTitle (title)', () => {
  it('matches encryption and transport-security words', () => {
    expectMatches(encryptionByTitle, thirdParty('Volume vol-0abc is not encrypted', 'MEDIUM'), 'title mentions "encrypted"');
    expectMatches(encryptionByTitle, thirdParty('Listener accepts TLS 1.0', 'MEDIUM'), 'title mentions "tls"');
  });

  it('does not match words that merely contain the letters', () => {
    expectNoMatch(encryptionByTitle, thirdParty('Unused SSLVPN-free subnet', 'LOW'));
    expectNoMatch(encryptionByTitle, thirdParty('Instance lacks patches', 'LOW', instance));
  });
});

describe('mfaByTitle (title)', () => {
  it('matches MFA and multi-factor', () => {
    expectMatches(mfaByTitle, thirdParty('Console user bob has no MFA device', 'MEDIUM', [resources.account()]), 'title mentions "mfa"');
    expectMatches(mfaByTitle, thirdParty('Multi-factor authentication disabled for bob', 'MEDIUM', [resources.account()]), 'title mentions "multi-factor"');
  });

  it('does not match unrelated titles', () => {
    expectNoMatch(mfaByTitle, thirdParty('Password policy allows reuse', 'LOW', [resources.account()]));
  });
});

describe('loggingMonitoringByTitle (title)', () => {
  it('matches logging and CloudTrail', () => {
    expectMatches(loggingMonitoringByTitle, thirdParty('Access logging is disabled on payments-exports', 'LOW'), 'title mentions "logging"');
    expectMatches(loggingMonitoringByTitle, thirdParty('CloudTrail trail stopped in eu-west-1', 'HIGH', [resources.account()]), 'title mentions "cloudtrail"');
  });

  it('does not match "log" inside other words', () => {
    expectNoMatch(loggingMonitoringByTitle, thirdParty('Blog bucket has no lifecycle policy', 'LOW'));
  });
});
