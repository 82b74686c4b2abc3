import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Testing, type TerraformStack } from 'cdktf';
import { loadFleet, parseConfig } from '../../config/load';
import type { Fleet } from '../../config/fleet';
import { checkStack, formatViolation } from '../../guardrails';
import type { RawConfig } from '../../config/schema';
import { bundleFunctions, type FunctionBundles } from '../../stacks/bundles';
import { buildFleet } from '../../stacks/fleet';
import { TEST_ACCOUNTS_FILE } from './config';

export const ROOT = resolve(__dirname, '..', '..');

let bundles: FunctionBundles | undefined;
/** The real function bundles, built once per test file into a temporary folder. */
export function testBundles(): FunctionBundles {
  bundles ??= bundleFunctions({ rootDir: ROOT, outDir: mkdtempSync(join(tmpdir(), 'bundles-')) });
  return bundles;
}

export interface SynthesizedFleet {
  fleet: Fleet;
  stacks: Map<string, TerraformStack>;
}

/** Builds every stack of a configuration (the test organization, TEST_ACCOUNTS_FILE, by default) in a test app. */
export function buildTestFleet(config?: RawConfig): SynthesizedFleet {
  return buildFleetOf(config ? parseConfig(config) : loadFleet(TEST_ACCOUNTS_FILE));
}

/** Builds every stack of an already validated fleet (loadFleet of any file) in a test app. */
export function buildFleetOf(fleet: Fleet): SynthesizedFleet {
  const app = Testing.app({ stackTraces: false });
  const stacks = buildFleet(app, fleet, testBundles());
  return { fleet, stacks };
}

/** Every guard rail violation of every synthesized stack, one formatted line each (none: []). */
export function guardRailViolations({ fleet, stacks }: SynthesizedFleet): string[] {
  return fleet.stacks.flatMap((plan) =>
    checkStack({ name: plan.name, accountId: plan.account.id, region: plan.region, json: synthJson(stacks.get(plan.name)!) }).map(formatViolation),
  );
}

/** A stack's JSON synthesis, parsed. */
export function synthJson(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack));
}

/** All resources of one Terraform type in a synthesized stack, by logical id. */
export function resourcesOf(json: any, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The single resource of a type whose attribute matches, failing loudly when absent. */
export function findResource(json: any, type: string, predicate: (r: any) => boolean): any {
  const found = Object.values(resourcesOf(json, type)).filter(predicate);
  if (found.length !== 1) throw new Error(`expected exactly one ${type} matching, found ${found.length}`);
  return found[0];
}

/** One stack of the test organization (TEST_ACCOUNTS_FILE) per kind of stack (the snapshots and validate cover each). */
export const STACK_KINDS: Record<string, string> = {
  'management home region': 'management-us-east-1',
  'security home region': 'security-us-east-1',
  'security other region': 'security-eu-west-1',
  'workload primary region (us-east-1)': 'payments-prod-us-east-1',
  'workload other region': 'payments-prod-eu-west-1',
  'workload primary region outside us-east-1 (aliased us-east-1 provider)': 'data-lake-prod-eu-west-1',
};
