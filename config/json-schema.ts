import { z } from 'zod';
import { ConfigSchema } from './schema';

/** JSON Schema of accounts.json for editors, generated from the same zod definition the validator uses. */
export function accountsJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'security-response accounts.json',
  };
}

export const JSON_SCHEMA_FILE = 'config/accounts.schema.json';
