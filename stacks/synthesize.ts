import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { ConfigError, loadFleet } from '../config/load';
import { checkSynthesized } from '../guardrails/synthesis-check';
import type { GuardRail } from '../guardrails/types';
import { bundleFunctions } from './bundles';
import { buildFleet } from './fleet';

/** A stack's parsed cdk.tf.json, as the guard rails take it. */
type StackJson = Parameters<typeof checkSynthesized>[0][number]['json'];

export interface SynthesizeOptions {
  /** The accounts.json to read. */
  accountsFile: string;
  /** Repository root (holds functions/). */
  rootDir: string;
  /** Where the stacks are written. Default: CDKTF_OUTDIR (set by `cdktf synth`), else cdktf.out. */
  outdir?: string;
  /** The guard rails run over the output. @default GUARD_RAILS (guardrails/index.ts) */
  guardRails?: readonly GuardRail[];
}

export type SynthesizeResult =
  | {
      ok: true;
      stacks: string[];
      /** Guard-rail warnings, suppressed findings and stale suppressions, one line each, to print. */
      notes: string[];
    }
  | { ok: false; problems: string[] };

/**
 * What `cdktf synth` runs: validates the whole configuration before anything is written (a bad
 * file returns its problems, one line each, and creates no output at all), bundles the functions
 * once, writes one stack per account and region into a staging folder beside the output, runs the
 * guard rails over what was written (as cdk-nag runs in `cdk synth`), and only when no error
 * remains replaces the output folder with it. A violation leaves the previous output untouched.
 */
export function synthesizeFleet(options: SynthesizeOptions): SynthesizeResult {
  let fleet;
  try {
    fleet = loadFleet(options.accountsFile);
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, problems: error.lines() };
    throw error;
  }
  const outdir = resolve(options.outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out');
  // Beside the output, so that the final rename stays on one filesystem.
  const staging = `${outdir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const bundles = bundleFunctions({ rootDir: options.rootDir });
    // No stack traces in the synthesized metadata: they hold this machine's paths.
    const app = new App({ stackTraces: false, outdir: staging });
    const stacks = buildFleet(app, fleet, bundles);
    app.synth();
    const report = checkSynthesized(
      fleet.stacks.map((plan) => ({
        name: plan.name,
        accountId: plan.account.id,
        region: plan.region,
        json: JSON.parse(readFileSync(join(staging, 'stacks', plan.name, 'cdk.tf.json'), 'utf8')) as StackJson,
      })),
      fleet.config.guardRailSuppressions,
      options.guardRails,
    );
    const notes = [...report.warnings.map((w) => `guard rail warning: ${w}`), ...report.suppressed.map((s) => `guard rail ${s}`), ...report.unused];
    if (report.errors.length > 0) {
      return {
        ok: false,
        problems: [...report.errors.map((e) => `guard rail violation: ${e}`), ...notes, `${report.errors.length} guard rail violation(s): nothing was written`],
      };
    }
    if (existsSync(outdir)) rmSync(outdir, { recursive: true, force: true });
    renameSync(staging, outdir);
    return { ok: true, stacks: [...stacks.keys()], notes };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
