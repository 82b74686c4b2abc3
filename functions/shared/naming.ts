/**
 * Deterministic names and ARNs. Nothing crosses stacks by Terraform reference, so every
 * name another account or stack needs is computed here, from the organization's name prefix.
 * Changing any of these renames deployed resources.
 */

export const PARTITION = 'aws';
/** IAM (a global service) sends its CloudTrail events to EventBridge only in us-east-1. */
export const IAM_EVENTS_REGION = 'us-east-1';
/** Tag that exempts a resource from every automated remediation. */
export const EXEMPT_TAG = { key: 'security-response:exempt', value: 'true' } as const;
/** Tag key prefix for what the automation records on resources it changed. */
export const TAG_PREFIX = 'security-response:';
/** Author of every Security Hub note this system writes. */
export const NOTE_AUTHOR = 'security-response';

/** The functions that raise alerts: the alert topic (the router's intake) admits only their roles. */
export const ALERTING_FUNCTIONS = ['respond', 'quarantine-user', 'escalate', 'investigate'] as const;
/** Every deployed function: the alerting ones, and `route`, the security account's alert router. */
export const FUNCTION_NAMES = [...ALERTING_FUNCTIONS, 'route'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];
/**
 * The functions that write evidence records: the alerting ones (their decisions) and `route` (the
 * tickets it opens, which exist only after the deciding function's record was written).
 */
export const EVIDENCE_WRITERS = [...ALERTING_FUNCTIONS, 'route'] as const satisfies readonly FunctionName[];
export type EvidenceWriter = (typeof EVIDENCE_WRITERS)[number];
/** The functions only the security home stack deploys: resource policies admit their roles of the security account only. */
export const SECURITY_HOME_FUNCTIONS: readonly FunctionName[] = ['escalate', 'investigate', 'route'];

export const names = {
  /** Lambda function name (regional, so the same name in each region). */
  function: (org: string, fn: FunctionName) => `${org}-${fn}`,
  /** IAM role of a function. IAM is global: `respond` exists per region, so its role carries the region. */
  role: (org: string, fn: FunctionName, region: string) => (fn === 'respond' ? `${org}-respond-${region}` : `${org}-${fn}`),
  quarantinePolicy: (org: string) => `${org}-quarantine-deny-all`,
  /** Every function publishes here; only the router's intake queue subscribes. */
  alertTopic: (org: string) => `${org}-security-alerts`,
  /** The router delivers e-mail here (the addresses subscribe with filter policies); the alarm relay too. */
  emailTopic: (org: string) => `${org}-security-alerts-email`,
  /** One topic per chat destination (`all`, `team-<team>`), subscribed by Chatbot only. */
  chatTopic: (org: string, key: string) => `${org}-security-alerts-chat-${key}`,
  chatConfiguration: (org: string, platform: 'slack' | 'teams', key: string) => `${org}-${platform}-${key}`,
  chatbotRole: (org: string) => `${org}-chatbot-channel`,
  intakeQueue: (org: string) => `${org}-alert-intake`,
  intakeDeadLetterQueue: (org: string) => `${org}-alert-intake-dlq`,
  /** The router's storm state (counts per window, held alerts, decisions). */
  routingTable: (org: string) => `${org}-alert-routing`,
  digestSchedule: (org: string) => `${org}-alert-digests`,
  /** Ticket work the router could not finish at once (a system down), and undo notes to comment on: retried from here. */
  ticketJobQueue: (org: string) => `${org}-ticket-jobs`,
  ticketJobDeadLetterQueue: (org: string) => `${org}-ticket-jobs-dlq`,
  /** The evidence store (security account, home region): S3 names are global, so the account and region are in them. */
  evidenceBucket: (org: string, securityAccountId: string, homeRegion: string) => `${org}-evidence-${securityAccountId}-${homeRegion}`,
  evidenceKeyAlias: (org: string) => `alias/${org}-evidence`,
  /** Glue names take no hyphens. */
  evidenceDatabase: (org: string) => `${org.replace(/-/g, '_')}_evidence`,
  evidenceTable: 'decisions',
  athenaWorkgroup: (org: string) => `${org}-evidence`,
  athenaResultsBucket: (org: string, securityAccountId: string, homeRegion: string) => `${org}-athena-${securityAccountId}-${homeRegion}`,
  /** Matches the notes `npm run undo` writes, so the ticket gets a comment. */
  ticketUndoRule: (org: string) => `${org}-ticket-undo-notes`,
  alertKeyAlias: (org: string) => `alias/${org}-security-alerts`,
  isolationSecurityGroup: (org: string) => `${org}-isolation`,
  /** The all-traffic group an instance passes through on its way into isolation (one per instance and run, deleted after). */
  untrackSecurityGroup: (org: string, run: string) => `${org}-isolation-step-${run}`,
  deadLetterQueue: (org: string, fn: FunctionName) => `${org}-${fn}-dlq`,
  /** Which findings `investigate` took (one item per finding): a finding is investigated once. */
  investigationTable: (org: string) => `${org}-investigations`,
  /** Delayed messages that bring `investigate` back to read an investigation's result (Detective sends no event). */
  investigationCheckQueue: (org: string) => `${org}-investigation-checks`,
  /** A function's alarm (`dead-letters`, `remediation-failures`); the alarm relay matches the `<org>-` prefix. */
  alarm: (org: string, fn: FunctionName, what: string) => `${org}-${fn}-${what}`,
  /** Rule that forwards a function's alarm state changes to the security account; and the role it uses. */
  alarmForwarder: (org: string, fn: FunctionName) => `${org}-${fn}-alarms`,
  /** Not `<org>-<fn>-…`: the alert topic admits `<org>-respond-*`, and a forwarder must not match it. */
  alarmForwarderRole: (org: string, fn: FunctionName, region: string) => `${org}-alarms-${fn}-${region}`,
  /** Event bus in the security account's home region that receives every account's alarm state changes. */
  alarmBus: (org: string) => `${org}-security-response-alarms`,
  alarmRelayRule: (org: string) => `${org}-alarms-to-alert-topic`,
  dashboard: (org: string) => `${org}-security-response`,
  customActionId: 'EscalateToSecOps',
  customActionName: 'Escalate to SecOps',
};

export const arns = {
  role: (accountId: string, roleName: string) => `arn:${PARTITION}:iam::${accountId}:role/${roleName}`,
  quarantinePolicy: (accountId: string, org: string) => `arn:${PARTITION}:iam::${accountId}:policy/${names.quarantinePolicy(org)}`,
  alertTopic: (securityAccountId: string, homeRegion: string, org: string) =>
    `arn:${PARTITION}:sns:${homeRegion}:${securityAccountId}:${names.alertTopic(org)}`,
  emailTopic: (securityAccountId: string, homeRegion: string, org: string) =>
    `arn:${PARTITION}:sns:${homeRegion}:${securityAccountId}:${names.emailTopic(org)}`,
  chatTopic: (securityAccountId: string, homeRegion: string, org: string, key: string) =>
    `arn:${PARTITION}:sns:${homeRegion}:${securityAccountId}:${names.chatTopic(org, key)}`,
  alarmBus: (securityAccountId: string, homeRegion: string, org: string) =>
    `arn:${PARTITION}:events:${homeRegion}:${securityAccountId}:event-bus/${names.alarmBus(org)}`,
  /** A rule on a custom bus carries the bus name in its ARN. */
  alarmRelayRule: (securityAccountId: string, homeRegion: string, org: string) =>
    `arn:${PARTITION}:events:${homeRegion}:${securityAccountId}:rule/${names.alarmBus(org)}/${names.alarmRelayRule(org)}`,
  customAction: (securityAccountId: string, homeRegion: string) =>
    `arn:${PARTITION}:securityhub:${homeRegion}:${securityAccountId}:action/custom/${names.customActionId}`,
};
