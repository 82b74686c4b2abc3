import { AccessDenied, GetBucketPolicyCommand, GetBucketTaggingCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { Finding } from '../../../../functions/shared/finding';
import { runner } from '../../../../functions/shared/remediations/enforce-s3-tls/run';
import { selectEnforceS3Tls } from '../../../../functions/shared/remediations/enforce-s3-tls/select';
import {
  awsError,
  commandOf,
  context,
  controlFinding,
  inputsOf,
  OTHER_ACCOUNT,
  OTHER_REGION,
  REGION,
  remediate,
  sentOperations,
  settings,
  throttled,
} from './helpers';

const s3 = mockClient(S3Client);
beforeEach(() => {
  s3.reset();
  s3.on(GetBucketTaggingCommand).resolves({ TagSet: [{ Key: 'team', Value: 'payments' }] });
});

const BUCKET = 'payments-exports';
const ARN = `arn:aws:s3:::${BUCKET}`;
const finding = (where = {}) => controlFinding('S3.5', { Type: 'AwsS3Bucket', Id: ARN }, where);

const ALLOW_ANALYTICS = {
  Sid: 'AllowAnalyticsRead',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::333333333333:role/analytics' },
  Action: ['s3:GetObject', 's3:ListBucket'],
  Resource: [ARN, `${ARN}/*`],
  Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }, IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } },
};
const TLS = (sid = 'DenyInsecureTransport') => ({
  Sid: sid,
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [ARN, `${ARN}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});
/** Formatted as the console saves it, so "verbatim" is about content, not whitespace. */
const policyText = (statements: unknown, extra: Record<string, unknown> = { Version: '2012-10-17', Id: 'PaymentsExports' }) =>
  JSON.stringify({ ...extra, Statement: statements }, null, 2);
const noPolicy = () => awsError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404);
const putPolicies = () => inputsOf(s3, PutBucketPolicyCommand).map((i) => JSON.parse((i as { Policy: string }).Policy));

async function run(f: Finding, options: Parameters<typeof context>[1] = {}) {
  const ctx = context(f, options);
  const selected = selectEnforceS3Tls(f, ctx.settings);
  if (!selected) throw new Error('not selected');
  return { result: await runner.run(selected.target, ctx), calls: ctx.aws.calls };
}

describe('ENFORCE_S3_TLS select', () => {
  it('is the catalogue action for S3.5 on a bucket of this account and region', async () => {
    expect(selectEnforceS3Tls(finding(), settings())?.target).toEqual({ bucket: BUCKET });
    s3.on(GetBucketPolicyCommand).resolves({ Policy: policyText([TLS()]) });
    expect((await remediate(finding())).action).toBe('ENFORCE_S3_TLS');
  });

  it('ignores other S3 controls and S3.5 findings of another account or region', () => {
    expect(selectEnforceS3Tls(controlFinding('S3.8', { Type: 'AwsS3Bucket', Id: ARN }), settings())).toBeUndefined();
    expect(selectEnforceS3Tls(finding({ account: OTHER_ACCOUNT }), settings())).toBeUndefined();
    expect(selectEnforceS3Tls(finding({ region: OTHER_REGION }), settings())).toBeUndefined();
  });
});

describe('ENFORCE_S3_TLS enforce', () => {
  it('keeps every existing statement verbatim (and Version, Id) and appends one deny-insecure-transport statement', async () => {
    s3.on(GetBucketPolicyCommand).resolves({ Policy: policyText([ALLOW_ANALYTICS]) });
    const { result } = await run(finding());
    expect(result.outcome).toBe('REMEDIATED');
    expect(inputsOf(s3, PutBucketPolicyCommand)).toHaveLength(1);
    expect(putPolicies()).toStrictEqual([{ Version: '2012-10-17', Id: 'PaymentsExports', Statement: [ALLOW_ANALYTICS, TLS()] }]);
  });

  it('a bucket without a policy (NoSuchBucketPolicy) gets a new one holding just the TLS statement', async () => {
    s3.on(GetBucketPolicyCommand).rejects(noPolicy());
    const { result } = await run(finding());
    expect(inputsOf(s3, PutBucketPolicyCommand)).toStrictEqual([{ Bucket: BUCKET, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [TLS()] }) }]);
    if (result.outcome !== 'REMEDIATED') throw new Error(result.outcome);
    expect(result.undo.calls).toEqual([{ service: 's3', operation: 'DeleteBucketPolicy', region: REGION, input: { Bucket: BUCKET } }]);
    await expect(commandOf(result.undo.calls[0])).resolves.toBeDefined();
  });

  it('undo puts back the previous policy text exactly as it was read', async () => {
    const before = policyText([ALLOW_ANALYTICS]);
    s3.on(GetBucketPolicyCommand).resolves({ Policy: before });
    const { result, calls } = await run(finding());
    if (result.outcome !== 'REMEDIATED') throw new Error(result.outcome);
    expect(result.undo.calls).toEqual([{ service: 's3', operation: 'PutBucketPolicy', region: REGION, input: { Bucket: BUCKET, Policy: before } }]);
    expect(calls).toEqual([{ service: 's3', operation: 'PutBucketPolicy', region: REGION, input: inputsOf(s3, PutBucketPolicyCommand)[0] }]);
  });

  it('a single Statement object (not an array) is kept too', async () => {
    s3.on(GetBucketPolicyCommand).resolves({ Policy: policyText(ALLOW_ANALYTICS) });
    await run(finding());
    expect(putPolicies()[0].Statement).toStrictEqual([ALLOW_ANALYTICS, TLS()]);
  });

  it('picks a Sid that does not collide with an existing statement', async () => {
    const other = { ...ALLOW_ANALYTICS, Sid: 'DenyInsecureTransport' };
    s3.on(GetBucketPolicyCommand).resolves({ Policy: policyText([other]) });
    await run(finding());
    expect(putPolicies()[0].Statement).toStrictEqual([other, TLS('DenyInsecureTransport2')]);
  });

  it('a deny over HTTP for one principal only does not enforce TLS: the statement is still added', async () => {
    const partial = { ...TLS('DenyPartnerHttp'), Principal: { AWS: 'arn:aws:iam::444444444444:root' } };
    s3.on(GetBucketPolicyCommand).resolves({ Policy: policyText([partial]) });
    expect((await run(finding())).result.outcome).toBe('REMEDIATED');
    expect(putPolicies()[0].Statement).toStrictEqual([partial, TLS()]);
  });

  it('a deny over HTTP narrowed by another condition does not count either', async () => {
    const narrowed = { ...TLS('DenyHttpFromVpc'), Condition: { Bool: { 'aws:SecureTransport': 'false' }, StringEquals: { 'aws:SourceVpc': 'vpc-1' } } };
    s3.on(GetBucketPolicyCommand).resolves({ Policy: policyText([narrowed]) });
    expect((await run(finding())).result.outcome).toBe('REMEDIATED');
  });
});

describe('ENFORCE_S3_TLS observe, idempotence, exemption', () => {
  it('observe mode reads tags and policy and sends no PutBucketPolicy', async () => {
    s3.on(GetBucketPolicyCommand).resolves({ Policy: policyText([ALLOW_ANALYTICS]) });
    const { result, calls } = await run(finding(), { dryRun: true });
    expect(result.outcome).toBe('WOULD_CHANGE');
    expect(sentOperations(s3)).toEqual(['GetBucketTagging', 'GetBucketPolicy']);
    expect(calls).toEqual([]);
  });

  it('a second run on the policy the first run wrote is NO_CHANGE', async () => {
    let live = policyText([ALLOW_ANALYTICS]);
    s3.on(GetBucketPolicyCommand).callsFake(() => Promise.resolve({ Policy: live }));
    s3.on(PutBucketPolicyCommand).callsFake((input: { Policy: string }) => {
      live = input.Policy;
      return Promise.resolve({});
    });
    expect((await run(finding())).result.outcome).toBe('REMEDIATED');
    const second = await run(finding());
    expect(second.result.outcome).toBe('NO_CHANGE');
    expect(second.calls).toEqual([]);
    expect(s3).toHaveReceivedCommandTimes(PutBucketPolicyCommand, 1);
  });

  it.each([
    ['Principal "*" and the string "false"', TLS('Existing')],
    [
      'Principal {AWS: "*"}, Action "*", boolean false',
      { ...TLS('Existing'), Principal: { AWS: '*' }, Action: '*', Condition: { Bool: { 'aws:SecureTransport': false } } },
    ],
  ])('an existing full deny of insecure transport (%s) is NO_CHANGE', async (_, statement) => {
    s3.on(GetBucketPolicyCommand).resolves({ Policy: policyText([ALLOW_ANALYTICS, statement]) });
    expect((await run(finding())).result.outcome).toBe('NO_CHANGE');
    expect(s3).not.toHaveReceivedCommand(PutBucketPolicyCommand);
  });

  it('a bucket tagged security-response:exempt=true is EXEMPT: the policy is not even read', async () => {
    s3.on(GetBucketTaggingCommand).resolves({ TagSet: [{ Key: 'security-response:exempt', Value: 'true' }] });
    expect((await run(finding())).result.outcome).toBe('EXEMPT');
    expect(sentOperations(s3)).toEqual(['GetBucketTagging']);
  });
});

describe('ENFORCE_S3_TLS AWS errors', () => {
  it('ThrottlingException is a FAILED result, not a thrown error', async () => {
    s3.on(GetBucketPolicyCommand).rejects(throttled());
    expect((await run(finding())).result).toMatchObject({ outcome: 'FAILED', error: 'ThrottlingException: Rate exceeded' });
    expect(s3).not.toHaveReceivedCommand(PutBucketPolicyCommand);
  });

  it('AccessDenied on the put names s3:PutBucketPolicy', async () => {
    s3.on(GetBucketPolicyCommand).resolves({ Policy: policyText([ALLOW_ANALYTICS]) });
    s3.on(PutBucketPolicyCommand).rejects(new AccessDenied({ message: 'Access Denied', $metadata: { httpStatusCode: 403 } }));
    expect((await run(finding())).result).toMatchObject({ outcome: 'FAILED', missingPermission: 's3:PutBucketPolicy' });
  });

  it('AccessDenied on the read names s3:GetBucketPolicy', async () => {
    s3.on(GetBucketPolicyCommand).rejects(new AccessDenied({ message: 'Access Denied', $metadata: { httpStatusCode: 403 } }));
    expect((await run(finding())).result).toMatchObject({ outcome: 'FAILED', missingPermission: 's3:GetBucketPolicy' });
  });
});
