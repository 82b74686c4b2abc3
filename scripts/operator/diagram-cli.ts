import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configPath, loadFleet } from '../../config/load';
import { parseCliArgs, runCli } from '../cli';
import { embedInReadme, fleetDiagram } from './diagram';

const USAGE = 'usage: npm run --silent diagram [-- --readme]';

/**
 * `npm run diagram`: prints the Mermaid diagram of what accounts.json (or ACCOUNTS_FILE) deploys.
 * `npm run diagram -- --readme` also rewrites the diagram embedded in README.md.
 * Exit 2 on bad arguments or a bad accounts.json (one line per problem).
 */
runCli('diagram', async () => {
  const { values } = parseCliArgs({ args: process.argv.slice(2), options: { readme: { type: 'boolean', default: false } } }, USAGE);
  const diagram = fleetDiagram(loadFleet(configPath()));
  await new Promise<void>((resolve) =>
    process.stdout.write(diagram, () => {
      resolve();
    }),
  );
  if (values.readme) {
    const readme = join(__dirname, '..', '..', 'README.md');
    writeFileSync(readme, embedInReadme(readFileSync(readme, 'utf8'), diagram));
  }
});
