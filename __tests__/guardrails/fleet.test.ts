import { generateFleetConfig } from '../../bench/fleet-generator';
import { checkStack, formatViolation } from '../../guardrails';
import { buildTestFleet, synthJson, type SynthesizedFleet } from '../helpers/fleet';

function violationsOf({ fleet, stacks }: SynthesizedFleet): string[] {
  return fleet.stacks.flatMap((plan) =>
    checkStack({ name: plan.name, accountId: plan.account.id, region: plan.region, json: synthJson(stacks.get(plan.name)!) }).map(formatViolation),
  );
}

describe('guard rails over whole organizations', () => {
  it('the shipped example organization breaks no guard rail', () => {
    expect(violationsOf(buildTestFleet())).toEqual([]);
  });

  it('a generated 50-account organization (4 regions, enforce and observe accounts) breaks no guard rail', () => {
    const built = buildTestFleet(generateFleetConfig(50, 4));
    expect(built.fleet.stacks).toHaveLength(200);
    expect(violationsOf(built)).toEqual([]);
  });
});
