import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../../config/load';
import { embedInReadme, fleetDiagram } from '../../../scripts/operator/diagram';
import { detectiveConfig, exampleConfig } from '../../helpers/config';

describe('npm run diagram', () => {
  const diagram = fleetDiagram(parseConfig(exampleConfig()));

  it('shows every account with each of its regions and what runs there', () => {
    expect(diagram).toMatch(/^flowchart TB\n/);
    expect(diagram).toContain('subgraph payments_prod["payments-prod 333333333333<br/>owner: payments, enforce"]');
    expect(diagram).toContain('payments_prod_eu_central_1["eu-central-1<br/>respond + alarms"]');
    expect(diagram).toContain('data_lake_prod_eu_west_1["eu-west-1<br/>respond + alarms, quarantine policy, quarantine-user (us-east-1)"]');
    expect(diagram).toContain(
      'management_us_east_1["us-east-1<br/>respond + alarms, quarantine policy, quarantine-user (us-east-1), delegated admin (GuardDuty: every region)"]',
    );
    expect(diagram).toContain('security_eu_west_1["eu-west-1<br/>respond + alarms, automation rules, GuardDuty admin"]');
  });

  it("shows the alarm path: every account to the security account's alarm bus, relayed to e-mail past the router", () => {
    expect(diagram).toContain('bus["acme-security-response-alarms<br/>event bus, us-east-1"] -- relay --> email');
    expect(diagram).toContain('payments_prod -. alarms, every region .-> bus');
    expect(diagram).toMatch(/security_us_east_1\["us-east-1<br\/>[^"]*alarm relay, dashboard, automation rules, GuardDuty admin"\]/);
  });

  it('shows the alert router, its storm limits, the e-mail topic, each chat channel and the ticket systems', () => {
    expect(diagram).toContain('topic --> router["route<br/>acme-alert-intake queue, storm table<br/>at once, or a digest past 20 in 5 min"]');
    expect(diagram).toContain('router --> email["acme-security-alerts-email<br/>4 e-mail addresses, team filters"]');
    expect(diagram).toContain('router --> chat["AWS Chatbot<br/>Slack (everything), Slack (payments), Teams (web)"]');
    expect(diagram).toContain(
      'router --> tickets["tickets: Jira SEC (≥ HIGH), ServiceNow incidents (≥ HIGH)<br/>retries: acme-ticket-jobs queue, then its DLQ"]',
    );
  });

  it("shows the evidence bucket every account's functions write to, with its retention, and the sweep reaching every account's respond", () => {
    expect(diagram).toContain(
      'evidence[("acme-evidence-222222222222-us-east-1<br/>decision records, Object Lock 400 days<br/>Athena acme-evidence: KPIs, npm run report")]',
    );
    for (const account of ['management', 'security', 'payments_prod', 'data_lake_prod', 'web_staging']) {
      expect(diagram).toContain(`${account} -. decision records .-> evidence`);
      expect(diagram).toContain(`sweep -. Invoke respond, finding ids .-> ${account}`);
    }
    const config = exampleConfig();
    config.organization.evidence = { retentionDays: 30 };
    expect(fleetDiagram(parseConfig(config))).toContain('Object Lock 30 days');
  });

  it('shows the router recording its tickets in the evidence bucket, only with tickets configured', () => {
    expect(diagram).toContain('router -. ticket records .-> evidence');
    const config = exampleConfig();
    delete config.notifications!.tickets;
    expect(fleetDiagram(parseConfig(config))).not.toContain('ticket records');
  });

  it('names Detective beside GuardDuty when organization.detective is on', () => {
    const withDetective = fleetDiagram(parseConfig(detectiveConfig()));
    expect(withDetective).toContain('delegated admin (GuardDuty, Detective: every region)');
    expect(withDetective).toMatch(/security_eu_west_1\["eu-west-1<br\/>respond \+ alarms, automation rules, GuardDuty admin, Detective graph"\]/);
    expect(diagram).not.toContain('Detective');
  });

  it('shows investigate taking credential findings from the security home and alerting, only with organization.detective', () => {
    const withDetective = fleetDiagram(parseConfig(detectiveConfig()));
    expect(withDetective).toContain('security_us_east_1 -- credential findings --> investigate[');
    expect(withDetective).toContain('investigate -- alerts --> topic');
    expect(diagram).not.toContain('investigate');
  });

  it('changes when an account is added', () => {
    const config = exampleConfig();
    config.accounts.push({ id: '666666666666', name: 'new-team', regions: ['eu-central-1'] });
    expect(fleetDiagram(parseConfig(config))).toContain(
      'new_team_eu_central_1["eu-central-1<br/>respond + alarms, quarantine policy, quarantine-user (us-east-1)"]',
    );
  });

  // The README shows the example organization the repository ships (the test organization is its
  // copy): refresh it with `npm run diagram:readme`.
  it('is the diagram the README embeds for the example organization (the test organization)', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    expect(embedInReadme(readme, diagram)).toBe(readme);
  });
});
