import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Decision } from '../../../functions/shared/decision';
import { silentLog, type Log } from '../../../functions/shared/log';
import { METRICS_NAMESPACE } from '../../../functions/shared/metrics';
import { decisionMetrics, publishMetrics, respondMetrics, sumMetrics } from '../../../functions/runtime/metrics';
import { emfDocuments } from '../../helpers/emf';

function decision(remediation: Decision['remediation'], ignored = false): Decision {
  return { findingId: 'f', accountId: '333333333333', region: 'eu-west-1', severity: 'HIGH', mode: 'enforce', ignored, reason: 'r', remediation, calls: [] };
}
const revoked = decision({ action: 'REVOKE_PUBLIC_INGRESS', status: 'PLANNED', outcome: 'REMEDIATED', summary: '' });
const failedKey = decision({ action: 'DEACTIVATE_ACCESS_KEY', status: 'PLANNED', outcome: 'FAILED', summary: '' });
const observed = decision({ action: 'BLOCK_S3_PUBLIC_ACCESS', status: 'OBSERVE_ONLY', outcome: 'WOULD_CHANGE', summary: '' });
const disabled = decision({ action: 'ISOLATE_EC2_INSTANCE', status: 'DISABLED', summary: '' });
const manual = decision({ action: 'NONE', status: 'NOT_APPLICABLE', summary: '' });
const ignored = decision(undefined, true);

describe('decisionMetrics', () => {
  it('counts each catalogue action by its outcome, and handled and ignored findings', () => {
    const counts = sumMetrics(decisionMetrics([revoked, revoked, observed, disabled, manual, ignored]));
    expect(counts).toEqual(
      expect.arrayContaining([
        { name: 'FindingsHandled', value: 5 },
        { name: 'FindingsIgnored', value: 1 },
        { name: 'Remediations', value: 2, dimensions: { Action: 'REVOKE_PUBLIC_INGRESS', Outcome: 'REMEDIATED' } },
        { name: 'Remediations', value: 1, dimensions: { Action: 'BLOCK_S3_PUBLIC_ACCESS', Outcome: 'WOULD_CHANGE' } },
        { name: 'Remediations', value: 1, dimensions: { Action: 'ISOLATE_EC2_INSTANCE', Outcome: 'DISABLED' } },
      ]),
    );
    expect(counts).toHaveLength(5);
  });

  it('counts a failed remediation as a failure in total (what the alarm watches) and by action', () => {
    const counts = decisionMetrics([failedKey, revoked]).filter((c) => c.name === 'RemediationFailures');
    expect(counts).toEqual([
      { name: 'RemediationFailures', value: 1 },
      { name: 'RemediationFailures', value: 1, dimensions: { Action: 'DEACTIVATE_ACCESS_KEY' } },
    ]);
  });

  it('counts no remediation for manual-review findings (action NONE) and ignored ones', () => {
    expect(decisionMetrics([manual, ignored]).map((c) => c.name)).toEqual(['FindingsHandled', 'FindingsIgnored']);
  });
});

describe('respondMetrics', () => {
  it('adds unreadable findings, a rejected event, and findings whose record or alert failed', () => {
    const counts = respondMetrics({
      rejected: undefined,
      unreadable: 2,
      handled: [
        { decision: revoked, record: { ok: false }, publish: { ok: true } },
        { decision: observed, record: { ok: true }, publish: { ok: false } },
        { decision: ignored },
      ],
    });
    expect(counts).toEqual(
      expect.arrayContaining([
        { name: 'UnreadableFindings', value: 2 },
        { name: 'RecordFailures', value: 1 },
        { name: 'AlertFailures', value: 1 },
      ]),
    );
    expect(respondMetrics({ rejected: 'not an EventBridge event', unreadable: 0, handled: [] })).toEqual([{ name: 'UnreadableFindings', value: 1 }]);
  });
});

describe('publishMetrics', () => {
  it('writes one EMF document per series, in the SecurityResponse namespace, dimensioned by function', () => {
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'respond' });
    const docs = emfDocuments(() => {
      publishMetrics(metrics, decisionMetrics([revoked, revoked, failedKey]), silentLog);
    });
    const remediations = docs.filter((d) => 'Remediations' in d);
    expect(remediations).toHaveLength(2);
    const revokes = remediations.find((d) => d.Action === 'REVOKE_PUBLIC_INGRESS')!;
    expect(revokes).toMatchObject({ service: 'respond', Outcome: 'REMEDIATED', Remediations: 2 });
    expect(revokes._aws.CloudWatchMetrics).toEqual([
      { Namespace: 'SecurityResponse', Dimensions: [['service', 'Action', 'Outcome']], Metrics: [{ Name: 'Remediations', Unit: 'Count' }] },
    ]);
    // The alarm's series: RemediationFailures under `service` alone.
    const total = docs.find((d) => 'RemediationFailures' in d && !('Action' in d))!;
    expect(total._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
    expect(total.RemediationFailures).toBe(1);
  });

  it('logs instead of throwing when metrics cannot be written: the findings are already handled', () => {
    const errors: unknown[] = [];
    const log: Log = { ...silentLog, error: (...args) => void errors.push(args) };
    const broken = {
      singleMetric: () => {
        throw new Error('stdout closed');
      },
    } as unknown as Metrics;
    expect(() => {
      publishMetrics(broken, [{ name: 'FindingsHandled', value: 1 }], log);
    }).not.toThrow();
    expect(errors).toEqual([['metrics not published', expect.objectContaining({ error: 'stdout closed' })]]);
  });
});
