import { firstMatch, globToRegExp } from '../../../functions/shared/glob';

const matches = (glob: string, value: string) => globToRegExp(glob).test(value);

describe('globToRegExp: * any run, ? one character, the rest literal, whole string', () => {
  it.each([
    ['break-glass-*', 'break-glass-alice', true],
    ['break-glass-*', 'break-glass-', true],
    ['break-glass-*', 'break-glass', false],
    ['break-glass-*', 'xbreak-glass-alice', false],
    ['break-glass-*', 'alice-break-glass-1', false],
    ['*-admin', 'ops-admin', true],
    ['*-admin', 'ops-admin-2', false],
    ['svc-??', 'svc-01', true],
    ['svc-??', 'svc-1', false],
    ['svc-??', 'svc-001', false],
    ['arn:aws:iam::333333333333:role/terraform-pipeline', 'arn:aws:iam::333333333333:role/terraform-pipeline', true],
    ['arn:aws:iam::333333333333:role/terraform-pipeline', 'arn:aws:iam::333333333333:role/terraform-pipeline-evil', false],
    ['arn:aws:iam::333333333333:role/terraform-pipeline', 'arn:aws:iam::333333333333:role/ci/terraform-pipeline', false],
    ['arn:aws:iam::*:role/org-deployer', 'arn:aws:iam::444444444444:role/org-deployer', true],
    ['arn:aws:iam::333333333333:role/*', 'arn:aws:iam::333333333333:role/ci/anything', true],
  ])('%s vs %s → %s', (glob, value, expected) => {
    expect(matches(glob, value)).toBe(expected);
  });

  it.each([
    ['a.b', 'axb'],
    ['user+1', 'userr1'],
    ['(admin)', 'admin'],
    ['[ab]', 'a'],
    ['a|b', 'a'],
    ['^root$', 'root'],
    ['a{2}', 'aa'],
    ['back\\slash', 'backslash'],
  ])('regular-expression characters are literal: %s does not match %s', (glob, value) => {
    expect(matches(glob, value)).toBe(false);
    expect(matches(glob, glob)).toBe(true);
  });

  it('does not match across lines (no multiline surprise in a user name)', () => {
    expect(matches('break-glass-*', 'evil\nbreak-glass-x')).toBe(false);
  });
});

describe('firstMatch', () => {
  it('returns the first pattern, in configuration order, that matches any of the values', () => {
    expect(firstMatch(['nope', 'arn:*:role/b', 'arn:*'], ['arn:aws:iam::1:role/b'])).toBe('arn:*:role/b');
  });

  it('skips undefined values (a creator without session issuer)', () => {
    expect(firstMatch(['*'], [undefined])).toBeUndefined();
    expect(firstMatch(['x'], [undefined, 'x'])).toBe('x');
  });

  it('no patterns: nothing matches', () => {
    expect(firstMatch([], ['anything'])).toBeUndefined();
  });
});
