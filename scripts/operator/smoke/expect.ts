import type { Fleet, StackPlan } from '../../../config/fleet';
import type { ActionOrNone, Severity } from '../../../functions/shared/catalogue';
import type { Decision } from '../../../functions/shared/decision';
import { simulate } from '../../../simulator/simulate';
import { Refusal } from './errors';
import { buildFindings, createUserEvent, findingsEvent, INTENDED_ACTION, type FindingKind } from './findings';
import type { Caller } from './plan';
import type { SmokeNames } from './resources';

/** What the responder must do with one test finding. */
export interface Expected {
  action: ActionOrNone;
  /** Effective mode of the action in this account (off, observe, enforce). */
  mode: string;
  /** `security-response:outcome` as the responder records it: the module's outcome, or the status when none ran. */
  outcome: string;
  workflow: 'RESOLVED' | 'NOTIFIED';
  /** The responder changes the live resource. */
  changes: boolean;
}

/** What quarantine-user must do with the test user: REMEDIATED, WOULD_CHANGE, DISABLED, EXEMPT, or IGNORED (trusted creator). */
export interface QuarantineExpected {
  outcome: string;
  mode: string;
  changes: boolean;
  reason: string;
}

export interface Expectations {
  findings: Record<FindingKind, Expected>;
  quarantine: QuarantineExpected;
}

function expectedOf(decision: Decision): Expected {
  const r = decision.remediation;
  if (!r) throw new Error(`the decision has no remediation (${decision.reason})`);
  const outcome = r.outcome ?? r.status;
  return { action: r.action, mode: decision.mode, outcome, workflow: outcome === 'REMEDIATED' ? 'RESOLVED' : 'NOTIFIED', changes: outcome === 'REMEDIATED' };
}

/**
 * Runs the simulator (the deployed functions' own decision code) on the test findings and the
 * test user's CreateUser, with stand-in ids of the same shape: modes, thresholds, exemptions and
 * trusted creators are all applied by the same code as in AWS. A finding the stack would ignore,
 * or judge to another action, means the smoke test cannot test it: refused.
 */
export async function expectedResponses(
  fleet: Fleet,
  stack: StackPlan,
  run: { names: SmokeNames; caller: Caller; severity: Severity; now: Date },
): Promise<Expectations> {
  const { names, caller, severity, now } = run;
  const { accountId, organization: org } = stack.settings;
  const standIns = {
    groupId: 'sg-0000000000000smoke',
    groupName: names.name,
    vpcId: 'vpc-00000000smoke',
    bucket: names.name,
    userName: names.name,
    accessKeyId: 'AKIA0000000000SMOKE0',
  };
  const smoke = buildFindings({ org, runId: names.runId, accountId, region: stack.region, severity, now }, standIns);
  const judged = await simulate(
    findingsEvent(
      smoke.map((s) => s.finding),
      stack.region,
      accountId,
      now,
    ),
    fleet,
    { stack: stack.name },
  );
  const findings = {} as Record<FindingKind, Expected>;
  smoke.forEach((s, i) => {
    const d = judged.decisions[i];
    if (d.ignored) throw new Refusal(`stack ${stack.name} would ignore the ${s.kind} test finding: ${d.reason}`);
    if (d.remediation?.action !== INTENDED_ACTION[s.kind]) {
      throw new Refusal(
        `stack ${stack.name} would judge the ${s.kind} test finding to ${d.remediation?.action}, not ${INTENDED_ACTION[s.kind]}: the smoke test cannot check it`,
      );
    }
    findings[s.kind] = expectedOf(d);
  });
  // Without --stack: CreateUser is judged by the account's primary stack's quarantine-user (us-east-1).
  const created = (await simulate(createUserEvent(accountId, names.name, caller, now), fleet)).decisions[0];
  const outcome = created.ignored ? 'IGNORED' : (created.remediation?.outcome ?? created.remediation?.status ?? 'IGNORED');
  return { findings, quarantine: { outcome, mode: created.mode, changes: outcome === 'REMEDIATED', reason: created.reason } };
}

/**
 * Why not to run without --i-know: the account is in enforce mode, or some exercised action would
 * really change the test resources (the list says which).
 */
export function enforceRefusal(stack: StackPlan, expected: Expectations, iKnow: boolean): string | undefined {
  if (iKnow) return undefined;
  const writes = (Object.entries(expected.findings) as [FindingKind, Expected][]).filter(([, e]) => e.changes).map(([kind, e]) => `${e.action} (${kind})`);
  if (expected.quarantine.changes) writes.push('QUARANTINE_IAM_USER (CreateUser)');
  if (stack.settings.mode !== 'enforce' && writes.length === 0) return undefined;
  const what =
    writes.length > 0
      ? `these actions would really change the test resources: ${writes.join(', ')}`
      : 'no exercised action would change a resource, but the account enforces';
  return `account ${stack.account.name} (${stack.settings.accountId}) is in ${stack.settings.mode} mode; ${what}. Run again with --i-know to proceed.`;
}
