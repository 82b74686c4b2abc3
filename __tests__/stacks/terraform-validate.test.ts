import { Testing } from 'cdktf';
import { detectiveConfig } from '../helpers/config';
import { buildTestFleet, STACK_KINDS } from '../helpers/fleet';
import { stackHcl } from '../helpers/hcl';
import { providerSource, TerraformValidator } from '../helpers/terraform-validate';

/**
 * Every kind of stack, in both forms users see (cdk.tf.json, which Terraform applies, and the HCL
 * of the reviewed snapshots), passes `terraform validate` with the real AWS provider's schema: an
 * argument the provider does not know, a missing required one or a wrong block shape fails here,
 * not at the first `terraform plan` of a deployment.
 */
const { stacks } = buildTestFleet();
const KINDS: Record<string, string> = { ...STACK_KINDS, 'management other region': 'management-eu-west-1' };

const anyStack = JSON.parse(Testing.synth(stacks.get('security-us-east-1')!));
const pinned: string = anyStack.terraform.required_providers.aws.version;
let validator: TerraformValidator | undefined;

beforeAll(() => {
  validator = new TerraformValidator(providerSource(pinned));
  console.log(`terraform validate with hashicorp/aws ${validator.source.version} (${validator.source.pluginDir ?? 'registry'}); stacks pin ${pinned}`);
}, 120000);
afterAll(() => {
  validator?.dispose();
});

describe('terraform validate with the AWS provider schema', () => {
  for (const [kind, name] of Object.entries(KINDS)) {
    it(`${kind}: ${name} is valid as cdk.tf.json and as HCL, without warnings`, async () => {
      const json = await validator!.validate(Testing.synth(stacks.get(name)!), 'json');
      expect(json.diagnostics).toEqual([]);
      expect(json.valid).toBe(true);
      const hcl = await validator!.validate(await stackHcl(stacks.get(name)!), 'hcl');
      expect(hcl.diagnostics).toEqual([]);
      expect(hcl.valid).toBe(true);
    });
  }
});

describe('terraform validate with organization.detective on', () => {
  const detective = buildTestFleet(detectiveConfig()).stacks;
  it.each(['management-us-east-1', 'security-us-east-1', 'security-eu-west-1'])('%s is valid with its Detective resources', async (name) => {
    const synthesized = Testing.synth(detective.get(name)!);
    expect(synthesized).toContain('aws_detective_');
    const json = await validator!.validate(synthesized, 'json');
    expect(json.diagnostics).toEqual([]);
    expect(json.valid).toBe(true);
  });
});

describe('validate rejects what the provider would reject', () => {
  const base = () => JSON.parse(Testing.synth(stacks.get('payments-prod-eu-west-1')!));

  it('an argument the provider does not know, on a real synthesized function', async () => {
    const broken = base();
    const [, fn] = Object.entries<any>(broken.resource.aws_lambda_function)[0];
    fn.memory_size_mb = 256;
    const result = await validator!.validate(JSON.stringify(broken), 'json');
    expect(result.valid).toBe(false);
    expect(result.diagnostics.join('\n')).toContain('No argument or block type is named "memory_size_mb"');
  });

  it('a required argument left out, on a real synthesized event rule target', async () => {
    const broken = base();
    const [, target] = Object.entries<any>(broken.resource.aws_cloudwatch_event_target)[0];
    delete target.arn;
    const result = await validator!.validate(JSON.stringify(broken), 'json');
    expect(result.valid).toBe(false);
    expect(result.diagnostics.join('\n')).toContain('Missing required argument');
  });

  it('a misspelt argument in the HCL form', async () => {
    const hcl = (await stackHcl(stacks.get('payments-prod-eu-west-1')!)).replace(/^(\s+)runtime(\s+)=/m, '$1runtme$2=');
    const result = await validator!.validate(hcl, 'hcl');
    expect(result.valid).toBe(false);
    expect(result.diagnostics.join('\n')).toContain('Unsupported argument');
  });
});
