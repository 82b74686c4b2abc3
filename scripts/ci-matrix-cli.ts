import { configPath, loadFleet } from '../config/load';
import { ciMatrix } from './ci-matrix';

/**
 * `npm run --silent ci-matrix -- [--wave N] [stack ...]`: the workflow's matrix as JSON, one entry
 * per stack (all stacks when none are named).
 */
const args = process.argv.slice(2);
const waveAt = args.indexOf('--wave');
const wave = waveAt >= 0 ? Number(args.splice(waveAt, 2)[1]) : undefined;
const names = args.length > 0 ? args : [];
const entries = ciMatrix(loadFleet(configPath()), names).filter((e) => wave === undefined || e.wave === wave);
process.stdout.write(`${JSON.stringify(entries)}\n`);
