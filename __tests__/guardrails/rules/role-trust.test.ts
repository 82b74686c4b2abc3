import { roleTrust } from '../../../guardrails/rules/role-trust';
import { policy, stackWith } from '../stack-fixture';

const role = (statement: object) => stackWith({ aws_iam_role: { r: { assume_role_policy: policy([statement]) } } });

describe('role-trust-single-principal', () => {
  it('passes a role trusted by one service', () => {
    expect(roleTrust.check(role({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }))).toEqual([]);
  });

  it('passes a role trusted by one exact principal of its own account', () => {
    expect(roleTrust.check(role({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::333333333333:role/pipeline' }, Action: 'sts:AssumeRole' }))).toEqual([]);
  });

  it('fails a role trusted by another account', () => {
    const [v] = roleTrust.check(role({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'sts:AssumeRole' }));
    expect(v).toMatchObject({ resource: 'aws_iam_role.r', message: 'role trusts arn:aws:iam::222222222222:root, outside account 333333333333' });
  });

  it('fails a role trusted by two services at once', () => {
    const [v] = roleTrust.check(role({ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'ec2.amazonaws.com'] }, Action: 'sts:AssumeRole' }));
    expect(v.message).toBe('trust statement names 2 principals; exactly one is allowed');
  });

  it('fails a wildcard principal', () => {
    const violations = roleTrust.check(role({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }));
    expect(violations.map((v) => v.message)).toContain('trust principal *:* is a wildcard');
  });
});
