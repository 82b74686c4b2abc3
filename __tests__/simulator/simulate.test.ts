/**
 * The simulator over every shipped example event, with the test organization: each gives the
 * decision a security engineer expects (and examples/events/README.md describes), the same code
 * path the deployed functions run, and the contract's invariant that `calls` never hold an EC2,
 * S3 or IAM write unless the remediation is PLANNED. A few cases spawn the CLI for its exit codes.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFleet, parseConfig } from '../../config/load';
import type { Decision } from '../../functions/shared/decision';
import { EventError } from '../../functions/shared/events';
import { simulate, type Simulation } from '../../simulator/simulate';
import { exampleConfig, TEST_ACCOUNTS_FILE } from '../helpers/config';
import { runScript, type ScriptRun } from '../helpers/run-script';

const ROOT = join(__dirname, '..', '..');
const EXAMPLES = join(ROOT, 'examples', 'events');
const fleet = loadFleet(TEST_ACCOUNTS_FILE);

type Json = Record<string, any>;
const example = (file: string): Json => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8'));
const exampleFiles = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.json'))
  .sort();

const RESOURCE_SERVICES = new Set(['ec2', 's3', 's3control', 'iam']);
const resourceCalls = (d: Decision) => d.calls.filter((c) => RESOURCE_SERVICES.has(c.service));
const ops = (d: Decision) => d.calls.map((c) => `${c.service}:${c.operation}`);

/** What each shipped example must give: kind, then per decision the fields that matter. */
const EXPECTED: Record<string, { kind: Simulation['kind']; decisions: Partial<Record<string, unknown>>[] }> = {
  'already-notified.json': {
    kind: 'securityhub-finding',
    decisions: [{ accountId: '333333333333', ignored: true, reason: expect.stringMatching(/NOTIFIED, not NEW/), calls: [] }],
  },
  'create-user-trusted-pipeline.json': {
    kind: 'iam-create-user',
    decisions: [
      {
        accountId: '333333333333',
        ignored: true,
        reason: expect.stringMatching(
          /a trusted creator \(arn:aws:iam::333333333333:role\/terraform-pipeline matches arn:aws:iam::333333333333:role\/terraform-pipeline\)/,
        ),
        calls: [],
      },
    ],
  },
  'create-user-break-glass-exempt-tag.json': {
    kind: 'iam-create-user',
    decisions: [
      {
        accountId: '333333333333',
        ignored: false,
        mode: 'enforce',
        severity: 'CRITICAL',
        remediation: expect.objectContaining({ action: 'QUARANTINE_IAM_USER', status: 'PLANNED', outcome: 'REMEDIATED' }),
      },
    ],
  },
  'create-user-unknown.json': {
    kind: 'iam-create-user',
    decisions: [
      {
        accountId: '333333333333',
        region: 'us-east-1',
        ignored: false,
        mode: 'enforce',
        remediation: expect.objectContaining({ action: 'QUARANTINE_IAM_USER', status: 'PLANNED', outcome: 'REMEDIATED' }),
      },
    ],
  },
  'custom-action-several-findings.json': {
    kind: 'securityhub-custom-action',
    decisions: [
      {
        accountId: '333333333333',
        ignored: false,
        classification: { category: 'malware', escalate: true },
        remediation: expect.objectContaining({ action: 'NONE', status: 'NOT_APPLICABLE' }),
        reason: expect.stringContaining('SecOpsAnalyst/jdoe'),
      },
      {
        accountId: '444444444444',
        ignored: false,
        classification: { category: 'encryption', escalate: true },
        remediation: expect.objectContaining({ action: 'NONE' }),
      },
      {
        accountId: '555555555555',
        ignored: false,
        classification: { category: 'public-exposure', escalate: true },
        remediation: expect.objectContaining({ action: 'NONE' }),
      },
    ],
  },
  'ec2-19-open-security-group.json': {
    kind: 'securityhub-finding',
    decisions: [
      {
        accountId: '333333333333',
        region: 'eu-west-1',
        severity: 'CRITICAL',
        mode: 'enforce',
        ignored: false,
        classification: { category: 'public-exposure', escalate: true },
        remediation: expect.objectContaining({ action: 'REVOKE_PUBLIC_INGRESS', status: 'PLANNED', outcome: 'REMEDIATED' }),
      },
    ],
  },
  'guardduty-ec2-backdoor.json': {
    kind: 'securityhub-finding',
    decisions: [
      {
        accountId: '333333333333',
        region: 'eu-west-1',
        severity: 'CRITICAL',
        mode: 'enforce',
        ignored: false,
        classification: { category: 'malware', escalate: true },
        remediation: expect.objectContaining({ action: 'ISOLATE_EC2_INSTANCE', status: 'PLANNED', outcome: 'REMEDIATED' }),
      },
    ],
  },
  'guardduty-iam-user-compromise.json': {
    kind: 'securityhub-finding',
    decisions: [
      {
        accountId: '333333333333',
        region: 'us-east-1',
        severity: 'HIGH',
        mode: 'enforce',
        ignored: false,
        classification: { category: 'credential-compromise', escalate: true },
        remediation: expect.objectContaining({ action: 'DEACTIVATE_ACCESS_KEY', status: 'PLANNED', outcome: 'REMEDIATED' }),
      },
    ],
  },
  'ocsf-v2-compliance.json': {
    kind: 'securityhub-finding-v2',
    // web-staging takes the default ASFF feed: its OCSF twin is not handled a second time.
    decisions: [
      {
        accountId: '555555555555',
        region: 'us-east-1',
        mode: 'observe',
        ignored: true,
        reason: "web-staging takes the ASFF feed (findingsFeed), not this event's format",
        calls: [],
      },
    ],
  },
  's3-5-bucket-without-tls.json': {
    kind: 'securityhub-finding',
    decisions: [
      {
        accountId: '444444444444',
        region: 'eu-west-1',
        severity: 'CRITICAL',
        mode: 'observe',
        ignored: false,
        classification: { category: 'encryption', escalate: true },
        remediation: expect.objectContaining({ action: 'ENFORCE_S3_TLS', status: 'OBSERVE_ONLY', outcome: 'WOULD_CHANGE' }),
      },
    ],
  },
  's3-8-public-bucket.json': {
    kind: 'securityhub-finding',
    decisions: [
      {
        accountId: '333333333333',
        region: 'eu-west-1',
        severity: 'CRITICAL',
        mode: 'enforce',
        ignored: false,
        classification: { category: 'public-exposure', escalate: true },
        remediation: expect.objectContaining({ action: 'BLOCK_S3_PUBLIC_ACCESS', status: 'PLANNED', outcome: 'REMEDIATED' }),
      },
    ],
  },
};

describe('every shipped example event gives the expected decision', () => {
  it('every file in examples/events has an expectation here (and every expectation a file)', () => {
    expect(exampleFiles).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(exampleFiles)('%s', async (file) => {
    const result = await simulate(example(file), fleet);
    const want = EXPECTED[file];
    expect(result.kind).toBe(want.kind);
    expect(result.decisions).toHaveLength(want.decisions.length);
    want.decisions.forEach((d, i) => {
      expect(result.decisions[i]).toMatchObject(d);
    });
  });

  it('decisions come in event order, one per finding, named by the finding id', async () => {
    for (const file of exampleFiles) {
      const event = example(file);
      const result = await simulate(event, fleet);
      const ids = Array.isArray(event.detail.findings) ? event.detail.findings.map((f: Json) => f.Id ?? f.finding_info?.uid) : [event.detail.eventID];
      expect(result.decisions.map((d) => d.findingId)).toEqual(ids);
    }
  });
});

describe('the decisions in detail', () => {
  it('EC2.19 in payments-prod (enforce): revokes only 0.0.0.0/0 and ::/0 of port 22; never 10.0.0.0/8; 443 untouched; nothing authorized', async () => {
    const [d] = (await simulate(example('ec2-19-open-security-group.json'), fleet)).decisions;
    const revokes = d.calls.filter((c) => c.operation === 'RevokeSecurityGroupIngress');
    expect(revokes).toEqual([
      {
        service: 'ec2',
        operation: 'RevokeSecurityGroupIngress',
        input: {
          GroupId: 'sg-0c1d2e3f4a5b6c7d8',
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
        },
      },
    ]);
    const text = JSON.stringify(d.calls);
    expect(text).not.toContain('10.0.0.0/8');
    expect(text).not.toMatch(/"FromPort":443/);
    expect(ops(d)).not.toContain('ec2:AuthorizeSecurityGroupIngress');
    expect(ops(d)).toEqual(['ec2:RevokeSecurityGroupIngress', 'ec2:CreateTags', 'securityhub:BatchUpdateFindings', 'sns:Publish']);
  });

  it('EC2.19: the finding is recorded RESOLVED by security-response and alerted with CRITICAL for a tagged payments resource', async () => {
    const [d] = (await simulate(example('ec2-19-open-security-group.json'), fleet)).decisions;
    const record = d.calls.find((c) => c.operation === 'BatchUpdateFindings')!.input as Json;
    expect(record.Workflow).toEqual({ Status: 'RESOLVED' });
    expect(record.Note.UpdatedBy).toBe('security-response');
    expect(d.notification).toMatchObject({
      subject: expect.stringMatching(/^\[CRITICAL\] payments-prod: /),
      attributes: { severity: 'CRITICAL', account: '333333333333', team: 'payments', category: 'public-exposure', action: 'REVOKE_PUBLIC_INGRESS' },
    });
    expect(d.notification!.subject.length).toBeLessThan(100);
  });

  it('S3.8 in payments-prod: all four Block Public Access settings on the bucket, nothing else written to S3', async () => {
    const [d] = (await simulate(example('s3-8-public-bucket.json'), fleet)).decisions;
    expect(resourceCalls(d)).toEqual([
      {
        service: 's3',
        operation: 'PutPublicAccessBlock',
        input: {
          Bucket: 'payments-settlement-exports-333333333333',
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
        },
      },
    ]);
  });

  it('S3.5 in data-lake-prod (observe): OBSERVE_ONLY, no S3 write in calls, recorded NOTIFIED, alerted', async () => {
    const [d] = (await simulate(example('s3-5-bucket-without-tls.json'), fleet)).decisions;
    expect(resourceCalls(d)).toEqual([]);
    expect(ops(d)).toEqual(['securityhub:BatchUpdateFindings', 'sns:Publish']);
    expect((d.calls[0].input as Json).Workflow).toEqual({ Status: 'NOTIFIED' });
    expect(d.remediation?.summary).toMatch(/^Would add a deny-insecure-transport statement/);
    expect(d.notification?.attributes).toMatchObject({ team: 'data', category: 'encryption', action: 'ENFORCE_S3_TLS' });
  });

  it('GuardDuty IAM user with a long-term key: deactivates that key (reversible) rather than quarantining the user', async () => {
    const [d] = (await simulate(example('guardduty-iam-user-compromise.json'), fleet)).decisions;
    expect(resourceCalls(d)).toEqual([
      { service: 'iam', operation: 'UpdateAccessKey', input: { UserName: 'ci-deploy-bot', AccessKeyId: 'AKIAVRUVRQ7EXAMPLE42', Status: 'Inactive' } },
    ]);
  });

  it('GuardDuty EC2 backdoor in payments-prod: through an all-traffic step group (untracks connections) into a rule-less isolation group', async () => {
    const [d] = (await simulate(example('guardduty-ec2-backdoor.json'), fleet)).decisions;
    expect(resourceCalls(d).map((c) => c.operation)).toEqual([
      'CreateSecurityGroup',
      'RevokeSecurityGroupEgress',
      'CreateSecurityGroup',
      'AuthorizeSecurityGroupIngress',
      'AuthorizeSecurityGroupEgress',
      'ModifyNetworkInterfaceAttribute',
      'ModifyNetworkInterfaceAttribute',
      'DeleteSecurityGroup',
      'CreateTags',
    ]);
    const [isolation, step] = resourceCalls(d)
      .filter((c) => c.operation === 'CreateSecurityGroup')
      .map((c) => (c.input as { GroupName: string }).GroupName);
    expect([isolation, step]).toEqual(['acme-isolation', expect.stringMatching(/^acme-isolation-step-i-/)]);
    // The only deletion is the step group; nothing of the instance's is deleted, stopped or terminated.
    const deleted = resourceCalls(d).filter((c) => /^Delete|^Terminate|^Stop/.test(c.operation));
    expect(deleted).toEqual([expect.objectContaining({ operation: 'DeleteSecurityGroup', input: { GroupId: 'sg-00000simulatedstep' } })]);
    expect(d.remediation?.summary).toContain('Not cut: ICMP');
  });

  it('already NOTIFIED by this system: ignored, no call of any kind (no loop)', async () => {
    const [d] = (await simulate(example('already-notified.json'), fleet)).decisions;
    expect(d).toMatchObject({ ignored: true, calls: [] });
    expect(d.remediation).toBeUndefined();
  });

  it('OCSF V2 S3.8 in web-staging taking the OCSF feed (observe): BatchUpdateFindingsV2 and an alert, no S3 write', async () => {
    const raw = exampleConfig() as Json;
    raw.acceptedRisks = []; // CSPM automation rules do not act on OCSF findings: validation refuses the pair
    raw.accounts.find((a: Json) => a.name === 'web-staging').findingsFeed = 'ocsf';
    const [d] = (await simulate(example('ocsf-v2-compliance.json'), parseConfig(raw))).decisions;
    expect(ops(d)).toEqual(['securityhub:BatchUpdateFindingsV2', 'sns:Publish']);
    expect(d.calls[0].input).toMatchObject({ MetadataUids: [example('ocsf-v2-compliance.json').detail.findings[0].metadata.uid], StatusId: 2 });
  });

  it('custom action: each of the three findings recorded and alerted, none remediated', async () => {
    const { decisions } = await simulate(example('custom-action-several-findings.json'), fleet);
    for (const d of decisions) {
      expect(ops(d)).toEqual(['securityhub:BatchUpdateFindings', 'sns:Publish']);
      expect(d.notification?.subject).toMatch(/escalated/);
    }
  });

  it('CreateUser by the trusted pipeline: ignored, no call at all', async () => {
    const [d] = (await simulate(example('create-user-trusted-pipeline.json'), fleet)).decisions;
    expect(d.calls).toEqual([]);
  });

  it('CreateUser by an unknown user: the deny-all boundary set and the user tagged, then an alert', async () => {
    const [d] = (await simulate(example('create-user-unknown.json'), fleet)).decisions;
    expect(ops(d)).toEqual(['iam:PutUserPermissionsBoundary', 'iam:TagUser', 'sns:Publish']);
    expect(d.calls[0].input).toEqual({ UserName: 'support-backup', PermissionsBoundary: 'arn:aws:iam::333333333333:policy/acme-quarantine-deny-all' });
    expect(d.notification?.subject).toBe('[HIGH] payments-prod: new IAM user support-backup quarantined');
  });

  it('CreateUser of a break-glass name with the exemption tag and its own boundary: quarantined, CRITICAL, that boundary recorded for undo', async () => {
    const [d] = (await simulate(example('create-user-break-glass-exempt-tag.json'), fleet)).decisions;
    expect(ops(d)).toEqual(['iam:PutUserPermissionsBoundary', 'iam:TagUser', 'sns:Publish']);
    const tags = Object.fromEntries((d.calls[1].input as { Tags: { Key: string; Value: string }[] }).Tags.map((t) => [t.Key, t.Value]));
    expect(tags['security-response:previous-boundary']).toBe('arn:aws:iam::333333333333:policy/mallory-boundary');
    expect(d.notification?.subject).toBe('[CRITICAL] payments-prod: untrusted break-glass user break-glass-3 quarantined');
  });
});

describe('--stack: judge the event as one stack’s functions would', () => {
  it.each([
    ['the stack of the finding', 'payments-prod-eu-west-1', false],
    ['another region of the same account', 'payments-prod-us-east-1', true],
    ['another account (the security account sees aggregated copies)', 'security-us-east-1', true],
    ['another account in the same region', 'data-lake-prod-eu-west-1', true],
  ])('EC2.19 of payments-prod eu-west-1 on %s (%s): ignored=%s', async (_what, stack, ignored) => {
    const [d] = (await simulate(example('ec2-19-open-security-group.json'), fleet, { stack })).decisions;
    expect(d.ignored).toBe(ignored);
    if (ignored) {
      expect(d.calls).toEqual([]);
      expect(d.reason).toMatch(/this function acts only/);
    } else {
      expect(d.remediation?.status).toBe('PLANNED');
    }
  });

  it('CreateUser is handled only by the account’s primary stack', async () => {
    const onPrimary = await simulate(example('create-user-unknown.json'), fleet, { stack: 'payments-prod-us-east-1' });
    expect(onPrimary.decisions[0]).toMatchObject({ ignored: false, remediation: { status: 'PLANNED' } });
    const elsewhere = await simulate(example('create-user-unknown.json'), fleet, { stack: 'payments-prod-eu-west-1' });
    expect(elsewhere.decisions[0]).toMatchObject({ ignored: true, calls: [] });
    const otherAccount = await simulate(example('create-user-unknown.json'), fleet, { stack: 'security-us-east-1' });
    expect(otherAccount.decisions[0]).toMatchObject({ ignored: true, calls: [] });
  });

  it('the custom action is handled only by the security account’s home stack', async () => {
    const home = await simulate(example('custom-action-several-findings.json'), fleet, { stack: 'security-us-east-1' });
    expect(home.decisions.every((d) => !d.ignored)).toBe(true);
    const other = await simulate(example('custom-action-several-findings.json'), fleet, { stack: 'payments-prod-eu-west-1' });
    expect(other.decisions.every((d) => d.ignored && d.calls.length === 0)).toBe(true);
  });

  it('an unknown stack name is an error naming it', async () => {
    await expect(simulate(example('ec2-19-open-security-group.json'), fleet, { stack: 'nope-eu-west-1' })).rejects.toThrow(
      /--stack nope-eu-west-1: no such stack/,
    );
  });
});

describe('each finding judged with its own account’s settings', () => {
  it('a finding of an account the configuration does not list is ignored with that reason', async () => {
    const event = example('s3-8-public-bucket.json');
    event.detail.findings[0].AwsAccountId = '999999999999';
    const [d] = (await simulate(event, fleet)).decisions;
    expect(d).toMatchObject({ ignored: true, reason: 'account 999999999999 is not in the configuration', calls: [] });
  });

  it('a finding of a region where the account has no responder is ignored', async () => {
    const event = example('s3-8-public-bucket.json');
    event.detail.findings[0].Region = 'ap-southeast-2';
    const [d] = (await simulate(event, fleet)).decisions;
    expect(d).toMatchObject({ ignored: true, calls: [] });
    expect(d.reason).toMatch(/no responder in ap-southeast-2/);
  });

  it('--config: the same EC2.19 finding in an organization where payments-prod observes writes nothing', async () => {
    const config = exampleConfig() as Json;
    config.accounts.find((a: Json) => a.name === 'payments-prod').mode = 'observe';
    const observing = parseConfig(config);
    const [d] = (await simulate(example('ec2-19-open-security-group.json'), observing)).decisions;
    expect(d.remediation).toMatchObject({ action: 'REVOKE_PUBLIC_INGRESS', status: 'OBSERVE_ONLY' });
    expect(resourceCalls(d)).toEqual([]);
  });

  it('an exempt-tagged security group is EXEMPT with no EC2 call', async () => {
    const event = example('ec2-19-open-security-group.json');
    event.detail.findings[0].Resources[0].Tags['security-response:exempt'] = 'true';
    const [d] = (await simulate(event, fleet)).decisions;
    expect(d.remediation?.status).toBe('EXEMPT');
    expect(resourceCalls(d)).toEqual([]);
  });

  it('ISOLATE_EC2_INSTANCE off by default: the backdoor in data-lake-prod is DISABLED, no EC2 call', async () => {
    const event = JSON.parse(JSON.stringify(example('guardduty-ec2-backdoor.json')).replaceAll('333333333333', '444444444444'));
    const [d] = (await simulate(event, fleet)).decisions;
    expect(d.remediation).toMatchObject({ action: 'ISOLATE_EC2_INSTANCE', status: 'DISABLED' });
    expect(resourceCalls(d)).toEqual([]);
  });

  it('a malformed finding is named and the simulation stops (EventError)', async () => {
    const event = example('s3-8-public-bucket.json');
    delete event.detail.findings[0].Severity;
    await expect(simulate(event, fleet)).rejects.toThrow(EventError);
    await expect(simulate(event, fleet)).rejects.toThrow(/detail\.findings\[0\]\.Severity\.Label is missing/);
  });
});

describe('invariant: calls hold an EC2, S3, S3 Control or IAM write only when the remediation is PLANNED', () => {
  it('over every example × (no stack and every stack of the configuration)', async () => {
    let checked = 0;
    let planned = 0;
    for (const file of exampleFiles) {
      for (const stack of [undefined, ...fleet.stacks.map((s) => s.name)]) {
        const { decisions } = await simulate(example(file), fleet, { stack });
        for (const d of decisions) {
          checked++;
          if (d.remediation?.status === 'PLANNED') planned++;
          else expect({ file, stack, finding: d.findingId, writes: resourceCalls(d) }).toEqual({ file, stack, finding: d.findingId, writes: [] });
          if (d.ignored) expect(d.calls).toEqual([]);
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(planned).toBeGreaterThan(0);
  });

  it('and in an organization where every account observes, no example produces a resource write at all', async () => {
    const config = exampleConfig() as Json;
    config.defaults.mode = 'observe';
    for (const a of config.accounts) a.mode = 'observe';
    const observing = parseConfig(config);
    for (const file of exampleFiles) {
      for (const d of (await simulate(example(file), observing)).decisions) expect(resourceCalls(d)).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The CLI: exit codes and stderr
// ---------------------------------------------------------------------------------------------

/** `npx tsx simulator/cli.ts …` with the test organization. */
const cli = (args: string[]) => runScript('simulator/cli.ts', args);
const work = mkdtempSync(join(tmpdir(), 'simulate-cli-'));
function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}
const stderrLines = (r: ScriptRun) => r.stderr.split('\n').filter((l) => l.length > 0);

describe('the CLI', () => {
  // The spawns run in parallel: tsx starts in about a second each.
  let runs: Record<string, ScriptRun>;
  beforeAll(async () => {
    const cases: Record<string, string[]> = {
      notJson: [file('not-json.json', 'this is not json\n')],
      notJsonOneLine: [file('not-json-one-line.json', '{"source": ')],
      notEventBridge: [file('not-eventbridge.json', JSON.stringify({ hello: 'world' }))],
      missingFindings: [file('no-findings.json', JSON.stringify({ ...example('s3-8-public-bucket.json'), detail: { nothing: true } }))],
      missingCreateUserFields: [
        file('no-user.json', JSON.stringify({ ...example('create-user-unknown.json'), detail: { eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' } })),
      ],
      unsupported: [
        file(
          'unsupported.json',
          JSON.stringify({
            version: '0',
            id: 'x',
            source: 'aws.ec2',
            'detail-type': 'EC2 Instance State-change Notification',
            account: '333333333333',
            region: 'eu-west-1',
            time: '2026-03-14T00:00:00Z',
            resources: [],
            detail: { state: 'running' },
          }),
        ),
      ],
      example: [join(EXAMPLES, 'ec2-19-open-security-group.json'), '--stack', 'payments-prod-eu-west-1'],
      unknownStack: [join(EXAMPLES, 'ec2-19-open-security-group.json'), '--stack', 'nope-eu-west-1'],
    };
    const names = Object.keys(cases);
    const results = await Promise.all(names.map((n) => cli(cases[n])));
    runs = Object.fromEntries(names.map((n, i) => [n, results[i]]));
  }, 60_000);

  it('not JSON (a one-line file): exit 2, one line on stderr naming the file and the problem', () => {
    const r = runs.notJsonOneLine;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(stderrLines(r)).toEqual([expect.stringMatching(/not-json-one-line\.json: not JSON: /)]);
  });

  // JSON.parse's message quotes the input, line breaks included: the CLI folds it into one line.
  it('not JSON (text with a line break): still exactly one line on stderr', () => {
    const r = runs.notJson;
    expect(r.code).toBe(2);
    expect(stderrLines(r)).toEqual([expect.stringMatching(/not-json\.json: not JSON: /)]);
  });

  it('not an EventBridge event: exit 2, one line naming the missing envelope fields', () => {
    const r = runs.notEventBridge;
    expect(r.code).toBe(2);
    expect(stderrLines(r)).toEqual([expect.stringMatching(/not-eventbridge\.json: not an EventBridge event: source, detail-type, account, region missing/)]);
  });

  it('a recognised kind with fields missing: exit 2, one line naming the field', () => {
    expect(runs.missingFindings.code).toBe(2);
    expect(stderrLines(runs.missingFindings)).toEqual([expect.stringMatching(/no-findings\.json: detail\.findings is missing or not a list/)]);
    expect(runs.missingCreateUserFields.code).toBe(2);
    expect(stderrLines(runs.missingCreateUserFields)).toEqual([expect.stringMatching(/no-user\.json: detail\.\S+ is missing/)]);
  });

  it('an event of another kind: exit 0, kind unsupported, no decisions', () => {
    const r = runs.unsupported;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ kind: 'unsupported', decisions: [] });
  });

  it('an example with --stack: exit 0, one JSON document equal to simulate()', async () => {
    const r = runs.example;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(
      JSON.parse(JSON.stringify(await simulate(example('ec2-19-open-security-group.json'), fleet, { stack: 'payments-prod-eu-west-1' }))),
    );
  });

  it('an unknown --stack: exit 2, one line', () => {
    expect(runs.unknownStack.code).toBe(2);
    expect(stderrLines(runs.unknownStack)).toEqual([expect.stringMatching(/no such stack/)]);
  });
});
