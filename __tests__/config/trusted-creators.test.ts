import { ConfigError, parseConfig } from '../../config/load';
import type { RawConfig } from '../../config/schema';
import { trustedCreatorProblem } from '../../config/trusted-creators';
import { exampleConfig } from '../helpers/config';

/** The lines accounts.json with these trustedCreators on payments-prod produces (as synthesis prints them). */
function linesFor(trustedCreators: string[], exemptUserNames?: string[]): string[] {
  const config = exampleConfig() as any;
  const account = config.accounts.find((a: { name: string }) => a.name === 'payments-prod');
  account.quarantine = { trustedCreators, ...(exemptUserNames ? { exemptUserNames } : {}) };
  try {
    parseConfig(config as RawConfig, 'accounts.json');
  } catch (error) {
    if (error instanceof ConfigError) return error.lines();
    throw error;
  }
  return [];
}

const at = (i: number) => `accounts.json: $.accounts[2].quarantine.trustedCreators[${i}]`;

describe('trustedCreators: only identities the caller cannot choose', () => {
  it('refuses an STS session pattern, naming it and the role ARN to use instead, in one line', () => {
    expect(linesFor(['arn:aws:sts::333333333333:assumed-role/*/ci-*'])).toEqual([
      `${at(0)}: arn:aws:sts::333333333333:assumed-role/*/ci-* is an STS session pattern: the session name in it is chosen by the caller, so it could match anyone allowed to assume the role; use the role ARN arn:aws:iam::333333333333:role/* (with the role's path, if it has one) (got "arn:aws:sts::333333333333:assumed-role/*/ci-*")`,
    ]);
  });

  it('suggests the role of a session pattern that names one', () => {
    expect(trustedCreatorProblem('arn:aws:sts::333333333333:assumed-role/terraform-pipeline/*')).toMatch(
      /use the role ARN arn:aws:iam::333333333333:role\/terraform-pipeline /,
    );
    expect(trustedCreatorProblem('arn:aws:sts::333333333333:federated-user/bob')).toMatch(/use the role ARN arn:aws:iam::<acct>:role\/<name>/);
  });

  it('refuses a pattern that trusts every role or user of an account', () => {
    expect(linesFor(['arn:aws:iam::333333333333:role/*', 'arn:aws:iam::*:user/*'])).toEqual([
      `${at(0)}: arn:aws:iam::333333333333:role/* trusts every role in account 333333333333: name the role (arn:aws:iam::<acct>:role/<name>) or a name prefix such as role/ci-* (got "arn:aws:iam::333333333333:role/*")`,
      `${at(1)}: arn:aws:iam::*:user/* trusts every user in every account: name the user (arn:aws:iam::<acct>:user/<name>) or a name prefix such as user/ci-* (got "arn:aws:iam::*:user/*")`,
    ]);
  });

  it('refuses what is not a role, user or root ARN (the old any-resource shape)', () => {
    expect(trustedCreatorProblem('arn:aws:iam::333333333333:*')).toMatch(/is not an IAM role, user or root ARN pattern/);
    expect(trustedCreatorProblem('arn:aws:iam::333333333333:group/admins')).toMatch(/is not an IAM role, user or root ARN pattern/);
  });

  it('accepts roles (with a path or a name prefix), users and root', () => {
    expect(
      linesFor([
        'arn:aws:iam::333333333333:role/terraform-pipeline',
        'arn:aws:iam::333333333333:role/ci/deployer',
        'arn:aws:iam::333333333333:role/terraform-*',
        'arn:aws:iam::*:role/org-admin',
        'arn:aws:iam::333333333333:user/admin',
        'arn:aws:iam::333333333333:root',
      ]),
    ).toEqual([]);
  });

  it('keeps an old file with exemptUserNames synthesizing (they only mark the alert now)', () => {
    expect(linesFor(['arn:aws:iam::333333333333:role/terraform-pipeline'], ['break-glass-*'])).toEqual([]);
  });
});
