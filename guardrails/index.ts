import { deadLetterAlarm } from './rules/dead-letter-alarm';
import { encryptedMessaging } from './rules/encrypted-messaging';
import { lambdaHardening } from './rules/lambda-hardening';
import { noWildcardWrite } from './rules/no-wildcard-write';
import { respondRuleScope } from './rules/respond-rule-scope';
import { roleTrust } from './rules/role-trust';
import { servicePrincipalSource } from './rules/service-principal-source';
import { withResources, type GuardRail, type ParsedStack, type Violation } from './types';

export const GUARD_RAILS: GuardRail[] = [
  noWildcardWrite,
  roleTrust,
  encryptedMessaging,
  lambdaHardening,
  respondRuleScope,
  deadLetterAlarm,
  servicePrincipalSource,
];

export function checkStack(parsed: ParsedStack, rails: GuardRail[] = GUARD_RAILS): Violation[] {
  const stack = withResources(parsed);
  return rails.flatMap((rail) => rail.check(stack));
}

export function formatViolation(v: Violation): string {
  return `${v.stack}: ${v.resource}: [${v.rule}] ${v.message}`;
}
