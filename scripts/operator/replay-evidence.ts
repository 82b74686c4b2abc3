import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Fleet, StackPlan } from '../../config/fleet';
import type { AwsPort } from '../../functions/shared/aws';
import { MAX_REPLAYED, type ReplaySummary } from '../../functions/shared/evidence/replay';
import { replayEvent } from '../../functions/shared/evidence/replay-event';
import { EVIDENCE_WRITERS, IAM_EVENTS_REGION, names, type FunctionName } from '../../functions/shared/naming';
import { CliError, EXIT, parseCliArgs } from '../cli';
import { sweptStack } from './sweep/run';

export const USAGE = `usage: npm run replay-evidence -- --stack <account>-<region> [--function ${EVIDENCE_WRITERS.join('|')}]`;

export interface ReplayOptions {
  stack: string;
  fn: FunctionName;
}

export function parseReplayArgs(argv: string[]): ReplayOptions {
  const { values, positionals } = parseCliArgs(
    { args: argv, options: { stack: { type: 'string' }, function: { type: 'string' } }, allowPositionals: true },
    USAGE,
  );
  if (positionals.length > 0) throw new CliError(`unexpected argument ${positionals[0]}\n${USAGE}`, EXIT.usage);
  if (!values.stack) throw new CliError(`--stack is required\n${USAGE}`, EXIT.usage);
  const fn = values.function ?? 'respond';
  if (!(EVIDENCE_WRITERS as readonly string[]).includes(fn))
    throw new CliError(`--function ${fn}: one of ${EVIDENCE_WRITERS.join(', ')} writes evidence\n${USAGE}`, EXIT.usage);
  return { stack: values.stack, fn: fn as FunctionName };
}

/** Where the function of a stack runs, or a usage error saying which stack has it. */
export function replayTarget(fleet: Fleet, stack: StackPlan, fn: FunctionName): { region: string; functionName: string } {
  const org = fleet.config.organization;
  const securityHome = stack.account.id === org.securityAccountId && stack.region === org.homeRegion;
  if (fn === 'quarantine-user' && !stack.primary)
    throw new CliError(`quarantine-user is deployed by the primary stack of ${stack.account.name} (its first region), not ${stack.name}`, EXIT.usage);
  if ((fn === 'escalate' || fn === 'investigate' || fn === 'route') && !securityHome)
    throw new CliError(`${fn} runs in the security account's home region only (${org.homeRegion}), not in ${stack.name}`, EXIT.usage);
  if (fn === 'investigate' && !org.detective) throw new CliError('investigate is deployed only with organization.detective', EXIT.usage);
  return { region: fn === 'quarantine-user' ? IAM_EVENTS_REGION : stack.region, functionName: names.function(org.name, fn) };
}

export interface ReplayReport {
  functionName: string;
  region: string;
  invocations: number;
  replayed: string[];
  failed: ReplaySummary['failed'];
  unreadable: ReplaySummary['unreadable'];
  /** Other dead letters seen in the last pass (failed invocations): a person's. */
  others: number;
  exitCode: number;
}

/** Passes at most: 50 × 100 records; a queue longer than that is run again. */
const MAX_INVOCATIONS = 50;

/**
 * `npm run replay-evidence`: with credentials of the stack's account, invokes the deployed function
 * with the replay event until its dead-letter queue holds no more records it can move (a pass that
 * ends at an empty queue rather than at one of its limits), and reports what was moved, what the bucket still refused, and
 * what was left. Exit 0 when every record moved, 1 when some are still waiting, 2 usage, 3 credentials.
 */
export async function runReplay(options: ReplayOptions, fleet: Fleet, deps: { aws: AwsPort; lambda?: LambdaClient; now: () => Date }): Promise<ReplayReport> {
  const stack = sweptStack(fleet, options.stack);
  const { region, functionName } = replayTarget(fleet, stack, options.fn);
  const caller = await deps.aws.client(STSClient, region).send(new GetCallerIdentityCommand({}));
  if (caller.Account !== stack.account.id)
    throw new CliError(
      `the credentials are for account ${caller.Account ?? '?'} (${caller.Arn ?? '?'}), not ${stack.account.id} (${stack.account.name})`,
      EXIT.usage,
    );
  // Sent once: the function deletes what it moved, so a resent pass only moves what is left.
  const lambda = deps.lambda ?? new LambdaClient({ region, maxAttempts: 1 });
  const report: ReplayReport = { functionName, region, invocations: 0, replayed: [], failed: [], unreadable: [], others: 0, exitCode: EXIT.ok };
  const replayId = `replay-${randomUUID()}`;
  for (let pass = 0; pass < MAX_INVOCATIONS; pass++) {
    const event = replayEvent({ replayId }, { accountId: stack.account.id, region }, deps.now());
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(event)) }),
    );
    report.invocations += 1;
    const text = out.Payload ? new TextDecoder().decode(out.Payload) : '';
    if (out.FunctionError) throw new CliError(`${functionName} failed (${out.FunctionError}): ${text.slice(0, 300)}`, EXIT.error);
    const answer = JSON.parse(text) as Partial<ReplaySummary> & { refused?: string; replay?: Partial<ReplaySummary> & { refused?: string } };
    // respond answers inside its summary; the other functions answer the replay itself.
    const reply = answer.replay ?? answer;
    if (reply.refused) throw new CliError(`${functionName} refused: ${reply.refused}`, EXIT.usage);
    if (!Array.isArray(reply.replayed))
      throw new CliError(`${functionName} did not answer as a replay (is it older than replay-evidence?): ${text.slice(0, 200)}`, EXIT.error);
    report.replayed.push(...reply.replayed);
    report.failed.push(...(reply.failed ?? []));
    report.unreadable.push(...(reply.unreadable ?? []));
    report.others = reply.others ?? 0;
    // A function older than `more` answers without it: a full pass then means there may be more.
    if (!(reply.more ?? reply.replayed.length >= MAX_REPLAYED)) break;
  }
  report.exitCode = report.failed.length > 0 || report.unreadable.length > 0 ? EXIT.error : EXIT.ok;
  return report;
}

export function formatReplay(r: ReplayReport): string {
  const lines = [
    `${r.functionName} (${r.region}): ${r.replayed.length} evidence record(s) moved from its dead-letter queue into the bucket in ${r.invocations} invocation(s)`,
  ];
  for (const key of r.replayed) lines.push(`  moved    ${key}`);
  for (const f of r.failed) lines.push(`  refused  ${f.key}: ${f.problem} (still in the queue)`);
  for (const u of r.unreadable) lines.push(`  left     message ${u.messageId}: ${u.problem} (not a record of this function; still in the queue)`);
  if (r.others > 0) lines.push(`  ${r.others} other dead letter(s) (failed invocations) left in the queue for a person`);
  return lines.join('\n');
}
