import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { arns, names, PARTITION } from '../../functions/shared/naming';
import { organizationAlertingRoles, policyDocument } from './policy';

export interface AlertTopicProps {
  readonly organizationName: string;
  readonly organizationId: string;
  readonly securityAccountId: string;
  readonly homeRegion: string;
  /**
   * Topics encrypted with this key that EventBridge rules publish to (the alarm relay's e-mail
   * topic); each topic's own policy says which rules. @default none
   */
  readonly eventBridgeTopicArns?: readonly string[];
}

/**
 * The organization's alert topic, in the security account's home region, encrypted with its own
 * customer-managed key: every function of every account publishes its alerts here, and the alert
 * router (AlertRouting) is its only subscriber. Topic and key admit the alerting functions' roles
 * of the organization's accounts by `aws:PrincipalOrgID` and role-name patterns, never one ARN per
 * account, so the policies stay the same size for 5 accounts or 500.
 */
export class AlertTopic extends Construct {
  readonly topic: SnsTopic;
  readonly topicArn: string;
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const org = props.organizationName;
    const eventBridgeTopics = props.eventBridgeTopicArns ?? [];
    this.topicArn = arns.alertTopic(props.securityAccountId, props.homeRegion, org);
    // The alerting roles of every account, one pattern per function (respond's role name carries
    // its region): the same three patterns for 5 accounts or 500, and no other role of the organization.
    const orgResponders = organizationAlertingRoles(org, props.organizationId, props.securityAccountId);

    const key = (this.key = new KmsKey(this, 'key', {
      description: `Encrypts the ${names.alertTopic(org)} topic (security-response)`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyDocument([
        {
          // Without this the key becomes unmanageable; IAM policies in the security account decide who administers it.
          Sid: 'SecurityAccountAdministersKey',
          Effect: 'Allow',
          Principal: { AWS: `arn:${PARTITION}:iam::${props.securityAccountId}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'OrganizationRespondersEncryptAlerts',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Resource: '*',
          Condition: {
            ...orgResponders,
            StringEquals: { ...orgResponders.StringEquals, 'kms:ViaService': `sns.${props.homeRegion}.amazonaws.com` },
          },
        },
        ...(eventBridgeTopics.length > 0
          ? [
              {
                // EventBridge publishing to an encrypted topic needs the key, for those topics only
                // (SNS binds data keys to the topic ARN as encryption context). Confused deputy: AWS
                // does not support aws:SourceAccount / aws:SourceArn in a key policy for
                // EventBridge-to-encrypted topics (delivery fails with them), so which rules may
                // publish is decided by the topic policy's aws:SourceArn condition below.
                Sid: 'EventBridgeEncryptsAlerts',
                Effect: 'Allow' as const,
                Principal: { Service: 'events.amazonaws.com' },
                Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
                Resource: '*',
                Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': [...eventBridgeTopics] } },
              },
            ]
          : []),
      ]),
    }));
    new KmsAlias(this, 'key-alias', { name: names.alertKeyAlias(org), targetKeyId: key.keyId });

    this.topic = new SnsTopic(this, 'topic', {
      name: names.alertTopic(org),
      displayName: 'Security alerts',
      kmsMasterKeyId: key.arn,
    });
    new SnsTopicPolicy(this, 'topic-policy', {
      arn: this.topic.arn,
      policy: policyDocument([
        {
          Sid: 'OrganizationRespondersPublish',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'sns:Publish',
          Resource: this.topicArn,
          Condition: orgResponders,
        },
      ]),
    });
  }
}
