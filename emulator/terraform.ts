import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/**
 * Terraform against the emulator: a copy of a synthesized stack folder with an override file
 * that pins the mirrored AWS provider, keeps state locally and points every service the stack
 * uses at moto (Security Hub and GuardDuty at the validating stand-ins). The stack's own `profile` and
 * `allowed_account_ids` stay: the copy's AWS config file (`npm run aws-profiles`' output) maps each
 * profile to a role, moto's STS issues credentials of the role's account, so the account check is
 * the real one.
 */

const TERRAFORM = process.env.TERRAFORM_BIN ?? 'terraform';

/** The AWS provider in the filesystem mirror `TF_PLUGIN_DIR` names. */
export interface ProviderMirror {
  /** The folder `terraform init -plugin-dir` takes (holds `registry.terraform.io/`). */
  readonly dir: string;
  /** The mirrored hashicorp/aws version the override pins. */
  readonly version: string;
}

/**
 * The mirror, or one line saying why the tier cannot run. `.ci/run` sets `TF_PLUGIN_DIR`; a
 * missing provider is a failure, never a skip.
 */
export function providerMirror(env: NodeJS.ProcessEnv = process.env): ProviderMirror {
  const dir = env.TF_PLUGIN_DIR;
  if (!dir) throw new Error('TF_PLUGIN_DIR is not set: point it at a Terraform filesystem mirror holding registry.terraform.io/hashicorp/aws');
  const awsDir = join(dir, 'registry.terraform.io', 'hashicorp', 'aws');
  const platform = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
  const versions = existsSync(awsDir)
    ? readdirSync(awsDir).filter((v) => {
        const bin = join(awsDir, v, platform);
        return existsSync(bin) && readdirSync(bin).some((f) => f.startsWith('terraform-provider-aws'));
      })
    : [];
  if (versions.length === 0)
    throw new Error(`TF_PLUGIN_DIR=${dir} holds no hashicorp/aws provider for ${platform} (expected ${awsDir}/<version>/${platform}/terraform-provider-aws_*)`);
  versions.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return { dir, version: versions[versions.length - 1] };
}

/**
 * The provider's endpoint key for each resource or data source type, by longest prefix. A type
 * outside this list fails the preparation, so a stack never talks to a real AWS endpoint.
 */
const SERVICE_BY_TYPE_PREFIX: ReadonlyArray<[string, string | null]> = [
  ['aws_cloudwatch_event_', 'events'],
  ['aws_cloudwatch_log_', 'logs'],
  ['aws_cloudwatch_metric_alarm', 'cloudwatch'],
  ['aws_cloudwatch_dashboard', 'cloudwatch'],
  ['aws_cloudwatch_composite_alarm', 'cloudwatch'],
  ['aws_lambda_', 'lambda'],
  ['aws_sqs_', 'sqs'],
  ['aws_dynamodb_', 'dynamodb'],
  ['aws_secretsmanager_', 'secretsmanager'],
  ['aws_sns_', 'sns'],
  ['aws_iam_policy_document', null],
  ['aws_iam_', 'iam'],
  ['aws_kms_', 'kms'],
  ['aws_securityhub_', 'securityhub'],
  ['aws_guardduty_', 'guardduty'],
  ['aws_organizations_', 'organizations'],
  ['aws_s3_', 's3'],
  ['aws_glue_', 'glue'],
  ['aws_athena_', 'athena'],
  ['aws_security_group', 'ec2'],
  ['aws_instance', 'ec2'],
  ['aws_vpc', 'ec2'],
  ['aws_ec2_', 'ec2'],
  ['aws_caller_identity', 'sts'],
  ['aws_region', null],
  ['aws_partition', null],
];

/** Endpoint keys a synthesized stack needs (always sts: the providers assume a role). */
export function servicesUsed(stack: any): string[] {
  const services = new Set<string>(['sts']);
  const unknown: string[] = [];
  for (const block of ['resource', 'data'] as const) {
    for (const type of Object.keys(stack[block] ?? {})) {
      const match = SERVICE_BY_TYPE_PREFIX.filter(([prefix]) => type.startsWith(prefix))
        .sort((a, b) => b[0].length - a[0].length)
        .at(0);
      if (!match) unknown.push(type);
      else if (match[1]) services.add(match[1]);
    }
  }
  if (unknown.length > 0)
    throw new Error(`no emulator endpoint known for ${unknown.join(', ')}: add its service to SERVICE_BY_TYPE_PREFIX in emulator/terraform.ts`);
  return [...services].sort();
}

export interface EmulatorEndpoints {
  /** moto_server, for every service without a stand-in. */
  readonly moto: string;
  /** Validating stand-ins by the provider's endpoint key (`securityhub`, `guardduty`). */
  readonly standIns: Readonly<Record<string, string>>;
}

/** The override that turns a synthesized stack into one that deploys against the emulator. */
export function emulatorOverride(stack: any, endpoints: EmulatorEndpoints, providerVersion: string): object {
  const services = servicesUsed(stack);
  const endpoint = Object.fromEntries(services.map((s) => [s, endpoints.standIns[s] ?? endpoints.moto]));
  const providers = ([] as any[]).concat(stack.provider?.aws ?? []);
  if (providers.length === 0) throw new Error('the stack declares no aws provider');
  return {
    terraform: {
      required_providers: { aws: { source: 'hashicorp/aws', version: providerVersion } },
      backend: { local: { path: 'terraform.tfstate' } },
    },
    provider: {
      // Override files merge provider blocks by name and alias, so each block keeps its region,
      // profile, allowed_account_ids and default_tags.
      aws: providers.map((p) => ({
        ...(p.alias ? { alias: p.alias } : {}),
        region: p.region,
        skip_metadata_api_check: true,
        skip_region_validation: true,
        s3_use_path_style: true,
        endpoints: [endpoint],
      })),
    },
  };
}

/** A resource Terraform plans to change, with the top-level attributes that differ. */
export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
  /** For updates: attributes whose planned value differs from the state (or is unknown). */
  readonly attributes: readonly string[];
}

export interface TerraformRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface EmulatorStack {
  readonly name: string;
  /** The emulator copy of the stack folder. */
  readonly dir: string;
  init(): Promise<void>;
  apply(): Promise<void>;
  /** The changes a fresh plan proposes (empty when the stack is converged). */
  plan(): Promise<PlannedChange[]>;
  destroy(): Promise<void>;
  /** `terraform output -json`, as name → value. */
  outputs(): Promise<Record<string, unknown>>;
  /** The resources in state, as `type.name` addresses. */
  stateResources(): Promise<string[]>;
  /** Every terraform command run on this stack, for timing. */
  readonly runs: ReadonlyArray<{ command: string; ms: number }>;
}

export interface PrepareOptions {
  readonly endpoints: EmulatorEndpoints;
  readonly mirror: ProviderMirror;
  /** Where copies go. @default a fresh temporary folder */
  readonly workRoot?: string;
  /** Terraform's `-parallelism`. @default 10 */
  readonly parallelism?: number;
  /**
   * The AWS config file Terraform runs with: the stack's profiles (`awsProfilesConfig`) starting
   * from a source profile with moto's static keys (`emulatorAwsConfig`).
   */
  readonly awsConfig: string;
}

/**
 * The profiles of `profiles` (an `npm run aws-profiles -- --source-profile emulator` file) plus
 * the `emulator` source profile they start from: moto accepts any keys.
 */
export function emulatorAwsConfig(profiles: string): string {
  return `${profiles}
[profile emulator]
aws_access_key_id = test
aws_secret_access_key = test
`;
}

/** Copies a synthesized stack folder, writes its emulator override, and returns its commands. */
export function prepareEmulatorStack(stackDir: string, options: PrepareOptions): EmulatorStack {
  const name = basename(stackDir);
  const dir = join(options.workRoot ?? mkdtempSync(join(tmpdir(), 'emulator-tf-')), name);
  cpSync(stackDir, dir, { recursive: true });
  const stack = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8'));
  writeFileSync(join(dir, 'override.tf.json'), JSON.stringify(emulatorOverride(stack, options.endpoints, options.mirror.version), null, 2));
  const awsConfigFile = join(dir, 'aws-config');
  writeFileSync(awsConfigFile, options.awsConfig);
  // The profiles' AssumeRole goes to moto's STS (the SDK's service-specific endpoint variable).
  const awsEnv = { AWS_CONFIG_FILE: awsConfigFile, AWS_ENDPOINT_URL_STS: options.endpoints.moto };
  const parallelism = `-parallelism=${options.parallelism ?? 10}`;
  const runs: Array<{ command: string; ms: number }> = [];

  const run = async (args: string[], okCodes: number[] = [0]): Promise<TerraformRun> => {
    const result = await terraform(dir, args, awsEnv);
    runs.push({ command: args[0], ms: result.ms });
    if (!okCodes.includes(result.code)) {
      throw new Error(`terraform ${args[0]} failed in ${name} (exit ${result.code}):\n${lastLines(result.stderr || result.stdout, 40)}`);
    }
    return result;
  };

  return {
    name,
    dir,
    runs,
    init: async () => {
      await run(['init', '-input=false', '-no-color', `-plugin-dir=${options.mirror.dir}`]);
    },
    apply: async () => {
      await run(['apply', '-auto-approve', '-input=false', '-no-color', parallelism]);
    },
    plan: async () => {
      // -detailed-exitcode: 0 no changes, 2 changes; the saved plan says which.
      const planned = await run(['plan', '-input=false', '-no-color', '-detailed-exitcode', parallelism, '-out=emulator.tfplan'], [0, 2]);
      const shown = await run(['show', '-json', '-no-color', 'emulator.tfplan']);
      const changes = plannedChanges(JSON.parse(shown.stdout));
      if (planned.code === 0 && changes.length > 0) {
        throw new Error(`terraform plan in ${name} said no changes, but the saved plan holds ${changes.map((c) => c.address).join(', ')}`);
      }
      return changes;
    },
    destroy: async () => {
      await run(['destroy', '-auto-approve', '-input=false', '-no-color', parallelism]);
    },
    outputs: async () => {
      const shown = await run(['output', '-json', '-no-color']);
      const parsed = JSON.parse(shown.stdout || '{}') as Record<string, { value: unknown }>;
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.value]));
    },
    stateResources: async () => {
      const listed = await run(['state', 'list', '-no-color'], [0, 1]);
      // `state list` exits 1 when there is no state at all: that is an empty state.
      return listed.code === 0 ? listed.stdout.split('\n').filter(Boolean) : [];
    },
  };
}

/** The resource changes of `terraform show -json <plan>`, without no-ops and data reads. */
export function plannedChanges(plan: any): PlannedChange[] {
  const changes: PlannedChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const actions: string[] = rc.change?.actions ?? [];
    if (actions.every((a) => a === 'no-op' || a === 'read')) continue;
    const before = rc.change.before ?? {};
    const after = rc.change.after ?? {};
    const unknown = rc.change.after_unknown ?? {};
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    const attributes = [...keys].filter((k) => unknown[k] === true || JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)).sort();
    changes.push({ address: rc.address, type: rc.type, actions, attributes });
  }
  return changes;
}

const running = new Set<ChildProcess>();

/** Stops every terraform this process started that is still running (a failed or timed-out test). */
export function stopRunningTerraform(): void {
  for (const child of running) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}
process.once('exit', stopRunningTerraform);

/**
 * An environment for terraform that can reach nothing but loopback: none of the machine's AWS
 * credentials, profiles or CLI config, plus `awsEnv` (the emulator's AWS config file and STS).
 */
export function isolatedTerraformEnv(awsEnv: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('AWS_') && !k.startsWith('TF_')) env[k] = v;
  }
  Object.assign(env, {
    TF_CLI_CONFIG_FILE: '/dev/null',
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1', // no version check against checkpoint-api.hashicorp.com
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    ...awsEnv,
  });
  return env;
}

/** Runs terraform in a folder with an environment that can reach nothing but loopback. */
export function terraform(cwd: string, args: string[], awsEnv: Record<string, string> = {}): Promise<TerraformRun> {
  const env = isolatedTerraformEnv(awsEnv);
  // Opt-in provider debugging: EMULATOR_TF_LOG=debug writes terraform.log into the stack copy.
  if (process.env.EMULATOR_TF_LOG) Object.assign(env, { TF_LOG: process.env.EMULATOR_TF_LOG, TF_LOG_PATH: `${cwd}/terraform.log` });
  const started = Date.now();
  return new Promise((resolveRun, reject) => {
    // Its own process group, so stopping it also stops the provider plugins it started.
    const child = spawn(TERRAFORM, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    child.on('close', () => running.delete(child));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (error) => {
      reject(new Error(`cannot run ${TERRAFORM}: ${error.message}`));
    });
    child.on('close', (code) => {
      resolveRun({ code: code ?? -1, stdout, stderr, ms: Date.now() - started });
    });
  });
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join('\n');
}
