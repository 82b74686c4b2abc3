import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accountsJsonSchema, JSON_SCHEMA_FILE } from '../../config/json-schema';

describe('the JSON Schema for editors', () => {
  it('is the one generated from the validator (run `npm run schema` after changing config/schema.ts)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', JSON_SCHEMA_FILE), 'utf8'));
    expect(committed).toEqual(accountsJsonSchema());
  });

  it('describes the fields users edit, with the same enums the validator enforces', () => {
    const schema = accountsJsonSchema() as any;
    const account = schema.properties.accounts.items;
    expect(account.properties.mode.enum).toEqual(['observe', 'enforce']);
    expect(schema.properties.defaults.properties.notifyMinSeverity.enum).toContain('CRITICAL');
    expect(account.additionalProperties).toBe(false);
  });
});
