import { activeStacks, securityHomeStack, type Fleet } from '../../config/fleet';
import { STACK_ROLES } from '../../config/stack-roles';
import { names } from '../../functions/shared/naming';

/**
 * A Mermaid flowchart of what the current accounts.json deploys: one box per account with its
 * regions and what runs in each, and the organization-wide pieces of the management and security
 * accounts. `npm run diagram` prints it; the README embeds the example organization's.
 */
export function fleetDiagram(fleet: Fleet): string {
  const { config } = fleet;
  const org = config.organization;
  const id = (s: string) => s.replace(/[^A-Za-z0-9]/g, '_');
  const lines = ['flowchart TB'];
  const topic = `topic["${names.alertTopic(org.name)}<br/>SNS + KMS, ${org.homeRegion}"]`;
  // A retired account's stacks only destroy what was there: nothing of it is drawn.
  const accounts = fleet.accounts.filter((a) => !a.retired);
  for (const account of accounts) {
    const role = account.id === org.managementAccountId ? ' (management)' : account.id === org.securityAccountId ? ' (security)' : '';
    const first = fleet.stacks.find((s) => s.account.id === account.id);
    if (!first) throw new Error(`account ${account.name} (${account.id}) has no stack`);
    const mode = first.settings.mode;
    lines.push(`  subgraph ${id(account.name)}["${account.name} ${account.id}${role}<br/>owner: ${account.owner ?? 'security'}, ${mode}"]`);
    for (const plan of fleet.stacks.filter((s) => s.account.id === account.id)) {
      const parts = ['respond + alarms'];
      if (plan.primary) parts.push('quarantine policy', 'quarantine-user (us-east-1)');
      parts.push(...STACK_ROLES[plan.role].diagramLabels(org));
      lines.push(`    ${id(plan.name)}["${plan.region}<br/>${parts.join(', ')}"]`);
    }
    lines.push('  end');
  }
  lines.push(`  ${topic}`);
  for (const plan of activeStacks(fleet)) lines.push(`  ${id(plan.name)} -- alerts --> topic`);
  // The router: every alert at once, or past the storm threshold in its window's digest.
  const { storm, teams, slack } = config.notifications;
  lines.push(
    `  topic --> router["route<br/>${names.intakeQueue(org.name)} queue, storm table<br/>at once, or a digest past ${storm.threshold} in ${storm.windowMinutes} min"]`,
  );
  const addresses = config.notifications.email.length + Object.values(teams).reduce((n, t) => n + t.email.length, 0);
  lines.push(`  router --> email["${names.emailTopic(org.name)}<br/>${addresses} e-mail addresses, team filters"]`);
  const channels = [
    ...(slack ? ['Slack (everything)'] : []),
    ...Object.entries(teams).flatMap(([team, t]) => [...(t.slack ? [`Slack (${team})`] : []), ...(t.msTeams ? [`Teams (${team})`] : [])]),
  ];
  if (channels.length > 0) lines.push(`  router --> chat["AWS Chatbot<br/>${channels.join(', ')}"]`);
  // Tickets: opened by the router with credentials from Secrets Manager; failures retried from the job queue.
  const { jira, serviceNow } = config.notifications.tickets ?? {};
  const systems = [
    ...(jira ? [`Jira ${jira.projectKey} (≥ ${jira.minSeverity})`] : []),
    ...(serviceNow ? [`ServiceNow incidents (≥ ${serviceNow.minSeverity})`] : []),
  ];
  if (systems.length > 0)
    lines.push(`  router --> tickets["tickets: ${systems.join(', ')}<br/>retries: ${names.ticketJobQueue(org.name)} queue, then its DLQ"]`);
  // Alarms reach e-mail through the security account's alarm bus (an alarm can only notify a topic in
  // its own region), past the router, so an alarm about the router still arrives.
  lines.push(`  bus["${names.alarmBus(org.name)}<br/>event bus, ${org.homeRegion}"] -- relay --> email`);
  for (const account of accounts) lines.push(`  ${id(account.name)} -. alarms, every region .-> bus`);
  // Evidence: every decision's record, written by each function straight into the security home's bucket.
  const evidenceBucket = names.evidenceBucket(org.name, org.securityAccountId, org.homeRegion);
  lines.push(
    `  evidence[("${evidenceBucket}<br/>decision records, Object Lock ${org.evidence.retentionDays} days<br/>Athena ${names.athenaWorkgroup(org.name)}: KPIs, npm run report")]`,
  );
  for (const account of accounts) lines.push(`  ${id(account.name)} -. decision records .-> evidence`);
  // The router records each ticket it opens (the decision's record was written before the ticket existed).
  if (systems.length > 0) lines.push('  router -. ticket records .-> evidence');
  // The backlog: an operator sends an account's old NEW findings, by id, to its deployed respond.
  lines.push('  sweep(["npm run sweep -- --stack &lt;account&gt;-&lt;region&gt;<br/>old ACTIVE NEW findings, paced"])');
  for (const account of accounts) lines.push(`  sweep -. Invoke respond, finding ids .-> ${id(account.name)}`);
  const securityHome = securityHomeStack(fleet);
  const linked = [...new Set(activeStacks(fleet).map((s) => s.region))].filter((r) => r !== org.homeRegion).sort();
  lines.push(`  agg(("findings from ${linked.join(', ') || 'no other region'}")) -. aggregated .-> ${id(securityHome.name)}`);
  // Detective: the security home's investigate starts an investigation per credential finding, in the finding's region.
  if (org.detective) {
    lines.push(
      `  ${id(securityHome.name)} -- credential findings --> investigate["investigate<br/>Detective investigation per finding, every region<br/>${names.investigationCheckQueue(org.name)}: results"]`,
    );
    lines.push('  investigate -- alerts --> topic');
    lines.push('  investigate -. decision records .-> evidence');
  }
  return `${lines.join('\n')}\n`;
}

export const README_START = '<!-- diagram:start (npm run diagram) -->';
export const README_END = '<!-- diagram:end -->';

/** The README with its embedded diagram replaced by `diagram`. */
export function embedInReadme(readme: string, diagram: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${README_START} ... ${README_END} block`);
  return `${readme.slice(0, start + README_START.length)}\n\n\`\`\`mermaid\n${diagram}\`\`\`\n\n${readme.slice(end)}`;
}
