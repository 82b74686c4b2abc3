import { parseConfig } from '../../config/load';
import { ciMatrix } from '../../scripts/ci-matrix';
import { exampleConfig } from '../helpers/config';

describe('ci matrix', () => {
  const fleet = parseConfig(exampleConfig());

  it('gives each stack its account, region, wave and OIDC role ARNs from accounts.json', () => {
    expect(ciMatrix(fleet, ['payments-prod-eu-west-1'])).toEqual([
      {
        stack: 'payments-prod-eu-west-1',
        accountId: '333333333333',
        region: 'eu-west-1',
        wave: 2,
        planRoleArn: 'arn:aws:iam::333333333333:role/security-response-plan',
        applyRoleArn: 'arn:aws:iam::333333333333:role/security-response-apply',
        deploymentRoleArn: 'arn:aws:iam::333333333333:role/OrganizationAccountAccessRole',
      },
    ]);
  });

  it('orders waves as stack dependencies do: management home, security home, the rest', () => {
    const all = ciMatrix(fleet);
    expect(all.filter((e) => e.wave === 0).map((e) => e.stack)).toEqual(['management-us-east-1']);
    expect(all.filter((e) => e.wave === 1).map((e) => e.stack)).toEqual(['security-us-east-1']);
    expect(all.filter((e) => e.wave === 2)).toHaveLength(10);
  });

  it('refuses a stack name that accounts.json does not produce', () => {
    expect(() => ciMatrix(fleet, ['nope-us-east-1'])).toThrow('unknown stack(s): nope-us-east-1');
  });
});
