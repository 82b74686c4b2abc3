import type { Fleet } from '../../../config/fleet';
import type { AwsPort } from '../../../functions/shared/aws';
import { names as resourceNames } from '../../../functions/shared/naming';
import { errorCode } from '../../../functions/shared/remediations/common';
import { describeFailure, EXIT, type ExitCode } from '../../cli';
import { checkFinding, checkQuarantine, checkResource, type Row } from './check';
import { cleanUp } from './cleanup';
import { Interrupted, Refusal, throwIfAborted } from './errors';
import { buildFindings, importFindings, productArn, type SmokeFinding, type SmokeTargets } from './findings';
import { CleanupLedger, type FindingsEntry } from './ledger';
import type { SmokeOptions } from './options';
import { newRunId, preflight, type SmokePlan } from './plan';
import { createOpenSecurityGroup, createPublicishBucket, createUserWithKey } from './resources';
import { waitForResponder, type Clock } from './wait';

export interface SmokeDeps extends Clock {
  aws: AwsPort;
  /** Progress lines (the CLI writes them to stderr). */
  progress?: (line: string) => void;
  /** The CLI passes its own, to say what may be left when a second signal stops the cleanup. */
  ledger?: CleanupLedger;
  runId?: string;
}

export interface SmokeReport {
  /**
   * The command's exit code (scripts/cli.ts EXIT): 0 every check passed (or is unverified), 2 refused,
   * 3 no usable credentials, 4 a check failed (and the run was otherwise clean), 1 an error, an
   * interruption or something left behind (the operator has to look).
   */
  exitCode: ExitCode;
  refused?: string;
  error?: string;
  interrupted: boolean;
  rows: Row[];
  /** `<what> (<why>)` for each thing cleanup could not remove. */
  leftBehind: string[];
  runId: string;
}

/** Log lines may carry a timestamp a little before our clock's start; look back this far. */
const LOG_CLOCK_SKEW_MS = 60_000;

/** Missing or expired credentials (3) apart from any other error (1). */
function errorExit(error: unknown): ExitCode {
  return describeFailure('smoke', error).code === EXIT.credentials ? EXIT.credentials : EXIT.error;
}

function describeError(error: unknown): string {
  const code = errorCode(error);
  const err = typeof error === 'object' && error !== null ? (error as Partial<Error>) : undefined;
  return code === 'Error' ? (err?.message ?? String(error)) : `${code}: ${String(err?.message)}`;
}

/** Creates the three resources; with --keep-going a failed one becomes a FAIL row and the others go on. */
async function createResources(plan: SmokePlan, options: SmokeOptions, deps: SmokeDeps, ledger: CleanupLedger, rows: Row[]): Promise<SmokeTargets> {
  const { aws } = deps;
  const { names, region, vpcId } = plan;
  const targets: SmokeTargets = {};
  const steps: { kind: string; what: string; create: () => Promise<unknown> }[] = [
    {
      kind: 'EC2.19',
      what: 'security group',
      create: async () => Object.assign(targets, await createOpenSecurityGroup(aws, ledger, names, region, vpcId), { vpcId }),
    },
    { kind: 'S3.8', what: 'S3 bucket', create: async () => (targets.bucket = await createPublicishBucket(aws, ledger, names, region)) },
    { kind: 'GuardDuty IAMUser', what: 'IAM user and access key', create: async () => Object.assign(targets, await createUserWithKey(aws, ledger, names)) },
  ];
  for (const step of steps) {
    throwIfAborted(deps.signal);
    deps.progress?.(`creating ${step.what} ${names.name}`);
    try {
      await step.create();
    } catch (error) {
      if (!options.keepGoing) throw error;
      rows.push({ kind: step.kind, check: 'create', resource: names.name, expected: `${step.what} created`, observed: describeError(error), result: 'FAIL' });
    }
  }
  return targets;
}

/** Imports the findings (recorded first, so they are archived whatever happens next); returns those Security Hub took. */
async function importAll(
  plan: SmokePlan,
  options: SmokeOptions,
  deps: SmokeDeps,
  ledger: CleanupLedger,
  smoke: SmokeFinding[],
  rows: Row[],
): Promise<SmokeFinding[]> {
  if (smoke.length === 0) return [];
  const entry = ledger.record<FindingsEntry>({ type: 'findings', region: plan.region, findings: smoke.map((s) => s.finding) });
  deps.progress?.(`importing ${smoke.length} test finding(s) into Security Hub ${plan.region}`);
  try {
    await importFindings(deps.aws, plan.region, entry.findings);
    return smoke;
  } catch (error) {
    const refused = (error as { failedIds?: (string | undefined)[] }).failedIds;
    if (!refused) throw error;
    // Refused findings do not exist: nothing to archive for them.
    entry.findings = entry.findings.filter((f) => !refused.includes(f.Id));
    if (!options.keepGoing) throw error;
    for (const s of smoke.filter((x) => refused.includes(x.finding.Id))) {
      rows.push({ kind: s.kind, check: 'import', resource: s.resource, expected: 'imported', observed: describeError(error), result: 'FAIL' });
    }
    return smoke.filter((x) => !refused.includes(x.finding.Id));
  }
}

async function exercise(plan: SmokePlan, options: SmokeOptions, deps: SmokeDeps, ledger: CleanupLedger, started: Date): Promise<Row[]> {
  const { aws } = deps;
  const rows: Row[] = [];
  const targets = await createResources(plan, options, deps, ledger, rows);
  throwIfAborted(deps.signal);
  const built = buildFindings(
    { org: plan.org, runId: plan.names.runId, accountId: plan.accountId, region: plan.region, severity: plan.severity, now: deps.now() },
    targets,
  );
  const smoke = await importAll(plan, options, deps, ledger, built, rows);
  throwIfAborted(deps.signal);

  const q = plan.expected.quarantine;
  const quarantine = targets.userName
    ? {
        userName: targets.userName,
        policyArn: plan.settings.quarantinePolicyArn,
        watch: q.changes ? ('boundary' as const) : ('log' as const),
        logGroup: `/aws/lambda/${resourceNames.function(plan.org, 'quarantine-user')}`,
        since: new Date(started.getTime() - LOG_CLOCK_SKEW_MS),
      }
    : undefined;
  deps.progress?.(`waiting up to ${options.timeoutSeconds}s for the responder`);
  const input = { region: plan.region, productArn: productArn(plan.region, plan.accountId), findingIds: smoke.map((s) => s.finding.Id), quarantine };
  const observed = await waitForResponder(aws, input, deps, options.timeoutSeconds * 1000, options.pollSeconds * 1000);

  for (const s of smoke) {
    const expected = plan.expected.findings[s.kind];
    rows.push(checkFinding(s, expected, observed.findings.get(s.finding.Id), options.timeoutSeconds));
    // The test user's key is the quarantine's too: quarantine-user deactivates the keys it finds. The
    // key is created right after the user, well before CloudTrail delivers the CreateUser event.
    const keyAlsoQuarantined = s.kind === 'GuardDuty IAMUser' && q.changes;
    rows.push(await checkResource(aws, plan.region, s, keyAlsoQuarantined ? { ...expected, changes: true } : expected, targets.userName));
  }
  if (targets.userName)
    rows.push(...(await checkQuarantine(aws, targets.userName, plan.settings.quarantinePolicyArn, q, observed.quarantine, options.timeoutSeconds)));
  return rows;
}

/**
 * `npm run smoke`: preflight (refusals), create the test resources, import one finding per kind,
 * wait for the responder, check findings and resources, and always clean up, also when
 * interrupted through `deps.signal`.
 */
export async function runSmoke(options: SmokeOptions, fleet: Fleet, deps: SmokeDeps): Promise<SmokeReport> {
  const started = deps.now();
  const runId = deps.runId ?? newRunId(started);
  const report: SmokeReport = { exitCode: EXIT.error, interrupted: false, rows: [], leftBehind: [], runId };
  let plan: SmokePlan;
  try {
    plan = await preflight(options, fleet, deps.aws, started, runId);
    throwIfAborted(deps.signal);
  } catch (error) {
    if (error instanceof Refusal) return { ...report, exitCode: EXIT.usage, refused: error.message };
    if (error instanceof Interrupted) return { ...report, interrupted: true };
    return { ...report, exitCode: errorExit(error), error: describeError(error) };
  }
  deps.progress?.(`run ${runId} on ${plan.stack.name} as ${plan.caller.arn}`);
  const ledger = deps.ledger ?? new CleanupLedger();
  let errorExitCode: ExitCode = EXIT.error;
  try {
    report.rows = await exercise(plan, options, deps, ledger, started);
  } catch (error) {
    if (error instanceof Interrupted || deps.signal.aborted) report.interrupted = true;
    else {
      report.error = describeError(error);
      errorExitCode = errorExit(error);
    }
  } finally {
    report.leftBehind = await cleanUp(deps.aws, ledger, deps.now(), deps.progress);
  }
  if (report.error !== undefined) return { ...report, exitCode: errorExitCode };
  if (report.interrupted || report.leftBehind.length > 0) return { ...report, exitCode: EXIT.error };
  return { ...report, exitCode: report.rows.some((r) => r.result === 'FAIL') ? EXIT.checkFailed : EXIT.ok };
}
