import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { unzipSync } from 'fflate';
import type { SynthesizedOrganization } from './synth';

/**
 * The deployed functions, run as they are: each `aws_lambda_function` of a synthesized stack, its
 * asset zip unpacked, its handler imported in a child `node` with the environment the stack writes,
 * credentials moto's STS issues for the function's role, and the endpoints of the emulator.
 */
export interface DeployedFunction {
  stack: string;
  /** `aws_lambda_function` resource id in the stack. */
  resource: string;
  functionName: string;
  /** `index.handler`: file `index` of the zip, export `handler`. */
  handler: string;
  runtime: string;
  /** Where the function runs: its provider's region. */
  region: string;
  accountId: string;
  /** Resolved from the stack's `aws_iam_role` the function references. */
  roleArn: string;
  environment: Record<string, string>;
  zipPath: string;
  memorySize: number;
  timeout: number;
}

export interface Endpoints {
  /** moto, for every service. */
  motoUrl: string;
  /** The validating Security Hub stand-in in front of moto. */
  securityHubUrl: string;
  /** The Detective stand-in (detective-standin.ts; moto has no Detective). @default moto, which answers no Detective operation */
  detectiveUrl?: string;
}

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The stack's providers: alias (or default) → region and the one account it allows. */
function providers(json: any): Map<string, { region: string; accountId: string }> {
  const out = new Map<string, { region: string; accountId: string }>();
  for (const p of json.provider?.aws ?? []) {
    const allowed: string[] = p.allowed_account_ids ?? [];
    if (allowed.length !== 1) throw new Error(`provider aws${p.alias ? `.${p.alias}` : ''} allows ${allowed.length} accounts, not one`);
    out.set(p.alias ? `aws.${p.alias}` : 'aws', { region: p.region, accountId: allowed[0] });
  }
  return out;
}

/** `${aws_iam_role.<id>.arn}` → the role's ARN, from its name in the same stack. */
function resolveRole(json: any, reference: string, accountId: string): string {
  const id = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(reference)?.[1];
  const role = id ? json.resource?.aws_iam_role?.[id] : undefined;
  if (!role?.name) throw new Error(`function role ${reference} is not an aws_iam_role of the stack with a name`);
  return `arn:aws:iam::${accountId}:role${role.path ?? '/'}${role.name}`;
}

/** Every function a synthesized stack deploys. */
export function deployedFunctions(org: SynthesizedOrganization, stack: string): DeployedFunction[] {
  const json = org.stackJson(stack);
  const byProvider = providers(json);
  return Object.entries<any>(json.resource?.aws_lambda_function ?? {}).map(([resource, fn]) => {
    const where = byProvider.get(fn.provider ?? 'aws');
    if (!where) throw new Error(`${stack}: function ${resource} uses unknown provider ${fn.provider}`);
    return {
      stack,
      resource,
      functionName: fn.function_name,
      handler: fn.handler,
      runtime: fn.runtime,
      region: where.region,
      accountId: where.accountId,
      roleArn: resolveRole(json, fn.role, where.accountId),
      environment: { ...(fn.environment?.variables ?? {}) },
      zipPath: join(org.stackDir(stack), fn.filename),
      memorySize: fn.memory_size ?? 128,
      timeout: fn.timeout ?? 3,
    };
  });
}

/** The one function of a stack whose name ends in `-<name>` (`respond`, `quarantine-user`, `escalate`). */
export function deployedFunction(org: SynthesizedOrganization, stack: string, name: string): DeployedFunction {
  const found = deployedFunctions(org, stack).filter((f) => f.functionName.endsWith(`-${name}`));
  if (found.length !== 1) throw new Error(`${stack} deploys ${found.length} functions named *-${name}`);
  return found[0];
}

/** The function's settings as the stack wrote them (`RESPONDER_SETTINGS`). */
export function settingsOf(fn: DeployedFunction): any {
  return JSON.parse(fn.environment.RESPONDER_SETTINGS);
}

const unpacked = new Map<string, string>();
/** Unzips the function's asset once per process; returns the folder. */
export function unpack(fn: DeployedFunction): string {
  const cached = unpacked.get(fn.zipPath);
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), `emulator-${fn.functionName}-`));
  for (const [name, data] of Object.entries(unzipSync(readFileSync(fn.zipPath)))) {
    if (name.endsWith('/')) continue;
    const target = join(dir, name);
    if (!target.startsWith(dir)) throw new Error(`${fn.zipPath}: entry ${name} escapes the folder`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  }
  unpacked.set(fn.zipPath, dir);
  return dir;
}

/** The handler's module file, resolved as the Lambda nodejs runtime does (`.mjs`, `.js`, `.cjs`). */
export function handlerModule(fn: DeployedFunction, dir = unpack(fn)): { file: string; exportName: string } {
  const dot = fn.handler.lastIndexOf('.');
  const base = fn.handler.slice(0, dot);
  const exportName = fn.handler.slice(dot + 1);
  for (const ext of ['.mjs', '.js', '.cjs']) {
    const file = join(dir, `${base}${ext}`);
    if (existsSync(file)) return { file, exportName };
  }
  throw new Error(`${fn.zipPath} has no ${base}.mjs, .js or .cjs for handler ${fn.handler}`);
}

/** Credentials moto's STS issues for a role (moto issues them for the role's own account). */
export async function assumeRole(motoUrl: string, roleArn: string, sessionName = 'emulator'): Promise<AwsCredentials> {
  const sts = new STSClient({ region: 'us-east-1', endpoint: motoUrl, credentials: { accessKeyId: 'AKIAEMULATORSEED0001', secretAccessKey: 'emulator' } });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }));
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`moto AssumeRole ${roleArn} returned no credentials`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/** Preloaded into every child: `<account>.localhost` → 127.0.0.1 (see loopback-dns.cjs). */
export const LOOPBACK_DNS = join(__dirname, 'loopback-dns.cjs');

/**
 * The AWS part of a child's environment: region, credentials, and every endpoint pointed at the
 * emulator. S3 Control puts the account id in front of the host, so its endpoint is `localhost`
 * (resolved by the preloaded loopback-dns.cjs), not `127.0.0.1` (which cannot take a prefix).
 */
export function awsEnvironment(region: string, credentials: AwsCredentials, endpoints: Endpoints): Record<string, string> {
  return {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
    AWS_ENDPOINT_URL: endpoints.motoUrl,
    AWS_ENDPOINT_URL_SECURITYHUB: endpoints.securityHubUrl,
    ...(endpoints.detectiveUrl ? { AWS_ENDPOINT_URL_DETECTIVE: endpoints.detectiveUrl } : {}),
    AWS_ENDPOINT_URL_S3_CONTROL: endpoints.motoUrl.replace('127.0.0.1', 'localhost'),
    // No shared config or credentials file of the machine may change what the SDK does.
    AWS_CONFIG_FILE: '/nonexistent/emulator-aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/emulator-aws-credentials',
    NODE_OPTIONS: `--require ${LOOPBACK_DNS}`,
  };
}

/**
 * A function's whole process environment, as Lambda gives it: the stack's variables, the ones the
 * nodejs runtime sets, then the role's credentials and the emulator endpoints (awsEnvironment).
 * `dir` is the unpacked zip (LAMBDA_TASK_ROOT).
 */
export function functionEnvironment(fn: DeployedFunction, dir: string, credentials: AwsCredentials, endpoints: Endpoints): Record<string, string> {
  const env: Record<string, string> = {
    ...fn.environment,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(fn.timeout),
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    LAMBDA_TASK_ROOT: dir,
    TZ: ':UTC',
    ...awsEnvironment(fn.region, credentials, endpoints),
  };
  // Lambda honours a function's own NODE_OPTIONS; it comes after the emulator's preload.
  if (fn.environment.NODE_OPTIONS) env.NODE_OPTIONS = `${env.NODE_OPTIONS} ${fn.environment.NODE_OPTIONS}`;
  return env;
}

/** `arn:aws:lambda:<region>:<account>:function:<name>` */
export function functionArnOf(fn: DeployedFunction): string {
  return `arn:aws:lambda:${fn.region}:${fn.accountId}:function:${fn.functionName}`;
}

export interface Invocation {
  /** What the handler returned (undefined when it threw). */
  result?: any;
  /** What the handler threw. */
  error?: { name?: string; message?: string; stack?: string };
  /** Its stdout lines that are JSON (Powertools log lines, EMF metrics). */
  logs: Record<string, any>[];
  stdout: string;
  stderr: string;
  durationMs: number;
}

/**
 * Invokes the deployed function once with the event: a child `node` with exactly the function's
 * environment variables, the variables the Lambda runtime sets, the role's moto credentials and the
 * emulator endpoints.
 */
export async function invoke(fn: DeployedFunction, event: unknown, endpoints: Endpoints, credentials?: AwsCredentials): Promise<Invocation> {
  const dir = unpack(fn);
  const { file, exportName } = handlerModule(fn, dir);
  const creds = credentials ?? (await assumeRole(endpoints.motoUrl, fn.roleArn, fn.functionName));
  const work = mkdtempSync(join(tmpdir(), 'emulator-invoke-'));
  const eventFile = join(work, 'event.json');
  const resultFile = join(work, 'result.json');
  writeFileSync(eventFile, JSON.stringify(event));
  const env = functionEnvironment(fn, dir, creds, endpoints);
  const functionArn = functionArnOf(fn);
  const started = Date.now();
  const child = spawn(process.execPath, [join(__dirname, 'invoke-handler.mjs'), file, exportName, eventFile, resultFile, functionArn], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), fn.timeout * 1000);
  const code = await new Promise<number | null>((resolveExit) =>
    child.once('exit', (c) => {
      resolveExit(c);
    }),
  );
  clearTimeout(timer);
  const durationMs = Date.now() - started;
  const logs = stdout.split('\n').flatMap((line) => {
    try {
      const parsed = JSON.parse(line);
      return parsed && typeof parsed === 'object' ? [parsed as Record<string, any>] : [];
    } catch {
      return [];
    }
  });
  if (!existsSync(resultFile)) {
    return {
      error: { name: 'ProcessExit', message: `handler process exited ${code} without a result: ${stderr.trim().split('\n').slice(-3).join(' | ')}` },
      logs,
      stdout,
      stderr,
      durationMs,
    };
  }
  const outcome = JSON.parse(readFileSync(resultFile, 'utf8')) as { result?: unknown; error?: Invocation['error'] };
  return { ...outcome, logs, stdout, stderr, durationMs };
}
