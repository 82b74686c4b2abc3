import { readFileSync } from 'node:fs';
import { configPath, loadFleet } from '../config/load';
import { EventError } from '../functions/shared/events';
import { CliError, EXIT, parseCliArgs, runCli } from '../scripts/cli';
import { simulate } from './simulate';

const USAGE = 'usage: npm run --silent simulate -- <event.json> [--config <accounts.json>] [--stack <stack name>]';

/** A bad input (exit 2) as one line: what is wrong and where, whatever line breaks the cause quotes. */
function badInput(line: string): CliError {
  return new CliError(line.replace(/\s+/g, ' ').trim(), EXIT.usage);
}

/**
 * `npm run --silent simulate -- <event.json> [--config <accounts.json>] [--stack <name>]`: the
 * functions' own decision code on one event, offline; prints the decisions as JSON. Exit 2 with
 * one line on stderr for bad arguments, an unreadable or malformed event, or a bad accounts.json.
 */
runCli('simulate', async () => {
  const { values, positionals } = parseCliArgs(
    { args: process.argv.slice(2), options: { config: { type: 'string' }, stack: { type: 'string' } }, allowPositionals: true },
    USAGE,
  );
  if (positionals.length !== 1) {
    throw new CliError(
      `${positionals.length === 0 ? 'an event file is required' : `one event file only (got ${positionals.join(' and ')})`}\n${USAGE}`,
      EXIT.usage,
    );
  }
  if (values.config === '' || values.stack === '') throw new CliError(`--${values.config === '' ? 'config' : 'stack'} needs a value\n${USAGE}`, EXIT.usage);
  const [eventFile] = positionals;
  let text: string;
  try {
    text = readFileSync(eventFile, 'utf8');
  } catch (error) {
    throw badInput(`${eventFile}: cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch (error) {
    throw badInput(`${eventFile}: not JSON: ${(error as Error).message}`);
  }
  const fleet = loadFleet(values.config ?? configPath());
  try {
    const result = await simulate(event, fleet, { stack: values.stack });
    await new Promise<void>((resolve) =>
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`, () => {
        resolve();
      }),
    );
  } catch (error) {
    if (error instanceof EventError) throw badInput(`${eventFile}: ${error.message}`);
    throw error;
  }
});
