/**
 * The operator's view: every function's alarms, the path their state changes take to the alert
 * topic across accounts and regions, and the dashboard. Cross-checks the pieces that must agree
 * although they live in different stacks (names computed from the configuration on both sides).
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRIC, METRICS_NAMESPACE } from '../../functions/shared/metrics';
import { publishMetrics } from '../../functions/runtime/metrics';
import { silentLog } from '../../functions/shared/log';
import { alarmStateChangePattern } from '../../stacks/constructs/event-patterns';
import { dashboardPanels } from '../../stacks/constructs/operations-dashboard';
import { emfDocuments } from '../helpers/emf';
import { buildTestFleet, findResource, resourcesOf, synthJson } from '../helpers/fleet';

const { fleet, stacks } = buildTestFleet();
const ORG = 'acme';
const HOME = 'security-us-east-1';
const all = [...stacks.keys()].map((name) => ({ name, json: synthJson(stacks.get(name)!) }));
const home = all.find((s) => s.name === HOME)!.json;
/** An IAM-style pattern (`*` matches anything) as a regular expression. */
const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.?+^$()[\]{}|\\/]/g, '\\$&'))
      .join('.*')}$`,
  );
const values = <T>(json: any, type: string) => Object.values(resourcesOf(json, type)) as T[];

/** The EMF document Powertools writes for one count of `name` from function `fn`. */
function emf(fn: string, name: string): Record<string, any> {
  const [doc] = emfDocuments(() => {
    publishMetrics(new Metrics({ namespace: METRICS_NAMESPACE, serviceName: fn }), [{ name: name as any, value: 1 }], silentLog);
  });
  return doc;
}

describe('every function has alarms', () => {
  it.each(all.map((s) => s.name))('%s: a dead-letter alarm on each of its queues', (name) => {
    const json = all.find((s) => s.name === name)!.json;
    const queues = values<any>(json, 'aws_sqs_queue').map((q) => q.name);
    const alarms = values<any>(json, 'aws_cloudwatch_metric_alarm').filter((a) => a.namespace === 'AWS/SQS');
    expect(alarms.map((a) => a.dimensions.QueueName).sort()).toEqual(queues.sort());
    for (const alarm of alarms) {
      // The router's intake and ticket job queues are work queues: they hold something now and then, so
      // their alarms are on the age of the oldest message (15 minutes; 30 for jobs, which wait between retries).
      const workQueues: Record<string, number | undefined> = { 'acme-alert-intake': 900, 'acme-ticket-jobs': 1800 };
      const maxAge = workQueues[alarm.dimensions.QueueName];
      const expected =
        maxAge === undefined
          ? { metric_name: 'ApproximateNumberOfMessagesVisible', threshold: 0 }
          : { metric_name: 'ApproximateAgeOfOldestMessage', threshold: maxAge };
      expect(alarm).toMatchObject({ ...expected, comparison_operator: 'GreaterThanThreshold', treat_missing_data: 'notBreaching' });
    }
  });

  it('alarms on remediation failures of respond and quarantine-user, on the exact series the functions emit', () => {
    const json = all.find((s) => s.name === 'payments-prod-us-east-1')!.json;
    const failures = values<any>(json, 'aws_cloudwatch_metric_alarm').filter((a) => a.namespace === METRICS_NAMESPACE);
    expect(failures.map((a) => a.alarm_name).sort()).toEqual(['acme-quarantine-user-remediation-failures', 'acme-respond-remediation-failures']);
    for (const alarm of failures) {
      const fn = alarm.dimensions.service;
      const doc = emf(fn, METRIC.remediationFailures);
      // CloudWatch matches an alarm to a series by namespace, name and the exact dimension set.
      expect(doc._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: alarm.namespace, Dimensions: [Object.keys(alarm.dimensions)] });
      expect(doc._aws.CloudWatchMetrics[0].Metrics[0].Name).toBe(alarm.metric_name);
      expect(doc.service).toBe(fn);
    }
  });

  it('the dead-letter alarms of the functions that write evidence (route its ticket records) say their queue may hold evidence records', () => {
    const description = (name: string) => values<any>(home, 'aws_cloudwatch_metric_alarm').find((a) => a.alarm_name === name)?.alarm_description;
    for (const fn of ['respond', 'escalate', 'route'])
      expect(description(`acme-${fn}-dead-letters`)).toContain('or evidence records it could not write (message attribute kind=evidence)');
    // The intake queue's dead letters are alerts, never records.
    expect(description('acme-route-intake-dead-letters')).not.toContain('evidence');
  });

  it('does not alarm on remediation failures of escalate, which remediates nothing', () => {
    const names = values<any>(home, 'aws_cloudwatch_metric_alarm').map((a) => a.alarm_name);
    expect(names).toContain('acme-escalate-dead-letters');
    expect(names).not.toContain('acme-escalate-remediation-failures');
  });
});

describe('alarm state changes reach the alert topic from every account and region', () => {
  const busArn = 'arn:aws:events:us-east-1:222222222222:event-bus/acme-security-response-alarms';
  const busPolicy = JSON.parse(findResource(home, 'aws_cloudwatch_event_bus_policy', () => true).policy);
  const admitted: string[] = busPolicy.Statement[0].Condition.ArnLike['aws:PrincipalArn'];

  it.each(all.map((s) => s.name))("%s: forwards each function's alarms to the security account bus with a role only the bus admits", (name) => {
    const json = all.find((s) => s.name === name)!.json;
    const plan = fleet.stacks.find((s) => s.name === name)!;
    const alarms = values<any>(json, 'aws_cloudwatch_metric_alarm');
    const forwarders = values<any>(json, 'aws_cloudwatch_event_rule').filter((r) => r.name.endsWith('-alarms'));
    // Every alarm is named in exactly one forwarder rule.
    const forwarded = forwarders.flatMap((r) => JSON.parse(r.event_pattern).detail.alarmName);
    expect(forwarded.sort()).toEqual(alarms.map((a) => a.alarm_name).sort());
    for (const target of values<any>(json, 'aws_cloudwatch_event_target').filter((t) => t.target_id === 'security-account-alarm-bus')) {
      expect(target.arn).toBe(busArn);
      expect(target.dead_letter_config.arn).toMatch(/^\$\{aws_sqs_queue\.[\w-]+\.arn\}$/);
    }
    for (const role of values<any>(json, 'aws_iam_role').filter((r) => r.name.includes('-alarms-'))) {
      expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': plan.account.id } },
        },
      ]);
      const arn = `arn:aws:iam::${plan.account.id}:role/${role.name}`;
      expect(admitted.some((p) => glob(p).test(arn))).toBe(true);
    }
    for (const policy of values<any>(json, 'aws_iam_role_policy').filter((p) => p.name.endsWith('-put-events'))) {
      expect(JSON.parse(policy.policy).Statement).toEqual([{ Sid: 'PutEventsOnAlarmBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn }]);
    }
  });

  it('admits only principals of the organization on the bus, and no role other than the forwarders', () => {
    expect(busPolicy.Statement).toHaveLength(1);
    expect(busPolicy.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Resource: busArn,
      Condition: { StringEquals: { 'aws:PrincipalOrgID': fleet.config.organization.id } },
    });
    for (const { json } of all) {
      for (const role of values<any>(json, 'aws_iam_role').filter((r) => !r.name.includes('-alarms-'))) {
        expect(admitted.some((p) => glob(p).test(`arn:aws:iam::333333333333:role/${role.name}`))).toBe(false);
      }
    }
  });

  it('relays every alarm of the organization to the e-mail topic (past the router, so an alarm about the router arrives), which admits exactly that rule', () => {
    const relay = findResource(home, 'aws_cloudwatch_event_rule', (r) => r.name === 'acme-alarms-to-alert-topic');
    const prefix = JSON.parse(relay.event_pattern).detail.alarmName[0].prefix;
    for (const { json } of all) {
      for (const alarm of values<any>(json, 'aws_cloudwatch_metric_alarm')) expect(alarm.alarm_name.startsWith(prefix)).toBe(true);
    }
    const target = findResource(home, 'aws_cloudwatch_event_target', (t) => t.target_id === 'alert-topic');
    expect(target.arn).toBe('arn:aws:sns:us-east-1:222222222222:acme-security-alerts-email');
    expect(target.dead_letter_config.arn).toMatch(/^\$\{aws_sqs_queue\.local-responder_respond_dead-letter-queue_\w+\.arn\}$/);
    expect(target.input_transformer.input_template).toMatch(/^"\[<state>\] <alarm> in account <account>, <region>/);
    const topicPolicy = JSON.parse(findResource(home, 'aws_sns_topic_policy', (p) => p.arn.includes('email-topic')).policy);
    const events = topicPolicy.Statement.find((s: any) => s.Principal.Service === 'events.amazonaws.com');
    // The rule ARN of a rule on a custom bus carries the bus name.
    expect(events.Condition).toEqual({
      ArnEquals: { 'aws:SourceArn': ['arn:aws:events:us-east-1:222222222222:rule/acme-security-response-alarms/acme-alarms-to-alert-topic'] },
    });
    const keyPolicy = JSON.parse(findResource(home, 'aws_kms_key', (k) => k.description.includes('acme-security-alerts')).policy);
    expect(keyPolicy.Statement.find((s: any) => s.Principal.Service === 'events.amazonaws.com').Action).toEqual(['kms:GenerateDataKey*', 'kms:Decrypt']);
  });

  it('keeps the relay and its topic permissions out of every other stack', () => {
    for (const { name, json } of all.filter((s) => s.name !== HOME)) {
      expect([name, Object.keys(resourcesOf(json, 'aws_cloudwatch_event_bus'))]).toEqual([name, []]);
      expect([name, Object.keys(resourcesOf(json, 'aws_cloudwatch_dashboard'))]).toEqual([name, []]);
    }
  });
});

describe('which alarm state changes are forwarded', () => {
  const pattern = alarmStateChangePattern(['acme-respond-dead-letters']) as any;
  it('forwards ALARM and the return to OK from ALARM, not the first OK of a new alarm', () => {
    expect(pattern.detail.$or).toEqual([{ state: { value: ['ALARM'] } }, { state: { value: ['OK'] }, previousState: { value: ['ALARM'] } }]);
    expect(pattern).toMatchObject({ source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'] });
  });
});

describe('the dashboard', () => {
  const dashboard = findResource(home, 'aws_cloudwatch_dashboard', () => true);
  const body = JSON.parse(dashboard.dashboard_body);
  const metricWidgets = body.widgets.filter((w: any) => w.type === 'metric');

  it('has one row per region a function runs in, us-east-1 (quarantine-user) included', () => {
    const regions = [...new Set(metricWidgets.map((w: any) => w.properties.region))].sort();
    expect(regions).toEqual([...new Set([...fleet.stacks.map((s) => s.region), 'us-east-1'])].sort());
    expect(metricWidgets).toHaveLength(regions.length * dashboardPanels(ORG).length);
  });

  it('shows remediations by action and outcome, failures, dead-letter depth and quarantines', () => {
    const titles = metricWidgets.filter((w: any) => w.properties.region === 'eu-west-1').map((w: any) => w.properties.title);
    expect(titles).toEqual([
      'Remediations by action and outcome (eu-west-1)',
      'RemediationFailures by action (eu-west-1)',
      'Dead-letter queue depth (eu-west-1)',
      'IAM quarantines by outcome (eu-west-1)',
      'Findings handled, ignored, unreadable; escalations; failed records, alerts, remediations (eu-west-1)',
    ]);
  });

  it('selects the series the functions emit: each dimension set belongs to one metric', () => {
    const schema = (search: string) => /^\{([^}]+)\}/.exec(search)![1].split(',').sort();
    const [remediations, failures] = dashboardPanels(ORG);
    expect(schema(remediations.search)).toEqual([METRICS_NAMESPACE, 'Action', 'Outcome', 'service'].sort());
    expect(schema(failures.search)).toEqual([METRICS_NAMESPACE, 'Action', 'service'].sort());
    for (const w of metricWidgets) expect(w.properties.metrics[0][0].expression).toMatch(/^SEARCH\('\{[^']+', '(Sum|Maximum)', \d+\)$/);
  });

  it('finds every dead-letter queue of the organization by its name tokens', () => {
    const dlq = dashboardPanels(ORG)[2].search;
    const tokens = [...dlq.matchAll(/QueueName=(\S+)/g)].map((m) => m[1]);
    const queues = all.flatMap(({ json }) => values<any>(json, 'aws_sqs_queue').map((q) => q.name as string));
    // Every queue but the router's work queues (intake, ticket jobs) is a dead-letter queue.
    expect(queues.filter((q) => !q.endsWith('-dlq')).sort()).toEqual(['acme-alert-intake', 'acme-ticket-jobs']);
    for (const q of queues.filter((name) => name.endsWith('-dlq'))) for (const t of tokens) expect(q.split('-')).toContain(t);
  });
});
