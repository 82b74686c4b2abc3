import { noWildcardWrite } from '../../../guardrails/rules/no-wildcard-write';
import { policy, stackWith } from '../stack-fixture';

describe('iam-no-wildcard-write', () => {
  it('passes writes scoped to resources, reads on "*", and the listed AWS exceptions', () => {
    const stack = stackWith({
      aws_iam_role_policy: {
        p: {
          policy: policy([
            { Effect: 'Allow', Action: 'ec2:RevokeSecurityGroupIngress', Resource: 'arn:aws:ec2:eu-west-1:333333333333:security-group/*' },
            { Effect: 'Allow', Action: ['ec2:DescribeSecurityGroupRules'], Resource: '*' },
            { Effect: 'Allow', Action: 's3:PutAccountPublicAccessBlock', Resource: '*' },
          ]),
        },
      },
      aws_iam_policy: { deny: { policy: policy([{ Effect: 'Deny', Action: '*', Resource: '*' }]) } },
    });
    expect(noWildcardWrite.check(stack)).toEqual([]);
  });

  it('fails a write action on "*" and names the stack, resource and action', () => {
    const stack = stackWith({
      aws_iam_role_policy: { respond: { policy: policy([{ Sid: 'Oops', Effect: 'Allow', Action: ['iam:AttachUserPolicy'], Resource: ['*'] }]) } },
    });
    expect(noWildcardWrite.check(stack)).toEqual([
      {
        rule: 'iam-no-wildcard-write',
        stack: 'acme-prod-eu-west-1',
        resource: 'aws_iam_role_policy.respond',
        message: 'statement Oops allows write action iam:AttachUserPolicy on Resource "*"',
      },
    ]);
  });
});
