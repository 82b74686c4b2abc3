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

/** Parses the command line; a usage error comes back as one line, never thrown. */
export function parseSmokeArgs(argv: string[]): SmokeOptions | { error: string } {
  const options: Partial<SmokeOptions> = { iKnow: false, keepGoing: false, timeoutSeconds: DEFAULT_TIMEOUT_SECONDS, pollSeconds: DEFAULT_POLL_SECONDS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string | undefined => (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[++i] : undefined);
    switch (arg) {
      case '--i-know':
        options.iKnow = true;
        break;
      case '--keep-going':
        options.keepGoing = true;
        break;
      case '--stack':
      case '--vpc-id': {
        const v = value();
        if (!v) return { error: `${arg} needs a value` };
        if (arg === '--stack') options.stack = v;
        else options.vpcId = v;
        break;
      }
      case '--timeout':
      case '--poll': {
        const v = value();
        const n = Number(v);
        if (!v || !Number.isFinite(n) || n <= 0) return { error: `${arg} needs a positive number of seconds (got ${v ?? 'nothing'})` };
        if (arg === '--timeout') options.timeoutSeconds = n;
        else options.pollSeconds = n;
        break;
      }
      default:
        return { error: `unknown argument ${arg}` };
    }
  }
  if (!options.stack) return { error: '--stack is required' };
  return options as SmokeOptions;
}
