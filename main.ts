import { App } from 'cdktf';
import { ConfigError, configPath, loadFleet } from './config/load';
import { bundleFunctions } from './stacks/bundles';
import { buildFleet } from './stacks/fleet';

/**
 * Reads accounts.json (or ACCOUNTS_FILE), validates all of it before anything is written,
 * bundles the functions once, and synthesizes one stack per account and region.
 */
function main(): void {
  let fleet;
  try {
    fleet = loadFleet(configPath());
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.lines()) console.error(line);
      process.exit(1);
    }
    throw error;
  }
  const bundles = bundleFunctions({ rootDir: __dirname });
  // No stack traces in the synthesized metadata: they hold this machine's paths.
  const app = new App({ stackTraces: false });
  buildFleet(app, fleet, bundles);
  app.synth();
}

main();
