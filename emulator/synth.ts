import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { synthesizeFleet } from '../stacks/synthesize';

export const ROOT = resolve(__dirname, '..');
/** The emulator tier's organization: management, security (two regions), one member. */
export const EMULATOR_ACCOUNTS = join(__dirname, 'accounts.json');

export interface SynthesizedOrganization {
  /** cdktf's output folder; stacks are in `<outdir>/stacks/<name>`. */
  readonly outdir: string;
  readonly stacks: readonly string[];
  /** A stack's folder (holds cdk.tf.json and its assets). */
  stackDir(name: string): string;
  /** A stack's synthesized JSON. */
  stackJson(name: string): any;
}

/** Synthesizes an accounts.json exactly as `cdktf synth` does, into a fresh temporary folder. */
export function synthesizeOrganization(accountsFile = EMULATOR_ACCOUNTS): SynthesizedOrganization {
  const outdir = mkdtempSync(join(tmpdir(), 'emulator-synth-'));
  const result = synthesizeFleet({ accountsFile, rootDir: ROOT, outdir });
  if (!result.ok) throw new Error(`synthesis failed:\n${result.problems.join('\n')}`);
  const stackDir = (name: string) => join(outdir, 'stacks', name);
  return {
    outdir,
    stacks: result.stacks,
    stackDir,
    stackJson: (name) => JSON.parse(readFileSync(join(stackDir(name), 'cdk.tf.json'), 'utf8')),
  };
}
