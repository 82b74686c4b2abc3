import type { Construct } from 'constructs';
import { activeStacks } from '../config/fleet';
import { routerSettingsFor } from '../config/router-settings';
import { arns, IAM_EVENTS_REGION } from '../functions/shared/naming';
import { AlarmRelay } from './constructs/alarm-relay';
import { AlertRouting } from './constructs/alert-routing';
import { AlertTopic } from './constructs/alert-topic';
import { chatbotRegion } from './constructs/chat-channels';
import { AutomationRules } from './constructs/automation-rules';
import { Escalation } from './constructs/escalation';
import { EvidenceStore } from './constructs/evidence-store';
import { DetectiveAdministration } from './constructs/detective-administration';
import { GuardDutyAdministration } from './constructs/guardduty-administration';
import { Insights } from './constructs/insights';
import { Investigation } from './constructs/investigation';
import { OperationsDashboard } from './constructs/operations-dashboard';
import { SecurityHubAccount } from './constructs/security-hub-account';
import { SecurityHubCentral } from './constructs/security-hub-central';
import { ResponderStack, type ResponderStackProps } from './responder-stack';

/**
 * Security account, any region other than home: the local responder, the automation rules, which
 * Security Hub applies only in the region that holds them, and (organization.guardDuty) the
 * GuardDuty administration of the region. Security Hub is already on here: the security home stack,
 * deployed first, enables it in every region of the security account.
 */
export class SecurityRegionStack extends ResponderStack {
  constructor(scope: Construct, id: string, props: ResponderStackProps) {
    super(scope, id, props);
    new AutomationRules(this, 'automation-rules', { config: props.fleet.config });
    if (props.fleet.config.organization.guardDuty) new GuardDutyAdministration(this, 'guardduty-administration');
    if (props.fleet.config.organization.detective) new DetectiveAdministration(this, 'detective', { members: detectiveMembers(props.fleet) });
  }
}

/** Every active account but the security account, with the email Detective's member resource needs (validated in config/load.ts). */
export function detectiveMembers(fleet: ResponderStackProps['fleet']): { accountId: string; email: string }[] {
  const org = fleet.config.organization;
  return fleet.accounts
    .filter((a) => !a.retired && a.id !== org.securityAccountId)
    .map((a) => {
      if (!a.email) throw new Error(`account ${a.name} has no email; configuration validation requires one with organization.detective`);
      return { accountId: a.id, email: a.email };
    });
}

/**
 * Security account, home region: aggregation and central configuration for the organization,
 * automation rules, insights, the alert topic, the evidence store, the manual escalation path, and
 * the operator's view (the relay of every account's alarms to the alert topic, and the dashboard).
 */
export class SecurityHomeStack extends ResponderStack {
  constructor(scope: Construct, id: string, props: ResponderStackProps) {
    super(scope, id, props);
    const { config } = props.fleet;
    const org = config.organization;
    // Security Hub on in every region of this account before anything of Security Hub is made here.
    // Home region: the delegated-administrator designation (management home stack, deployed first)
    // has already enabled it, so the hub is adopted (import), not enabled again. Other regions:
    // enabled here, before central configuration starts (which would otherwise enable them
    // asynchronously, racing the security region stacks' automation rules).
    const hub = new SecurityHubAccount(this, 'security-hub-account', { accountId: org.securityAccountId, adoptExisting: true });
    const otherHubs = props.plan.account.regions
      .filter((region) => region !== props.plan.region)
      .sort()
      .map(
        (region) => new SecurityHubAccount(this, `security-hub-account-${region}`, { accountId: org.securityAccountId, provider: this.providerFor(region) }),
      );
    new SecurityHubCentral(this, 'security-hub-central', {
      securityHub: [hub.hub, ...otherHubs.map((h) => h.hub)],
      organizationName: org.name,
      homeRegion: org.homeRegion,
      regions: activeStacks(props.fleet).map((s) => s.region),
      standards: config.defaults.standards,
      disabledControls: config.defaults.disabledControls,
      authorizedPublicPorts: config.defaults.authorizedPublicPorts,
      targetId: org.rootId,
    });
    new AutomationRules(this, 'automation-rules', { config, securityHub: hub.hub });
    new Insights(this, 'insights', { securityHub: hub.hub });
    if (org.guardDuty) new GuardDutyAdministration(this, 'guardduty-administration');
    if (org.detective) new DetectiveAdministration(this, 'detective', { members: detectiveMembers(props.fleet) });
    const emailTopicArn = arns.emailTopic(org.securityAccountId, org.homeRegion, org.name);
    const alertTopic = new AlertTopic(this, 'alert-topic', {
      organizationName: org.name,
      organizationId: org.id,
      securityAccountId: org.securityAccountId,
      homeRegion: org.homeRegion,
      eventBridgeTopicArns: [emailTopicArn],
    });
    // Every decision's record, written by the alerting functions of every account (Object Lock, compliance mode).
    new EvidenceStore(this, 'evidence', {
      organizationName: org.name,
      organizationId: org.id,
      securityAccountId: org.securityAccountId,
      homeRegion: org.homeRegion,
      retentionDays: org.evidence.retentionDays,
    });
    const routerSettings = routerSettingsFor(config);
    const notifications = config.notifications;
    const chatConfigured = notifications.slack !== undefined || Object.values(notifications.teams).some((t) => t.slack ?? t.msTeams);
    new AlertRouting(this, 'alert-routing', {
      settings: props.plan.settings,
      bundle: props.bundles.route,
      logRetentionDays: config.defaults.logRetentionDays,
      intakeTopic: alertTopic.topic,
      alertKeyArn: alertTopic.key.arn,
      routerSettings,
      emails: notifications.email,
      teams: notifications.teams,
      slack: notifications.slack,
      publishingRuleArns: [arns.alarmRelayRule(org.securityAccountId, org.homeRegion, org.name)],
      chatbotProvider: chatConfigured ? this.providerFor(chatbotRegion(org.homeRegion)) : undefined,
      // Room for every poller (two per queue it reads), the minute's flush and an operator's evidence
      // replay: a throttled SQS batch counts as a receive and could reach a dead-letter queue early.
      reservedConcurrency: props.plan.account.reservedConcurrency === undefined ? undefined : (routerSettings.tickets ? 4 : 2) + 2,
    });
    // Alarms go to e-mail directly, not through the router: an alarm about the router still arrives.
    new AlarmRelay(this, 'alarm-relay', {
      organizationName: org.name,
      organizationId: org.id,
      securityAccountId: org.securityAccountId,
      homeRegion: org.homeRegion,
      alertTopicArn: emailTopicArn,
      deadLetterQueueArn: this.localResponder.respond.deadLetterQueue.arn,
    });
    // quarantine-user runs in us-east-1 whatever regions the accounts list.
    const regions = [...new Set([org.homeRegion, ...activeStacks(props.fleet).map((s) => s.region), IAM_EVENTS_REGION])];
    new OperationsDashboard(this, 'operations-dashboard', { organizationName: org.name, regions });
    new Escalation(this, 'escalation', {
      settings: props.plan.settings,
      bundle: props.bundles.escalate,
      logRetentionDays: config.defaults.logRetentionDays,
      reservedConcurrency: props.plan.account.reservedConcurrency === undefined ? undefined : 2,
      securityHub: hub.hub,
    });
    // Detective investigations of credential findings, from the graphs this account administers.
    if (org.detective) {
      new Investigation(this, 'investigation', {
        settings: props.plan.settings,
        bundle: props.bundles.investigate,
        logRetentionDays: config.defaults.logRetentionDays,
        regions: [...new Set(activeStacks(props.fleet).map((s) => s.region))],
        // The checks queue's two pollers and the rule's events: a throttled SQS batch counts as a receive.
        reservedConcurrency: props.plan.account.reservedConcurrency === undefined ? undefined : 3,
      });
    }
  }
}
