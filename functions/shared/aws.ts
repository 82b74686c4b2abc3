/**
 * The one door to AWS for all decision code. Deployed functions use `liveAws`; the simulator and
 * tests can pass their own. Every write goes through `write()`, which records it, so the simulator
 * prints exactly the requests the deployed function would send and the functions log what to undo.
 * Client classes are passed in by the caller (which imports them lazily), so loading this module
 * loads no AWS SDK.
 */

/** Anything with the SDK v3 `send(command)` method. */
export interface Sendable {
  send(command: { input: unknown }): Promise<unknown>;
}
/** The client configuration `createLiveAws` passes to a client class. */
export interface ClientConfig {
  region: string;
  retryMode: string;
  maxAttempts: number;
}
export type ClientClass<C extends Sendable = Sendable> = new (config: ClientConfig) => C;

/** A command object as `write()` and `read()` take it: its input, and its class name for recorded calls. */
export interface CommandLike {
  input: unknown;
  constructor: { name: string };
}
/** What an SDK v3 command resolves to (its `resolveMiddleware` handler's output); `unknown` for other command objects. */
export type OutputOf<Cmd> = Cmd extends { resolveMiddleware(...args: never[]): (...args: never[]) => Promise<{ output: infer Out }> } ? Out : unknown;

/** One AWS write request, as the SDK command receives it. */
export interface RecordedCall {
  service: string;
  operation: string;
  region: string;
  input: unknown;
}

export interface AwsPort {
  /** A client of `ctor` for `region`, cached per class and region. */
  client<C extends Sendable>(ctor: ClientClass<C>, region: string): C;
}

/** Service name from the client class (`EC2Client` → `ec2`), for recorded calls. */
export function serviceOf(ctor: ClientClass): string {
  const known: Record<string, string> = {
    EC2Client: 'ec2',
    S3Client: 's3',
    S3ControlClient: 's3control',
    IAMClient: 'iam',
    SecurityHubClient: 'securityhub',
    SNSClient: 'sns',
  };
  return known[ctor.name] ?? ctor.name.replace(/Client$/, '').toLowerCase();
}

/** Operation name from a command object (`RevokeSecurityGroupIngressCommand` → `RevokeSecurityGroupIngress`). */
export function operationOf(command: { constructor: { name: string } }): string {
  return command.constructor.name.replace(/Command$/, '');
}

export function createLiveAws(): AwsPort {
  const cache = new Map<string, Sendable>();
  return {
    client<C extends Sendable>(ctor: ClientClass<C>, region: string): C {
      const key = `${ctor.name}:${region}`;
      let client = cache.get(key);
      if (!client) {
        // Adaptive retry backs off on throttling across the whole batch, not per call.
        client = new ctor({ region, retryMode: 'adaptive', maxAttempts: 6 });
        cache.set(key, client);
      }
      return client as C;
    },
  };
}

/** Collects the write calls made on behalf of one finding. */
export class CallLog {
  readonly calls: RecordedCall[] = [];
  /**
   * @param readOnly observe mode: every write is refused before it is sent, so a remediation
   *   module cannot change a resource in observe mode even if its own dry-run check is wrong.
   *   Default false.
   */
  constructor(
    private readonly aws: AwsPort,
    private readonly readOnly = false,
  ) {}

  /** Sends a write request and records it (recorded before sending, so a failed write is still visible). */
  async write<C extends Sendable, Cmd extends CommandLike>(ctor: ClientClass<C>, region: string, command: Cmd): Promise<OutputOf<Cmd>> {
    if (this.readOnly) throw new ObserveModeWriteError(`${serviceOf(ctor)}:${operationOf(command)}`);
    this.calls.push({ service: serviceOf(ctor), operation: operationOf(command), region, input: command.input });
    // The SDK client resolves a command to its output type; `Sendable` cannot say so for every command.
    return this.aws.client(ctor, region).send(command) as Promise<OutputOf<Cmd>>;
  }

  /** Sends a read request; reads are not recorded. */
  read<C extends Sendable, Cmd extends CommandLike>(ctor: ClientClass<C>, region: string, command: Cmd): Promise<OutputOf<Cmd>> {
    return this.aws.client(ctor, region).send(command) as Promise<OutputOf<Cmd>>;
  }
}

/** A write attempted through a read-only CallLog (observe mode). */
export class ObserveModeWriteError extends Error {
  constructor(readonly operation: string) {
    super(`refused ${operation}: observe mode never writes to a resource`);
    this.name = 'ObserveModeWriteError';
  }
}

/** An AwsPort that counts every request sent through it, by `service:Operation` (the sweep's API calls per finding). */
export function countingAws(aws: AwsPort): { aws: AwsPort; counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  const wrapped = new Map<string, Sendable>();
  return {
    counts,
    aws: {
      client<C extends Sendable>(ctor: ClientClass<C>, region: string): C {
        const key = `${ctor.name}:${region}`;
        let client = wrapped.get(key);
        if (!client) {
          const inner = aws.client(ctor, region);
          const service = serviceOf(ctor);
          client = {
            send(command: { input: unknown }) {
              const name = `${service}:${operationOf(command)}`;
              counts[name] = (counts[name] ?? 0) + 1;
              return inner.send(command);
            },
          };
          wrapped.set(key, client);
        }
        return client as C;
      },
    },
  };
}
