import { AccessDenied, GetBucketTaggingCommand, GetPublicAccessBlockCommand, NoSuchBucket, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { Finding } from '../../../../functions/shared/finding';
import { runner } from '../../../../functions/shared/remediations/block-s3-public-access/run';
import { selectBlockS3PublicAccess } from '../../../../functions/shared/remediations/block-s3-public-access/select';
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
beforeEach(() => s3.reset());

const BUCKET = 'payments-exports';
const bucketResource = { Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${BUCKET}`, Details: { AwsS3Bucket: { OwnerId: 'abc' } } };
const finding = (controlId: string, where = {}) => controlFinding(controlId, bucketResource, where);

const ALL_ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const PARTLY = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false };
const noTags = () => s3.on(GetBucketTaggingCommand).rejects(awsError('NoSuchTagSet', 'The TagSet does not exist', 404));
const noConfiguration = () => awsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404);

async function run(f: Finding, options: Parameters<typeof context>[1] = {}) {
  const ctx = context(f, options);
  const selected = selectBlockS3PublicAccess(f, ctx.settings);
  if (!selected) throw new Error('not selected');
  return { result: await runner.run(selected.target, ctx), calls: ctx.aws.calls };
}

describe('BLOCK_S3_PUBLIC_ACCESS select', () => {
  it.each(['S3.2', 'S3.3', 'S3.8'])('is the catalogue action for %s on a bucket of this account and region', async (control) => {
    expect(selectBlockS3PublicAccess(finding(control), settings())?.target).toEqual({ bucket: BUCKET });
    noTags();
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ALL_ON });
    expect((await remediate(finding(control))).action).toBe('BLOCK_S3_PUBLIC_ACCESS');
  });

  it('ignores S3.1 (account level) and S3.5 (TLS), and findings of another account or region', () => {
    expect(selectBlockS3PublicAccess(finding('S3.1'), settings())).toBeUndefined();
    expect(selectBlockS3PublicAccess(finding('S3.5'), settings())).toBeUndefined();
    expect(selectBlockS3PublicAccess(finding('S3.8', { account: OTHER_ACCOUNT }), settings())).toBeUndefined();
    expect(selectBlockS3PublicAccess(finding('S3.8', { region: OTHER_REGION }), settings())).toBeUndefined();
  });

  it('does not mistake an object ARN for a bucket', () => {
    const objectArn = controlFinding('S3.8', { Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${BUCKET}/key` });
    expect(selectBlockS3PublicAccess(objectArn, settings())).toBeUndefined();
  });

  const bucketOfId = (id: string) => selectBlockS3PublicAccess(controlFinding('S3.8', { Type: 'AwsS3Bucket', Id: id }), settings())?.target;

  it.each(['aws', 'aws-cn', 'aws-us-gov'])('takes the bucket from a bucket ARN of the %s partition', (partition) => {
    expect(bucketOfId(`arn:${partition}:s3:::${BUCKET}`)).toEqual({ bucket: BUCKET });
  });

  it('takes a resource id that is not an ARN as the bucket name', () => {
    expect(bucketOfId(BUCKET)).toEqual({ bucket: BUCKET });
  });

  it.each([
    ['a prefix ARN (bucket/)', `arn:aws:s3:::${BUCKET}/`],
    ['an object ARN with a nested key', `arn:aws:s3:::${BUCKET}/a/b.csv`],
    ['an ARN with an empty bucket', 'arn:aws:s3:::'],
    ['a name with a colon, which no bucket has', `arn:aws:s3:::${BUCKET}:x`],
    ['an access point ARN (region and account)', `arn:aws:s3:${REGION}:333333333333:accesspoint/${BUCKET}`],
    ['an S3 ARN with a region', `arn:aws:s3:${REGION}::${BUCKET}`],
    ['an S3 ARN with an account', `arn:aws:s3::333333333333:${BUCKET}`],
    ['another service', `arn:aws:s3express:::${BUCKET}`],
    ['a partition that is not AWS', `arn:evil:s3:::${BUCKET}`],
    ['a partition that only starts with aws', `arn:awsx:s3:::${BUCKET}`],
    ['an empty partition', `arn::s3:::${BUCKET}`],
    ['a truncated ARN', 'arn:aws:s3'],
  ])('names no bucket for %s', (_, id) => {
    expect(bucketOfId(id)).toBeUndefined();
  });
});

describe('BLOCK_S3_PUBLIC_ACCESS enforce', () => {
  it('turns on all four settings with exactly one PutPublicAccessBlock', async () => {
    noTags();
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: PARTLY });
    const { result, calls } = await run(finding('S3.8'));
    expect(result.outcome).toBe('REMEDIATED');
    expect(inputsOf(s3, PutPublicAccessBlockCommand)).toStrictEqual([{ Bucket: BUCKET, PublicAccessBlockConfiguration: ALL_ON }]);
    expect(calls).toEqual([
      { service: 's3', operation: 'PutPublicAccessBlock', region: REGION, input: { Bucket: BUCKET, PublicAccessBlockConfiguration: ALL_ON } },
    ]);
  });

  it('undo puts back the previous settings exactly', async () => {
    noTags();
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: PARTLY });
    const { result } = await run(finding('S3.8'));
    if (result.outcome !== 'REMEDIATED') throw new Error(result.outcome);
    expect(result.undo.calls).toEqual([
      { service: 's3', operation: 'PutPublicAccessBlock', region: REGION, input: { Bucket: BUCKET, PublicAccessBlockConfiguration: PARTLY } },
    ]);
    await expect(commandOf(result.undo.calls[0])).resolves.toBeDefined();
  });

  it('a bucket without any configuration gets all four, and the undo deletes the configuration', async () => {
    noTags();
    s3.on(GetPublicAccessBlockCommand).rejects(noConfiguration());
    const { result } = await run(finding('S3.2'));
    expect(inputsOf(s3, PutPublicAccessBlockCommand)).toStrictEqual([{ Bucket: BUCKET, PublicAccessBlockConfiguration: ALL_ON }]);
    if (result.outcome !== 'REMEDIATED') throw new Error(result.outcome);
    expect(result.undo.calls).toEqual([{ service: 's3', operation: 'DeletePublicAccessBlock', region: REGION, input: { Bucket: BUCKET } }]);
    await expect(commandOf(result.undo.calls[0])).resolves.toBeDefined();
  });
});

describe('BLOCK_S3_PUBLIC_ACCESS observe, idempotence, exemption', () => {
  it('observe mode reads tags and settings and sends no PutPublicAccessBlock', async () => {
    noTags();
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: PARTLY });
    const { result, calls } = await run(finding('S3.8'), { dryRun: true });
    expect(result.outcome).toBe('WOULD_CHANGE');
    expect(sentOperations(s3)).toEqual(['GetBucketTagging', 'GetPublicAccessBlock']);
    expect(s3).not.toHaveReceivedCommand(PutPublicAccessBlockCommand);
    expect(calls).toEqual([]);
  });

  it('a bucket that already blocks everything is NO_CHANGE with no write', async () => {
    noTags();
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ALL_ON });
    expect((await run(finding('S3.8'))).result.outcome).toBe('NO_CHANGE');
    expect(s3).not.toHaveReceivedCommand(PutPublicAccessBlockCommand);
  });

  it('a bucket tagged security-response:exempt=true is EXEMPT: its settings are not even read', async () => {
    s3.on(GetBucketTaggingCommand).resolves({
      TagSet: [
        { Key: 'team', Value: 'web' },
        { Key: 'security-response:exempt', Value: 'true' },
      ],
    });
    expect((await run(finding('S3.8'))).result.outcome).toBe('EXEMPT');
    expect(sentOperations(s3)).toEqual(['GetBucketTagging']);
  });
});

describe('BLOCK_S3_PUBLIC_ACCESS AWS errors', () => {
  it('ThrottlingException is a FAILED result, not a thrown error', async () => {
    noTags();
    s3.on(GetPublicAccessBlockCommand).rejects(throttled());
    expect((await run(finding('S3.8'))).result).toMatchObject({ outcome: 'FAILED', error: 'ThrottlingException: Rate exceeded' });
  });

  it('AccessDenied on the put names s3:PutBucketPublicAccessBlock (the IAM action, not the API name)', async () => {
    noTags();
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: PARTLY });
    s3.on(PutPublicAccessBlockCommand).rejects(new AccessDenied({ message: 'Access Denied', $metadata: { httpStatusCode: 403 } }));
    expect((await run(finding('S3.8'))).result).toMatchObject({ outcome: 'FAILED', missingPermission: 's3:PutBucketPublicAccessBlock' });
  });

  it('AccessDenied reading the tags names s3:GetBucketTagging and writes nothing', async () => {
    s3.on(GetBucketTaggingCommand).rejects(new AccessDenied({ message: 'Access Denied', $metadata: { httpStatusCode: 403 } }));
    expect((await run(finding('S3.8'))).result).toMatchObject({ outcome: 'FAILED', missingPermission: 's3:GetBucketTagging' });
    expect(s3).not.toHaveReceivedCommand(PutPublicAccessBlockCommand);
  });

  it('a deleted bucket (NoSuchBucket) is NO_CHANGE', async () => {
    s3.on(GetBucketTaggingCommand).rejects(new NoSuchBucket({ message: 'The specified bucket does not exist', $metadata: {} }));
    expect((await run(finding('S3.8'))).result.outcome).toBe('NO_CHANGE');
  });
});
