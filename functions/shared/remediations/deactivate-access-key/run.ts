import { IAMClient, ListAccessKeysCommand, ListUserTagsCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { IAM_EVENTS_REGION } from '../../naming';
import { EXEMPT_RESULT, errorCode, failed, isExempt } from '../common';
import type { IamPrincipal } from '../quarantine-iam-user/select';
import type { RemediationResult, RemediationRunner } from '../types';

export const runner: RemediationRunner<Required<IamPrincipal>> = {
  async run({ userName, accessKeyId }, ctx): Promise<RemediationResult> {
    const what = `access key ${accessKeyId} of IAM user ${userName}`;
    let operation = 'iam:ListUserTags';
    try {
      const tags = await ctx.aws.read(IAMClient, IAM_EVENTS_REGION, new ListUserTagsCommand({ UserName: userName }));
      if (isExempt(tags.Tags)) return EXEMPT_RESULT(`IAM user ${userName}`);
      operation = 'iam:ListAccessKeys';
      const keys = await ctx.aws.read(IAMClient, IAM_EVENTS_REGION, new ListAccessKeysCommand({ UserName: userName }));
      const key = ((keys.AccessKeyMetadata ?? []) as { AccessKeyId?: string; Status?: string }[]).find(
        (k: { AccessKeyId?: string }) => k.AccessKeyId === accessKeyId,
      );
      if (!key) return { outcome: 'NO_CHANGE', summary: `${what} no longer exists.` };
      if (key.Status === 'Inactive') return { outcome: 'NO_CHANGE', summary: `${what} is already inactive.` };
      const undo = {
        description: `Reactivate ${what}`,
        calls: [
          {
            service: 'iam',
            operation: 'UpdateAccessKey',
            region: IAM_EVENTS_REGION,
            input: { UserName: userName, AccessKeyId: accessKeyId, Status: 'Active' },
          },
        ],
      };
      if (ctx.dryRun) return { outcome: 'WOULD_CHANGE', summary: `Would deactivate ${what}.`, undo };
      operation = 'iam:UpdateAccessKey';
      await ctx.aws.write(IAMClient, IAM_EVENTS_REGION, new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: 'Inactive' }));
      return { outcome: 'REMEDIATED', summary: `Deactivated ${what} (reversible).`, undo };
    } catch (error) {
      if (errorCode(error) === 'NoSuchEntity' || errorCode(error) === 'NoSuchEntityException')
        return { outcome: 'NO_CHANGE', summary: `IAM user ${userName} no longer exists.` };
      return failed(error, operation, `Could not deactivate ${what}`);
    }
  },
};
