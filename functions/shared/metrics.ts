/**
 * The names of the functions' CloudWatch metrics (Embedded Metric Format, written through
 * Powertools Metrics by functions/runtime/metrics.ts). The security account's dashboard and every
 * stack's failure alarm read these names: renaming one silently empties a widget or an alarm.
 */
export const METRICS_NAMESPACE = 'SecurityResponse';

export const METRIC = {
  /** A catalogue action decided for a finding or a new user, by `Action` and `Outcome`. */
  remediations: 'Remediations',
  /** Remediations that failed (outcome FAILED), in total and by `Action`: the alarm watches the total. */
  remediationFailures: 'RemediationFailures',
  /** Findings the function acted on (classified, recorded, alerted). */
  findingsHandled: 'FindingsHandled',
  /** Findings left alone (other account or region, not NEW, below the threshold, trusted creator). */
  findingsIgnored: 'FindingsIgnored',
  /** Findings or whole events that could not be read (alerted as such). */
  unreadable: 'UnreadableFindings',
  /** BatchUpdateFindings that did not take a finding. */
  recordFailures: 'RecordFailures',
  /** Alerts that could not be published. */
  alertFailures: 'AlertFailures',
  /** Findings escalated by hand with the custom action. */
  escalations: 'Escalations',
  /** Evidence records an `npm run replay-evidence` moved from the function's dead-letter queue into the bucket. */
  evidenceReplayed: 'EvidenceReplayed',
  /** investigate: Detective investigations started, results reported. */
  investigationsStarted: 'InvestigationsStarted',
  investigationResults: 'InvestigationResults',
  /** investigate: an investigation that could not be started, a check that failed or could not be queued (alarmed). */
  investigationFailures: 'InvestigationFailures',
  /** route: alerts sent at once, and held for their window's digest. */
  alertsSentNow: 'AlertsSentNow',
  alertsHeld: 'AlertsHeld',
  /** route: digests (parts) sent by the scheduled flush, and digests that stayed held after a failed send. */
  digestsSent: 'DigestsSent',
  digestFailures: 'DigestFailures',
  /** route: chat notifications that could not be published (the e-mail went out). */
  chatFailures: 'ChatFailures',
  /** route: tickets opened, comments added, and ticket work that failed (queued for retry, or left to the dead-letter queue). */
  ticketsOpened: 'TicketsOpened',
  ticketComments: 'TicketComments',
  ticketFailures: 'TicketFailures',
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** Dimension names besides Powertools' default `service` (the function). */
export const DIMENSION = { action: 'Action', outcome: 'Outcome' } as const;
