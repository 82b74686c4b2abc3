import { credentialFindingsPattern } from '../../../stacks/constructs/event-patterns';
import { buildTestFleet, resourcesOf, synthJson } from '../../helpers/fleet';
import { detectiveConfig } from '../../helpers/config';

const on = buildTestFleet(detectiveConfig());
const off = buildTestFleet();
const home = synthJson(on.stacks.get('security-us-east-1')!);
const orgRegions = [...new Set(on.fleet.stacks.map((s) => s.region))].sort();
const values = (json: any, type: string): any[] => Object.values(resourcesOf(json, type));

const investigate = () => values(home, 'aws_lambda_function').find((f) => f.function_name === 'acme-investigate');
const policyOf = (roleName: string) =>
  values(home, 'aws_iam_role_policy')
    .filter((p) => JSON.stringify(p.role).includes(roleName) || p.name?.startsWith(roleName))
    .flatMap((p) => JSON.parse(p.policy).Statement as any[]);

describe('Detective investigations (organization.detective): the investigate function in the security home stack', () => {
  it("is deployed there only, with the organization's regions in its settings", () => {
    expect(investigate()).toBeDefined();
    expect(JSON.parse(investigate().environment.variables.INVESTIGATE_SETTINGS)).toEqual({ regions: orgRegions });
    for (const [name, stack] of on.stacks) {
      if (name === 'security-us-east-1') continue;
      expect(values(synthJson(stack), 'aws_lambda_function').map((f) => f.function_name)).not.toContain('acme-investigate');
    }
  });

  it('is fed by a rule on the aggregated findings whose pattern only the finding provider can satisfy', () => {
    const rule = values(home, 'aws_cloudwatch_event_rule').find((r) => r.name === 'acme-investigate-credential-findings');
    expect(JSON.parse(rule.event_pattern)).toEqual(credentialFindingsPattern());
    // Top-level Types, user-defined fields and the workflow can be rewritten with BatchUpdateFindings by anyone in the member account.
    const findings = credentialFindingsPattern().detail.findings;
    expect(Object.keys(findings).sort()).toEqual(['$or', 'RecordState']);
    for (const alternative of findings.$or) expect(Object.keys(alternative).filter((k) => k !== 'FindingProviderFields' && k !== 'ProductArn')).toEqual([]);
  });

  it('may start and read investigations only in its own graphs, claim findings only in its table, and change nothing in any account', () => {
    const statements = policyOf('acme-investigate');
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.FindOwnGraphs).toMatchObject({ Action: 'detective:ListGraphs', Resource: '*' });
    expect(bySid.InvestigateInOwnGraphs.Resource).toEqual(orgRegions.map((r) => `arn:aws:detective:${r}:222222222222:graph:*`));
    expect(bySid.ClaimFindings.Resource).toBe('arn:aws:dynamodb:us-east-1:222222222222:table/acme-investigations');
    const actions = statements.flatMap((s) => [s.Action].flat()) as string[];
    expect(
      actions.filter((a) => /^(iam|ec2|s3control|organizations):/.test(a) || /^detective:(Create|Delete|Update|Disassociate|Reject|Accept)/.test(a)),
    ).toEqual([]);
  });

  it('reads its checks queue in batches that report the failed checks, and alarms on failures, dead letters and a stalled queue', () => {
    const [mapping] = values(home, 'aws_lambda_event_source_mapping').filter((m) => JSON.stringify(m.event_source_arn).includes('checks-queue'));
    expect(mapping).toMatchObject({ batch_size: 10, function_response_types: ['ReportBatchItemFailures'] });
    const alarms = values(home, 'aws_cloudwatch_metric_alarm').map((a) => a.alarm_name);
    expect(alarms).toEqual(
      expect.arrayContaining([
        'acme-investigate-dead-letters',
        'acme-investigate-investigation-failures',
        'acme-investigate-investigation-check-dead-letters',
        'acme-investigate-investigation-check-backlog',
      ]),
    );
  });

  it('is not deployed when organization.detective is off (the default)', () => {
    for (const stack of off.stacks.values()) {
      const json = synthJson(stack);
      expect(values(json, 'aws_lambda_function').map((f) => f.function_name)).not.toContain('acme-investigate');
      expect(values(json, 'aws_dynamodb_table').map((t) => t.name)).not.toContain('acme-investigations');
    }
  });
});
