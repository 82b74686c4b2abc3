import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REMEDIATION_ACTIONS } from '../../../../functions/shared/catalogue';
import { CATALOGUE, CATALOGUE_ORDER, REMEDIATIONS } from '../../../../functions/shared/remediations';
import { GRANTS, REVERSE_OPERATIONS } from '../../../../functions/shared/remediations/grants';
import { REVERSIBLE_OPERATIONS, SERVICES } from '../../../../scripts/operator/undo';
import { settings } from './helpers';

const root = join(__dirname, '../../../..');
const folderOf = (action: string) => join(root, 'functions/shared/remediations', action.toLowerCase().replace(/_/g, '-'));

/** Every `remediations` object's allowed property names in a JSON Schema. */
function remediationEnums(node: unknown, found: unknown[][] = []): unknown[][] {
  if (Array.isArray(node)) node.forEach((n) => remediationEnums(n, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      const names = (value as { propertyNames?: { enum?: unknown[] } } | undefined)?.propertyNames?.enum;
      if (key === 'remediations' && names) found.push(names);
      remediationEnums(value, found);
    }
  }
  return found;
}

describe('the remediation catalogue, one folder per action', () => {
  it.each(REMEDIATION_ACTIONS)('%s has its folder: select.ts, run.ts, grants.ts', (action) => {
    for (const file of ['select.ts', 'run.ts', 'grants.ts']) expect(existsSync(join(folderOf(action), file))).toBe(true);
  });

  it.each(REMEDIATION_ACTIONS)('%s has a catalogue entry (select, a runner loader) and grants and reverse operations', async (action) => {
    const module = REMEDIATIONS[action];
    expect(module.action).toBe(action);
    expect(typeof module.select).toBe('function');
    expect(typeof (await module.load()).run).toBe('function');
    const { read, write } = GRANTS[action].grants(settings());
    expect(read.length).toBeGreaterThan(0);
    expect(write.length).toBeGreaterThan(0);
    expect(GRANTS[action].reverseOperations.length).toBeGreaterThan(0);
  });

  it('the ordered catalogue lists every action exactly once, most specific first', () => {
    const order = CATALOGUE.map((m) => m.action);
    expect(CATALOGUE_ORDER).toEqual(order);
    expect([...order].sort()).toEqual([...REMEDIATION_ACTIONS].sort());
    expect(new Set(order).size).toBe(order.length);
    expect(order.indexOf('DEACTIVATE_ACCESS_KEY')).toBeLessThan(order.indexOf('QUARANTINE_IAM_USER'));
  });

  it('the accounts.json JSON Schema names exactly the catalogue actions', () => {
    const schema = JSON.parse(readFileSync(join(root, 'config/accounts.schema.json'), 'utf8'));
    const enums = remediationEnums(schema);
    expect(enums.length).toBeGreaterThan(0);
    for (const names of enums) expect(names).toEqual([...REMEDIATION_ACTIONS]);
  });

  it("undo replays every action's reverse operations, and has a client for each one's service", () => {
    for (const operation of REVERSE_OPERATIONS) {
      expect(REVERSIBLE_OPERATIONS.has(operation)).toBe(true);
      expect(operation).toMatch(/^[a-z0-9]+:[A-Z][A-Za-z]+$/);
    }
    for (const operation of REVERSIBLE_OPERATIONS) expect(Object.keys(SERVICES)).toContain(operation.split(':')[0]);
  });
});
