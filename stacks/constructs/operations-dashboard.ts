import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { DIMENSION, METRIC, METRICS_NAMESPACE } from '../../functions/shared/metrics';
import { names } from '../../functions/shared/naming';

export interface OperationsDashboardProps {
  readonly organizationName: string;
  /** Every region a function of the organization runs in; one row of widgets each. */
  readonly regions: string[];
}

const WIDTH = 6;
const HEIGHT = 6;

interface Panel {
  title: string;
  search: string;
  stat: 'Sum' | 'Maximum';
  period: number;
}

/**
 * The CloudWatch SEARCH expressions behind each panel. In the security account they also find the
 * metrics of every account linked to it by CloudWatch cross-account observability. They select by
 * metric schema (each of our dimension sets belongs to one metric, see functions/shared/metrics.ts)
 * and by partial match, never by quoted exact match: a quote inside the dashboard's JSON would be
 * escaped twice in the HCL, which cdktf's HCL renderer (the reviewed snapshots) mangles.
 */
export function dashboardPanels(org: string): Panel[] {
  const ns = METRICS_NAMESPACE;
  const { action, outcome } = DIMENSION;
  return [
    // Only Remediations carries Action + Outcome; only RemediationFailures carries Action alone.
    { title: `${METRIC.remediations} by action and outcome`, search: `{${ns},${action},${outcome},service}`, stat: 'Sum', period: 3600 },
    { title: `${METRIC.remediationFailures} by action`, search: `{${ns},${action},service}`, stat: 'Sum', period: 300 },
    // Our queues are <org>-<function>-dlq: every token must match.
    {
      title: 'Dead-letter queue depth',
      search: `{AWS/SQS,QueueName} MetricName=ApproximateNumberOfMessagesVisible QueueName=${org} QueueName=dlq`,
      stat: 'Maximum',
      period: 300,
    },
    { title: 'IAM quarantines by outcome', search: `{${ns},${action},${outcome},service} ${action}=QUARANTINE_IAM_USER`, stat: 'Sum', period: 3600 },
    { title: 'Findings handled, ignored, unreadable; escalations; failed records, alerts, remediations', search: `{${ns},service}`, stat: 'Sum', period: 3600 },
  ];
}

/**
 * The operator's view, in the security account's home region: per region, remediations by action
 * and outcome, failures, dead-letter depth, quarantines and the findings' throughput.
 */
export class OperationsDashboard extends Construct {
  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const org = props.organizationName;
    const panels = dashboardPanels(org);
    const intro = {
      type: 'text',
      x: 0,
      y: 0,
      width: WIDTH * 4,
      height: 2,
      properties: {
        // One line: a line break would be escaped twice in the HCL (see dashboardPanels).
        markdown: `**${org} security response.** Metrics the functions emit (namespace ${METRICS_NAMESPACE}) and their dead-letter queues, one row per region. Other accounts appear when they are linked to this account by CloudWatch cross-account observability; alarms of every account reach the alert topic either way.`,
      },
    };
    const widgets = props.regions.flatMap((region, row) =>
      panels.map((panel, column) => ({
        type: 'metric',
        x: (column % 4) * WIDTH,
        y: 2 + row * HEIGHT * 2 + Math.floor(column / 4) * HEIGHT,
        width: WIDTH,
        height: HEIGHT,
        properties: {
          title: `${panel.title} (${region})`,
          region,
          view: 'timeSeries',
          stacked: panel.stat === 'Sum',
          period: panel.period,
          stat: panel.stat,
          metrics: [[{ expression: `SEARCH('${panel.search}', '${panel.stat}', ${panel.period})`, id: 'e1', label: '' }]],
        },
      })),
    );
    new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: names.dashboard(org),
      dashboardBody: JSON.stringify({ widgets: [intro, ...widgets] }),
    });
  }
}
