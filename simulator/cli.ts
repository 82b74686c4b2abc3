import { readFileSync } from 'node:fs';
import { ConfigError, configPath, loadFleet } from '../config/load';
import { EventError } from '../functions/shared/events';
import { simulate } from './simulate';

const USAGE = 'usage: npm run --silent simulate -- <event.json> [--config <accounts.json>] [--stack <stack name>]';

/** Exit 2 with one line on stderr: what is wrong and where. */
function fail(line: string): never {
  process.stderr.write(`${line.replace(/\s+/g, ' ').trim()}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { eventFile: string; config?: string; stack?: string } {
  let eventFile: string | undefined;
  let config: string | undefined;
  let stack: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--config' || arg === '--stack') {
      const value = argv[++i];
      if (!value) fail(`${arg} needs a value. ${USAGE}`);
      if (arg === '--config') config = value;
      else stack = value;
    } else if (arg.startsWith('--')) fail(`unknown option ${arg}. ${USAGE}`);
    else if (eventFile) fail(`one event file only (got ${eventFile} and ${arg}). ${USAGE}`);
    else eventFile = arg;
  }
  if (!eventFile) fail(USAGE);
  return { eventFile, config, stack };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let text: string;
  try {
    text = readFileSync(args.eventFile, 'utf8');
  } catch (error) {
    fail(`${args.eventFile}: cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch (error) {
    fail(`${args.eventFile}: not JSON: ${(error as Error).message}`);
  }
  let fleet;
  try {
    fleet = loadFleet(args.config ?? configPath());
  } catch (error) {
    if (error instanceof ConfigError) fail(error.lines().join(' | '));
    throw error;
  }
  try {
    const result = await simulate(event, fleet, { stack: args.stack });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } catch (error) {
    if (error instanceof EventError) fail(`${args.eventFile}: ${error.message}`);
    throw error;
  }
}

main().catch((error: Error) => fail(`simulator failed: ${error.stack ?? error.message}`));
