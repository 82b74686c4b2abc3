import { SEVERITIES, severityRank, type Severity } from '../catalogue';
import type { Finding } from '../finding';
import type { ResponderSettings } from '../settings';
import { RULES, type Category } from './rules';

export type { Category, ClassificationRule, RuleBasis } from './rules';
export { CATEGORIES, RULES } from './rules';

export interface Classification {
  category: Category;
  escalate: boolean;
  /** Severity after raising for critical resources and production accounts. */
  severity: Severity;
  /** Why: which rule matched, why the severity moved, and why it escalates or not. */
  reasons: string[];
}

/** Categories that reach a person now, whatever the severity. */
export const ALWAYS_ESCALATE: readonly Category[] = ['critical-admin-root', 'malware', 'credential-compromise'];

/** The first of the account's criticalResourceTags that a resource of the finding carries, as `key=value`. */
export function criticalTagOf(finding: Finding, settings: ResponderSettings): string | undefined {
  for (const r of finding.resources) {
    const hit = settings.criticalResourceTags.find((t) => r.tags[t.key] === t.value);
    if (hit) return `${hit.key}=${hit.value}`;
  }
  return undefined;
}

/**
 * Category: the first rule of RULES that matches (structured fields of every category before any
 * title keyword); otherwise `other-high` when the reported severity is HIGH or CRITICAL,
 * `standard-compliance` for any other control finding, `other` for the rest.
 *
 * Severity: CRITICAL when a resource carries one of the account's criticalResourceTags (the same
 * raise the security account's automation rule applies); otherwise, in a production account, one
 * step up (LOW → MEDIUM → HIGH → CRITICAL; INFORMATIONAL stays, it asserts no risk).
 *
 * Escalate: when the resulting severity is CRITICAL, or the category is one of ALWAYS_ESCALATE.
 */
export function classify(finding: Finding, settings: ResponderSettings): Classification {
  const reasons: string[] = [];
  let category: Category | undefined;
  for (const rule of RULES) {
    const why = rule.match(finding);
    if (why) {
      category = rule.category;
      reasons.push(`${rule.category}: ${why}`);
      break;
    }
  }
  if (!category) {
    if (severityRank(finding.severity) >= severityRank('HIGH')) {
      category = 'other-high';
      reasons.push(`other-high: no specific rule matched; reported severity ${finding.severity}`);
    } else if (finding.controlId) {
      category = 'standard-compliance';
      reasons.push(`standard-compliance: no specific rule matched control ${finding.controlId}`);
    } else {
      category = 'other';
      reasons.push('other: no specific rule matched');
    }
  }

  let severity = finding.severity;
  const critical = criticalTagOf(finding, settings);
  if (critical && severity !== 'CRITICAL') {
    severity = 'CRITICAL';
    reasons.push(`severity raised from ${finding.severity} to CRITICAL: resource tagged ${critical}`);
  } else if (!critical && settings.production && severity !== 'CRITICAL' && severityRank(severity) >= severityRank('LOW')) {
    severity = SEVERITIES[severityRank(severity) + 1];
    reasons.push(`severity raised from ${finding.severity} to ${severity}: production account ${settings.accountName}`);
  }

  let escalate = false;
  if (ALWAYS_ESCALATE.includes(category)) {
    escalate = true;
    reasons.push(`escalate: ${category} always reaches a person`);
  } else if (severity === 'CRITICAL') {
    escalate = true;
    reasons.push('escalate: severity CRITICAL');
  }
  return { category, escalate, severity, reasons };
}
