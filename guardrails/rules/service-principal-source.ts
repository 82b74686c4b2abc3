import { asArray, asStrings, at, policyStatements, resources, sidOf, violation, type GuardRail, type PolicyStatement, type Violation } from '../types';

/** Resource policies an AWS service acts under on someone's behalf, by the attribute holding each. */
const RESOURCE_POLICIES: Record<string, string> = {
  aws_kms_key: 'policy',
  aws_sns_topic_policy: 'policy',
  aws_sqs_queue_policy: 'policy',
  aws_cloudwatch_event_bus_policy: 'policy',
  aws_s3_bucket_policy: 'policy',
};

/** Condition keys that tie a service principal's request to the account or resource it acts for. */
const SOURCE_KEYS = ['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths'];

/**
 * AWS's one documented exception: "Adding the aws:SourceAccount, aws:SourceArn, and aws:SourceOrgID
 * to a AWS KMS policy is not supported for EventBridge-to-encrypted topics" (SNS developer guide,
 * key management). Such a statement is accepted when it only lets EventBridge encrypt for named
 * topics (condition on the SNS encryption context); the topic policy then names the rules.
 */
function eventBridgeToEncryptedTopic(type: string, st: PolicyStatement, services: unknown[]): boolean {
  const actions = asStrings(st.Action, `${type}: Action`).map((a) => a.toLowerCase());
  return (
    type === 'aws_kms_key' &&
    services.length === 1 &&
    services[0] === 'events.amazonaws.com' &&
    actions.length > 0 &&
    actions.every((a) => a === 'kms:generatedatakey*' || a === 'kms:generatedatakey' || a === 'kms:decrypt') &&
    conditionKeys(st.Condition).includes('kms:encryptioncontext:aws:sns:topicarn')
  );
}

function conditionKeys(condition: unknown): string[] {
  if (!condition || typeof condition !== 'object') return [];
  return Object.values(condition as Record<string, unknown>).flatMap((byKey) =>
    byKey && typeof byKey === 'object' ? Object.keys(byKey).map((k) => k.toLowerCase()) : [],
  );
}

/**
 * Confused deputy: every statement of a key, topic, queue, event-bus or bucket policy that allows
 * an AWS service principal (`events.amazonaws.com`, `cloudwatch.amazonaws.com`, `sns.amazonaws.com`…) is
 * tied by `aws:SourceAccount` or `aws:SourceArn` (or the organization variants) to the resources
 * it acts for; otherwise the service would act for any customer that names this resource. The one
 * exception is AWS's: EventBridge encrypting for an SNS topic, scoped by the topic's encryption
 * context instead (see eventBridgeToEncryptedTopic). A
 * Lambda permission for a service principal likewise names its `source_arn` or `source_account`.
 */
export const servicePrincipalSource: GuardRail = {
  id: 'service-principal-source',
  description: 'resource-policy statements for AWS service principals carry aws:SourceAccount or aws:SourceArn',
  severity: 'error',
  explanation: "Without aws:SourceAccount or aws:SourceArn, any account's use of that AWS service can reach the resource (confused deputy).",
  fix: 'add an aws:SourceAccount or aws:SourceArn condition to the statement, or source_arn / source_account to the Lambda permission',
  check(stack) {
    const out: Violation[] = [];
    for (const [type, id, attrs] of resources(stack)) {
      if (type === 'aws_lambda_permission' && /\.amazonaws\.com$/.test(String(attrs.principal)) && !attrs.source_arn && !attrs.source_account) {
        out.push(
          violation(this, stack, type, id, `allows ${String(attrs.principal)} to invoke ${String(attrs.function_name)} without source_arn or source_account`),
        );
        continue;
      }
      const attribute = RESOURCE_POLICIES[type];
      const policy = attribute ? attrs[attribute] : undefined;
      if (typeof policy !== 'string') continue;
      let doc: unknown;
      try {
        doc = JSON.parse(policy);
      } catch {
        continue; // a Terraform expression, not a literal policy: nothing to read here
      }
      for (const st of policyStatements(doc)) {
        if (st.Effect !== 'Allow') continue;
        const services = asArray(at(st.Principal, 'Service'));
        if (services.length === 0) continue;
        if (!conditionKeys(st.Condition).some((k) => SOURCE_KEYS.includes(k)) && !eventBridgeToEncryptedTopic(type, st, services)) {
          out.push(
            violation(this, stack, type, id, `statement ${sidOf(st)} allows ${services.join(', ')} without an aws:SourceAccount or aws:SourceArn condition`),
          );
        }
      }
    }
    return out;
  },
};
