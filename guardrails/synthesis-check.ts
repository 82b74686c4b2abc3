import { GUARD_RAILS } from './index';
import { withResources, type GuardRail, type ParsedStack, type Violation } from './types';

/** accounts.json `guardRailSuppressions[]`: one accepted finding, with its reason. */
export interface Suppression {
  rule: string;
  resource: string;
  /** Only in this stack. @default every stack */
  stack?: string;
  reason: string;
}

export interface GuardRailReport {
  /** Findings of `error` rules nobody suppressed: synthesis stops. */
  errors: string[];
  /** Findings of `warning` rules: printed, synthesis goes on. */
  warnings: string[];
  /** Suppressed findings, each with its reason: printed at every synthesis. */
  suppressed: string[];
  /** Suppressions that match nothing any more (printed, so that they get removed). */
  unused: string[];
}

/** `<stack>: <resource>: [rule] (severity) what is wrong. Fix: what to change.` */
export function describeFinding(v: Violation, rail: GuardRail): string {
  return `${v.stack}: ${v.resource}: [${v.rule}] (${rail.severity}) ${v.message}. Fix: ${rail.fix}`;
}

/**
 * Every guard rail over every synthesized stack, as `cdk synth` runs cdk-nag: what `npm run synth`
 * prints and whether it stops. A suppression naming an unknown rule is an error itself.
 */
export function checkSynthesized(
  parsed: readonly ParsedStack[],
  suppressions: readonly Suppression[],
  rails: readonly GuardRail[] = GUARD_RAILS,
): GuardRailReport {
  const report: GuardRailReport = { errors: [], warnings: [], suppressed: [], unused: [] };
  const byId = new Map(rails.map((r) => [r.id, r]));
  suppressions.forEach((s, i) => {
    if (!byId.has(s.rule))
      report.errors.push(`accounts.json: $.guardRailSuppressions[${i}].rule: no guard rail is named "${s.rule}" (known: ${[...byId.keys()].join(', ')})`);
  });
  const used = new Set<number>();
  for (const stack of parsed.map(withResources)) {
    for (const rail of rails) {
      for (const v of rail.check(stack)) {
        const match = suppressions.findIndex((s) => s.rule === v.rule && s.resource === v.resource && (s.stack === undefined || s.stack === v.stack));
        if (match >= 0) {
          used.add(match);
          report.suppressed.push(`${v.stack}: ${v.resource}: [${v.rule}] suppressed: ${suppressions[match].reason}`);
        } else if (rail.severity === 'error') report.errors.push(describeFinding(v, rail));
        else report.warnings.push(describeFinding(v, rail));
      }
    }
  }
  suppressions.forEach((s, i) => {
    if (!used.has(i) && byId.has(s.rule))
      report.unused.push(
        `accounts.json: $.guardRailSuppressions[${i}]: [${s.rule}] ${s.resource}${s.stack ? ` in ${s.stack}` : ''} matches nothing; remove it`,
      );
  });
  return report;
}
