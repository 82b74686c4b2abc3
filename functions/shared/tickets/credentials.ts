import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import type { AwsPort } from '../aws';
import type { TicketSettings } from '../routing/settings';
import type { Fetch, HttpSettings, Sleep } from './http';
import { JiraClient } from './jira';
import { ServiceNowClient } from './servicenow';
import type { TicketClient, TicketSystem } from './ticket';

/**
 * The ticket systems' credentials, read from Secrets Manager in the security account when first
 * needed. The stack creates each secret empty (no value in Terraform state); a person puts the
 * JSON below. No error, log line or alert ever carries a secret's value: only its name and which
 * field is missing.
 */
const JiraSecret = z.object({ email: z.string().check(z.minLength(3)), apiToken: z.string().check(z.minLength(1)) });
const ServiceNowSecret = z.object({ username: z.string().check(z.minLength(1)), password: z.string().check(z.minLength(1)) });

/** What each secret must hold, as the README and the secret's description say. */
export const SECRET_SHAPES: Readonly<Record<TicketSystem, string>> = {
  jira: '{"email":"<Atlassian account e-mail>","apiToken":"<API token>"}',
  servicenow: '{"username":"<integration user>","password":"<password>"}',
};

export class TicketCredentialsError extends Error {
  override readonly name = 'TicketCredentialsError';
}

function errorName(e: unknown): string {
  return typeof e === 'object' && e !== null && 'name' in e && typeof e.name === 'string' ? e.name : '';
}

/** The secret's JSON, or an error naming the secret and what to do (never its value). */
export async function readSecretJson(aws: AwsPort, region: string, secretName: string, system: TicketSystem): Promise<unknown> {
  let text: string | undefined;
  try {
    text = (await aws.client(SecretsManagerClient, region).send(new GetSecretValueCommand({ SecretId: secretName }))).SecretString;
  } catch (e) {
    // A secret the stack created but nobody filled yet has no AWSCURRENT version: ResourceNotFoundException.
    if (errorName(e) === 'ResourceNotFoundException') {
      throw new TicketCredentialsError(
        `${system}: the secret ${secretName} has no value in ${region}; put one with: aws secretsmanager put-secret-value --secret-id ${secretName} --secret-string '${SECRET_SHAPES[system]}'`,
        { cause: e },
      );
    }
    throw new TicketCredentialsError(`${system}: could not read the secret ${secretName} in ${region}: ${errorName(e) || 'error'}`, { cause: e });
  }
  if (text === undefined) throw new TicketCredentialsError(`${system}: the secret ${secretName} holds binary data, not the JSON ${SECRET_SHAPES[system]}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new TicketCredentialsError(`${system}: the secret ${secretName} is not JSON; it must be ${SECRET_SHAPES[system]}`);
  }
}

function fields<T>(schema: z.ZodMiniType<T>, json: unknown, system: TicketSystem, secretName: string): T {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const missing = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))].join(', ');
  throw new TicketCredentialsError(`${system}: the secret ${secretName} lacks ${missing}; it must be ${SECRET_SHAPES[system]}`);
}

export interface ClientOptions {
  readonly fetch?: Fetch;
  readonly sleep?: Sleep;
  /** @default ROUTER_HTTP */
  readonly http?: Partial<Pick<HttpSettings, 'timeoutMs' | 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs'>>;
}

/**
 * The router's budget per request: two attempts of at most 8 s, half a second apart. A system that
 * does not answer must not hold a batch of alerts past the function's 60 s; the job queue retries
 * for longer.
 */
export const ROUTER_HTTP = { timeoutMs: 8_000, maxAttempts: 2, baseDelayMs: 500, maxDelayMs: 10_000 } as const;

/**
 * The configured systems' clients, made once per container. A client whose secret could not be
 * read is not kept, so the next alert reads the secret again; `forget` drops one whose credentials
 * were refused (a rotated secret).
 */
export class TicketClients {
  private readonly made = new Map<TicketSystem, Promise<TicketClient>>();

  constructor(
    private readonly settings: Pick<TicketSettings, 'jira' | 'serviceNow'>,
    private readonly aws: AwsPort,
    private readonly region: string,
    private readonly options: ClientOptions = {},
  ) {}

  /** The systems configured, in a fixed order. */
  systems(): TicketSystem[] {
    return [...(this.settings.jira ? (['jira'] as const) : []), ...(this.settings.serviceNow ? (['servicenow'] as const) : [])];
  }

  get(system: TicketSystem): Promise<TicketClient> {
    let client = this.made.get(system);
    if (!client) {
      client = this.make(system);
      this.made.set(system, client);
      client.catch(() => this.made.delete(system));
    }
    return client;
  }

  forget(system: TicketSystem): void {
    this.made.delete(system);
  }

  private async make(system: TicketSystem): Promise<TicketClient> {
    const { jira, serviceNow } = this.settings;
    if (system === 'jira' && jira) {
      const credentials = fields(JiraSecret, await readSecretJson(this.aws, this.region, jira.secretName, system), system, jira.secretName);
      return new JiraClient({ ...jira, credentials, ...this.options, http: this.options.http ?? ROUTER_HTTP });
    }
    if (system === 'servicenow' && serviceNow) {
      const json = await readSecretJson(this.aws, this.region, serviceNow.secretName, system);
      const credentials = fields(ServiceNowSecret, json, system, serviceNow.secretName);
      return new ServiceNowClient({ ...serviceNow, credentials, ...this.options, http: this.options.http ?? ROUTER_HTTP });
    }
    throw new Error(`${system} is not configured (notifications.tickets)`);
  }
}
