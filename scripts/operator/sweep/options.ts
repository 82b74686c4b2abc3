import { join } from 'node:path';
import { CliError, EXIT, integerOption, parseCliArgs, parseTime } from '../../cli';

export const USAGE =
  'usage: npm run sweep -- --stack <account>-<region> [--since <90d | YYYY-MM-DD | ISO time>] [--limit <N>] [--rate <findings per second>] [--i-know] [--restart] [--state <file>]';

/**
 * Findings a second the sweep sends by default. Security Hub allows BatchUpdateFindings 10 requests
 * a second per account and region (burst 30), and `respond` makes about one per finding: half is left
 * to the live responders, the router's ticket writer and automation rules sharing that budget.
 */
export const DEFAULT_RATE = 5;
/** At most 8 of BatchUpdateFindings' 10 a second: the live responders always keep a share. */
export const MAX_RATE = 8;

/** What `npm run sweep` was asked to do. */
export interface SweepOptions {
  /** Stack name, `<account name>-<region>`. */
  stack: string;
  /** Findings created since (default 90 days ago). */
  since: Date;
  /** `--since` was given (a resumed sweep keeps its own window; a different one is refused). */
  sinceGiven: boolean;
  /** At most this many findings sent in this run; a new sweep also lists only this many (the newest). */
  limit?: number;
  /** Findings per second sent to `respond`. */
  rate: number;
  /** The operator accepts that the sweep changes resources where the account enforces. */
  iKnow: boolean;
  /** Forget a half-done sweep of this stack and start over. */
  restart: boolean;
  /** Where the sweep keeps its progress: `.sweep/<stack>.json` by default. */
  stateFile: string;
}

/** Parses the command line (node:util parseArgs, strict); bad arguments are usage errors. */
export function parseSweepArgs(argv: string[], now: Date): SweepOptions {
  const { values, positionals } = parseCliArgs(
    {
      args: argv,
      options: {
        stack: { type: 'string' },
        since: { type: 'string' },
        limit: { type: 'string' },
        rate: { type: 'string' },
        'i-know': { type: 'boolean', default: false },
        restart: { type: 'boolean', default: false },
        state: { type: 'string' },
      },
      allowPositionals: true,
    },
    USAGE,
  );
  if (positionals.length > 0) throw new CliError(`unexpected argument ${positionals.join(' ')}\n${USAGE}`, EXIT.usage);
  if (!values.stack) throw new CliError(`--stack is required\n${USAGE}`, EXIT.usage);
  const since = parseTime('since', values.since ?? '90d', now, USAGE);
  if (since.getTime() >= now.getTime()) throw new CliError(`--since ${since.toISOString()} is not in the past\n${USAGE}`, EXIT.usage);
  const rate = values.rate === undefined ? DEFAULT_RATE : Number(values.rate);
  if (values.rate !== undefined && (!/^\d+(\.\d+)?$/.test(values.rate) || rate <= 0 || rate > MAX_RATE))
    throw new CliError(`--rate must be a number of findings per second above 0 and at most ${MAX_RATE}, got "${values.rate}"\n${USAGE}`, EXIT.usage);
  if (values.state === '') throw new CliError(`--state needs a file\n${USAGE}`, EXIT.usage);
  return {
    stack: values.stack,
    since,
    sinceGiven: values.since !== undefined,
    ...(values.limit !== undefined ? { limit: integerOption('limit', values.limit, 1) } : {}),
    rate,
    iKnow: values['i-know'],
    restart: values.restart,
    stateFile: values.state ?? join('.sweep', `${values.stack}.json`),
  };
}
