import { randomBytes } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Fleet, StackPlan } from '../../../config/fleet';
import { countingAws, type AwsPort } from '../../../functions/shared/aws';
import { names } from '../../../functions/shared/naming';
import type { SweepReply } from '../../../functions/shared/sweep/decision';
import { enforcedActions, MAX_SWEEP_FINDINGS, sweepEvent } from '../../../functions/shared/sweep/event';
import { CliError, describeFailure, EXIT, type ExitCode } from '../../cli';
import type { ProgressLine } from '../progress';
import { listBacklog, type BacklogEntry } from './list';
import type { SweepOptions } from './options';
import { TokenBucket, type Clock } from './pace';
import { addCalls, SweepFiles, type SweepLine, type SweepState } from './state';

export interface SweepDeps extends Clock {
  /** The operator's credentials, of the stack's account. */
  aws: AwsPort;
  progress: Pick<ProgressLine, 'update' | 'done'>;
  /** Lines that stay (resuming, refusals of single invocations): stderr in the CLI. */
  say: (line: string) => void;
  /** The first SIGINT/SIGTERM: the invocation under way finishes, its answer is saved, the sweep stops. */
  signal?: AbortSignal;
  sweepId?: string;
}

export interface SweepReport {
  exitCode: ExitCode;
  stack: StackPlan;
  state?: SweepState;
  /** Every decision of the sweep so far (all its runs). */
  decisions: SweepLine[];
  resumed: boolean;
  interrupted: boolean;
  /** Interrupted while listing: nothing was saved or sent. */
  listingInterrupted?: boolean;
  /** Why the sweep stopped before its end (the function refused it, invocations kept failing, credentials). */
  error?: string;
}

/**
 * GetFindings is limited to 3 requests a second per account and region (burst 6). The sweep's
 * listing and `respond`'s one read per invocation share 2 of them; the rest stays with the router's
 * ticket writer and `npm run undo`.
 */
const GET_FINDINGS_RATE = 2;
const GET_FINDINGS_BURST = 4;
/** Invocations failing in a row before the sweep stops: the function is broken or throttled, not one finding. */
const MAX_FAILURES_IN_A_ROW = 3;

/** The stack, or a usage error naming how stacks are named. */
export function sweptStack(fleet: Fleet, name: string): StackPlan {
  const stack = fleet.stacks.find((s) => s.name === name);
  if (!stack)
    throw new CliError(
      `unknown stack ${name}: the configuration has ${fleet.stacks.length} stacks (e.g. ${fleet.stacks[0]?.name ?? 'none'}); names are <account name>-<region>`,
      EXIT.usage,
    );
  if (stack.role === 'retired') throw new CliError(`stack ${name} is retired: no responder runs there`, EXIT.usage);
  return stack;
}

/** Why the sweep must not start, from accounts.json (the deployed function checks again). */
export function sweepRefusalOf(stack: StackPlan, iKnow: boolean): string | undefined {
  if (stack.settings.findingsFeed === 'ocsf')
    return `${stack.name} takes the OCSF feed (findingsFeed: ocsf); the sweep reads ASFF findings (GetFindings) only and would decide on findings its responder never sees`;
  const enforced = enforcedActions(stack.settings);
  if (enforced.length > 0 && !iKnow)
    return `${stack.name} enforces ${enforced.join(', ')}: the sweep would change resources with the deployed modes; pass --i-know to go ahead (with --limit N to start with a few)`;
  return undefined;
}

function newSweepId(now: Date): string {
  return `sweep-${now.toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60
    ? `${s}s`
    : s < 3600
      ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`
      : `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const perSecond = (n: number, ms: number) => (ms > 0 ? (n / ms) * 1000 : 0);

/** `[#####-----] 1,230/10,000 sent · 4.9/s · ETA 29m`. */
export function progressBar(sent: number, total: number, perSecond: number, failed: number, width = 24): string {
  const done = total === 0 ? width : Math.round((sent / total) * width);
  const eta = perSecond > 0 && sent < total ? ` · ETA ${duration(((total - sent) / perSecond) * 1000)}` : '';
  return `sweep: [${'#'.repeat(done)}${'-'.repeat(width - done)}] ${sent.toLocaleString('en-US')}/${total.toLocaleString('en-US')} sent · ${perSecond.toFixed(1)} findings/s${failed > 0 ? ` · ${failed} invocations failed` : ''}${eta}`;
}

/** Lambda's answer when the function's concurrency is used up: the function did not run, so resending is safe. */
const THROTTLED = 'TooManyRequestsException';
const THROTTLE_RETRIES = 5;

type Invoked =
  | { kind: 'answered'; reply: SweepReply }
  /** The function ran and failed (or answered something else): its findings may be partly handled. */
  | { kind: 'failed'; failure: string }
  /** The request did not reach the function, or its answer was lost: nothing is known to have run. */
  | { kind: 'unsent'; failure: string };

/**
 * One invocation, attempted once: a retry after a lost answer could run the same findings twice at
 * once. Only Lambda's throttling (the function did not run) is retried, with a growing wait.
 */
async function invokeRespond(stack: StackPlan, event: unknown, calls: Record<string, number>, clock: Clock): Promise<Invoked> {
  const functionName = names.function(stack.settings.organization, 'respond');
  const lambda = new LambdaClient({ region: stack.region, maxAttempts: 1 });
  for (let attempt = 0; ; attempt++) {
    try {
      calls['lambda:Invoke'] = (calls['lambda:Invoke'] ?? 0) + 1;
      const out = await lambda.send(
        new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(event)) }),
      );
      const text = out.Payload ? new TextDecoder().decode(out.Payload) : '';
      if (out.FunctionError) return { kind: 'failed', failure: `${functionName} failed (${out.FunctionError}): ${text.slice(0, 300)}` };
      let answer: { sweep?: SweepReply; kind?: string; rejected?: string };
      try {
        answer = JSON.parse(text) as typeof answer;
      } catch {
        return { kind: 'failed', failure: `${functionName} answered something that is not JSON: ${text.slice(0, 200)}` };
      }
      if (!answer.sweep)
        return {
          kind: 'failed',
          failure: `${functionName} did not answer as a sweep (kind ${answer.kind ?? '?'}${answer.rejected ? `: ${answer.rejected}` : ''}): is it older than the sweep?`,
        };
      return { kind: 'answered', reply: answer.sweep };
    } catch (error) {
      if (describeFailure('sweep', error).code === EXIT.credentials) throw error;
      const name = (error as Error).name;
      if (name === THROTTLED && attempt < THROTTLE_RETRIES) {
        await clock.sleep(1000 * 2 ** attempt);
        continue;
      }
      return { kind: 'unsent', failure: `invoking ${functionName}: ${name}: ${(error as Error).message}` };
    }
  }
}

/**
 * `npm run sweep`: lists the stack's backlog (ACTIVE, NEW, at or above its threshold, created since
 * --since), then sends it to the deployed `respond` function ten findings an invocation, paced within
 * Security Hub's limits, saving its progress after each. `respond` reads each finding from its hub
 * and decides with the account's deployed modes, exactly as on an Imported event: recorded, alerted,
 * evidence written. Refusals (usage, enforce without --i-know, wrong account, a sweep of the same
 * state already running) throw a CliError before anything is sent.
 */
export async function runSweep(options: SweepOptions, fleet: Fleet, deps: SweepDeps): Promise<SweepReport> {
  const stack = sweptStack(fleet, options.stack);
  const refusal = sweepRefusalOf(stack, options.iKnow);
  if (refusal) throw new CliError(refusal, EXIT.usage);
  const counted = countingAws(deps.aws);
  const aws = counted.aws;
  const caller = await aws.client(STSClient, stack.region).send(new GetCallerIdentityCommand({}));
  if (caller.Account !== stack.settings.accountId)
    throw new CliError(
      `the credentials are for account ${caller.Account ?? '?'} (${caller.Arn ?? '?'}), not ${stack.settings.accountId} (${stack.account.name}) of stack ${stack.name}`,
      EXIT.usage,
    );
  const files = new SweepFiles(options.stateFile);
  try {
    files.lock();
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage);
  }
  try {
    return await sweepLocked(options, stack, files, { ...deps, aws }, counted.counts);
  } finally {
    files.unlock();
  }
}

async function sweepLocked(
  options: SweepOptions,
  stack: StackPlan,
  files: SweepFiles,
  deps: SweepDeps,
  ownCalls: Record<string, number>,
): Promise<SweepReport> {
  const getFindings = new TokenBucket(GET_FINDINGS_RATE, GET_FINDINGS_BURST, deps);
  const pace = new TokenBucket(options.rate, MAX_SWEEP_FINDINGS, deps);
  if (options.restart) files.remove();
  const saved = files.load();
  let state: SweepState;
  let backlog: BacklogEntry[];
  let resumed = false;
  if (saved && !saved.finishedAt) {
    if (saved.stack !== stack.name) throw new CliError(`${options.stateFile} is a sweep of ${saved.stack}, not ${stack.name}: pass --state <file>`, EXIT.usage);
    if (options.sinceGiven && saved.since !== options.since.toISOString())
      throw new CliError(
        `${options.stateFile} holds a half-done sweep of ${stack.name} since ${saved.since} (${saved.next} of ${saved.total} sent): run without --since to resume it, or pass --restart`,
        EXIT.usage,
      );
    state = saved;
    backlog = files.backlog();
    resumed = true;
    deps.say(
      `sweep: resuming ${state.sweepId} from ${options.stateFile}: ${state.next.toLocaleString('en-US')} of ${state.total.toLocaleString('en-US')} sent`,
    );
  } else {
    const now = new Date(deps.now());
    const window = { since: options.since, until: now };
    deps.progress.update(`sweep: listing the backlog of ${stack.name} (findings created since ${window.since.toISOString()})`, 'listing');
    backlog = await listBacklog(deps.aws, stack.settings, window, {
      getFindings,
      signal: deps.signal,
      limit: options.limit,
      onPage: (n) => {
        deps.progress.update(`sweep: listing the backlog of ${stack.name}: ${n.toLocaleString('en-US')} findings`, 'listing');
      },
    });
    if (deps.signal?.aborted) {
      deps.progress.done(`sweep: listing interrupted after ${backlog.length.toLocaleString('en-US')} findings; nothing was sent`);
      return { exitCode: EXIT.error, stack, decisions: [], resumed, interrupted: true, listingInterrupted: true };
    }
    deps.progress.done(
      `sweep: ${backlog.length.toLocaleString('en-US')} findings of ${stack.name} are ACTIVE, NEW and at or above ${stack.settings.notifyMinSeverity}`,
    );
    state = {
      version: 2,
      stack: stack.name,
      sweepId: deps.sweepId ?? newSweepId(now),
      startedAt: now.toISOString(),
      since: window.since.toISOString(),
      until: window.until.toISOString(),
      total: backlog.length,
      next: 0,
      notFound: 0,
      calls: {},
      invocations: 0,
      failedInvocations: 0,
      sendingMs: 0,
    };
  }
  // The credential check and the listing, counted once (a resumed sweep counted its listing before).
  addCalls(state.calls, ownCalls);
  if (resumed) files.save(state);
  else files.start(state, backlog);

  const stopAt = options.limit === undefined ? state.total : Math.min(state.total, state.next + options.limit);
  const started = deps.now();
  const sentBefore = state.next;
  const failedBefore = state.failedInvocations;
  let failuresInARow = 0;
  let error: string | undefined;
  let refused = false;
  while (state.next < stopAt && !deps.signal?.aborted) {
    const chunk = backlog.slice(state.next, Math.min(stopAt, state.next + MAX_SWEEP_FINDINGS));
    await pace.take(chunk.length, deps.signal);
    await getFindings.take(1, deps.signal);
    if (deps.signal?.aborted) break;
    const event = sweepEvent(
      { sweepId: state.sweepId, enforce: options.iKnow, findings: chunk.map((c) => ({ id: c.id, productArn: c.productArn })) },
      { accountId: stack.settings.accountId, region: stack.region },
      new Date(deps.now()),
    );
    const invoked = await invokeRespond(stack, event, state.calls, deps);
    state.invocations += 1;
    let lines: SweepLine[] = [];
    if (invoked.kind === 'unsent') {
      // Nothing is known to have run: the chunk stays next, and the same command sends it again.
      error = `${invoked.failure}; these ${chunk.length} findings were not sent, the same command sends them`;
    } else if (invoked.kind === 'failed') {
      state.failedInvocations += 1;
      failuresInARow += 1;
      deps.say(`sweep: ${invoked.failure} (its ${chunk.length} findings may be partly handled; those still NEW are listed by the next sweep)`);
      lines = chunk.map((c) => ({ findingId: c.id, invocationFailed: invoked.failure }));
      state.next += chunk.length;
      if (failuresInARow >= MAX_FAILURES_IN_A_ROW) error = `${MAX_FAILURES_IN_A_ROW} invocations in a row failed; the last: ${invoked.failure}`;
    } else if (invoked.reply.refused) {
      error = `${names.function(stack.settings.organization, 'respond')} refused the sweep: ${invoked.reply.refused}`;
      refused = true;
    } else {
      failuresInARow = 0;
      lines = invoked.reply.decisions;
      state.notFound += invoked.reply.notFound.length;
      addCalls(state.calls, invoked.reply.calls);
      state.next += chunk.length;
    }
    const elapsed = deps.now() - started;
    files.record(lines, { ...state, sendingMs: state.sendingMs + elapsed });
    if (error) break;
    // A log (not a terminal) gets a line every 5%.
    deps.progress.update(
      progressBar(state.next, stopAt, perSecond(state.next - sentBefore, elapsed), state.failedInvocations),
      String(Math.floor((state.next / Math.max(1, stopAt)) * 20)),
    );
  }
  const elapsed = deps.now() - started;
  state.sendingMs += elapsed;
  const interrupted = Boolean(deps.signal?.aborted) && state.next < stopAt;
  if (state.next >= state.total) state.finishedAt = new Date(deps.now()).toISOString();
  files.save(state);
  deps.progress.done(progressBar(state.next, stopAt, perSecond(state.next - sentBefore, elapsed), state.failedInvocations));
  const failedNow = state.failedInvocations - failedBefore;
  if (!error && failedNow > 0) error = `${failedNow} invocations failed; their findings may be partly handled`;
  const exitCode: ExitCode = refused ? EXIT.usage : error || interrupted ? EXIT.error : EXIT.ok;
  return { exitCode, stack, state, decisions: files.decisions(), resumed, interrupted, ...(error ? { error } : {}) };
}
