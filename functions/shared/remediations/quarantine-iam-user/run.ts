import {
  type AccessKeyMetadata,
  type GetUserCommandOutput,
  type ListAccessKeysCommandOutput,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  PutUserPermissionsBoundaryCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import type { RecordedCall } from '../../aws';
import { IAM_EVENTS_REGION } from '../../naming';
import { EXEMPT_RESULT, errorCode, failed, isExempt, ourTag, tagValue } from '../common';
import type { RemediationContext, RemediationResult, RemediationRunner, UndoRecord } from '../types';
import type { IamPrincipal } from './select';

/** Why a user is quarantined, for its tags and the alert. */
export interface QuarantineReason {
  reason: string;
  /** The rule or finding that decided it. */
  rule: string;
  createdBy?: string;
  sourceIp?: string;
  /**
   * Whether `security-response:exempt=true` on the user stops the quarantine. False for a user
   * just created by an untrusted principal: CreateUser accepts tags, so its creator chose them.
   */
  honourExemptTag: boolean;
}

/** Tag (after `security-response:`) holding the boundary the user had before the quarantine, if any. */
export const PREVIOUS_BOUNDARY_TAG = 'previous-boundary';
/** Tag (after `security-response:`) listing the access keys the quarantine deactivated, space-separated. */
export const DEACTIVATED_KEYS_TAG = 'deactivated-keys';

/** IAM is global; its endpoint is reached through us-east-1 whatever region the function runs in. */
const IAM_REGION = IAM_EVENTS_REGION;

const call = (operation: string, input: Record<string, unknown>): RecordedCall => ({ service: 'iam', operation, region: IAM_REGION, input });

/**
 * Quarantines an IAM user so that it holds: sets the organization's deny-all policy as the user's
 * permissions boundary, deactivates each of its active access keys, and tags who, when and why.
 *
 * A boundary rather than an attached policy: a user has one boundary slot, which IAM always
 * accepts, whereas attached managed policies are capped (10 by default), so a creator who attaches
 * ten first would make an attach fail. The boundary's explicit Deny of everything overrides every
 * Allow (identity policies, groups, resource policies, the account password policy's
 * iam:ChangePassword), so the user's keys, sessions and console sign-in can do nothing. The login
 * profile is left in place: deleting it could not be undone (the password is gone), and signing in
 * gives a console session in which every call is denied. Keys are deactivated besides, so that
 * releasing the boundary by mistake does not hand back working long-term credentials.
 *
 * The previous boundary (one the creator may have set) and each deactivated key are recorded for
 * undo. Reads the live user first; a second run finds the boundary set and no active key and
 * changes nothing. Shared by `respond` (GuardDuty findings) and `quarantine-user` (CreateUser).
 */
export async function quarantineUser(userName: string, ctx: Omit<RemediationContext, 'finding'>, why: QuarantineReason): Promise<RemediationResult> {
  const boundaryArn = ctx.settings.quarantinePolicyArn;
  const what = `IAM user ${userName}`;
  const done: RecordedCall[] = [];
  const undoOfDone = (calls: RecordedCall[]): UndoRecord => ({ description: describeUndo(what, calls), calls });
  let operation = 'iam:GetUser';
  try {
    const user: GetUserCommandOutput = await ctx.aws.read(IAMClient, IAM_REGION, new GetUserCommand({ UserName: userName }));
    if (why.honourExemptTag) {
      operation = 'iam:ListUserTags';
      const tags = await ctx.aws.read(IAMClient, IAM_REGION, new ListUserTagsCommand({ UserName: userName }));
      if (isExempt(tags.Tags)) return EXEMPT_RESULT(what);
    }
    operation = 'iam:ListAccessKeys';
    // A user has at most two access keys, so one page holds them all.
    const keys: ListAccessKeysCommandOutput = await ctx.aws.read(IAMClient, IAM_REGION, new ListAccessKeysCommand({ UserName: userName }));
    const previousBoundary = user.User?.PermissionsBoundary?.PermissionsBoundaryArn;
    const boundaryNeeded = previousBoundary !== boundaryArn;
    const activeKeys = (keys.AccessKeyMetadata ?? [])
      .filter((k: AccessKeyMetadata): k is AccessKeyMetadata & { AccessKeyId: string } => k.Status === 'Active' && !!k.AccessKeyId)
      .map((k) => k.AccessKeyId);
    if (!boundaryNeeded && activeKeys.length === 0)
      return { outcome: 'NO_CHANGE', summary: `${what} is already quarantined (deny-all boundary, no active access key).` };

    const newTags = [
      ourTag('quarantined-at', ctx.now.toISOString()),
      ourTag('quarantined-by', why.rule),
      ourTag('reason', why.reason),
      ...(why.createdBy ? [ourTag('created-by', why.createdBy)] : []),
      ...(why.sourceIp ? [ourTag('source-ip', why.sourceIp)] : []),
      // What `npm run undo -- <user>` restores when no finding carries the undo record (CreateUser).
      ...(boundaryNeeded && previousBoundary && tagValue(previousBoundary) === previousBoundary ? [ourTag(PREVIOUS_BOUNDARY_TAG, previousBoundary)] : []),
      ...(activeKeys.length > 0 ? [ourTag(DEACTIVATED_KEYS_TAG, activeKeys.join(' '))] : []),
    ];
    const restoreBoundary = previousBoundary
      ? call('PutUserPermissionsBoundary', { UserName: userName, PermissionsBoundary: previousBoundary })
      : call('DeleteUserPermissionsBoundary', { UserName: userName });
    const reactivate = (keyId: string) => call('UpdateAccessKey', { UserName: userName, AccessKeyId: keyId, Status: 'Active' });
    const untag = call('UntagUser', { UserName: userName, TagKeys: newTags.map((t) => t.Key) });
    // Keys first, boundary after: an undo that stops half-way leaves the user still blocked.
    const undo = undoOfDone([...activeKeys.map(reactivate), ...(boundaryNeeded ? [restoreBoundary] : []), untag]);
    const plan = [
      ...(boundaryNeeded ? [`set the deny-all quarantine boundary on ${what}${previousBoundary ? ` (replacing ${previousBoundary})` : ''}`] : []),
      ...(activeKeys.length > 0 ? [`deactivate its access key${activeKeys.length > 1 ? 's' : ''} ${activeKeys.join(', ')}`] : []),
    ].join(' and ');
    if (ctx.dryRun) return { outcome: 'WOULD_CHANGE', summary: `Would ${plan}.`, undo };

    // Boundary first: from this call on, every request of the user is denied.
    if (boundaryNeeded) {
      operation = 'iam:PutUserPermissionsBoundary';
      await ctx.aws.write(IAMClient, IAM_REGION, new PutUserPermissionsBoundaryCommand({ UserName: userName, PermissionsBoundary: boundaryArn }));
      done.push(restoreBoundary);
    }
    operation = 'iam:UpdateAccessKey';
    for (const keyId of activeKeys) {
      await ctx.aws.write(IAMClient, IAM_REGION, new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: keyId, Status: 'Inactive' }));
      done.unshift(reactivate(keyId));
    }
    operation = 'iam:TagUser';
    await ctx.aws.write(IAMClient, IAM_REGION, new TagUserCommand({ UserName: userName, Tags: newTags }));
    return { outcome: 'REMEDIATED', summary: `${capitalise(plan)}, and tagged it.`, undo };
  } catch (error) {
    if (errorCode(error) === 'NoSuchEntity' || errorCode(error) === 'NoSuchEntityException') {
      return done.length === 0
        ? { outcome: 'NO_CHANGE', summary: `${what} no longer exists.` }
        : failed(error, operation, `${what} disappeared during its quarantine`, undoOfDone(done));
    }
    // Say what is already in place and how to reverse it, rather than "could not quarantine".
    return failed(error, operation, done.length > 0 ? `Quarantined ${what} only in part` : `Could not quarantine ${what}`, undoOfDone(done));
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The undo sentence for the given reverse requests. */
function describeUndo(what: string, calls: RecordedCall[]): string {
  const parts = calls.map((c) => {
    const input = c.input as { AccessKeyId?: string; PermissionsBoundary?: string };
    switch (c.operation) {
      case 'UpdateAccessKey':
        return `reactivate access key ${input.AccessKeyId}`;
      case 'PutUserPermissionsBoundary':
        return `restore the previous permissions boundary ${input.PermissionsBoundary}`;
      case 'DeleteUserPermissionsBoundary':
        return 'remove the quarantine permissions boundary';
      case 'UntagUser':
        return 'remove the quarantine tags';
      default:
        return c.operation;
    }
  });
  return `On ${what}: ${parts.join(', then ')}`;
}

export const runner: RemediationRunner<IamPrincipal> = {
  run: (target, ctx) =>
    // The exemption tag is honoured here as for every catalogue action (who may set it is governed
    // by the organization); only a user's own creator is never allowed to exempt it.
    quarantineUser(target.userName, ctx, {
      reason: `GuardDuty ${ctx.finding.guardDutyType ?? 'finding'}`,
      rule: `finding ${ctx.finding.id}`,
      honourExemptTag: true,
    }),
};
