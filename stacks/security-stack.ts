import type { Construct } from 'constructs';
import { arns, IAM_EVENTS_REGION } from '../functions/shared/naming';
import { AlarmRelay } from './constructs/alarm-relay';
import { AlertTopic } from './constructs/alert-topic';
import { AutomationRules } from './constructs/automation-rules';
import { Escalation } from './constructs/escalation';
import { Insights } from './constructs/insights';
import { OperationsDashboard } from './constructs/operations-dashboard';
import { SecurityHubCentral } from './constructs/security-hub-central';
import { ResponderStack, type ResponderStackProps } from './responder-stack';

/**
 * Security account, any region other than home: the local responder and the automation rules,
 * which Security Hub applies only in the region that holds them.
 */
export class SecurityRegionStack extends ResponderStack {
  constructor(scope: Construct, id: string, props: ResponderStackProps) {
    super(scope, id, props);
    new AutomationRules(this, 'automation-rules', { config: props.fleet.config });
  }
}

/**
 * Security account, home region: aggregation and central configuration for the organization,
 * automation rules, insights, the alert topic, the manual escalation path, and the operator's view
 * (the relay of every account's alarms to the alert topic, and the dashboard).
 */
export class SecurityHomeStack extends ResponderStack {
  constructor(scope: Construct, id: string, props: ResponderStackProps) {
    super(scope, id, props);
    const { config } = props.fleet;
    const org = config.organization;
    new SecurityHubCentral(this, 'security-hub-central', {
      organizationName: org.name,
      homeRegion: org.homeRegion,
      regions: props.fleet.stacks.map((s) => s.region),
      standards: config.defaults.standards,
      disabledControls: config.defaults.disabledControls,
      authorizedPublicPorts: config.defaults.authorizedPublicPorts,
      targetId: org.rootId,
    });
    new AutomationRules(this, 'automation-rules', { config });
    new Insights(this, 'insights');
    new AlertTopic(this, 'alert-topic', {
      organizationName: org.name,
      organizationId: org.id,
      securityAccountId: org.securityAccountId,
      homeRegion: org.homeRegion,
      emails: config.notifications.email,
      teams: config.notifications.teams,
      publishingRuleArns: [arns.alarmRelayRule(org.securityAccountId, org.homeRegion, org.name)],
    });
    new AlarmRelay(this, 'alarm-relay', {
      organizationName: org.name,
      organizationId: org.id,
      securityAccountId: org.securityAccountId,
      homeRegion: org.homeRegion,
      alertTopicArn: arns.alertTopic(org.securityAccountId, org.homeRegion, org.name),
      deadLetterQueueArn: this.localResponder.respond.deadLetterQueue.arn,
    });
    // quarantine-user runs in us-east-1 whatever regions the accounts list.
    const regions = [...new Set([org.homeRegion, ...props.fleet.stacks.map((s) => s.region), IAM_EVENTS_REGION])];
    new OperationsDashboard(this, 'operations-dashboard', { organizationName: org.name, regions });
    new Escalation(this, 'escalation', {
      settings: props.plan.settings,
      bundle: props.bundles.escalate,
      logRetentionDays: config.defaults.logRetentionDays,
      reservedConcurrency: props.plan.account.reservedConcurrency === undefined ? undefined : 2,
    });
  }
}
