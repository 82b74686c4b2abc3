/** IAM policy documents as plain data, rendered to JSON once (no Terraform tokens inside). */
import { ALERTING_FUNCTIONS, arns, EVIDENCE_WRITERS, names, SECURITY_HOME_FUNCTIONS, type FunctionName } from '../../functions/shared/naming';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | Record<string, string | string[]>;
  Action: string | string[];
  /** Absent only in trust policies. */
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export function policyDocument(statements: PolicyStatement[]): string {
  const doc: PolicyDocument = { Version: '2012-10-17', Statement: statements };
  return JSON.stringify(doc);
}

/** Trust policy for a Lambda function's role, limited to invocations in its own account. */
export function lambdaTrustPolicy(accountId: string): string {
  return policyDocument([
    {
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  ]);
}

/**
 * The condition that admits the alerting functions' roles of every account of the organization
 * (`aws:PrincipalOrgID` plus the role-name patterns): who may publish to the alert topic, use its
 * key, and write evidence records. The SCP reserves those role names. The functions only the
 * security home stack deploys (escalate, investigate) are admitted from the security account only.
 */
export function organizationAlertingRoles(org: string, organizationId: string, securityAccountId: string): OrganizationRoles {
  return organizationRoles(org, organizationId, securityAccountId, ALERTING_FUNCTIONS);
}

/**
 * The same for the evidence bucket and its key: the alerting functions, and `route`, which records
 * the tickets it opens. route may not publish to the alert topic (its own intake).
 */
export function organizationEvidenceWriters(org: string, organizationId: string, securityAccountId: string): OrganizationRoles {
  return organizationRoles(org, organizationId, securityAccountId, EVIDENCE_WRITERS);
}

/** A condition block (a type alias, not an interface: a policy's Condition needs its index signature). */
export type OrganizationRoles = { StringEquals: Record<string, string>; ArnLike: Record<string, string[]> };

function organizationRoles(org: string, organizationId: string, securityAccountId: string, functions: readonly FunctionName[]): OrganizationRoles {
  const accountOf = (fn: FunctionName) => (SECURITY_HOME_FUNCTIONS.includes(fn) ? securityAccountId : '*');
  return {
    StringEquals: { 'aws:PrincipalOrgID': organizationId },
    ArnLike: { 'aws:PrincipalArn': functions.map((fn) => arns.role(accountOf(fn), names.role(org, fn, '*'))) },
  };
}
