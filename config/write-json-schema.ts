import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accountsJsonSchema, JSON_SCHEMA_FILE } from './json-schema';

/** `npm run schema`: rewrites config/accounts.schema.json after a change to config/schema.ts. */
writeFileSync(join(__dirname, '..', JSON_SCHEMA_FILE), `${JSON.stringify(accountsJsonSchema(), null, 2)}\n`);
console.log(`wrote ${JSON_SCHEMA_FILE}`);
