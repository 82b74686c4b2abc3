import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { severitiesAtOrAbove, type Severity } from '../../functions/shared/catalogue';
import { arns, FUNCTION_NAMES, names, PARTITION } from '../../functions/shared/naming';
import { policyDocument } from './policy';

export interface AlertTopicProps {
  readonly organizationName: string;
  readonly organizationId: string;
  readonly securityAccountId: string;
  readonly homeRegion: string;
  /** Addresses that receive every alert. @default none */
  readonly emails?: string[];
  /** Per team: addresses that receive alerts of accounts the team owns, at or above a severity. @default none */
  readonly teams?: Record<string, { email: string[]; minSeverity: Severity }>;
  /** EventBridge rules of this account that may publish (the alarm relay). @default none */
  readonly publishingRuleArns?: string[];
}

/**
 * The organization's alert topic, in the security account's home region, encrypted with its own
 * customer-managed key. Topic and key admit the responder roles of the organization's accounts by
 * `aws:PrincipalOrgID` and role-name patterns, never one ARN per account, so the policies stay the
 * same size for 5 accounts or 500.
 */
export class AlertTopic extends Construct {
  readonly topic: SnsTopic;
  readonly topicArn: string;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const org = props.organizationName;
    const rules = props.publishingRuleArns ?? [];
    this.topicArn = arns.alertTopic(props.securityAccountId, props.homeRegion, org);
    // The responder roles of every account, one pattern per function (respond's role name carries
    // its region): the same three patterns for 5 accounts or 500, and no other role of the organization.
    const responders = FUNCTION_NAMES.map((fn) => arns.role('*', names.role(org, fn, '*')));
    const orgResponders = {
      StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
      ArnLike: { 'aws:PrincipalArn': responders },
    };

    const key = new KmsKey(this, 'key', {
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
        ...(rules.length > 0
          ? [
              {
                // EventBridge publishing to an encrypted topic needs the key, for this topic only
                // (SNS binds data keys to the topic ARN as encryption context). Confused deputy: AWS
                // does not support aws:SourceAccount / aws:SourceArn in a key policy for
                // EventBridge-to-encrypted topics (delivery fails with them), so which rules may
                // publish is decided by the topic policy's aws:SourceArn condition below.
                Sid: 'EventBridgeEncryptsAlerts',
                Effect: 'Allow' as const,
                Principal: { Service: 'events.amazonaws.com' },
                Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
                Resource: '*',
                Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': this.topicArn } },
              },
            ]
          : []),
      ]),
    });
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
        ...(rules.length > 0
          ? [
              {
                Sid: 'OwnRulesPublish',
                Effect: 'Allow' as const,
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sns:Publish',
                Resource: this.topicArn,
                Condition: { ArnEquals: { 'aws:SourceArn': rules } },
              },
            ]
          : []),
      ]),
    });

    for (const email of [...(props.emails ?? [])].sort()) {
      new SnsTopicSubscription(this, `email-${email}`, { topicArn: this.topic.arn, protocol: 'email', endpoint: email });
    }
    for (const [team, route] of Object.entries(props.teams ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      for (const email of [...route.email].sort()) {
        new SnsTopicSubscription(this, `team-${team}-${email}`, {
          topicArn: this.topic.arn,
          protocol: 'email',
          endpoint: email,
          // Message attributes `team` and `severity` are set by the functions' notify step.
          filterPolicyScope: 'MessageAttributes',
          filterPolicy: JSON.stringify({ team: [team], severity: severitiesAtOrAbove(route.minSeverity) }),
        });
      }
    }
  }
}
