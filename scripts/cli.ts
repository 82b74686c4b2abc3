import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config/load';

/**
 * The operator commands' exit codes (README "Exit codes"). One meaning each, so that a pipeline
 * can tell "you called me wrong" from "the check found something".
 */
export const EXIT = {
  ok: 0,
  /** Something unexpected: the one line names it. */
  error: 1,
  /** Bad arguments, a bad accounts.json, or a refusal (enforce without --i-know, say). */
  usage: 2,
  /** No AWS credentials, or expired ones. */
  credentials: 3,
  /** The command ran and what it checked failed (a smoke check, a plan that destroys a responder). */
  checkFailed: 4,
  /** Nothing to do (nothing to undo, no plans in the folder). */
  nothingToDo: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the command reports as one line, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

/** `node:util` parseArgs (pass `args`), strict, with its errors turned into usage errors that show the usage line. */
export function parseCliArgs<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  try {
    // strict is parseArgs' default: an unknown option or a missing value throws.
    return parseArgs(config);
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${usage}`, EXIT.usage);
  }
}

/** A positive integer option, or a usage error naming the option. */
export function integerOption(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new CliError(`--${name} must be an integer of at least ${min}, got "${value}"`, EXIT.usage);
  return Number(value);
}

const CREDENTIAL_ERRORS = new Set(['CredentialsProviderError', 'ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException']);

/** The exit code and one line for any error a command throws: never a stack trace (DEBUG=1 adds it). */
export function describeFailure(command: string, error: unknown): { code: ExitCode; lines: string[] } {
  // Anything can be thrown: an Error, an SDK exception, a string, undefined.
  const err = typeof error === 'object' && error !== null ? (error as Partial<Error>) : undefined;
  const debug = process.env.DEBUG ? [err?.stack ?? ''] : [];
  if (error instanceof CliError) return { code: error.exitCode, lines: [`${command}: ${error.message}`, ...debug] };
  if (error instanceof ConfigError) return { code: EXIT.usage, lines: [...error.lines(), ...debug] };
  if (err?.name !== undefined && CREDENTIAL_ERRORS.has(err.name)) {
    return {
      code: EXIT.credentials,
      lines: [
        `${command}: no usable AWS credentials (${String(err.message).split('\n')[0]}); sign in to the account (AWS_PROFILE, aws sso login) and run it again`,
        ...debug,
      ],
    };
  }
  return { code: EXIT.error, lines: [`${command}: ${String(err?.message ?? error).split('\n')[0]}`, ...debug] };
}

/** Exits once everything written to stdout has been flushed (pipes are asynchronous on macOS). */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

/**
 * Runs a command's main: prints failures as one line and exits with their code. A main that
 * returns no code (TypeScript types one without `return` as `() => void`) exits 0 once it is done.
 */
export function runCli(command: string, main: (() => Promise<number | undefined> | number | undefined) | (() => void)): void {
  Promise.resolve()
    .then((): unknown => main())
    .then(
      (code) => {
        exitAfterFlush(typeof code === 'number' ? code : EXIT.ok);
      },
      (error: unknown) => {
        const { code, lines } = describeFailure(command, error);
        for (const line of lines) console.error(line);
        exitAfterFlush(code);
      },
    );
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * A point in time from the command line: `30d` and `12h` before `now`, a UTC day (`2026-03-01`, its
 * midnight), or an ISO-8601 time with its zone (`2026-03-01T12:00:00Z`, `…+02:00`).
 */
export function parseTime(option: string, value: string, now: Date, usage: string): Date {
  const relative = /^(\d+)([dh])$/.exec(value);
  if (relative) {
    const n = Number(relative[1]);
    if (n >= 1) return new Date(now.getTime() - n * (relative[2] === 'd' ? DAY : HOUR));
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = new Date(`${value}T00:00:00.000Z`);
    // Date.parse rolls 2026-02-30 over to March: only a day that reads back the same is a day.
    if (!Number.isNaN(day.getTime()) && day.toISOString().startsWith(value)) return day;
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const time = Date.parse(value);
    if (!Number.isNaN(time)) return new Date(time);
  }
  throw new CliError(
    `--${option} must be a number of days or hours ago (30d, 12h), a UTC day (2026-03-01) or an ISO time with a zone (2026-03-01T12:00:00Z), got "${value}"\n${usage}`,
    EXIT.usage,
  );
}
