import { App } from 'cdktf';
import { ConfigError, loadFleet } from '../config/load';
import { bundleFunctions } from './bundles';
import { buildFleet } from './fleet';

export interface SynthesizeOptions {
  /** The accounts.json to read. */
  accountsFile: string;
  /** Repository root (holds functions/). */
  rootDir: string;
  /** Where the stacks are written. Default: CDKTF_OUTDIR (set by `cdktf synth`), else cdktf.out. */
  outdir?: string;
}

export type SynthesizeResult = { ok: true; stacks: string[] } | { ok: false; problems: string[] };

/**
 * What `cdktf synth` runs: validates the whole configuration before anything is written (a bad
 * file returns its problems, one line each, and creates no output at all), then bundles the
 * functions once and writes one stack per account and region.
 */
export function synthesizeFleet(options: SynthesizeOptions): SynthesizeResult {
  let fleet;
  try {
    fleet = loadFleet(options.accountsFile);
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, problems: error.lines() };
    throw error;
  }
  const bundles = bundleFunctions({ rootDir: options.rootDir });
  // No stack traces in the synthesized metadata: they hold this machine's paths.
  const app = new App({ stackTraces: false, ...(options.outdir ? { outdir: options.outdir } : {}) });
  const stacks = buildFleet(app, fleet, bundles);
  app.synth();
  return { ok: true, stacks: [...stacks.keys()] };
}
