import type { Fleet, StackPlan } from '../../config/fleet';
import { STACK_ROLES } from '../../config/stack-roles';
import { arns } from '../../functions/shared/naming';

/** GitHub runs at most 256 jobs per matrix; the default stays well inside it. */
export const DEFAULT_MAX_JOBS = 64;

/** One job of the workflow's matrix: stacks of one deploy wave, planned or applied together. */
export interface CiShard {
  /** `wave<N>-<i>of<k>`: the job's name in the run. */
  shard: string;
  /** Deploy wave: 0 management home, 1 security home, 2 everything else (stack dependencies). */
  wave: number;
  /** The shard's stacks, in fleet order. */
  stacks: string[];
  /** The accounts the shard's stacks are in. */
  accounts: string[];
  /** The OIDC role of pull-request and pre-apply plans (organization.ci.planRoleName in ci.accountId). */
  planRoleArn: string;
  /** The OIDC role of the protected apply (organization.ci.applyRoleName in ci.accountId). */
  applyRoleArn: string;
}

/** The deploy wave of a stack: stacks of a later wave depend on the earlier ones. */
export function deployWave(plan: StackPlan): number {
  return STACK_ROLES[plan.role].wave;
}

/**
 * The smallest shard size that fits every wave into `maxJobs` jobs (each wave needs its own
 * shards: a later wave only starts once the earlier one applied).
 */
export function shardSize(waveCounts: number[], maxJobs: number): number {
  const waves = waveCounts.filter((n) => n > 0);
  if (maxJobs < waves.length) throw new Error(`--max-jobs ${maxJobs} cannot hold ${waves.length} deploy waves: give at least ${waves.length}`);
  let size = 1;
  while (waves.reduce((jobs, n) => jobs + Math.ceil(n / size), 0) > maxJobs) size++;
  return size;
}

/** `items` in `parts` contiguous chunks whose sizes differ by at most one. */
function split<T>(items: T[], parts: number): T[][] {
  const chunks: T[][] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const size = Math.floor(items.length / parts) + (i < items.length % parts ? 1 : 0);
    chunks.push(items.slice(start, start + size));
    start += size;
  }
  return chunks;
}

export interface CiMatrixOptions {
  /** Only these stacks (names). @default every stack of the fleet */
  stacks?: string[];
  /** Only this deploy wave. @default every wave */
  wave?: number;
  /** At most this many jobs. @default DEFAULT_MAX_JOBS */
  maxJobs?: number;
}

/**
 * The workflow's matrix: the wanted stacks packed into at most `maxJobs` shards, each of one
 * deploy wave, every stack in exactly one shard, in deploy order.
 */
export function ciMatrix(fleet: Fleet, options: CiMatrixOptions = {}): CiShard[] {
  const names = options.stacks ?? [];
  const known = new Set(fleet.stacks.map((s) => s.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new Error(`unknown stack(s): ${unknown.join(', ')}`);
  const wanted = new Set(names);
  const selected = fleet.stacks.filter((s) => (wanted.size === 0 || wanted.has(s.name)) && (options.wave === undefined || deployWave(s) === options.wave));
  const byWave = [0, 1, 2].map((w) => selected.filter((s) => deployWave(s) === w));
  const size = shardSize(
    byWave.map((w) => w.length),
    options.maxJobs ?? DEFAULT_MAX_JOBS,
  );
  const ci = fleet.config.organization.ci;
  const ciAccount = ci.accountId ?? fleet.config.organization.securityAccountId;
  return byWave.flatMap((stacks, wave) => {
    if (stacks.length === 0) return [];
    const chunks = split(stacks, Math.ceil(stacks.length / size));
    return chunks.map((chunk, i) => ({
      shard: `wave${wave}-${i + 1}of${chunks.length}`,
      wave,
      stacks: chunk.map((s) => s.name),
      accounts: [...new Set(chunk.map((s) => s.account.id))],
      planRoleArn: arns.role(ciAccount, ci.planRoleName),
      applyRoleArn: arns.role(ciAccount, ci.applyRoleName),
    }));
  });
}
