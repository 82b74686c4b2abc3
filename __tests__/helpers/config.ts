import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawConfig } from '../../config/schema';

/** A fresh, mutable copy of the shipped accounts.json. */
export function exampleConfig(): RawConfig {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'accounts.json'), 'utf8'));
}
