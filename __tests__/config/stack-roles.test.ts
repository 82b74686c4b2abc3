import { parseConfig } from '../../config/load';
import { STACK_ROLES, type StackRole } from '../../config/stack-roles';
import { ManagementStack } from '../../stacks/management-stack';
import { RetiredStack } from '../../stacks/retired-stack';
import { SecurityHomeStack, SecurityRegionStack } from '../../stacks/security-stack';
import { WorkloadStack } from '../../stacks/workload-stack';
import { exampleConfig } from '../helpers/config';
import { buildTestFleet } from '../helpers/fleet';

function withRetired() {
  const config = exampleConfig();
  config.accounts.find((a) => a.name === 'web-staging')!.retired = true;
  return config;
}

describe('one role per stack', () => {
  const fleet = parseConfig(withRetired());

  it('every stack deploys after the stacks it depends on: their wave is earlier', () => {
    const waveOf = new Map(fleet.stacks.map((s) => [s.name, STACK_ROLES[s.role].wave]));
    for (const stack of fleet.stacks) {
      for (const dependency of stack.dependsOn)
        expect({ stack: stack.name, dependency, earlier: waveOf.get(dependency)! < waveOf.get(stack.name)! }).toEqual({
          stack: stack.name,
          dependency,
          earlier: true,
        });
    }
  });

  it('the organization has exactly one management home and one security home stack, in the home region', () => {
    const of = (role: StackRole) => fleet.stacks.filter((s) => s.role === role).map((s) => s.name);
    expect(of('management-home')).toEqual(['management-us-east-1']);
    expect(of('security-home')).toEqual(['security-us-east-1']);
    expect(of('security-region').sort()).toEqual(['security-eu-central-1', 'security-eu-west-1']);
    expect(of('retired').sort()).toEqual(['web-staging-eu-west-1', 'web-staging-us-east-1']);
    // The management account's other regions hold a local responder like any member account.
    expect(fleet.stacks.find((s) => s.name === 'management-eu-west-1')!.role).toBe('workload');
  });

  it('each role is built as its own Terraform class', () => {
    const { fleet: built, stacks } = buildTestFleet(withRetired());
    const expected: Record<StackRole, unknown> = {
      'management-home': ManagementStack,
      'security-home': SecurityHomeStack,
      'security-region': SecurityRegionStack,
      workload: WorkloadStack,
      retired: RetiredStack,
    };
    for (const plan of built.stacks)
      expect({ name: plan.name, kind: stacks.get(plan.name)!.constructor }).toEqual({ name: plan.name, kind: expected[plan.role] });
  });
});
