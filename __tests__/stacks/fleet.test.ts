import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEVERITIES } from '../../functions/shared/catalogue';
import { accountProfiles } from '../../scripts/operator/aws-profiles';
import { simulate } from '../../simulator/simulate';
import { exampleConfig } from '../helpers/config';
import { buildTestFleet, findResource, resourcesOf, ROOT, synthJson } from '../helpers/fleet';

const { fleet, stacks } = buildTestFleet();
/** An IAM-style pattern (`*` matches anything) as a regular expression. */
const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.?+^$()[\]{}|\\/]/g, '\\$&'))
      .join('.*')}$`,
  );
const synthesized = new Map<string, any>();
const json = (name: string) => {
  if (!synthesized.has(name)) synthesized.set(name, synthJson(stacks.get(name)!));
  return synthesized.get(name);
};

describe('one stack per account and region', () => {
  it('names each stack <account name>-<region>, one per region the account lists', () => {
    const expected = fleet.accounts.flatMap((a) => a.regions.map((r) => `${a.name}-${r}`)).sort();
    expect([...stacks.keys()].sort()).toEqual(expected);
  });

  it('deploys the management home stack, then the security home stack, then the rest', () => {
    const deps = (name: string) => stacks.get(name)!.dependencies.map((d) => d.node.id);
    expect(deps('management-us-east-1')).toEqual([]);
    expect(deps('security-us-east-1')).toEqual(['management-us-east-1']);
    expect(deps('payments-prod-eu-central-1')).toEqual(['security-us-east-1']);
    expect(deps('security-eu-west-1')).toEqual(['security-us-east-1']);
  });
});

describe('every stack', () => {
  it.each([...stacks.keys()])(
    '%s: names the account profile (whose deploy role is the account deployment role), refuses other accounts, tags everything',
    (name) => {
      const plan = fleet.stacks.find((s) => s.name === name)!;
      const providers: any[] = json(name).provider.aws;
      const deployRole = new Map(accountProfiles(fleet, 'deploy').map((p) => [p.profile, p.roleArn]));
      for (const provider of providers) {
        expect(provider.allowed_account_ids).toEqual([plan.account.id]);
        // No role in the stack: the profile decides (read-only to plan, the deployment role to apply).
        expect(provider.profile).toBe(`acme-${plan.account.name}`);
        expect(provider.assume_role).toBeUndefined();
        // The management account has no OrganizationAccountAccessRole: the test organization names its own.
        const role = plan.account.id === '111111111111' ? 'security-response-deployer' : 'OrganizationAccountAccessRole';
        expect(deployRole.get(provider.profile)).toBe(`arn:aws:iam::${plan.account.id}:role/${role}`);
        expect(provider.default_tags[0].tags).toEqual({ project: 'acme-security-response', 'managed-by': 'cdktf', owner: plan.account.owner ?? 'security' });
      }
    },
  );

  it.each([...stacks.keys()])('%s: keeps its state in its own encrypted, locked key', (name) => {
    expect(json(name).terraform.backend.s3).toEqual({
      bucket: 'acme-terraform-state',
      key: `acme/${name}/terraform.tfstate`,
      region: 'us-east-1',
      encrypt: true,
      use_lockfile: true,
    });
  });

  it.each([...stacks.keys()])('%s: contains no absolute path of this machine', (name) => {
    expect(JSON.stringify(json(name))).not.toMatch(/"\/(tmp|work|home|root|Users)\//);
  });
});

describe('the local responder', () => {
  const stack = json('payments-prod-eu-west-1');
  const rule = (name: string) => findResource(stack, 'aws_cloudwatch_event_rule', (r) => r.name === name);

  it('matches only new, active ASFF findings of its own account and region at or above the threshold', () => {
    expect(JSON.parse(rule('acme-respond-asff-findings').event_pattern)).toEqual({
      source: ['aws.securityhub'],
      'detail-type': ['Security Hub Findings - Imported'],
      detail: {
        findings: {
          AwsAccountId: ['333333333333'],
          Region: ['eu-west-1'],
          RecordState: ['ACTIVE'],
          Workflow: { Status: ['NEW'] },
          Severity: { Label: ['MEDIUM', 'HIGH', 'CRITICAL'] },
        },
      },
    });
  });

  it('takes one feed: the default ASFF rule only, no OCSF rule (the same finding would arrive twice)', () => {
    const rules = Object.values(resourcesOf(stack, 'aws_cloudwatch_event_rule')).map((r: any) => r.name);
    expect(rules).toContain('acme-respond-asff-findings');
    expect(rules).not.toContain('acme-respond-ocsf-findings');
  });

  it('with findingsFeed "ocsf", matches only new OCSF findings (Security Hub V2) of its own account and region, and no ASFF rule', () => {
    const config = exampleConfig();
    config.accounts.find((a) => a.name === 'payments-prod')!.findingsFeed = 'ocsf';
    delete config.accounts.find((a) => a.name === 'payments-prod')!.criticalResourceTags;
    const ocsfStack = synthJson(buildTestFleet(config).stacks.get('payments-prod-eu-west-1')!);
    const names = Object.values(resourcesOf(ocsfStack, 'aws_cloudwatch_event_rule')).map((r: any) => r.name);
    expect(names).not.toContain('acme-respond-asff-findings');
    const ocsf = findResource(ocsfStack, 'aws_cloudwatch_event_rule', (r) => r.name === 'acme-respond-ocsf-findings');
    const pattern = JSON.parse(ocsf.event_pattern);
    expect(pattern['detail-type']).toEqual(['Findings Imported V2']);
    expect(pattern.detail.findings.cloud).toEqual({ account: { uid: ['333333333333'] }, region: ['eu-west-1'] });
    expect(pattern.detail.findings.status).toEqual(['New']);
    const fn = findResource(ocsfStack, 'aws_lambda_function', (f) => f.function_name === 'acme-respond');
    expect(JSON.parse(fn.environment.variables.RESPONDER_SETTINGS).findingsFeed).toBe('ocsf');
  });

  it('raises the threshold where the account asks for it', () => {
    const web = json('web-staging-us-east-1');
    const asff = findResource(web, 'aws_cloudwatch_event_rule', (r) => r.name === 'acme-respond-asff-findings');
    expect(JSON.parse(asff.event_pattern).detail.findings.Severity.Label).toEqual(['HIGH', 'CRITICAL']);
  });

  it('runs respond on nodejs22.x arm64 without reserved concurrency (the default), a dead-letter queue and its settings', () => {
    const fn = findResource(stack, 'aws_lambda_function', (f) => f.function_name === 'acme-respond');
    expect(fn).toMatchObject({ runtime: 'nodejs22.x', architectures: ['arm64'], handler: 'index.handler' });
    expect(fn.reserved_concurrent_executions).toBeUndefined();
    expect(fn.dead_letter_config.target_arn).toMatch(/^\$\{aws_sqs_queue\./);
    expect(fn.filename).toMatch(/^assets\/.+\/respond\.zip$/);
    const settings = JSON.parse(fn.environment.variables.RESPONDER_SETTINGS);
    expect(settings).toMatchObject({
      accountId: '333333333333',
      region: 'eu-west-1',
      mode: 'enforce',
      alertTopicArn: 'arn:aws:sns:us-east-1:222222222222:acme-security-alerts',
    });
  });

  it('lets only its own rules invoke it', () => {
    const permissions = Object.values<any>(resourcesOf(stack, 'aws_lambda_permission'));
    expect(permissions.map((p) => p.source_arn).sort()).toEqual(['arn:aws:events:eu-west-1:333333333333:rule/acme-respond-asff-findings']);
    for (const p of permissions) expect(p.principal).toBe('events.amazonaws.com');
  });

  it('gives respond a role only Lambda in this account can assume', () => {
    const role = findResource(stack, 'aws_iam_role', (r) => r.name === 'acme-respond-eu-west-1');
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '333333333333' } },
      },
    ]);
  });

  it('grants remediation writes only for enforced actions, scoped to this account and region', () => {
    const policy = JSON.parse(findResource(stack, 'aws_iam_role_policy', (p) => p.name === 'acme-respond-permissions').policy);
    const revoke = policy.Statement.find((s: any) => s.Sid === 'RevokePublicIngress');
    expect(revoke.Resource).toBe('arn:aws:ec2:eu-west-1:333333333333:security-group/*');
    // The only boundary the role can set is the deny-all one; nothing can be attached or a boundary removed.
    const boundary = policy.Statement.find((s: any) => s.Sid === 'SetQuarantineBoundary');
    expect(boundary).toEqual({
      Sid: 'SetQuarantineBoundary',
      Effect: 'Allow',
      Action: 'iam:PutUserPermissionsBoundary',
      Resource: 'arn:aws:iam::333333333333:user/*',
      Condition: { StringEquals: { 'iam:PermissionsBoundary': 'arn:aws:iam::333333333333:policy/acme-quarantine-deny-all' } },
    });
    const actions = policy.Statement.flatMap((s: any) => [s.Action].flat());
    expect(actions).not.toContain('iam:AttachUserPolicy');
    expect(actions).not.toContain('iam:DeleteUserPermissionsBoundary');
    expect(actions).toEqual(expect.arrayContaining(['iam:GetUser', 'iam:ListAccessKeys', 'iam:UpdateAccessKey', 'iam:TagUser']));

    const observeOnly = JSON.parse(findResource(json('web-staging-us-east-1'), 'aws_iam_role_policy', (p) => p.name === 'acme-respond-permissions').policy);
    const sids = observeOnly.Statement.map((s: any) => s.Sid);
    expect(sids).toContain('ReadSecurityGroups');
    expect(sids).not.toContain('RevokePublicIngress');
    expect(sids).not.toContain('ReadInstances'); // ISOLATE_EC2_INSTANCE is off by default
  });

  it('lets respond read findings of its own hub only (npm run sweep names findings; respond reads them itself)', () => {
    const policy = JSON.parse(findResource(stack, 'aws_iam_role_policy', (p) => p.name === 'acme-respond-permissions').policy);
    const reads = policy.Statement.filter((s: any) => [s.Action].flat().includes('securityhub:GetFindings'));
    expect(reads).toEqual([
      { Sid: 'ReadSweptFindings', Effect: 'Allow', Action: 'securityhub:GetFindings', Resource: 'arn:aws:securityhub:eu-west-1:333333333333:hub/default' },
    ]);
  });
});

describe("each account's primary stack", () => {
  it('holds the deny-all quarantine policy and the us-east-1 CreateUser detection', () => {
    const stack = json('payments-prod-us-east-1');
    const policy = findResource(stack, 'aws_iam_policy', (p) => p.name === 'acme-quarantine-deny-all');
    expect(JSON.parse(policy.policy).Statement).toEqual([{ Sid: 'QuarantineDenyAll', Effect: 'Deny', Action: '*', Resource: '*' }]);
    const rule = findResource(stack, 'aws_cloudwatch_event_rule', (r) => r.name === 'acme-quarantine-new-iam-users');
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ['aws.iam'],
      'detail-type': ['AWS API Call via CloudTrail'],
      account: ['333333333333'],
      region: ['us-east-1'],
      // Failed calls (AccessDenied, EntityAlreadyExists) carry errorCode and created no user.
      detail: { eventSource: ['iam.amazonaws.com'], eventName: ['CreateUser'], errorCode: [{ exists: false }] },
    });
  });

  it('deploys quarantine-user to us-east-1 through an aliased provider when the account does not start there', () => {
    const stack = json('data-lake-prod-eu-west-1');
    const aliased = stack.provider.aws.find((p: any) => p.alias === 'us-east-1');
    expect(aliased.region).toBe('us-east-1');
    const fn = findResource(stack, 'aws_lambda_function', (f) => f.function_name === 'acme-quarantine-user');
    expect(fn.provider).toBe('aws.us-east-1');
    const rule = findResource(stack, 'aws_cloudwatch_event_rule', (r) => r.name === 'acme-quarantine-new-iam-users');
    expect(rule.provider).toBe('aws.us-east-1');
  });

  it('is the only stack of the account with IAM pieces', () => {
    for (const name of ['payments-prod-eu-west-1', 'payments-prod-eu-central-1']) {
      expect(resourcesOf(json(name), 'aws_iam_policy')).toEqual({});
    }
  });
});

describe('management account, home region', () => {
  it('delegates Security Hub and GuardDuty administration to the security account', () => {
    const stack = json('management-us-east-1');
    expect(Object.values(resourcesOf(stack, 'aws_securityhub_organization_admin_account'))).toEqual([{ admin_account_id: '222222222222' }]);
    // GuardDuty delegation is regional: every region of the organization, from this stack (aliased providers).
    expect(Object.values(resourcesOf(stack, 'aws_guardduty_organization_admin_account'))).toEqual([
      { admin_account_id: '222222222222', provider: 'aws.eu-central-1' },
      { admin_account_id: '222222222222', provider: 'aws.eu-west-1' },
      { admin_account_id: '222222222222' },
    ]);
    expect(resourcesOf(json('management-eu-west-1'), 'aws_securityhub_organization_admin_account')).toEqual({});
  });
});

describe('security account, home region', () => {
  const stack = json('security-us-east-1');
  const intakePolicy = () => findResource(stack, 'aws_sns_topic_policy', (p) => p.arn.includes('alert-topic'));

  it('aggregates every other configured region into the home region', () => {
    const [aggregator] = Object.values<any>(resourcesOf(stack, 'aws_securityhub_finding_aggregator'));
    expect(aggregator).toMatchObject({ linking_mode: 'SPECIFIED_REGIONS', specified_regions: ['eu-central-1', 'eu-west-1'] });
  });

  it('configures the organization centrally with the configured standards and disabled controls', () => {
    const [orgConfig] = Object.values<any>(resourcesOf(stack, 'aws_securityhub_organization_configuration'));
    expect(orgConfig.organization_configuration.configuration_type).toBe('CENTRAL');
    const [policy] = Object.values<any>(resourcesOf(stack, 'aws_securityhub_configuration_policy'));
    expect(policy.configuration_policy.enabled_standard_arns).toEqual([
      'arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0',
      'arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/1.4.0',
    ]);
    expect(policy.configuration_policy.security_controls_configuration.disabled_control_identifiers).toEqual(['IAM.6']);
    const [association] = Object.values<any>(resourcesOf(stack, 'aws_securityhub_configuration_policy_association'));
    expect(association.target_id).toBe('r-ab12');
  });

  it('encrypts the alert topic with its own rotating key and admits only the organization’s alerting functions', () => {
    // respond and quarantine-user of every account; escalate and investigate of the security account only.
    const ALERTING_ROLES = [
      'arn:aws:iam::*:role/acme-respond-*',
      'arn:aws:iam::*:role/acme-quarantine-user',
      'arn:aws:iam::222222222222:role/acme-escalate',
      'arn:aws:iam::222222222222:role/acme-investigate',
    ];
    const topic = findResource(stack, 'aws_sns_topic', (t) => t.name === 'acme-security-alerts');
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
    const [key] = Object.values<any>(resourcesOf(stack, 'aws_kms_key'));
    expect(key.enable_key_rotation).toBe(true);
    const topicPolicy = intakePolicy();
    expect(JSON.parse(topicPolicy.policy).Statement).toEqual([
      {
        Sid: 'OrganizationRespondersPublish',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'sns:Publish',
        Resource: 'arn:aws:sns:us-east-1:222222222222:acme-security-alerts',
        Condition: {
          StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
          ArnLike: {
            'aws:PrincipalArn': ALERTING_ROLES,
          },
        },
      },
    ]);
    const keyStatements = JSON.parse(key.policy).Statement;
    expect(keyStatements.find((s: any) => s.Sid === 'OrganizationRespondersEncryptAlerts').Condition).toEqual({
      StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5', 'kms:ViaService': 'sns.us-east-1.amazonaws.com' },
      ArnLike: {
        'aws:PrincipalArn': ALERTING_ROLES,
      },
    });
  });

  it('lets only the alarm relay rule publish to the e-mail topic, and no other rule', () => {
    const policy = findResource(stack, 'aws_sns_topic_policy', (p) => p.arn.includes('email-topic'));
    expect(JSON.parse(policy.policy).Statement).toEqual([
      {
        Sid: 'OwnRulesPublish',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: 'arn:aws:sns:us-east-1:222222222222:acme-security-alerts-email',
        Condition: { ArnEquals: { 'aws:SourceArn': ['arn:aws:events:us-east-1:222222222222:rule/acme-security-response-alarms/acme-alarms-to-alert-topic'] } },
      },
    ]);
  });

  it('admits every alerting role the fleet deploys by pattern, and no alarm forwarder, router or chat role, naming no member account', () => {
    const topicPolicy = intakePolicy();
    const patterns: string[] = JSON.parse(topicPolicy.policy).Statement[0].Condition.ArnLike['aws:PrincipalArn'];
    const admitted = (arn: string) => patterns.some((p) => glob(p).test(arn));
    const roles = fleet.stacks.flatMap((plan) =>
      Object.values<any>(resourcesOf(json(plan.name), 'aws_iam_role')).map((role) => `arn:aws:iam::${plan.account.id}:role/${role.name}`),
    );
    const notAlerting = roles.filter((r) => r.includes(':role/acme-alarms-') || r.endsWith(':role/acme-route') || r.endsWith(':role/acme-chatbot-channel'));
    const responders = roles.filter((r) => !notAlerting.includes(r));
    expect(responders.length).toBeGreaterThan(fleet.stacks.length);
    expect(notAlerting.length).toBeGreaterThan(fleet.stacks.length);
    expect(notAlerting).toEqual(expect.arrayContaining(['arn:aws:iam::222222222222:role/acme-route']));
    for (const role of responders) expect([role, admitted(role)]).toEqual([role, true]);
    for (const role of notAlerting) expect([role, admitted(role)]).toEqual([role, false]);
    expect(admitted('arn:aws:iam::333333333333:role/acme-admin')).toBe(false);
    // escalate and investigate run in the security account only: a member's role of that name is not admitted.
    expect(admitted('arn:aws:iam::333333333333:role/acme-escalate')).toBe(false);
    expect(admitted('arn:aws:iam::333333333333:role/acme-investigate')).toBe(false);
    const [key] = Object.values<any>(resourcesOf(stack, 'aws_kms_key'));
    const accountIds = new Set(`${topicPolicy.policy}${key.policy}`.match(/\d{12}/g));
    expect([...accountIds]).toEqual(['222222222222']);
  });

  it('routes team e-mail with a filter policy on team and severity, on the e-mail topic the router delivers to', () => {
    const subscription = findResource(stack, 'aws_sns_topic_subscription', (s) => s.endpoint === 'payments-oncall@example.com');
    expect(JSON.parse(subscription.filter_policy)).toEqual({ team: ['payments'], severity: ['HIGH', 'CRITICAL'] });
    expect(subscription.topic_arn).toMatch(/^\$\{aws_sns_topic\.alert-routing_email-topic_/);
    const secops = findResource(stack, 'aws_sns_topic_subscription', (s) => s.endpoint === 'secops@example.com');
    expect(secops.filter_policy).toBeUndefined();
  });

  it('creates the "Escalate to SecOps" custom action and the rule to the escalate function', () => {
    const [action] = Object.values<any>(resourcesOf(stack, 'aws_securityhub_action_target'));
    expect(action.name.length).toBeLessThanOrEqual(20);
    expect(action.identifier).toMatch(/^[A-Za-z0-9]{1,20}$/);
    const rule = findResource(stack, 'aws_cloudwatch_event_rule', (r) => r.name === 'acme-escalate-to-secops');
    expect(JSON.parse(rule.event_pattern).resources).toEqual(['arn:aws:securityhub:us-east-1:222222222222:action/custom/EscalateToSecOps']);
  });

  it('creates the two insights: critical incidents by product, unresolved (NEW) findings by severity', () => {
    const insights = Object.values<any>(resourcesOf(stack, 'aws_securityhub_insight'));
    expect(insights.map((i) => i.name).sort()).toEqual(['Critical security incidents', 'Unresolved security findings']);
    const critical = insights.find((i) => i.name === 'Critical security incidents');
    expect(critical.group_by_attribute).toBe('ProductName');
    expect(critical.filters.severity_label).toEqual([{ comparison: 'EQUALS', value: 'CRITICAL' }]);
    const unresolved = insights.find((i) => i.name === 'Unresolved security findings');
    expect(unresolved.group_by_attribute).toBe('SeverityLabel');
    expect(unresolved.filters.workflow_status).toEqual([{ comparison: 'EQUALS', value: 'NEW' }]);
  });

  it('raises critical resources to CRITICAL and suppresses accepted risks in each of its regions', () => {
    for (const name of ['security-us-east-1', 'security-eu-west-1']) {
      const rules = Object.values<any>(resourcesOf(json(name), 'aws_securityhub_automation_rule'));
      const raise = rules.find((r) => r.rule_name === 'acme-critical-resources-payments-prod');
      expect(raise.actions[0].finding_fields_update[0].severity[0].label).toBe('CRITICAL');
      expect(raise.criteria[0].resource_tags).toEqual([{ comparison: 'EQUALS', key: 'app', value: 'payments' }]);
      const suppress = rules.find((r) => r.rule_name.startsWith('acme-accepted-risk-1'));
      expect(suppress.actions[0].finding_fields_update[0].workflow[0].status).toBe('SUPPRESSED');
    }
    expect(resourcesOf(json('payments-prod-us-east-1'), 'aws_securityhub_automation_rule')).toEqual({});
  });
});

describe('the roles grant every AWS write the functions make', () => {
  /** IAM action of a recorded SDK call where the two names differ. */
  const IAM_ACTION: Record<string, string> = {
    's3:PutPublicAccessBlock': 's3:PutBucketPublicAccessBlock',
    's3control:PutPublicAccessBlock': 's3:PutAccountPublicAccessBlock',
  };
  const granted = (stack: string, policyName: string): string[] => {
    const policy = findResource(json(stack), 'aws_iam_role_policy', (p) => p.name === policyName);
    return JSON.parse(policy.policy)
      .Statement.filter((st: any) => st.Effect === 'Allow')
      .flatMap((st: any) => [st.Action].flat());
  };
  const dir = join(ROOT, 'examples', 'events');
  const examples = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();

  it.each(examples)('%s: every call the simulator plans is granted to the role that runs it', async (file) => {
    const simulation = await simulate(JSON.parse(readFileSync(join(dir, file), 'utf8')), fleet);
    for (const decision of simulation.decisions) {
      const account = fleet.accounts.find((a) => a.id === decision.accountId)!;
      const [stack, policy] =
        simulation.kind === 'iam-create-user'
          ? [`${account.name}-${account.primaryRegion}`, 'acme-quarantine-user-permissions']
          : simulation.kind === 'securityhub-custom-action'
            ? [fleet.stacks.find((s) => s.role === 'security-home')!.name, 'acme-escalate-permissions']
            : [`${account.name}-${decision.region}`, 'acme-respond-permissions'];
      const actions = granted(stack, policy);
      for (const call of decision.calls) {
        const action = IAM_ACTION[`${call.service}:${call.operation}`] ?? `${call.service}:${call.operation}`;
        expect({ stack, action, granted: actions.some((a) => glob(a).test(action)) }).toEqual({ stack, action, granted: true });
      }
    }
    expect(simulation.kind).not.toBe('unsupported');
  });

  it.each(examples)('%s: every alert carries the message attributes the team subscriptions filter on', async (file) => {
    const simulation = await simulate(JSON.parse(readFileSync(join(dir, file), 'utf8')), fleet);
    const subscriptions = Object.values<any>(resourcesOf(json('security-us-east-1'), 'aws_sns_topic_subscription'));
    const filters = subscriptions.filter((s) => s.filter_policy).map((s) => ({ scope: s.filter_policy_scope, policy: JSON.parse(s.filter_policy) }));
    expect(filters.length).toBe(Object.keys(fleet.config.notifications.teams).length);
    for (const decision of simulation.decisions.filter((d) => d.notification)) {
      const attributes = decision.notification!.attributes;
      for (const { scope, policy } of filters) {
        expect(scope).toBe('MessageAttributes');
        for (const key of Object.keys(policy)) expect([key, typeof attributes[key]]).toEqual([key, 'string']);
      }
      const owner = fleet.accounts.find((a) => a.id === decision.accountId)?.owner;
      if (simulation.kind !== 'securityhub-custom-action') expect(attributes.team).toBe(owner ?? 'security');
      expect(SEVERITIES).toContain(attributes.severity);
    }
  });
});
