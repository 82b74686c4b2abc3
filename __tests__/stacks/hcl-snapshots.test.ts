import { join } from 'node:path';
import { toMatchFile } from 'jest-file-snapshot';
import { buildTestFleet, STACK_KINDS } from '../helpers/fleet';
import { stackHcl } from '../helpers/hcl';

expect.extend({ toMatchFile });

/**
 * The record of what a change does: one HCL file per kind of stack, formatted as terraform fmt
 * writes it (hcl-roundtrip.test.ts proves that, and that the HCL says what the JSON says), so a
 * reviewer reads the snapshot diff of a pull request like a plan. After a deliberate change:
 * `npx jest -u __tests__/stacks/hcl-snapshots.test.ts`.
 */
const { stacks } = buildTestFleet();

describe('synthesized HCL of each kind of stack', () => {
  for (const [kind, name] of Object.entries(STACK_KINDS)) {
    it(`${kind}: ${name} matches its reviewed snapshot`, async () => {
      const hcl = await stackHcl(stacks.get(name)!);
      expect(hcl).toMatchFile(join(__dirname, '__snapshots__', `${name}.tf`));
    });
  }
});
