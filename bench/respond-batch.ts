import { mockClient } from 'aws-sdk-client-mock';
import { EC2Client, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { S3Client, GetBucketTaggingCommand, GetPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { SecurityHubClient, BatchUpdateFindingsCommand } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { createLiveAws } from '../functions/shared/aws';
import { silentLog } from '../functions/shared/log';
import { handleRespondEvent } from '../functions/runtime/respond-handler';
import type { ResponderSettings } from '../functions/shared/settings';

/** An enforce-mode account: every finding of the batch gets its remediation, record and alert. */
export const BENCH_SETTINGS: ResponderSettings = {
  organization: 'bench',
  accountId: '333333333333',
  accountName: 'bench',
  region: 'eu-west-1',
  production: false,
  mode: 'enforce',
  actions: {
    REVOKE_PUBLIC_INGRESS: 'enforce',
    BLOCK_S3_PUBLIC_ACCESS: 'enforce',
    BLOCK_ACCOUNT_S3_PUBLIC_ACCESS: 'enforce',
    ENFORCE_S3_TLS: 'enforce',
    QUARANTINE_IAM_USER: 'enforce',
    DEACTIVATE_ACCESS_KEY: 'enforce',
    ISOLATE_EC2_INSTANCE: 'off',
  },
  notifyMinSeverity: 'MEDIUM',
  criticalResourceTags: [],
  authorizedPublicPorts: [80, 443],
  alertTopicArn: 'arn:aws:sns:us-east-1:222222222222:bench-security-alerts',
  quarantinePolicyArn: 'arn:aws:iam::333333333333:policy/bench-quarantine-deny-all',
  evidence: { bucket: 'bench-evidence-222222222222-us-east-1', region: 'us-east-1' },
  quarantine: { trustedCreators: [], exemptUserNames: [] },
};

/** One ASFF event of `n` findings: a third open security groups, a third public buckets, a third with no catalogue action. */
export function batchEvent(n: number) {
  const findings = Array.from({ length: n }, (_, i) => {
    const kind = i % 3;
    const control = kind === 0 ? 'EC2.19' : kind === 1 ? 'S3.8' : 'IAM.3';
    const resource =
      kind === 0
        ? {
            Type: 'AwsEc2SecurityGroup',
            Id: `arn:aws:ec2:eu-west-1:333333333333:security-group/sg-${String(i).padStart(17, '0')}`,
            Details: { AwsEc2SecurityGroup: { GroupId: `sg-${String(i).padStart(17, '0')}` } },
          }
        : kind === 1
          ? { Type: 'AwsS3Bucket', Id: `arn:aws:s3:::bench-bucket-${i}` }
          : { Type: 'AwsIamUser', Id: `arn:aws:iam::333333333333:user/user-${i}` };
    return {
      SchemaVersion: '2018-10-08',
      Id: `arn:aws:securityhub:eu-west-1:333333333333:security-control/${control}/finding/${i}`,
      ProductArn: 'arn:aws:securityhub:eu-west-1::product/aws/securityhub',
      AwsAccountId: '333333333333',
      Region: 'eu-west-1',
      Title: `${control} finding ${i}`,
      Description: 'bench',
      Severity: { Label: 'HIGH' },
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
      Compliance: { Status: 'FAILED', SecurityControlId: control },
      Types: [],
      Resources: [resource],
    };
  });
  return {
    version: '0',
    id: 'bench',
    'detail-type': 'Security Hub Findings - Imported',
    source: 'aws.securityhub',
    account: '333333333333',
    time: '2026-11-01T00:00:00Z',
    region: 'eu-west-1',
    resources: [],
    detail: { findings },
  };
}

/** Runs `respond` over one event of `n` findings against mocked clients; returns the AWS calls by operation. */
export async function countCallsForBatch(n: number): Promise<Record<string, number>> {
  const ec2 = mockClient(EC2Client);
  const s3 = mockClient(S3Client);
  const hub = mockClient(SecurityHubClient);
  const sns = mockClient(SNSClient);
  ec2.on(DescribeSecurityGroupsCommand).callsFake((input: { GroupIds: string[] }) => ({
    SecurityGroups: [{ GroupId: input.GroupIds[0], IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }],
  }));
  s3.on(GetBucketTaggingCommand).rejects(Object.assign(new Error('no tags'), { name: 'NoSuchTagSet' }));
  s3.on(GetPublicAccessBlockCommand).resolves({
    PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
  });
  hub.on(BatchUpdateFindingsCommand).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
  sns.resolves({ MessageId: 'm' });
  try {
    await handleRespondEvent(batchEvent(n), BENCH_SETTINGS, { aws: createLiveAws(), log: silentLog, now: new Date() });
    const counts: Record<string, number> = {};
    for (const [name, mock] of Object.entries({ ec2, s3, securityhub: hub, sns })) {
      for (const call of mock.calls()) {
        const op = `${name}:${(call.args[0] as object).constructor.name.replace(/Command$/, '')}`;
        counts[op] = (counts[op] ?? 0) + 1;
      }
    }
    return counts;
  } finally {
    for (const m of [ec2, s3, hub, sns]) m.restore();
  }
}
