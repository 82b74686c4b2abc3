import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { buildTestFleet } from '../helpers/fleet';
import { hclAndJson, stackHcl, terraformFmt, terraformLoad } from '../helpers/hcl';

/**
 * cdktf's HCL renderer has known escaping bugs (quotes inside JSON strings, backslashes, "${",
 * overrides). The snapshots are HCL, Terraform applies the JSON: every stack of the example
 * organization is rendered, parsed back, and compared value by value with the JSON synthesis,
 * and loaded by Terraform itself. terraform (1.x) must be on PATH, as for `cdktf deploy`.
 */
const { stacks } = buildTestFleet();
const names = [...stacks.keys()];

describe('HCL rendering of every stack of the example organization', () => {
  it.each(names)('%s: parses and says the same as the JSON synthesis', async (name) => {
    const { fromHcl, fromJson } = await hclAndJson(stacks.get(name)!, name);
    expect(fromHcl).toEqual(fromJson);
  });

  it.each(names)('%s: is exactly what terraform fmt writes', async (name) => {
    const hcl = await stackHcl(stacks.get(name)!);
    expect(terraformFmt(hcl)).toBe(hcl);
  });

  it.each(names)("%s: loads in Terraform's own parser without an error or warning", async (name) => {
    const { status, output } = terraformLoad(await stackHcl(stacks.get(name)!));
    expect(output).not.toMatch(/Warning|Error/);
    expect(status).toBe(0);
  });
});

describe('the comparison catches the renderer bugs it guards against', () => {
  /** A one-resource stack whose HCL, as cdktf renders it, agrees with its JSON or not. */
  async function agrees(topic: { displayName?: string; policy?: string }): Promise<boolean> {
    const stack = new TerraformStack(Testing.app(), 'canary');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new SnsTopic(stack, 'topic', { name: 'canary', ...topic });
    try {
      const { fromHcl, fromJson } = await hclAndJson(stack, 'canary');
      return JSON.stringify(fromHcl) === JSON.stringify(fromJson);
    } catch {
      return false; // unparsable HCL
    }
  }

  it('accepts what the validator lets into strings', async () => {
    expect(await agrees({ displayName: 'Accepted: ports 80/443, ticket SEC-1 (ok) 100% ä', policy: JSON.stringify({ a: ['b', 1] }) })).toBe(true);
  });

  it.each([
    ['a quote inside a JSON string', { policy: JSON.stringify({ Sid: 'say "hi"' }) }],
    ['a backslash', { displayName: 'back\\slash' }],
    ['a quote inside a plain string after a backslash', { displayName: 'C:\\ "drive"' }],
  ])('flags %s (the validator keeps these out of accounts.json)', async (_case, topic) => {
    expect(await agrees(topic)).toBe(false);
  });
});
