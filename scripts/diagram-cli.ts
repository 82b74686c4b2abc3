import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, configPath, loadFleet } from '../config/load';
import { embedInReadme, fleetDiagram } from './diagram';

/**
 * `npm run diagram`: prints the Mermaid diagram of what accounts.json (or ACCOUNTS_FILE) deploys.
 * `npm run diagram -- --readme` also rewrites the diagram embedded in README.md.
 */
try {
  const diagram = fleetDiagram(loadFleet(configPath()));
  process.stdout.write(diagram);
  if (process.argv.includes('--readme')) {
    const readme = join(__dirname, '..', 'README.md');
    writeFileSync(readme, embedInReadme(readFileSync(readme, 'utf8'), diagram));
  }
} catch (error) {
  if (error instanceof ConfigError) {
    for (const line of error.lines()) console.error(line);
    process.exit(2);
  }
  throw error;
}
