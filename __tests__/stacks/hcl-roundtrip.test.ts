import { execFileSync } from 'node:child_process';
import { buildTestFleet, synthJson } from '../helpers/fleet';
import { normalizeTerraform, parseHcl, stackHcl } from '../helpers/hcl';

/**
 * cdktf's HCL renderer has known escaping bugs (quotes around tokens inside JSON strings,
 * backslashes, "${", overrides). Every stack of the example organization is rendered, parsed
 * back, and compared value by value with the JSON synthesis Terraform actually applies.
 */
const { stacks } = buildTestFleet();

function hasTerraform(): boolean {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('HCL rendering says the same as the JSON synthesis', () => {
  for (const [name, stack] of stacks) {
    it(`${name}: the HCL parses and matches the JSON value by value`, async () => {
      const hcl = await stackHcl(stack);
      const fromHcl = normalizeTerraform(await parseHcl(hcl, `${name}.tf`));
      const fromJson = normalizeTerraform(synthJson(stack));
      expect(fromHcl).toEqual(fromJson);
    });
  }

  it('the HCL is already formatted the way terraform fmt writes it', async () => {
    if (!hasTerraform()) {
      // terraform ships on the project's machines; without it this check has nothing to compare to.
      console.warn('terraform not on PATH: fmt comparison not run');
      return;
    }
    for (const [name, stack] of stacks) {
      const hcl = await stackHcl(stack);
      const formatted = execFileSync('terraform', ['fmt', '-no-color', '-'], { input: hcl, env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } }).toString();
      expect({ name, hcl }).toEqual({ name, hcl: formatted });
    }
  });
});
