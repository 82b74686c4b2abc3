import { GetPublicAccessBlockCommand, NoSuchPublicAccessBlockConfiguration, PutPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import type { Finding } from '../../../../functions/shared/finding';
import { runner } from '../../../../functions/shared/remediations/block-account-s3-public-access/run';
import { selectBlockAccountS3PublicAccess } from '../../../../functions/shared/remediations/block-account-s3-public-access/select';
import {
  ACCOUNT,
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

const s3control = mockClient(S3ControlClient);
beforeEach(() => s3control.reset());

/** S3.1 is about the account itself: Security Hub names the account as the resource. */
const finding = (where: { account?: string; region?: string } = {}) =>
  controlFinding('S3.1', { Type: 'AwsAccount', Id: `AWS::::Account:${where.account ?? ACCOUNT}` }, where);

const ALL_ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const ACLS_ONLY = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false };
const missing = () =>
  new NoSuchPublicAccessBlockConfiguration({ message: 'The public access block configuration was not found', $metadata: { httpStatusCode: 404 } });

async function run(f: Finding, options: Parameters<typeof context>[1] = {}) {
  const ctx = context(f, options);
  const selected = selectBlockAccountS3PublicAccess(f, ctx.settings);
  if (!selected) throw new Error('not selected');
  return { result: await runner.run(selected.target, ctx), calls: ctx.aws.calls };
}

describe('BLOCK_ACCOUNT_S3_PUBLIC_ACCESS select', () => {
  it('is the catalogue action for S3.1 of this account and region, targeting this account', async () => {
    expect(selectBlockAccountS3PublicAccess(finding(), settings())?.target).toEqual({ accountId: ACCOUNT });
    s3control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ALL_ON });
    expect((await remediate(finding())).action).toBe('BLOCK_ACCOUNT_S3_PUBLIC_ACCESS');
  });

  it('ignores bucket-level controls and S3.1 findings of another account or region', () => {
    expect(selectBlockAccountS3PublicAccess(controlFinding('S3.8', { Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::b' }), settings())).toBeUndefined();
    expect(selectBlockAccountS3PublicAccess(finding({ account: OTHER_ACCOUNT }), settings())).toBeUndefined();
    expect(selectBlockAccountS3PublicAccess(finding({ region: OTHER_REGION }), settings())).toBeUndefined();
  });
});

describe('BLOCK_ACCOUNT_S3_PUBLIC_ACCESS enforce', () => {
  it('reads the account setting and turns on all four with one PutPublicAccessBlock for this account', async () => {
    s3control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ACLS_ONLY });
    const { result, calls } = await run(finding());
    expect(result.outcome).toBe('REMEDIATED');
    expect(inputsOf(s3control, GetPublicAccessBlockCommand)).toStrictEqual([{ AccountId: ACCOUNT }]);
    expect(inputsOf(s3control, PutPublicAccessBlockCommand)).toStrictEqual([{ AccountId: ACCOUNT, PublicAccessBlockConfiguration: ALL_ON }]);
    expect(calls).toEqual([
      { service: 's3control', operation: 'PutPublicAccessBlock', region: REGION, input: { AccountId: ACCOUNT, PublicAccessBlockConfiguration: ALL_ON } },
    ]);
  });

  it('undo restores the previous account settings', async () => {
    s3control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ACLS_ONLY });
    const { result } = await run(finding());
    if (result.outcome !== 'REMEDIATED') throw new Error(result.outcome);
    expect(result.undo.calls).toEqual([
      { service: 's3control', operation: 'PutPublicAccessBlock', region: REGION, input: { AccountId: ACCOUNT, PublicAccessBlockConfiguration: ACLS_ONLY } },
    ]);
    await expect(commandOf(result.undo.calls[0])).resolves.toBeDefined();
  });

  it('an account without a configuration gets all four; the undo deletes it and says so', async () => {
    s3control.on(GetPublicAccessBlockCommand).rejects(missing());
    const { result } = await run(finding());
    expect(inputsOf(s3control, PutPublicAccessBlockCommand)).toStrictEqual([{ AccountId: ACCOUNT, PublicAccessBlockConfiguration: ALL_ON }]);
    if (result.outcome !== 'REMEDIATED') throw new Error(result.outcome);
    expect(result.undo.calls).toEqual([{ service: 's3control', operation: 'DeletePublicAccessBlock', region: REGION, input: { AccountId: ACCOUNT } }]);
    expect(result.undo.description).toMatch(/^Remove the account-level Block Public Access configuration/);
    await expect(commandOf(result.undo.calls[0])).resolves.toBeDefined();
  });
});

describe('BLOCK_ACCOUNT_S3_PUBLIC_ACCESS observe and idempotence', () => {
  it('observe mode reads and sends no PutPublicAccessBlock', async () => {
    s3control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ACLS_ONLY });
    const { result, calls } = await run(finding(), { dryRun: true });
    expect(result.outcome).toBe('WOULD_CHANGE');
    expect(sentOperations(s3control)).toEqual(['GetPublicAccessBlock']);
    expect(calls).toEqual([]);
  });

  it('an account that already blocks everything is NO_CHANGE with no write', async () => {
    s3control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ALL_ON });
    expect((await run(finding())).result.outcome).toBe('NO_CHANGE');
    expect(s3control).not.toHaveReceivedCommand(PutPublicAccessBlockCommand);
  });
  // No exempt case: the account is not a taggable resource from inside itself (see select.ts).
});

describe('BLOCK_ACCOUNT_S3_PUBLIC_ACCESS AWS errors', () => {
  it('ThrottlingException is a FAILED result, not a thrown error', async () => {
    s3control.on(GetPublicAccessBlockCommand).rejects(throttled());
    expect((await run(finding())).result).toMatchObject({ outcome: 'FAILED', error: 'ThrottlingException: Rate exceeded' });
  });

  it('AccessDenied on the put names s3:PutAccountPublicAccessBlock', async () => {
    s3control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ACLS_ONLY });
    s3control.on(PutPublicAccessBlockCommand).rejects(awsError('AccessDenied', 'Access Denied', 403));
    expect((await run(finding())).result).toMatchObject({ outcome: 'FAILED', missingPermission: 's3:PutAccountPublicAccessBlock' });
  });

  it('AccessDenied on the read names s3:GetAccountPublicAccessBlock and writes nothing', async () => {
    s3control.on(GetPublicAccessBlockCommand).rejects(awsError('AccessDenied', 'Access Denied', 403));
    expect((await run(finding())).result).toMatchObject({ outcome: 'FAILED', missingPermission: 's3:GetAccountPublicAccessBlock' });
    expect(s3control).not.toHaveReceivedCommand(PutPublicAccessBlockCommand);
  });
});
