import { parseCliArgs } from '../../cli';

/** What `npm run smoke` was asked to do. */
export interface SmokeOptions {
  /** Stack name, `<account name>-<region>`. */
  stack: string;
  /** Run even where the responder would really change the smoke test's resources (enforce). */
  iKnow: boolean;
  /** How long to wait for the responder, in seconds. */
  timeoutSeconds: number;
  /** Seconds between two looks at the findings and the new user. */
  pollSeconds: number;
  /** A resource that cannot be created fails its own rows; the other kinds are still exercised. */
  keepGoing: boolean;
  /** VPC of the test security group; default: the region's default VPC. */
  vpcId?: string;
}

export const USAGE =
  'usage: npm run smoke -- --stack <account>-<region> [--i-know] [--timeout <seconds>] [--poll <seconds>] [--keep-going] [--vpc-id <vpc-id>]';

export const DEFAULT_TIMEOUT_SECONDS = 300;
export const DEFAULT_POLL_SECONDS = 10;

/** A positive number of seconds (fractions allowed), or a usage error naming the option. */
function seconds(name: string, value: string | undefined, fallback: number): number | { error: string } {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) return { error: `--${name} needs a positive number of seconds (got ${value || 'nothing'})` };
  return n;
}

/** Parses the command line (node:util parseArgs, strict); a usage error comes back as one line, never thrown. */
export function parseSmokeArgs(argv: string[]): SmokeOptions | { error: string } {
  let values;
  try {
    ({ values } = parseCliArgs(
      {
        args: argv,
        options: {
          stack: { type: 'string' },
          'i-know': { type: 'boolean', default: false },
          'keep-going': { type: 'boolean', default: false },
          timeout: { type: 'string' },
          poll: { type: 'string' },
          'vpc-id': { type: 'string' },
        },
      },
      USAGE,
    ));
  } catch (error) {
    // parseArgs' own message (unknown option, missing value) as one line; the CLI adds the usage line.
    return { error: (error as Error).message.replace(`\n${USAGE}`, '').replace(/\s*\n\s*/g, ' ') };
  }
  const timeoutSeconds = seconds('timeout', values.timeout, DEFAULT_TIMEOUT_SECONDS);
  if (typeof timeoutSeconds === 'object') return timeoutSeconds;
  const pollSeconds = seconds('poll', values.poll, DEFAULT_POLL_SECONDS);
  if (typeof pollSeconds === 'object') return pollSeconds;
  if (values.stack === '') return { error: '--stack needs a value' };
  if (values['vpc-id'] === '') return { error: '--vpc-id needs a value' };
  if (!values.stack) return { error: '--stack is required' };
  return {
    stack: values.stack,
    iKnow: values['i-know'],
    keepGoing: values['keep-going'],
    timeoutSeconds,
    pollSeconds,
    ...(values['vpc-id'] ? { vpcId: values['vpc-id'] } : {}),
  };
}
