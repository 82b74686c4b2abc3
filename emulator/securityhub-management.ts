import { randomUUID } from 'node:crypto';
import { accountOfAccessKey, assumeRole } from './organization';
import { validateShape, type Operation, type ServiceModel } from './aws-model';
import { StandInError, type OperationHandler } from './securityhub-standin';

/**
 * Stateful answers for the Security Hub management operations moto 5.2.1 lacks (see
 * UNSUPPORTED_BY_MOTO in moto-gaps.ts). Objects are kept per account and region, the account
 * being the one moto attributes the caller's access key to, so a stack that assumed the wrong
 * role sees an empty world, as it would at AWS. Outputs follow the service model's output
 * shapes (the tests validate them); timestamps are ISO 8601 strings, the model's format.
 */

interface Scope {
  readonly actionTargets: Map<string, { ActionTargetArn: string; Name: string; Description: string }>;
  readonly automationRules: Map<string, Record<string, unknown>>;
  readonly insights: Map<string, { InsightArn: string; Name: string; Filters: unknown; GroupByAttribute: string }>;
  readonly configurationPolicies: Map<string, Record<string, any>>;
  /** By target id (root, OU or account). */
  readonly associations: Map<string, Record<string, unknown>>;
  /** Delegated administrators this (management) account designated in this region. */
  readonly adminAccounts: Set<string>;
}

interface Aggregator {
  FindingAggregatorArn: string;
  FindingAggregationRegion: string;
  RegionLinkingMode: string;
  Regions?: string[];
}

/** One object the stand-in still holds. */
export interface HeldObject {
  readonly account: string;
  readonly region: string;
  readonly kind: string;
  readonly id: string;
}

export interface SecurityHubManagement {
  /** Register with `standIn.handle(...)`. */
  readonly handlers: Record<string, OperationHandler>;
  /** Everything still stored (empty after every stack is destroyed). */
  held(): HeldObject[];
}

const now = () => new Date().toISOString();

/**
 * Sends one rest-json request to moto as the caller (moto reads the account from the access key
 * in the Authorization header) and returns its JSON answer; moto's errors become the same error.
 */
export async function forwardToMoto(
  motoUrl: string,
  service: string,
  context: { accessKeyId?: string; region?: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<any> {
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const response = await fetch(`${motoUrl}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      authorization: `AWS4-HMAC-SHA256 Credential=${context.accessKeyId}/${date}/${context.region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as Record<string, any>) : {};
  if (!response.ok) {
    const code = parsed.__type ?? response.headers.get('x-amzn-errortype') ?? 'InternalException';
    throw new StandInError(String(code).split(':')[0], parsed.message ?? parsed.Message ?? `moto answered ${response.status}`, response.status);
  }
  return parsed;
}
const notFound = (what: string) => new StandInError('ResourceNotFoundException', `${what} not found`, 404);

/** The handlers, backed by moto for account lookup (and for the admin account it implements). */
export function securityHubManagement(motoUrl: string, adminRoleName = 'OrganizationAccountAccessRole'): SecurityHubManagement {
  const scopes = new Map<string, Scope>();
  /** Finding aggregators are one per account (in its aggregation region). */
  const aggregators = new Map<string, Aggregator>();
  const tags = new Map<string, Record<string, string>>();
  /** UpdateSecurityHubConfiguration settings per account/region, over moto's fixed ones. */
  const hubSettings = new Map<string, Record<string, unknown>>();
  const accounts = new Map<string, Promise<string>>();

  async function caller(context: { accessKeyId?: string; region?: string }): Promise<{ account: string; region: string; scope: Scope }> {
    if (!context.accessKeyId || !context.region) throw new StandInError('UnrecognizedClientException', 'the request is not signed', 403);
    let account = accounts.get(context.accessKeyId);
    if (!account) {
      account = accountOfAccessKey(motoUrl, context.accessKeyId);
      accounts.set(context.accessKeyId, account);
    }
    const id = await account;
    const key = `${id}/${context.region}`;
    let scope = scopes.get(key);
    if (!scope) {
      scope = {
        actionTargets: new Map(),
        automationRules: new Map(),
        insights: new Map(),
        configurationPolicies: new Map(),
        associations: new Map(),
        adminAccounts: new Set(),
      };
      scopes.set(key, scope);
    }
    return { account: id, region: context.region, scope };
  }

  const arn = (c: { account: string; region: string }, resource: string) => `arn:aws:securityhub:${c.region}:${c.account}:${resource}`;

  function policyById(scope: Scope, identifier: string): Record<string, any> {
    const policy = [...scope.configurationPolicies.values()].find((p) => p.Id === identifier || p.Arn === identifier);
    if (!policy) throw notFound(`configuration policy ${identifier}`);
    return policy;
  }

  function target(input: Record<string, any>): { TargetId: string; TargetType: string } {
    const t = input.Target ?? {};
    if (t.RootId) return { TargetId: t.RootId, TargetType: 'ROOT' };
    if (t.OrganizationalUnitId) return { TargetId: t.OrganizationalUnitId, TargetType: 'ORGANIZATIONAL_UNIT' };
    if (t.AccountId) return { TargetId: t.AccountId, TargetType: 'ACCOUNT' };
    throw new StandInError('InvalidInputException', 'Target names no root, organizational unit or account');
  }

  const handlers: Record<string, OperationHandler> = {
    // Delegated administrator: moto implements the enable (and checks the account is in the
    // organization, and that the caller is its management account) but neither lists nor
    // disables, so the enable goes to moto first and is recorded here when moto accepted it.
    EnableOrganizationAdminAccount: async (input, context) => {
      const c = await caller(context);
      const admin = String(input.AdminAccountId);
      await forwardToMoto(motoUrl, 'securityhub', context, 'POST', '/organization/admin/enable', { AdminAccountId: admin });
      // AWS enables Security Hub in the delegated administrator (in this region) when it is
      // designated; moto does not, so the security stack's import of its hub would find none.
      const adminCredentials = await assumeRole(motoUrl, `arn:aws:iam::${admin}:role/${adminRoleName}`, 'emulator-delegation');
      const adminContext = { accessKeyId: adminCredentials.accessKeyId, region: c.region };
      accounts.set(adminCredentials.accessKeyId, Promise.resolve(admin));
      await forwardToMoto(motoUrl, 'securityhub', adminContext, 'POST', '/accounts', { EnableDefaultStandards: false });
      c.scope.adminAccounts.add(admin);
      return { AdminAccountId: input.AdminAccountId, Feature: input.Feature ?? 'SecurityHub' };
    },
    // moto implements the organization configuration (and checks the caller is the delegated
    // administrator) but refuses an OrganizationConfiguration without Status, which AWS's
    // request never carries (AWS sets it: PENDING, then ENABLED). The request goes to moto with
    // the Status AWS would reach.
    UpdateOrganizationConfiguration: async (input, context) => {
      const body = input.OrganizationConfiguration ? { ...input, OrganizationConfiguration: { Status: 'ENABLED', ...input.OrganizationConfiguration } } : input;
      return forwardToMoto(motoUrl, 'securityhub', context, 'POST', '/organization/configuration', body);
    },
    ListOrganizationAdminAccounts: async (input, context) => {
      const c = await caller(context);
      return { AdminAccounts: [...c.scope.adminAccounts].map((AccountId) => ({ AccountId, Status: 'ENABLED' })), Feature: input.Feature ?? 'SecurityHub' };
    },
    DisableOrganizationAdminAccount: async (input, context) => {
      const c = await caller(context);
      if (!c.scope.adminAccounts.delete(String(input.AdminAccountId))) throw notFound(`delegated administrator ${String(input.AdminAccountId)}`);
      return {};
    },

    // moto's hub has fixed AutoEnableControls (true) and ControlFindingGenerator
    // (SECURITY_CONTROL) and no UpdateSecurityHubConfiguration; the provider sets both on every
    // aws_securityhub_account. The update is kept here (for an enabled hub only, as at AWS) and
    // laid over moto's DescribeHub.
    UpdateSecurityHubConfiguration: async (input, context) => {
      const c = await caller(context);
      await forwardToMoto(motoUrl, 'securityhub', context, 'GET', '/accounts');
      hubSettings.set(`${c.account}/${c.region}`, { ...(hubSettings.get(`${c.account}/${c.region}`) ?? {}), ...input });
      return {};
    },
    DescribeHub: async (input, context) => {
      const c = await caller(context);
      const query = input.HubArn ? `?HubArn=${encodeURIComponent(input.HubArn as string)}` : '';
      // moto also answers Tags, which DescribeHubResponse does not have (tags are ListTagsForResource's).
      const { Tags: _tags, ...hub } = await forwardToMoto(motoUrl, 'securityhub', context, 'GET', `/accounts${query}`);
      return { ...hub, ...(hubSettings.get(`${c.account}/${c.region}`) ?? {}) };
    },
    DisableSecurityHub: async (_input, context) => {
      const c = await caller(context);
      await forwardToMoto(motoUrl, 'securityhub', context, 'DELETE', '/accounts');
      hubSettings.delete(`${c.account}/${c.region}`);
      return {};
    },

    CreateActionTarget: async (input, context) => {
      const c = await caller(context);
      const ActionTargetArn = arn(c, `action/custom/${String(input.Id)}`);
      if (c.scope.actionTargets.has(ActionTargetArn))
        throw new StandInError('ResourceConflictException', `action target ${String(input.Id)} already exists`, 409);
      c.scope.actionTargets.set(ActionTargetArn, { ActionTargetArn, Name: String(input.Name), Description: String(input.Description) });
      return { ActionTargetArn };
    },
    DescribeActionTargets: async (input, context) => {
      const c = await caller(context);
      const wanted = input.ActionTargetArns as string[] | undefined;
      const ActionTargets = [...c.scope.actionTargets.values()].filter((t) => !wanted || wanted.includes(t.ActionTargetArn));
      return { ActionTargets };
    },
    UpdateActionTarget: async (input, context) => {
      const c = await caller(context);
      const existing = c.scope.actionTargets.get(String(input.ActionTargetArn));
      if (!existing) throw notFound(`action target ${String(input.ActionTargetArn)}`);
      if (input.Name !== undefined) existing.Name = input.Name as string;
      if (input.Description !== undefined) existing.Description = input.Description as string;
      return {};
    },
    DeleteActionTarget: async (input, context) => {
      const c = await caller(context);
      if (!c.scope.actionTargets.delete(String(input.ActionTargetArn))) throw notFound(`action target ${String(input.ActionTargetArn)}`);
      return { ActionTargetArn: input.ActionTargetArn };
    },

    CreateAutomationRule: async (input, context) => {
      const c = await caller(context);
      const RuleArn = arn(c, `automation-rule/${randomUUID()}`);
      const { Tags, ...rule } = input;
      c.scope.automationRules.set(RuleArn, {
        RuleArn,
        RuleStatus: 'ENABLED',
        IsTerminal: false,
        ...rule,
        CreatedAt: now(),
        UpdatedAt: now(),
        CreatedBy: `arn:aws:sts::${c.account}:assumed-role/emulator`,
      });
      if (Tags) tags.set(RuleArn, { ...(Tags as Record<string, string>) });
      return { RuleArn };
    },
    BatchGetAutomationRules: async (input, context) => {
      const c = await caller(context);
      const arns = input.AutomationRulesArns as string[];
      return {
        Rules: arns.filter((a) => c.scope.automationRules.has(a)).map((a) => c.scope.automationRules.get(a)),
        UnprocessedAutomationRules: arns
          .filter((a) => !c.scope.automationRules.has(a))
          .map((RuleArn) => ({ RuleArn, ErrorCode: 404, ErrorMessage: 'automation rule not found' })),
      };
    },
    ListAutomationRules: async (_input, context) => {
      const c = await caller(context);
      return {
        AutomationRulesMetadata: [...c.scope.automationRules.values()].map(({ Criteria: _criteria, Actions: _actions, ...metadata }) => metadata),
      };
    },
    BatchUpdateAutomationRules: async (input, context) => {
      const c = await caller(context);
      const processed: string[] = [];
      const unprocessed: unknown[] = [];
      for (const item of input.UpdateAutomationRulesRequestItems as Array<Record<string, unknown>>) {
        const existing = c.scope.automationRules.get(String(item.RuleArn));
        if (!existing) {
          unprocessed.push({ RuleArn: item.RuleArn, ErrorCode: 404, ErrorMessage: 'automation rule not found' });
          continue;
        }
        Object.assign(existing, item, { UpdatedAt: now() });
        processed.push(String(item.RuleArn));
      }
      return { ProcessedAutomationRules: processed, UnprocessedAutomationRules: unprocessed };
    },
    BatchDeleteAutomationRules: async (input, context) => {
      const c = await caller(context);
      const processed: string[] = [];
      const unprocessed: unknown[] = [];
      for (const ruleArn of input.AutomationRulesArns as string[]) {
        if (c.scope.automationRules.delete(ruleArn)) {
          tags.delete(ruleArn);
          processed.push(ruleArn);
        } else unprocessed.push({ RuleArn: ruleArn, ErrorCode: 404, ErrorMessage: 'automation rule not found' });
      }
      return { ProcessedAutomationRules: processed, UnprocessedAutomationRules: unprocessed };
    },

    CreateFindingAggregator: async (input, context) => {
      const c = await caller(context);
      if (aggregators.has(c.account)) throw new StandInError('InvalidInputException', `account ${c.account} already has a finding aggregator`);
      const aggregator: Aggregator = {
        FindingAggregatorArn: arn(c, `finding-aggregator/${randomUUID()}`),
        FindingAggregationRegion: c.region,
        RegionLinkingMode: String(input.RegionLinkingMode),
        ...(input.Regions ? { Regions: [...(input.Regions as string[])] } : {}),
      };
      aggregators.set(c.account, aggregator);
      return aggregator;
    },
    GetFindingAggregator: async (input, context) => {
      const c = await caller(context);
      const aggregator = aggregators.get(c.account);
      if (!aggregator || aggregator.FindingAggregatorArn !== input.FindingAggregatorArn)
        throw notFound(`finding aggregator ${String(input.FindingAggregatorArn)}`);
      return aggregator;
    },
    ListFindingAggregators: async (_input, context) => {
      const c = await caller(context);
      const aggregator = aggregators.get(c.account);
      return { FindingAggregators: aggregator ? [{ FindingAggregatorArn: aggregator.FindingAggregatorArn }] : [] };
    },
    UpdateFindingAggregator: async (input, context) => {
      const c = await caller(context);
      const aggregator = aggregators.get(c.account);
      if (!aggregator || aggregator.FindingAggregatorArn !== input.FindingAggregatorArn)
        throw notFound(`finding aggregator ${String(input.FindingAggregatorArn)}`);
      aggregator.RegionLinkingMode = String(input.RegionLinkingMode);
      if (input.Regions) aggregator.Regions = [...(input.Regions as string[])];
      else delete aggregator.Regions;
      return aggregator;
    },
    DeleteFindingAggregator: async (input, context) => {
      const c = await caller(context);
      const aggregator = aggregators.get(c.account);
      if (!aggregator || aggregator.FindingAggregatorArn !== input.FindingAggregatorArn)
        throw notFound(`finding aggregator ${String(input.FindingAggregatorArn)}`);
      aggregators.delete(c.account);
      return {};
    },

    CreateInsight: async (input, context) => {
      const c = await caller(context);
      const InsightArn = arn(c, `insight/${c.account}/custom/${randomUUID()}`);
      c.scope.insights.set(InsightArn, { InsightArn, Name: String(input.Name), Filters: input.Filters, GroupByAttribute: String(input.GroupByAttribute) });
      return { InsightArn };
    },
    GetInsights: async (input, context) => {
      const c = await caller(context);
      const wanted = input.InsightArns as string[] | undefined;
      const missing = (wanted ?? []).filter((a) => !c.scope.insights.has(a));
      if (missing.length > 0) throw notFound(`insight ${missing.join(', ')}`);
      return { Insights: [...c.scope.insights.values()].filter((i) => !wanted || wanted.includes(i.InsightArn)) };
    },
    UpdateInsight: async (input, context) => {
      const c = await caller(context);
      const insight = c.scope.insights.get(String(input.InsightArn));
      if (!insight) throw notFound(`insight ${String(input.InsightArn)}`);
      if (input.Name !== undefined) insight.Name = input.Name as string;
      if (input.Filters !== undefined) insight.Filters = input.Filters;
      if (input.GroupByAttribute !== undefined) insight.GroupByAttribute = input.GroupByAttribute as string;
      return {};
    },
    DeleteInsight: async (input, context) => {
      const c = await caller(context);
      if (!c.scope.insights.delete(String(input.InsightArn))) throw notFound(`insight ${String(input.InsightArn)}`);
      return { InsightArn: input.InsightArn };
    },

    CreateConfigurationPolicy: async (input, context) => {
      const c = await caller(context);
      if ([...c.scope.configurationPolicies.values()].some((p) => p.Name === input.Name)) {
        throw new StandInError('ResourceConflictException', `configuration policy ${String(input.Name)} already exists`, 409);
      }
      const Id = randomUUID();
      const policy = {
        Arn: arn(c, `configuration-policy/${Id}`),
        Id,
        Name: input.Name,
        ...(input.Description !== undefined ? { Description: input.Description } : {}),
        ConfigurationPolicy: input.ConfigurationPolicy,
        CreatedAt: now(),
        UpdatedAt: now(),
      };
      c.scope.configurationPolicies.set(Id, policy);
      if (input.Tags) tags.set(policy.Arn, { ...(input.Tags as Record<string, string>) });
      return policy;
    },
    GetConfigurationPolicy: async (input, context) => policyById((await caller(context)).scope, String(input.Identifier)),
    ListConfigurationPolicies: async (_input, context) => {
      const c = await caller(context);
      return {
        ConfigurationPolicySummaries: [...c.scope.configurationPolicies.values()].map((p) => ({
          Arn: p.Arn,
          Id: p.Id,
          Name: p.Name,
          ...(p.Description !== undefined ? { Description: p.Description } : {}),
          UpdatedAt: p.UpdatedAt,
          ServiceEnabled: p.ConfigurationPolicy?.SecurityHub?.ServiceEnabled ?? false,
        })),
      };
    },
    UpdateConfigurationPolicy: async (input, context) => {
      const c = await caller(context);
      const policy = policyById(c.scope, String(input.Identifier));
      for (const key of ['Name', 'Description', 'ConfigurationPolicy'] as const) if (input[key] !== undefined) policy[key] = input[key];
      policy.UpdatedAt = now();
      return policy;
    },
    DeleteConfigurationPolicy: async (input, context) => {
      const c = await caller(context);
      const policy = policyById(c.scope, String(input.Identifier));
      // AWS refuses to delete a policy that is still associated with a target.
      const associated = [...c.scope.associations.values()].filter((a) => a.ConfigurationPolicyId === policy.Id);
      if (associated.length > 0)
        throw new StandInError(
          'ResourceConflictException',
          `configuration policy ${policy.Id} is associated with ${associated.map((a) => a.TargetId).join(', ')}`,
          409,
        );
      c.scope.configurationPolicies.delete(policy.Id);
      tags.delete(policy.Arn);
      return {};
    },

    StartConfigurationPolicyAssociation: async (input, context) => {
      const c = await caller(context);
      const policy = policyById(c.scope, String(input.ConfigurationPolicyIdentifier));
      const association = { ConfigurationPolicyId: policy.Id, ...target(input), AssociationType: 'APPLIED', UpdatedAt: now(), AssociationStatus: 'SUCCESS' };
      c.scope.associations.set(association.TargetId, association);
      return association;
    },
    GetConfigurationPolicyAssociation: async (input, context) => {
      const c = await caller(context);
      const association = c.scope.associations.get(target(input).TargetId);
      if (!association) throw notFound(`configuration policy association of ${target(input).TargetId}`);
      return association;
    },
    ListConfigurationPolicyAssociations: async (input, context) => {
      const c = await caller(context);
      const filters = (input.Filters ?? {}) as Record<string, unknown>;
      return {
        ConfigurationPolicyAssociationSummaries: [...c.scope.associations.values()].filter((a) => Object.entries(filters).every(([k, v]) => a[k] === v)),
      };
    },
    StartConfigurationPolicyDisassociation: async (input, context) => {
      const c = await caller(context);
      const { TargetId } = target(input);
      const association = c.scope.associations.get(TargetId);
      const policy = policyById(c.scope, String(input.ConfigurationPolicyIdentifier));
      if (!association || association.ConfigurationPolicyId !== policy.Id) throw notFound(`association of ${policy.Id} with ${TargetId}`);
      c.scope.associations.delete(TargetId);
      return {};
    },

    // moto has no tag routes at all: tags of the objects above are kept here.
    ListTagsForResource: (input) => {
      const resourceArn = String(input.ResourceArn);
      if (!tags.has(resourceArn) && !knownArn(resourceArn)) throw notFound(`resource ${resourceArn}`);
      return { Tags: { ...(tags.get(resourceArn) ?? {}) } };
    },
    TagResource: (input) => {
      const resourceArn = String(input.ResourceArn);
      if (!knownArn(resourceArn)) throw notFound(`resource ${resourceArn}`);
      tags.set(resourceArn, { ...(tags.get(resourceArn) ?? {}), ...(input.Tags as Record<string, string>) });
      return {};
    },
    UntagResource: (input) => {
      const resourceArn = String(input.ResourceArn);
      if (!knownArn(resourceArn)) throw notFound(`resource ${resourceArn}`);
      const kept = new Map(Object.entries(tags.get(resourceArn) ?? {}));
      for (const key of input.TagKeys as string[]) kept.delete(key);
      tags.set(resourceArn, Object.fromEntries(kept));
      return {};
    },
  };

  function knownArn(resourceArn: string): boolean {
    for (const scope of scopes.values()) {
      if (scope.automationRules.has(resourceArn)) return true;
      if ([...scope.configurationPolicies.values()].some((p) => p.Arn === resourceArn)) return true;
    }
    return false;
  }

  return {
    handlers,
    held: () => {
      const objects: HeldObject[] = [];
      for (const [key, scope] of scopes) {
        const [account, region] = key.split('/');
        const add = (kind: string, ids: Iterable<string>) => {
          for (const id of ids) objects.push({ account, region, kind, id });
        };
        add('action target', scope.actionTargets.keys());
        add('automation rule', scope.automationRules.keys());
        add('insight', scope.insights.keys());
        add(
          'configuration policy',
          [...scope.configurationPolicies.values()].map((p) => p.Arn),
        );
        add('configuration policy association', scope.associations.keys());
        add('delegated administrator', scope.adminAccounts);
      }
      for (const [account, aggregator] of aggregators) {
        objects.push({ account, region: aggregator.FindingAggregationRegion, kind: 'finding aggregator', id: aggregator.FindingAggregatorArn });
      }
      return objects;
    },
  };
}

/**
 * The handlers, each answer checked against the operation's output shape and each unexpected
 * failure recorded: a problem goes to `problems` (the tests assert it stays empty), so a handler
 * bug cannot hide behind the SDK's retries of a 500.
 */
export function checkedHandlers(model: ServiceModel, handlers: Record<string, OperationHandler>, problems: string[]): Record<string, OperationHandler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      async (input: Record<string, unknown>, context: { accessKeyId?: string; region?: string }) => {
        const operation = model.operations[name] as Operation | undefined;
        if (!operation) throw new Error(`${name} is not a ${model.metadata.serviceId} operation`);
        try {
          const output = (await handler(input, context)) ?? {};
          if (operation.output) problems.push(...validateShape(model, operation.output.shape, output).map((p) => `${name} answer: ${p}`));
          return output;
        } catch (error) {
          if (!(error instanceof StandInError)) problems.push(`${name} handler failed: ${error instanceof Error ? error.stack : String(error)}`);
          throw error;
        }
      },
    ]),
  );
}
