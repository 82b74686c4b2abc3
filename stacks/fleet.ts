import type { App, TerraformStack } from 'cdktf';
import type { Fleet, StackPlan } from '../config/fleet';
import type { FunctionBundles } from './bundles';
import { ManagementStack } from './management-stack';
import type { ResponderStackProps } from './responder-stack';
import { RetiredStack } from './retired-stack';
import { SecurityHomeStack, SecurityRegionStack } from './security-stack';
import { WorkloadStack } from './workload-stack';

/** The kind of stack a plan needs. */
export function stackKind(plan: StackPlan): new (scope: App, id: string, props: ResponderStackProps) => TerraformStack {
  if (plan.retired) return RetiredStack;
  if (plan.managementHome) return ManagementStack;
  if (plan.securityHome) return SecurityHomeStack;
  if (plan.security) return SecurityRegionStack;
  return WorkloadStack;
}

/**
 * One stack per account and region, named `<account>-<region>`, with deploy order declared as
 * stack dependencies (management home, then security home, then the rest); no stack references
 * another's resources.
 */
export function buildFleet(app: App, fleet: Fleet, bundles: FunctionBundles): Map<string, TerraformStack> {
  const stacks = new Map<string, TerraformStack>();
  for (const plan of fleet.stacks) {
    const Kind = stackKind(plan);
    stacks.set(plan.name, new Kind(app, plan.name, { fleet, plan, bundles }));
  }
  for (const plan of fleet.stacks) {
    for (const dependency of plan.dependsOn) stacks.get(plan.name)!.addDependency(stacks.get(dependency)!);
  }
  return stacks;
}
