import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Decision } from '../shared/decision';
import type { Log } from '../shared/log';
import { DIMENSION, METRIC, type MetricName } from '../shared/metrics';

/** Counting and writing the functions' metrics: Lambda only (Powertools); the names live in shared/metrics.ts. */
export interface MetricCount {
  name: MetricName;
  value: number;
  /** Dimensions besides `service`; none for a per-function total. */
  dimensions?: Record<string, string>;
}

/** What the decisions of one invocation count: handled or ignored, and each action by outcome. */
export function decisionMetrics(decisions: Decision[]): MetricCount[] {
  const counts: MetricCount[] = [];
  for (const d of decisions) {
    counts.push({ name: d.ignored ? METRIC.findingsIgnored : METRIC.findingsHandled, value: 1 });
    const r = d.remediation;
    if (d.ignored || !r || r.action === 'NONE') continue;
    const outcome = r.outcome ?? r.status;
    counts.push({ name: METRIC.remediations, value: 1, dimensions: { [DIMENSION.action]: r.action, [DIMENSION.outcome]: outcome } });
    if (outcome === 'FAILED') {
      // The total is its own series: an alarm needs one exact series, a dashboard wants the split.
      counts.push({ name: METRIC.remediationFailures, value: 1 });
      counts.push({ name: METRIC.remediationFailures, value: 1, dimensions: { [DIMENSION.action]: r.action } });
    }
  }
  return counts;
}

function key(c: MetricCount): string {
  return JSON.stringify([c.name, Object.entries(c.dimensions ?? {}).sort()]);
}

/** Sums counts of the same metric and dimensions, so one invocation writes one line per series. */
export function sumMetrics(counts: MetricCount[]): MetricCount[] {
  const sums = new Map<string, MetricCount>();
  for (const c of counts) {
    const k = key(c);
    const seen = sums.get(k);
    sums.set(k, seen ? { ...seen, value: seen.value + c.value } : { ...c });
  }
  return [...sums.values()];
}

/**
 * Writes the counts as EMF lines on stdout, where CloudWatch Logs turns them into metrics: one
 * line per series, dimensioned by `service` (Powertools' default: the function) and its own.
 * The work is done by then: a metrics failure is logged, never thrown (a throw would make Lambda
 * retry an event whose findings are already handled).
 */
export function publishMetrics(metrics: Pick<Metrics, 'singleMetric'>, counts: MetricCount[], log: Log): void {
  try {
    for (const c of sumMetrics(counts)) {
      const single = metrics.singleMetric();
      if (c.dimensions) single.addDimensions(c.dimensions);
      single.addMetric(c.name, MetricUnit.Count, c.value);
    }
  } catch (error) {
    log.error('metrics not published', { error: (error as Error).message, counts });
  }
}

/** `respond`'s counts for one event: its decisions, unreadable findings, and failed records or alerts. */
export function respondMetrics(summary: {
  rejected?: string;
  unreadable: number;
  handled: { decision: Decision; record?: { ok: boolean }; publish?: { ok: boolean } }[];
  /** An evidence replay's invocation. */
  replay?: object;
}): MetricCount[] {
  const counts = decisionMetrics(summary.handled.map((h) => h.decision));
  if (summary.replay && 'replayed' in summary.replay && Array.isArray(summary.replay.replayed))
    counts.push({ name: METRIC.evidenceReplayed, value: summary.replay.replayed.length });
  const unreadable = summary.unreadable + (summary.rejected ? 1 : 0);
  if (unreadable > 0) counts.push({ name: METRIC.unreadable, value: unreadable });
  const recordFailures = summary.handled.filter((h) => h.record && !h.record.ok).length;
  if (recordFailures > 0) counts.push({ name: METRIC.recordFailures, value: recordFailures });
  const alertFailures = summary.handled.filter((h) => h.publish && !h.publish.ok).length;
  if (alertFailures > 0) counts.push({ name: METRIC.alertFailures, value: alertFailures });
  return counts;
}
