import { asArray, jsonAttribute, policyStatements, resources, violation, type GuardRail, type Violation } from '../types';

/**
 * Every role's trust policy names exactly one service or one exact principal per statement, and
 * no role trusts a principal of another account (no cross-account remediation role exists).
 */
export const roleTrust: GuardRail = {
  id: 'role-trust-single-principal',
  description: 'roles trust one service or one exact principal of their own account',
  severity: 'error',
  explanation: 'A role trusting several principals, a wildcard or another account can be assumed by more than the one function or service it was made for.',
  fix: "trust exactly one service principal or one exact principal ARN of the stack's own account per statement",
  check(stack) {
    const out: Violation[] = [];
    for (const [type, id, attrs] of resources(stack)) {
      if (type !== 'aws_iam_role') continue;
      for (const st of policyStatements(jsonAttribute(`${type}.${id}`, attrs, 'assume_role_policy'))) {
        if (st.Effect !== 'Allow') continue;
        const principal = st.Principal;
        const entries: [string, unknown][] = principal && typeof principal === 'object' ? Object.entries(principal) : [['*', principal]];
        const values = entries.flatMap(([kind, v]) => asArray(v).map((value) => [kind, value] as const));
        if (values.length !== 1) {
          out.push(violation(this, stack, type, id, `trust statement names ${values.length} principals; exactly one is allowed`));
          continue;
        }
        const [kind, value] = values[0];
        if (typeof value !== 'string') throw new Error(`${type}.${id}: trust principal ${kind}:${JSON.stringify(value)} is not a string`);
        if (value.includes('*')) out.push(violation(this, stack, type, id, `trust principal ${kind}:${value} is a wildcard`));
        if (kind === 'AWS') {
          const account = /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(value)?.[1] ?? (/^\d{12}$/.test(value) ? value : undefined);
          if (account !== stack.accountId) out.push(violation(this, stack, type, id, `role trusts ${value}, outside account ${stack.accountId}`));
        } else if (kind !== 'Service') {
          out.push(violation(this, stack, type, id, `trust principal kind ${kind} is not a service or an exact AWS principal`));
        }
      }
    }
    return out;
  },
};
