import { Testing, type TerraformStack } from 'cdktf';
import { format } from '@cdktf/hcl-tools';
import { parse } from '@cdktf/hcl2json';

/**
 * The stack as HCL, formatted the way `terraform fmt` writes it: hclwrite's formatting (the same
 * library terraform fmt uses), interpolation-only strings unwrapped ("${a.b}" → a.b) as
 * terraform fmt does since 0.15, and a final newline.
 */
export async function stackHcl(stack: TerraformStack): Promise<string> {
  const raw = Testing.synthHcl(stack) as string;
  const formatted = await format(raw);
  return unwrapInterpolationOnly(formatted).replace(/\n*$/, '\n');
}

/** `= "${aws_x.y.arn}"` → `= aws_x.y.arn`, only where the string is exactly one plain reference. */
function unwrapInterpolationOnly(hcl: string): string {
  return hcl.replace(/"\$\{([A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])+)\}"/g, '$1');
}

/** Parses HCL into the JSON shape hcl2json gives (blocks as arrays). Throws on a syntax error. */
export async function parseHcl(hcl: string, file = 'stack.tf'): Promise<Record<string, unknown>> {
  return (await parse(file, hcl)) as Record<string, unknown>;
}

/**
 * Brings cdktf's JSON synthesis and parsed HCL to one shape: metadata ("//") dropped, one-element
 * block lists unwrapped, references written as "${...}", so the two can be compared value by value.
 */
export function normalizeTerraform(value: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.length === 1 && value[0] !== null && typeof value[0] === 'object' && !Array.isArray(value[0])) {
      return normalizeTerraform(value[0]);
    }
    return value.map(normalizeTerraform);
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (key === '//') continue;
      out[key] = normalizeTerraform((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
}
