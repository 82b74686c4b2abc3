import { WILDCARD_RESOURCE_EXCEPTIONS } from '../../stacks/constructs/permissions';
import { asArray, asStrings, jsonAttribute, policyStatements, resources, sidOf, violation, type GuardRail, type Violation } from '../types';

/** Read-only by name: AWS's Describe/Get/List (and Head) actions change nothing. */
function isWrite(action: string): boolean {
  const [, name = action] = action.split(':');
  return !/^(Describe|Get|List|Head)/.test(name);
}

/**
 * No IAM policy attached to a role or managed policy allows a write action on `Resource: "*"`,
 * unless AWS offers no narrower resource for it (WILDCARD_RESOURCE_EXCEPTIONS, with reasons).
 * Deny statements (the quarantine policy) are not grants.
 */
export const noWildcardWrite: GuardRail = {
  id: 'iam-no-wildcard-write',
  description: 'IAM write actions are scoped to resources, except the listed AWS limitations',
  severity: 'error',
  explanation: 'A write action on Resource "*" lets a compromised function change anything of that kind in the account, not only what it remediates.',
  fix: 'scope the statement to the resources the action touches, or add the action to WILDCARD_RESOURCE_EXCEPTIONS in stacks/constructs/permissions.ts with the AWS reason',
  check(stack) {
    const out: Violation[] = [];
    for (const [type, id, attrs] of resources(stack)) {
      if (type !== 'aws_iam_role_policy' && type !== 'aws_iam_policy') continue;
      for (const st of policyStatements(jsonAttribute(`${type}.${id}`, attrs, 'policy'))) {
        if (st.Effect !== 'Allow' || !asArray(st.Resource).includes('*')) continue;
        for (const action of asStrings(st.Action, `${type}.${id}: Action`)) {
          if (isWrite(action) && !(action in WILDCARD_RESOURCE_EXCEPTIONS)) {
            out.push(violation(this, stack, type, id, `statement ${sidOf(st)} allows write action ${action} on Resource "*"`));
          }
        }
      }
    }
    return out;
  },
};
