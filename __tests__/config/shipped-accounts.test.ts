/**
 * The user's own accounts.json at the repository root. Whatever organization it describes, it must
 * validate, synthesize and break no guard rail: that is all the suite asks of it. Nothing here
 * names its accounts or counts its stacks; every test that needs an organization's content uses
 * the test organization (TEST_ACCOUNTS_FILE, __tests__/fixtures/accounts.json), so adding an
 * account as the README says changes no test's expectations.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackName } from '../../config/fleet';
import { loadFleet } from '../../config/load';
import { exampleConfig, SHIPPED_ACCOUNTS_FILE, TEST_ACCOUNTS_FILE } from '../helpers/config';
import { buildFleetOf, buildTestFleet, guardRailViolations, STACK_KINDS, type SynthesizedFleet } from '../helpers/fleet';

/** One stack per account and region, each synthesizing to a Terraform document with a backend. */
function expectOneStackPerAccountAndRegion({ fleet, stacks }: SynthesizedFleet): void {
  const expected = fleet.accounts.flatMap((a) => a.regions.map((r) => stackName(a.name, r))).sort();
  expect([...stacks.keys()].sort()).toEqual(expected);
  expect(fleet.stacks.map((s) => s.name).sort()).toEqual(expected);
}

describe("the shipped accounts.json (the user's organization)", () => {
  it('validates, synthesizes one stack per account and region, and breaks no guard rail', () => {
    const built = buildFleetOf(loadFleet(SHIPPED_ACCOUNTS_FILE));
    expect(built.fleet.stacks.length).toBeGreaterThan(0);
    expectOneStackPerAccountAndRegion(built);
    expect(guardRailViolations(built)).toEqual([]);
  });
});

describe('adding an account to a copy of the shipped accounts.json, as the README says', () => {
  const raw = JSON.parse(readFileSync(SHIPPED_ACCOUNTS_FILE, 'utf8'));
  const shipped = loadFleet(SHIPPED_ACCOUNTS_FILE);
  const used = new Set(shipped.accounts.map((a) => a.id));
  let id = 666_666_666_666;
  while (used.has(String(id))) id += 1;
  // A region the security account covers (the validator requires it, whatever the organization).
  const region = shipped.accounts.find((a) => a.id === shipped.config.organization.securityAccountId)!.regions[0];
  const added = { id: String(id), name: 'added-by-test', mode: 'observe', regions: [region] };
  const addedStack = stackName(added.name, region);

  const work = mkdtempSync(join(tmpdir(), 'shipped-plus-one-'));
  // The copy: the shipped file as it is, plus one account (the README's "Add an account", step 1).
  const file = join(work, 'accounts.json');
  writeFileSync(file, JSON.stringify({ ...raw, accounts: [...raw.accounts, added] }, null, 2));

  it("still validates and synthesizes, with the new account's stack, and breaks no guard rail", () => {
    const built = buildFleetOf(loadFleet(file));
    expectOneStackPerAccountAndRegion(built);
    expect(built.fleet.stacks).toHaveLength(shipped.stacks.length + 1);
    expect(built.fleet.stacks.find((s) => s.name === addedStack)?.account.id).toBe(added.id);
    expect(guardRailViolations(built)).toEqual([]);
  });

  it('leaves the test organization the other tests use untouched: its own file, its own stacks', () => {
    expect(TEST_ACCOUNTS_FILE).not.toBe(SHIPPED_ACCOUNTS_FILE);
    const test = exampleConfig();
    expect(test.accounts.map((a) => a.id)).not.toContain(added.id);
    const { stacks } = buildTestFleet();
    expect(stacks.has(addedStack)).toBe(false);
    for (const name of Object.values(STACK_KINDS)) expect(stacks.has(name)).toBe(true);
  });
});
