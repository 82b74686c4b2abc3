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

  it('describes notifications.tickets: both systems, strict, with the project key and secret name rules', () => {
    const tickets = (accountsJsonSchema() as any).properties.notifications.properties.tickets;
    expect(Object.keys(tickets.properties)).toEqual(['jira', 'serviceNow']);
    expect(tickets.additionalProperties).toBe(false);
    const { jira, serviceNow } = tickets.properties;
    expect(jira.required).toEqual(['baseUrl', 'projectKey', 'issueType', 'secretName']);
    expect(serviceNow.required).toEqual(['instanceUrl', 'assignmentGroup', 'secretName']);
    expect(jira.properties.projectKey.pattern).toBe('^[A-Z][A-Z0-9_]{1,9}$');
    expect(serviceNow.properties.secretName.pattern).toBe(jira.properties.secretName.pattern);
    expect(jira.properties.minSeverity.default).toBe('HIGH');
  });
});
