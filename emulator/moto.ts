import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A moto_server this process started, on 127.0.0.1 only. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Stops the server (idempotent); resolves once the process has exited. */
  stop(): Promise<void>;
}

export interface StartMotoOptions {
  /** Organizations CreateAccount hands these ids out in order before random ones. @default none */
  readonly accountIds?: readonly string[];
  /**
   * The ids CreateOrganization gives the organization and its root, so the stacks' references to
   * them (a policy attached to the root) resolve in moto. @default random, as moto makes them
   */
  readonly organizationId?: string;
  readonly rootId?: string;
  /** How long to wait for the server to answer. @default 30000 ms */
  readonly timeoutMs?: number;
}

const PYTHON = process.env.EMULATOR_PYTHON ?? 'python3';

/**
 * The one-line reason the emulator tier cannot run, or undefined when moto (with its server
 * extras) imports. A missing emulator is a failure with this message, never a skip.
 */
export function motoMissing(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import moto, moto.server, flask; print(moto.__version__)'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    return `moto is not installed for ${PYTHON}: pip install "moto[server]==5.2.1" (the emulator tier needs moto_server and botocore)`;
  }
  return undefined;
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolvePort(port);
      });
    });
  });
}

/** Starts moto_server on a free loopback port and waits until it answers. */
export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  const missing = motoMissing();
  if (missing) throw new Error(missing);
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(PYTHON, [join(__dirname, 'moto_launcher.py'), String(port)], {
    env: {
      ...process.env,
      EMULATOR_ACCOUNT_IDS: (options.accountIds ?? []).join(','),
      EMULATOR_ORGANIZATION_ID: options.organizationId ?? '',
      EMULATOR_ROOT_ID: options.rootId ?? '',
      PYTHONUNBUFFERED: '1',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: false,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolveExit) =>
    child.once('exit', () => {
      resolveExit();
    }),
  );
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  // A test run that dies must not leave the server behind.
  process.once('exit', () => child.kill('SIGKILL'));

  const deadline = Date.now() + (options.timeoutMs ?? 30000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${stderr.trim().split('\n').pop()}`);
    try {
      const response = await fetch(`${url}/moto-api/`);
      if (response.status < 500) return { url, port, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`moto_server did not answer on ${url} within ${options.timeoutMs ?? 30000} ms: ${stderr.trim().split('\n').pop()}`);
}
