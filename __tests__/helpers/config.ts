import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawConfig } from '../../config/schema';

/**
 * The test organization: a copy of the accounts.json the repository shipped with (12 stacks,
 * acme). Every test that needs an organization's content reads this file, never the user's own
 * accounts.json, so adding an account as the README says leaves the suite green.
 */
export const TEST_ACCOUNTS_FILE = join(__dirname, '..', 'fixtures', 'accounts.json');

/**
 * The user's own organization file at the repository root. Tests only validate and synthesize it
 * (config/shipped-accounts.test.ts), never assert its accounts, stacks or count.
 */
export const SHIPPED_ACCOUNTS_FILE = join(__dirname, '..', '..', 'accounts.json');

/** A fresh, mutable copy of the test organization (TEST_ACCOUNTS_FILE). */
export function exampleConfig(): RawConfig {
  return JSON.parse(readFileSync(TEST_ACCOUNTS_FILE, 'utf8'));
}

/** The test organization with organization.detective on, every account given the email Detective's member resource needs. */
export function detectiveConfig(): RawConfig {
  const config = exampleConfig();
  config.organization.detective = true;
  for (const account of config.accounts) account.email = `aws+${account.name}@example.com`;
  return config;
}
