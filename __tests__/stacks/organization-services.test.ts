import { buildTestFleet, findResource, synthJson } from '../helpers/fleet';

const { stacks } = buildTestFleet();
const securityHome = synthJson(stacks.get('security-us-east-1')!);

describe('the alert key (confused deputy)', () => {
  it('lets EventBridge use the key only for the security account\'s own publishing rules and the alert topic', () => {
    const key = findResource(securityHome, 'aws_kms_key', () => true);
    const statement = JSON.parse(key.policy).Statement.find((s: any) => s.Principal?.Service === 'events.amazonaws.com');
    expect(statement.Condition).toEqual({
      StringEquals: {
        'aws:SourceAccount': '222222222222',
        'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:us-east-1:222222222222:acme-security-alerts',
      },
      ArnEquals: { 'aws:SourceArn': ['arn:aws:events:us-east-1:222222222222:rule/acme-security-response-alarms/acme-alarms-to-alert-topic'] },
    });
  });
});
