/**
 * The smoke test is useless if its findings would not trigger the responder. These tests run the
 * findings it imports (and the CreateUser its new user causes) through the simulator, i.e. the
 * deployed functions' own decision code, with the test organization, and through the local
 * EventBridge rule's pattern.
 */
import { loadFleet, parseConfig } from '../../../../config/load';
import { simulate } from '../../../../simulator/simulate';
import { asffFindingsPattern } from '../../../../stacks/constructs/event-patterns';
import { buildFindings, createUserEvent, findingsEvent, INTENDED_ACTION, smokeSeverity, type SmokeTargets } from '../../../../scripts/operator/smoke';
import { exampleConfig, TEST_ACCOUNTS_FILE } from '../../../helpers/config';

const fleet = loadFleet(TEST_ACCOUNTS_FILE);
const NOW = new Date('2026-03-14T10:00:00.000Z');
const RUN = '20260314100000-abc123';
const targets: SmokeTargets = {
  groupId: 'sg-0123456789abcdef0',
  groupName: `acme-smoke-${RUN}`,
  vpcId: 'vpc-0aaa',
  bucket: `acme-smoke-${RUN}`,
  userName: `acme-smoke-${RUN}`,
  accessKeyId: 'AKIAEXAMPLESMOKE0001',
};

function smokeFor(stackName: string, f = fleet) {
  const stack = f.stacks.find((s) => s.name === stackName)!;
  const s = stack.settings;
  const smoke = buildFindings({ org: s.organization, runId: RUN, accountId: s.accountId, region: stack.region, severity: smokeSeverity(s), now: NOW }, targets);
  return {
    stack,
    smoke,
    event: findingsEvent(
      smoke.map((x) => x.finding),
      stack.region,
      s.accountId,
      NOW,
    ),
  };
}

/** EventBridge matching of `detail.findings` fields: each listed value set must contain the finding's value. */
function matchesRule(finding: Record<string, any>, pattern: Record<string, any>): boolean {
  const match = (value: any, p: any): boolean => (Array.isArray(p) ? p.includes(value) : Object.entries(p).every(([k, sub]) => value && match(value[k], sub)));
  return match(finding, pattern.detail.findings);
}

describe('the findings npm run smoke imports, judged by the real decision code', () => {
  it.each([
    ['payments-prod-eu-west-1', 'PLANNED', 'enforce'],
    ['web-staging-eu-west-1', 'OBSERVE_ONLY', 'observe'],
    ['data-lake-prod-eu-central-1', 'OBSERVE_ONLY', 'observe'],
  ])('on %s each finding gets its intended action, %s (the one calling itself GuardDuty: none), and none is ignored', async (stackName, status, mode) => {
    const { stack, smoke, event } = smokeFor(stackName);
    const sim = await simulate(event, fleet, { stack: stack.name });
    expect(sim.kind).toBe('securityhub-finding');
    expect(sim.decisions).toHaveLength(3);
    sim.decisions.forEach((d, i) => {
      expect(d).toMatchObject({ ignored: false, accountId: stack.settings.accountId, region: stack.region, mode });
      const intended = INTENDED_ACTION[smoke[i].kind];
      expect(d.remediation).toMatchObject({ action: intended, status: intended === 'NONE' ? 'NOT_APPLICABLE' : status });
    });
    expect(smoke.map((s) => s.kind)).toEqual(['EC2.19', 'S3.8', 'GuardDuty IAMUser']);
  });

  it('is judged the same by its own account responder without --stack (account id and region are right)', async () => {
    const { smoke, event } = smokeFor('payments-prod-eu-west-1');
    const sim = await simulate(event, fleet);
    expect(sim.decisions.map((d) => [d.ignored, d.remediation?.action, d.remediation?.status])).toEqual(
      smoke.map((s) => [false, INTENDED_ACTION[s.kind], INTENDED_ACTION[s.kind] === 'NONE' ? 'NOT_APPLICABLE' : 'PLANNED']),
    );
  });

  it('in enforce would revoke only the world-open ranges of port 22 and block the test bucket, and leave the key the forged GuardDuty finding names alone', async () => {
    const { event } = smokeFor('payments-prod-eu-west-1');
    const [sg, bucket, key] = (await simulate(event, fleet, { stack: 'payments-prod-eu-west-1' })).decisions;
    const revoke = sg.calls.find((c) => c.operation === 'RevokeSecurityGroupIngress')!;
    expect(JSON.stringify(revoke.input)).toContain('0.0.0.0/0');
    expect(JSON.stringify(revoke.input)).toContain('::/0');
    expect(JSON.stringify(revoke.input)).not.toContain('10.0.0.0/8');
    expect(bucket.calls).toContainEqual(
      expect.objectContaining({ operation: 'PutPublicAccessBlock', input: expect.objectContaining({ Bucket: targets.bucket }) }),
    );
    expect(key.calls.filter((c) => c.service === 'iam')).toEqual([]);
    expect(key.remediation).toMatchObject({ action: 'NONE' });
  });

  it('matches the local EventBridge rule of its stack (account, region, ACTIVE, NEW, severity at or above the threshold)', () => {
    for (const name of ['payments-prod-eu-west-1', 'web-staging-eu-west-1']) {
      const { stack, smoke } = smokeFor(name);
      const pattern = asffFindingsPattern(stack.settings.accountId, stack.region, stack.settings.notifyMinSeverity);
      for (const s of smoke) expect(matchesRule(s.finding, pattern)).toBe(true);
    }
  });

  it('raises its severity to CRITICAL where the account only hears CRITICAL, so it is still not ignored', async () => {
    const raw = exampleConfig();
    raw.accounts.find((a: any) => a.name === 'web-staging')!.notifyMinSeverity = 'CRITICAL';
    const critical = parseConfig(raw);
    const { smoke, event } = smokeFor('web-staging-eu-west-1', critical);
    expect(smoke.every((s) => s.finding.Severity?.Label === 'CRITICAL')).toBe(true);
    const sim = await simulate(event, critical, { stack: 'web-staging-eu-west-1' });
    expect(sim.decisions.map((d) => [d.ignored, d.remediation?.status])).toEqual([
      [false, 'OBSERVE_ONLY'],
      [false, 'OBSERVE_ONLY'],
      [false, 'NOT_APPLICABLE'],
    ]);
  });

  it('its new user is quarantined by quarantine-user unless the smoke runs as a trusted creator', async () => {
    const unknown = createUserEvent(
      '333333333333',
      targets.userName!,
      { arn: 'arn:aws:sts::333333333333:assumed-role/ops/alice', roleArn: 'arn:aws:iam::333333333333:role/ops' },
      NOW,
    );
    const [quarantined] = (await simulate(unknown, fleet)).decisions;
    expect(quarantined).toMatchObject({ ignored: false, remediation: { action: 'QUARANTINE_IAM_USER', status: 'PLANNED' } });

    const pipeline = createUserEvent(
      '333333333333',
      targets.userName!,
      { arn: 'arn:aws:sts::333333333333:assumed-role/terraform-pipeline/ci', roleArn: 'arn:aws:iam::333333333333:role/terraform-pipeline' },
      NOW,
    );
    const [trusted] = (await simulate(pipeline, fleet)).decisions;
    expect(trusted).toMatchObject({ ignored: true, reason: expect.stringMatching(/trusted creator/) });
  });
});
