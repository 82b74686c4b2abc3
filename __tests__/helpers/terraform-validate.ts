import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `terraform validate` with the real AWS provider schema. The provider comes from the filesystem
 * mirror in TF_PLUGIN_DIR when set (offline; `.ci/run` finds the machine's mirror), else from the
 * registry at the version the stacks pin. With a mirror, the mirror's version replaces the pin in
 * an override file, as a user with that provider would do.
 */
export interface ValidateResult {
  valid: boolean;
  /** One line per diagnostic: `error: Unsupported argument (aws_lambda_function.x: ...)`. */
  diagnostics: string[];
}

export interface ProviderSource {
  /** `-plugin-dir` for init, or undefined for the registry. */
  pluginDir?: string;
  /** The provider version validate runs with (the mirror's, or the stacks' pin). */
  version: string;
}

const ENV = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };

/** Where the AWS provider comes from; throws one clear line when TF_PLUGIN_DIR holds none. */
export function providerSource(pinnedVersion: string): ProviderSource {
  const pluginDir = process.env.TF_PLUGIN_DIR;
  if (!pluginDir) return { version: pinnedVersion };
  const versionsDir = join(pluginDir, 'registry.terraform.io', 'hashicorp', 'aws');
  const versions = existsSync(versionsDir) ? readdirSync(versionsDir).sort() : [];
  if (versions.length === 0) {
    throw new Error(`TF_PLUGIN_DIR=${pluginDir} holds no registry.terraform.io/hashicorp/aws provider`);
  }
  return { pluginDir, version: versions[versions.length - 1] };
}

/**
 * One initialized working folder; each `validate` writes a stack's configuration into it (JSON or
 * HCL, never both) and runs `terraform validate -json`. Init happens once: every stack needs the
 * same single provider. The S3 backend is not initialized (`-backend=false`).
 */
export class TerraformValidator {
  private readonly dir = mkdtempSync(join(tmpdir(), 'tf-validate-'));

  constructor(readonly source: ProviderSource) {
    writeFileSync(join(this.dir, 'override.tf.json'), JSON.stringify(this.override()));
    writeFileSync(join(this.dir, 'init.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws' } } } }));
    const args = ['init', '-backend=false', '-input=false', '-no-color', ...(source.pluginDir ? [`-plugin-dir=${source.pluginDir}`] : [])];
    const init = spawnSync('terraform', args, { cwd: this.dir, env: ENV, encoding: 'utf8' });
    if (init.error) throw new Error(`terraform is not on PATH: ${init.error.message}`);
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.stdout}${init.stderr}`);
    rmSync(join(this.dir, 'init.tf.json'));
  }

  private override(): unknown {
    return { terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: this.source.version } } } };
  }

  /** Validates one configuration; `form` says whether `text` is cdk.tf.json or HCL. */
  async validate(text: string, form: 'json' | 'hcl'): Promise<ValidateResult> {
    const file = join(this.dir, form === 'json' ? 'cdk.tf.json' : 'main.tf');
    writeFileSync(file, text);
    try {
      const { stdout, stderr } = await run('terraform', ['validate', '-json', '-no-color'], this.dir);
      let report: { valid: boolean; diagnostics: { severity: string; summary: string; detail?: string; address?: string }[] };
      try {
        report = JSON.parse(stdout);
      } catch {
        return { valid: false, diagnostics: [`error: terraform validate printed no JSON: ${stdout}${stderr}`] };
      }
      return {
        valid: report.valid,
        diagnostics: report.diagnostics.map((d) => `${d.severity}: ${d.summary}${d.detail ? ` (${d.address ?? ''} ${d.detail.split('\n')[0]})` : ''}`),
      };
    } finally {
      rmSync(file, { force: true });
    }
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string; status: number | null }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd, env: ENV });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      resolveRun({ stdout, stderr, status });
    });
  });
}
