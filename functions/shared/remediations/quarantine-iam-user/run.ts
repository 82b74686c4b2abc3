import { type ListAttachedUserPoliciesCommandOutput, AttachUserPolicyCommand, GetUserCommand, IAMClient, ListAttachedUserPoliciesCommand, ListUserTagsCommand, TagUserCommand } from '@aws-sdk/client-iam';
import { IAM_EVENTS_REGION } from '../../naming';
import { EXEMPT_RESULT, errorCode, failed, isExempt, ourTag } from '../common';
import type { RemediationContext, RemediationResult, RemediationRunner } from '../types';
import type { IamPrincipal } from './select';

/** Why a user is quarantined, for its tags and the alert. */
export interface QuarantineReason {
  reason: string;
  /** The rule or finding that decided it. */
  rule: string;
  createdBy?: string;
  sourceIp?: string;
}

/** IAM is global; its endpoint is reached through us-east-1 whatever region the function runs in. */
const IAM_REGION = IAM_EVENTS_REGION;

/**
 * Attaches the organization's deny-all policy to a user and tags who, when and why. Reads the live
 * user first; a second run finds the policy attached and changes nothing. Shared by `respond`
 * (GuardDuty findings) and `quarantine-user` (CreateUser).
 */
export async function quarantineUser(userName: string, ctx: Omit<RemediationContext, 'finding'>, why: QuarantineReason): Promise<RemediationResult> {
  const policyArn = ctx.settings.quarantinePolicyArn;
  const what = `IAM user ${userName}`;
  let operation = 'iam:GetUser';
  try {
    await ctx.aws.read(IAMClient, IAM_REGION, new GetUserCommand({ UserName: userName }));
    operation = 'iam:ListUserTags';
    const tags = await ctx.aws.read(IAMClient, IAM_REGION, new ListUserTagsCommand({ UserName: userName }));
    if (isExempt(tags.Tags)) return EXEMPT_RESULT(what);
    operation = 'iam:ListAttachedUserPolicies';
    const attached: ListAttachedUserPoliciesCommandOutput = await ctx.aws.read(IAMClient, IAM_REGION, new ListAttachedUserPoliciesCommand({ UserName: userName }));
    if ((attached.AttachedPolicies ?? []).some((p) => p.PolicyArn === policyArn)) {
      return { outcome: 'NO_CHANGE', summary: `${what} is already quarantined.` };
    }
    const newTags = [
      ourTag('quarantined-at', ctx.now.toISOString()),
      ourTag('quarantined-by', why.rule),
      ourTag('reason', why.reason),
      ...(why.createdBy ? [ourTag('created-by', why.createdBy)] : []),
      ...(why.sourceIp ? [ourTag('source-ip', why.sourceIp)] : []),
    ];
    const undo = {
      description: `Detach ${policyArn} from ${what} and remove the quarantine tags`,
      calls: [
        { service: 'iam', operation: 'DetachUserPolicy', region: IAM_REGION, input: { UserName: userName, PolicyArn: policyArn } },
        { service: 'iam', operation: 'UntagUser', region: IAM_REGION, input: { UserName: userName, TagKeys: newTags.map((t) => t.Key) } },
      ],
    };
    if (ctx.dryRun) return { outcome: 'WOULD_CHANGE', summary: `Would attach the deny-all quarantine policy to ${what}.`, undo };
    operation = 'iam:AttachUserPolicy';
    await ctx.aws.write(IAMClient, IAM_REGION, new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn }));
    operation = 'iam:TagUser';
    try {
      await ctx.aws.write(IAMClient, IAM_REGION, new TagUserCommand({ UserName: userName, Tags: newTags }));
    } catch (error) {
      // The policy is attached: say so, and how to detach it, rather than "could not quarantine".
      return failed(error, operation, `Attached the deny-all quarantine policy to ${what} but could not tag it`, { description: `Detach ${policyArn} from ${what}`, calls: [undo.calls[0]] });
    }
    return { outcome: 'REMEDIATED', summary: `Attached the deny-all quarantine policy to ${what} and tagged it.`, undo };
  } catch (error) {
    if (errorCode(error) === 'NoSuchEntity' || errorCode(error) === 'NoSuchEntityException') return { outcome: 'NO_CHANGE', summary: `${what} no longer exists.` };
    return failed(error, operation, `Could not quarantine ${what}`);
  }
}

export const runner: RemediationRunner<IamPrincipal> = {
  run: (target, ctx) =>
    quarantineUser(target.userName, ctx, { reason: `GuardDuty ${ctx.finding.guardDutyType ?? 'finding'}`, rule: `finding ${ctx.finding.id}` }),
};
