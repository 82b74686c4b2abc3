import { Testing } from 'cdktf';
import { parseConfig } from '../../config/load';
import { ciMatrix } from '../../scripts/ci/ci-matrix';
import { fleetDiagram } from '../../scripts/operator/diagram';
import { exampleConfig } from '../helpers/config';
import { buildTestFleet, synthJson } from '../helpers/fleet';
import { providerSource, TerraformValidator } from '../helpers/terraform-validate';

/** The test organization with data-lake-prod (primary region eu-west-1) retired. */
function withRetired() {
  const config = exampleConfig();
  config.accounts.find((a) => a.name === 'data-lake-prod')!.retired = true;
  return config;
}

describe('a retired account', () => {
  const live = buildTestFleet();
  const retired = buildTestFleet(withRetired());
  const retiredNames = retired.fleet.stacks.filter((s) => s.role === 'retired').map((s) => s.name);

  it('keeps its stacks, with nothing in them but the providers and the state backend they had', () => {
    expect(retiredNames.length).toBeGreaterThan(0);
    for (const name of retiredNames) {
      const before = synthJson(live.stacks.get(name)!);
      const after = synthJson(retired.stacks.get(name)!);
      expect({ name, resource: after.resource, data: after.data }).toEqual({ name, resource: undefined, data: undefined });
      // Terraform needs each resource's original provider configuration to destroy it.
      expect({ name, providers: after.provider.aws }).toEqual({ name, providers: before.provider.aws });
      expect(after.terraform.backend).toEqual(before.terraform.backend);
    }
  });

  it('is left out of what the security account serves: hub regions, automation rules, the diagram', () => {
    const json = JSON.stringify(synthJson(retired.stacks.get('security-us-east-1')!));
    expect(JSON.stringify(synthJson(live.stacks.get('security-us-east-1')!))).toContain('critical-resources-data-lake-prod');
    expect(json).not.toContain('critical-resources-data-lake-prod');
    expect(fleetDiagram(retired.fleet)).not.toContain('data-lake-prod');
  });

  it('is destroyed in the last wave, after the security home stack', () => {
    const shards = ciMatrix(retired.fleet);
    for (const name of retiredNames) expect(shards.find((s) => s.stacks.includes(name))!.wave).toBe(2);
  });

  it('cannot be the management or the security account', () => {
    for (const name of ['management', 'security']) {
      const config = exampleConfig();
      const i = config.accounts.findIndex((a) => a.name === name);
      config.accounts[i].retired = true;
      expect(() => parseConfig(config)).toThrow(`$.accounts[${i}].retired: the ${name} account cannot be retired`);
    }
  });

  it('synthesizes a stack terraform validate accepts', async () => {
    const anyStack = JSON.parse(Testing.synth(retired.stacks.get('security-us-east-1')!));
    const validator = new TerraformValidator(providerSource(anyStack.terraform.required_providers.aws.version));
    try {
      for (const name of retiredNames) {
        const result = await validator.validate(Testing.synth(retired.stacks.get(name)!), 'json');
        expect({ name, diagnostics: result.diagnostics, valid: result.valid }).toEqual({ name, diagnostics: [], valid: true });
      }
    } finally {
      validator.dispose();
    }
  }, 120000);
});
