import { servicePrincipalSource } from '../../../guardrails/rules/service-principal-source';
import { policy, stackWith } from '../stack-fixture';

const admin = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'kms:*', Resource: '*' };
const eventBridge = (Condition?: object) => ({
  Sid: 'EventBridgeEncryptsAlerts',
  Effect: 'Allow',
  Principal: { Service: 'events.amazonaws.com' },
  Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
  Resource: '*',
  ...(Condition ? { Condition } : {}),
});

describe('service-principal-source', () => {
  it('passes key, topic, queue and bus policies whose service statements name the source account or ARN', () => {
    const stack = stackWith({
      aws_kms_key: { k: { policy: policy([admin, eventBridge({ StringEquals: { 'aws:SourceAccount': '222222222222' } })]) } },
      aws_sns_topic_policy: {
        t: {
          policy: policy([
            { ...eventBridge({ ArnEquals: { 'aws:SourceArn': ['arn:aws:events:us-east-1:222222222222:rule/acme-x'] } }), Action: 'sns:Publish' },
          ]),
        },
      },
      aws_sqs_queue_policy: {
        q: {
          policy: policy([
            { ...eventBridge({ ArnLike: { 'AWS:SourceArn': 'arn:aws:events:eu-west-1:333333333333:rule/acme-*' } }), Action: 'sqs:SendMessage' },
          ]),
        },
      },
      aws_cloudwatch_event_bus_policy: { b: { policy: policy([{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'events:PutEvents', Resource: '*' }]) } },
    });
    expect(servicePrincipalSource.check(stack)).toEqual([]);
  });

  it('fails a key policy that lets a service principal use the key for anyone (confused deputy)', () => {
    const stack = stackWith({ aws_kms_key: { k: { policy: policy([admin, eventBridge()]) } } });
    expect(servicePrincipalSource.check(stack)).toEqual([
      {
        rule: 'service-principal-source',
        stack: 'acme-prod-eu-west-1',
        resource: 'aws_kms_key.k',
        message: 'statement EventBridgeEncryptsAlerts allows events.amazonaws.com without an aws:SourceAccount or aws:SourceArn condition',
      },
    ]);
  });

  it('accepts EventBridge encrypting for a named SNS topic only, where AWS does not support the source keys', () => {
    const topicOnly = { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:us-east-1:222222222222:t' } };
    expect(servicePrincipalSource.check(stackWith({ aws_kms_key: { k: { policy: policy([eventBridge(topicOnly)]) } } }))).toEqual([]);
    // Not for more than encrypting, nor for another service, nor for another condition.
    const wider = { ...eventBridge(topicOnly), Action: ['kms:GenerateDataKey*', 'kms:Decrypt', 'kms:CreateGrant'] };
    const otherService = { ...eventBridge(topicOnly), Sid: 'Other', Principal: { Service: 'cloudwatch.amazonaws.com' } };
    const otherCondition = eventBridge({ StringEquals: { 'kms:ViaService': 'sns.us-east-1.amazonaws.com' } });
    for (const st of [wider, otherService, otherCondition]) {
      expect(servicePrincipalSource.check(stackWith({ aws_kms_key: { k: { policy: policy([st]) } } })).map((v) => v.resource)).toEqual(['aws_kms_key.k']);
    }
  });

  it('fails a Lambda permission for a service principal without source_arn or source_account, passes one with either', () => {
    const stack = stackWith({
      aws_lambda_permission: {
        open: { principal: 'events.amazonaws.com', function_name: 'acme-respond', action: 'lambda:InvokeFunction' },
        scoped: { principal: 'events.amazonaws.com', function_name: 'acme-respond', source_arn: 'arn:aws:events:eu-west-1:333333333333:rule/acme-x' },
        account: { principal: 'events.amazonaws.com', function_name: 'acme-respond', source_account: '333333333333' },
      },
    });
    expect(servicePrincipalSource.check(stack).map((v) => [v.resource, v.message])).toEqual([
      ['aws_lambda_permission.open', 'allows events.amazonaws.com to invoke acme-respond without source_arn or source_account'],
    ]);
  });

  it('reads bucket policies too: a service principal there needs its source, a TLS deny or an organization grant does not', () => {
    const tlsDeny = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    const orgWrite = {
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::b/*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    };
    const delivery = (Condition?: object) => ({
      Sid: 'LogDelivery',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::b/*',
      ...(Condition ? { Condition } : {}),
    });
    const scoped = delivery({ StringEquals: { 'aws:SourceAccount': '222222222222' } });
    expect(servicePrincipalSource.check(stackWith({ aws_s3_bucket_policy: { b: { policy: policy([tlsDeny, orgWrite, scoped]) } } }))).toEqual([]);
    expect(servicePrincipalSource.check(stackWith({ aws_s3_bucket_policy: { b: { policy: policy([tlsDeny, delivery()]) } } }))).toEqual([
      {
        rule: 'service-principal-source',
        stack: 'acme-prod-eu-west-1',
        resource: 'aws_s3_bucket_policy.b',
        message: 'statement LogDelivery allows logging.s3.amazonaws.com without an aws:SourceAccount or aws:SourceArn condition',
      },
    ]);
  });

  it('ignores Deny statements and non-service principals', () => {
    const stack = stackWith({
      aws_sns_topic_policy: {
        t: { policy: policy([{ Effect: 'Deny', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: '*' }]) },
      },
    });
    expect(servicePrincipalSource.check(stack)).toEqual([]);
  });
});
