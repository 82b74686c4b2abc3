import { buildTestFleet, findResource, synthJson } from '../helpers/fleet';
import { detectiveConfig, exampleConfig } from '../helpers/config';

const { fleet, stacks } = buildTestFleet();
const securityHome = synthJson(stacks.get('security-us-east-1')!);

describe('the alert key (confused deputy)', () => {
  it('lets EventBridge use the key for the e-mail topic (the alarm relay’s) only, without the source keys AWS does not support there', () => {
    const key = findResource(securityHome, 'aws_kms_key', (k) => k.description.includes('acme-security-alerts'));
    const statement = JSON.parse(key.policy).Statement.find((s: any) => s.Principal?.Service === 'events.amazonaws.com');
    // SNS docs: aws:SourceAccount / aws:SourceArn in a key policy are not supported for EventBridge-to-encrypted topics.
    expect(statement.Condition).toEqual({
      StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': ['arn:aws:sns:us-east-1:222222222222:acme-security-alerts-email'] },
    });
  });

  it('leaves which rules may publish to the topic policy, by aws:SourceArn', () => {
    const topicPolicy = findResource(securityHome, 'aws_sns_topic_policy', (p) => p.arn.includes('email-topic'));
    const statement = JSON.parse(topicPolicy.policy).Statement.find((s: any) => s.Principal?.Service === 'events.amazonaws.com');
    expect(statement.Condition).toEqual({
      ArnEquals: { 'aws:SourceArn': ['arn:aws:events:us-east-1:222222222222:rule/acme-security-response-alarms/acme-alarms-to-alert-topic'] },
    });
  });
});

const securityRegions = fleet.accounts.find((a) => a.name === 'security')!.regions;
const orgRegions = [...new Set(fleet.stacks.map((s) => s.region))].sort();
const of = (json: any, type: string): [string, any][] => Object.entries(json.resource?.[type] ?? {});
const providerOf = (resource: any) => resource.provider ?? 'aws';

describe('Security Hub on in the security account before anything of Security Hub is made there', () => {
  const hubs = of(securityHome, 'aws_securityhub_account');

  it('holds one hub per region of the security account, without default standards, consolidated control findings', () => {
    expect(hubs.map(([, h]) => providerOf(h)).sort()).toEqual(['aws', ...securityRegions.filter((r) => r !== 'us-east-1').map((r) => `aws.${r}`)].sort());
    for (const [, hub] of hubs) {
      expect(hub).toMatchObject({ enable_default_standards: false, control_finding_generator: 'SECURITY_CONTROL', auto_enable_controls: true });
    }
  });

  it('adopts the home region hub, which the delegated-administrator designation already enabled, and enables the others', () => {
    const [homeId] = hubs.find(([, h]) => !h.provider)!;
    expect(securityHome.import).toEqual([{ id: '222222222222', to: `aws_securityhub_account.${homeId}` }]);
  });

  it("makes every Security Hub resource of the home region depend on the hub; aggregation on every region's hub", () => {
    const [homeId] = hubs.find(([, h]) => !h.provider)!;
    const home = `aws_securityhub_account.${homeId}`;
    const dependents = Object.entries<any>(securityHome.resource).filter(([type]) => type.startsWith('aws_securityhub_') && type !== 'aws_securityhub_account');
    expect(dependents.map(([type]) => type).sort()).toEqual([
      'aws_securityhub_action_target',
      'aws_securityhub_automation_rule',
      'aws_securityhub_configuration_policy',
      'aws_securityhub_configuration_policy_association',
      'aws_securityhub_finding_aggregator',
      'aws_securityhub_insight',
      'aws_securityhub_organization_configuration',
    ]);
    for (const [type, byId] of dependents) {
      for (const [id, resource] of Object.entries<any>(byId))
        expect([`${type}.${id}`, resource.depends_on]).toEqual([`${type}.${id}`, expect.arrayContaining([home])]);
    }
    const [, aggregator] = of(securityHome, 'aws_securityhub_finding_aggregator')[0];
    expect([...aggregator.depends_on].sort()).toEqual(hubs.map(([id]) => `aws_securityhub_account.${id}`).sort());
  });

  it("leaves the security account's other regions to the home stack, deployed before them", () => {
    const region = synthJson(stacks.get('security-eu-west-1')!);
    expect(of(region, 'aws_securityhub_account')).toEqual([]);
    expect(of(region, 'aws_securityhub_automation_rule').length).toBeGreaterThan(0);
    expect(stacks.get('security-eu-west-1')!.dependencies.map((d) => d.node.id)).toEqual(['security-us-east-1']);
  });
});

describe('GuardDuty (organization.guardDuty) in every region of the organization', () => {
  it('designates the security account in each region from the management home stack, through a provider per region', () => {
    const management = synthJson(stacks.get('management-us-east-1')!);
    const designations = of(management, 'aws_guardduty_organization_admin_account').map(([, d]) => d);
    expect(designations.map(providerOf).sort()).toEqual(orgRegions.map((r) => (r === 'us-east-1' ? 'aws' : `aws.${r}`)).sort());
    for (const d of designations) expect(d.admin_account_id).toBe('222222222222');
    // The management account does not list eu-central-1, yet the organization uses it.
    expect(fleet.accounts.find((a) => a.name === 'management')!.regions).not.toContain('eu-central-1');
    // Each aliased provider names the management account's profile, as the default provider does.
    const aliases = (management.provider.aws as any[]).filter((p) => p.alias).map((p) => [p.alias, p.region, p.profile, p.assume_role]);
    expect(aliases).toEqual(orgRegions.filter((r) => r !== 'us-east-1').map((r) => [r, r, 'acme-management', undefined]));
  });

  it.each(orgRegions)('%s: the security account has its detector and auto-enables GuardDuty for ALL members', (region) => {
    const json = synthJson(stacks.get(`security-${region}`)!);
    const detectors = of(json, 'aws_guardduty_detector');
    expect(detectors.map(([, d]) => d)).toEqual([{ enable: true }]);
    const configurations = of(json, 'aws_guardduty_organization_configuration').map(([, c]) => c);
    expect(configurations).toEqual([{ auto_enable_organization_members: 'ALL', detector_id: `\${aws_guardduty_detector.${detectors[0][0]}.id}` }]);
  });

  it('makes nothing of GuardDuty, and no extra provider, when organization.guardDuty is off', () => {
    const config = exampleConfig();
    config.organization.guardDuty = false;
    const off = buildTestFleet(config);
    const management = synthJson(off.stacks.get('management-us-east-1')!);
    expect(of(management, 'aws_guardduty_organization_admin_account')).toEqual([]);
    expect((management.provider.aws as any[]).map((p) => p.alias)).toEqual([undefined]);
    for (const region of orgRegions) expect(of(synthJson(off.stacks.get(`security-${region}`)!), 'aws_guardduty_detector')).toEqual([]);
  });
});

describe('Detective (organization.detective) in every region of the organization', () => {
  const on = buildTestFleet(detectiveConfig());
  const members = on.fleet.accounts.filter((a) => !a.retired && a.name !== 'security');

  it('designates the security account as Detective administrator in each region from the management home stack', () => {
    const management = synthJson(on.stacks.get('management-us-east-1')!);
    const designations = of(management, 'aws_detective_organization_admin_account').map(([, d]) => d);
    expect(designations.map(providerOf).sort()).toEqual(orgRegions.map((r) => (r === 'us-east-1' ? 'aws' : `aws.${r}`)).sort());
    for (const d of designations) expect(d.account_id).toBe('222222222222');
  });

  it.each(orgRegions.filter((r) => securityRegions.includes(r)))(
    '%s: the security account adopts the organization graph (never destroyed by Terraform), auto-enables new accounts and enables every existing one',
    (region) => {
      const json = synthJson(on.stacks.get(`security-${region}`)!);
      const graphs = of(json, 'aws_detective_graph');
      expect(graphs).toHaveLength(1);
      const [graphId, graph] = graphs[0];
      expect(graph.lifecycle).toEqual({ prevent_destroy: true });
      const graphArn = `\${aws_detective_graph.${graphId}.id}`;
      expect(of(json, 'aws_detective_organization_configuration').map(([, c]) => c)).toEqual([{ auto_enable: true, graph_arn: graphArn }]);
      const enabled = of(json, 'aws_detective_member').map(([, m]) => m);
      expect(enabled.map((m) => m.account_id).sort()).toEqual(members.map((a) => a.id).sort());
      for (const m of enabled)
        expect(m).toMatchObject({ graph_arn: graphArn, disable_email_notification: true, email_address: expect.stringMatching(/^aws\+.+@example\.com$/) });
    },
  );

  it('leaves a retired account out of the graph (its member resource is destroyed with the next apply)', () => {
    const config = detectiveConfig();
    const web = config.accounts.find((a) => a.name === 'web-staging')!;
    (web as any).retired = true;
    const json = synthJson(buildTestFleet(config).stacks.get('security-us-east-1')!);
    expect(of(json, 'aws_detective_member').map(([, m]) => m.account_id)).not.toContain(web.id);
  });

  it('makes nothing of Detective when organization.detective is off (the default)', () => {
    expect(of(synthJson(stacks.get('management-us-east-1')!), 'aws_detective_organization_admin_account')).toEqual([]);
    expect(of(securityHome, 'aws_detective_graph')).toEqual([]);
  });
});
