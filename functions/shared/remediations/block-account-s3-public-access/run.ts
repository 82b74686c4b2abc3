import { GetPublicAccessBlockCommand, PutPublicAccessBlockCommand, S3ControlClient, type PublicAccessBlockConfiguration } from '@aws-sdk/client-s3-control';
import { errorCode, failed } from '../common';
import type { RemediationResult, RemediationRunner } from '../types';
import type { AccountTarget } from './select';

const ALL_BLOCKED = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const allBlocked = (c?: PublicAccessBlockConfiguration) =>
  !!c && c.BlockPublicAcls === true && c.IgnorePublicAcls === true && c.BlockPublicPolicy === true && c.RestrictPublicBuckets === true;

export const runner: RemediationRunner<AccountTarget> = {
  async run({ accountId }, ctx): Promise<RemediationResult> {
    const region = ctx.settings.region;
    const what = `account ${accountId}`;
    let operation = 's3:GetAccountPublicAccessBlock';
    try {
      let before: PublicAccessBlockConfiguration | undefined;
      try {
        before = (await ctx.aws.read(S3ControlClient, region, new GetPublicAccessBlockCommand({ AccountId: accountId }))).PublicAccessBlockConfiguration;
      } catch (error) {
        if (errorCode(error) !== 'NoSuchPublicAccessBlockConfiguration') throw error;
      }
      if (allBlocked(before)) return { outcome: 'NO_CHANGE', summary: `${what} already blocks all public access to S3.` };
      const undo = {
        description: before
          ? `Restore the previous account-level Block Public Access settings of ${what}`
          : `Remove the account-level Block Public Access configuration of ${what} (it had none)`,
        calls: [
          before
            ? { service: 's3control', operation: 'PutPublicAccessBlock', region, input: { AccountId: accountId, PublicAccessBlockConfiguration: before } }
            : { service: 's3control', operation: 'DeletePublicAccessBlock', region, input: { AccountId: accountId } },
        ],
      };
      if (ctx.dryRun) return { outcome: 'WOULD_CHANGE', summary: `Would turn on all four account-level Block Public Access settings of ${what}.`, undo };
      operation = 's3:PutAccountPublicAccessBlock';
      await ctx.aws.write(S3ControlClient, region, new PutPublicAccessBlockCommand({ AccountId: accountId, PublicAccessBlockConfiguration: ALL_BLOCKED }));
      return { outcome: 'REMEDIATED', summary: `Turned on all four account-level Block Public Access settings of ${what}.`, undo };
    } catch (error) {
      return failed(error, operation, `Could not block public access for ${what}`);
    }
  },
};
