import { ACCOUNT_MODES, ACTION_MODES, effectiveActionMode, type AccountMode, type ActionMode } from '../../../functions/shared/catalogue';

/**
 * README, "How modes combine": the account's `mode` is the master switch. An account in `observe`
 * never writes, whatever its actions say; in an `enforce` account an action set to `off` is not
 * attempted, `observe` is decided and reported, and `enforce` (or unset) is carried out.
 */
const TABLE: [AccountMode, ActionMode | undefined, ActionMode][] = [
  ['observe', 'off', 'off'],
  ['observe', 'observe', 'observe'],
  ['observe', 'enforce', 'observe'],
  ['observe', undefined, 'observe'],
  ['enforce', 'off', 'off'],
  ['enforce', 'observe', 'observe'],
  ['enforce', 'enforce', 'enforce'],
  ['enforce', undefined, 'enforce'],
];

describe('effectiveActionMode: the account mode is the master switch', () => {
  it.each(TABLE)('account %s, action %s → %s', (account, action, expected) => {
    expect(effectiveActionMode(account, action)).toBe(expected);
  });

  it('the table covers every account mode with every action setting, unset included', () => {
    const covered = new Set(TABLE.map(([account, action]) => `${account}/${action}`));
    const all = ACCOUNT_MODES.flatMap((account) => [...ACTION_MODES, undefined].map((action) => `${account}/${action}`));
    expect([...covered].sort()).toEqual([...all].sort());
  });

  it('an account in observe never gets enforce, whatever its action says', () => {
    for (const action of [...ACTION_MODES, undefined]) expect(effectiveActionMode('observe', action)).not.toBe('enforce');
  });

  it('an action set to off is off in every account', () => {
    for (const account of ACCOUNT_MODES) expect(effectiveActionMode(account, 'off')).toBe('off');
  });
});
