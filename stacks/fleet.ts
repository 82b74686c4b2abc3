import type { App, TerraformStack } from 'cdktf';
import type { Fleet, StackPlan } from '../config/fleet';
import type { StackRole } from '../config/stack-roles';
import type { FunctionBundles } from './bundles';
import { ManagementStack } from './management-stack';
import type { ResponderStackProps } from './responder-stack';
import { RetiredStack } from './retired-stack';
import { SecurityHomeStack, SecurityRegionStack } from './security-stack';
import { WorkloadStack } from './workload-stack';

type StackClass = new (scope: App, id: string, props: ResponderStackProps) => TerraformStack;

/** The Terraform class of each stack role (config/stack-roles.ts); a new role fails to compile until it has one. */
const STACK_CLASSES: Readonly<Record<StackRole, StackClass>> = {
  'management-home': ManagementStack,
  'security-home': SecurityHomeStack,
  'security-region': SecurityRegionStack,
  workload: WorkloadStack,
  retired: RetiredStack,
};

/** The kind of stack a plan needs. */
export function stackKind(plan: StackPlan): StackClass {
  return STACK_CLASSES[plan.role];
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
  const stackNamed = (name: string): TerraformStack => {
    const stack = stacks.get(name);
    if (!stack) throw new Error(`no stack ${name} in the fleet`);
    return stack;
  };
  for (const plan of fleet.stacks) {
    for (const dependency of plan.dependsOn) stackNamed(plan.name).addDependency(stackNamed(dependency));
  }
  return stacks;
}
