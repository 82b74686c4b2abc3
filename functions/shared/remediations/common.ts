import { EXEMPT_TAG, TAG_PREFIX } from '../naming';
import type { Finding, ResourceRef } from '../finding';
import type { ResponderSettings } from '../settings';
import type { RemediationResult, UndoRecord } from './types';

/** True when tags (as a map or as AWS Key/Value pairs) carry security-response:exempt=true. */
export function isExempt(tags: Partial<Record<string, string>> | { Key?: string; Value?: string }[] | undefined): boolean {
  if (!tags) return false;
  if (Array.isArray(tags)) return tags.some((t) => t.Key === EXEMPT_TAG.key && t.Value?.toLowerCase() === EXEMPT_TAG.value);
  return tags[EXEMPT_TAG.key]?.toLowerCase() === EXEMPT_TAG.value;
}

/**
 * Why nothing was done to an exempt resource, for the alert. The tag is only as strong as who may
 * set it, so the alert says how to find out who did (the function itself cannot: CloudTrail's
 * LookupEvents is slow and rate-limited, and a finding batch must not wait on it).
 */
export function exemptSummary(what: string): string {
  return (
    `${what} is tagged ${EXEMPT_TAG.key}=${EXEMPT_TAG.value}; nothing was changed. ` +
    `Anyone allowed to tag it could have set this tag (the organization's tag-protection policy limits who may); ` +
    `who set it and when: CloudTrail event history for this resource (CreateTags, TagResource, TagUser, PutBucketTagging).`
  );
}

export const EXEMPT_RESULT = (what: string): RemediationResult => ({ outcome: 'EXEMPT', summary: exemptSummary(what) });

/** The first resource of a type, when the finding is this account's and this region's. */
export function ownResource(finding: Finding, settings: ResponderSettings, type: string): ResourceRef | undefined {
  if (finding.accountId !== settings.accountId || finding.region !== settings.region) return undefined;
  return finding.resources.find((r) => r.type === type);
}

/** Tag values IAM and EC2 accept: at most 256 characters of a conservative alphabet. */
export function tagValue(value: string): string {
  return value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_').slice(0, 256);
}

export function ourTag(key: string, value: string): { Key: string; Value: string } {
  return { Key: `${TAG_PREFIX}${key}`, Value: tagValue(value) };
}

/**
 * The warning of a REMEDIATED result whose bookkeeping tag could not be written: the change stands
 * (the tag is only a note for whoever looks at the resource next), but the resource does not say so.
 */
export function tagFailureWarning(what: string, error: unknown): string {
  return `${what} could not be tagged (${errorCode(error)}): the change stands, but the resource carries no security-response tag saying so`;
}

interface AwsError {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** AWS error code of an SDK exception. */
export function errorCode(error: unknown): string {
  // Anything may be thrown, undefined and null included.
  const e = error as AwsError | null | undefined;
  return e?.name ?? e?.Code ?? 'Error';
}

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess', 'Forbidden']);

/**
 * Turns an AWS error into a FAILED result a person can act on. On AccessDenied the IAM action is
 * named: from the message ("not authorized to perform: ec2:X") or else from the operation. `undo`
 * reverses the writes that were made before the error, if any.
 */
export function failed(error: unknown, operation: string, what: string, undo?: UndoRecord): RemediationResult {
  const code = errorCode(error);
  const message = (error as AwsError | null | undefined)?.message ?? String(error);
  const partly = undo && undo.calls.length > 0 ? { undo } : {};
  const done = partly.undo ? ` Some changes were already made: ${partly.undo.description}.` : '';
  if (DENIED.has(code)) {
    const missing = /perform:? ([a-z0-9-]+:[A-Za-z0-9]+)/.exec(message)?.[1] ?? operation;
    return {
      outcome: 'FAILED',
      summary: `${what}: permission ${missing} is missing.${done}`,
      error: `${code}: ${message}`,
      missingPermission: missing,
      ...partly,
    };
  }
  return { outcome: 'FAILED', summary: `${what}: ${code}.${done}`, error: `${code}: ${message}`, ...partly };
}
