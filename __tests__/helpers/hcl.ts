import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing, type TerraformStack } from 'cdktf';
import { format } from '@cdktf/hcl-tools';
import { parse } from '@cdktf/hcl2json';

/**
 * The stack as HCL, as `terraform fmt` writes it (the roundtrip test proves it): cdktf's renderer,
 * then hclwrite's formatting (the library terraform fmt uses), with the rewrites terraform fmt or
 * a reader expects: interpolation-only strings unwrapped ("${a.b}" → a.b, as terraform fmt does
 * since 0.15), depends_on entries and provider meta-arguments as references rather than quoted
 * strings (Terraform warns that quoted references are deprecated), one blank line between
 * top-level blocks, none before a `}`.
 */
export async function stackHcl(stack: TerraformStack): Promise<string> {
  const raw = Testing.synthHcl(stack) as string;
  const formatted = await format(raw);
  return tidyBlankLines(unquoteProviders(unquoteDependsOn(unwrapInterpolationOnly(formatted))));
}

const REFERENCE = String.raw`[A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])+`;

/** `= "${aws_x.y.arn}"` → `= aws_x.y.arn`, only where the string is exactly one plain reference. */
function unwrapInterpolationOnly(hcl: string): string {
  return hcl.replace(new RegExp(String.raw`"\$\{(${REFERENCE})\}"`, 'g'), '$1');
}

/** `depends_on = ["aws_x.y"]` → `depends_on = [aws_x.y]`. */
function unquoteDependsOn(hcl: string): string {
  return hcl.replace(/^(\s*)depends_on = \[\n([\s\S]*?)\n\1\]/gm, (list: string) =>
    list.replace(new RegExp(String.raw`^(\s+)"(${REFERENCE})"(,?)$`, 'gm'), '$1$2$3'),
  );
}

/** `provider = "aws.us-east-1"` → `provider = aws.us-east-1` (the meta-argument takes a reference). */
function unquoteProviders(hcl: string): string {
  return hcl.replace(/^(\s+provider\s+= )"([A-Za-z][\w-]*\.[A-Za-z][\w-]*)"$/gm, '$1$2');
}

function tidyBlankLines(hcl: string): string {
  return `${hcl
    .replace(/\n\s*\n(\s*\})/g, '\n$1')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\}\n(?=\S)/gm, '}\n\n')
    .trim()}\n`;
}

/** Parses HCL into the JSON shape hcl2json gives (blocks as arrays). Throws on a syntax error. */
export async function parseHcl(hcl: string, file = 'stack.tf'): Promise<Record<string, unknown>> {
  return (await parse(file, hcl)) as Record<string, unknown>;
}

/**
 * Brings parsed HCL and cdktf's JSON synthesis to one shape: metadata ("//") dropped, one-element
 * block lists unwrapped. JSON syntax reads depends_on entries and a resource's provider string as
 * references; hcl2json writes references as "${...}", so with `jsonSyntax` those strings are
 * wrapped the same way (a quoted string in the HCL then shows up as a difference).
 */
export function normalizeTerraform(value: unknown, jsonSyntax = false, key?: string): unknown {
  if (Array.isArray(value)) {
    if (key === 'depends_on' && jsonSyntax) return value.map((v) => `\${${v}}`);
    if (value.length === 1 && value[0] !== null && typeof value[0] === 'object' && !Array.isArray(value[0])) {
      return normalizeTerraform(value[0], jsonSyntax);
    }
    return value.map((v) => normalizeTerraform(v, jsonSyntax));
  }
  if (key === 'provider' && jsonSyntax && typeof value === 'string') return `\${${value}}`;
  // An import block's `to` is a resource address, a traversal in HCL like depends_on's.
  if (key === 'to' && jsonSyntax && typeof value === 'string' && /^aws_[a-z0-9_]+\.[\w-]+$/.test(value)) return `\${${value}}`;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      if (k === '//') continue;
      out[k] = normalizeTerraform((value as Record<string, unknown>)[k], jsonSyntax, k);
    }
    return out;
  }
  return value;
}

/** The HCL a stack renders to, parsed and normalized, beside its normalized JSON synthesis. */
export async function hclAndJson(stack: TerraformStack, name: string): Promise<{ fromHcl: unknown; fromJson: unknown }> {
  const fromHcl = normalizeTerraform(await parseHcl(await stackHcl(stack), `${name}.tf`));
  const fromJson = normalizeTerraform(JSON.parse(Testing.synth(stack)), true);
  return { fromHcl, fromJson };
}

/** `terraform fmt` of an HCL text; throws when terraform is not on PATH (cdktf deploy needs it anyway). */
export function terraformFmt(hcl: string): string {
  return execFileSync('terraform', ['fmt', '-no-color', '-'], {
    input: hcl,
    env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' },
  }).toString();
}

/**
 * Loads an HCL stack with Terraform's own configuration loader (`terraform providers`, which
 * needs no provider download) and returns what it reports: errors and warnings, such as quoted
 * references. The S3 backend block is left out: it would ask for `terraform init` first.
 */
export function terraformLoad(hcl: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tf-load-'));
  try {
    writeFileSync(join(dir, 'main.tf'), hcl.replace(/^ {2}backend "s3" \{\n[\s\S]*?\n {2}\}\n/m, ''));
    const result = spawnSync('terraform', ['providers', '-no-color'], {
      cwd: dir,
      env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1' },
      encoding: 'utf8',
    });
    if (result.error) throw result.error;
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
