/**
 * The emulator tier, stacks: every stack kind of the test organization (emulator/accounts.json)
 * applied with the real Terraform AWS provider against moto, in deploy order; a second plan shows
 * nothing but the listed moto artifacts; destroy leaves nothing. What moto lacks is answered by
 * validating stand-ins (each request checked against AWS's service model) and listed, with its
 * reason, in emulator/moto-gaps.ts. Missing moto or provider fails with one line, never skips.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadServiceModel, type ServiceModel } from '../../emulator/aws-model';
import { guardDutyManagement, type GuardDutyManagement } from '../../emulator/guardduty-management';
import { motoLeftovers } from '../../emulator/leftovers';
import { MOTO_GAPS } from '../../emulator/moto-gaps';
import { motoMissing, startMoto, type MotoServer } from '../../emulator/moto';
import { assumeRole, createTestOrganization, motoJsonCall } from '../../emulator/organization';
import { checkedHandlers, securityHubManagement, type SecurityHubManagement } from '../../emulator/securityhub-management';
import { securityHubModel, startRestJsonStandIn, startSecurityHubStandIn, type SecurityHubStandIn } from '../../emulator/securityhub-standin';
import { EMULATOR_ACCOUNTS, synthesizeOrganization, type SynthesizedOrganization } from '../../emulator/synth';
import { loadFleet } from '../../config/load';
import { names } from '../../functions/shared/naming';
import { awsProfilesConfig } from '../../scripts/operator/aws-profiles';
import { applyShard, planShard, responderDestroys, terraformRunner } from '../../scripts/ci/terraform-shard';
import {
  emulatorAwsConfig,
  isolatedTerraformEnv,
  prepareEmulatorStack,
  providerMirror,
  stopRunningTerraform,
  type EmulatorStack,
  type PlannedChange,
} from '../../emulator/terraform';

const accountsFile = JSON.parse(readFileSync(EMULATOR_ACCOUNTS, 'utf8'));
const organization = accountsFile.organization as {
  id: string;
  rootId: string;
  managementAccountId: string;
  deploymentRoleName: string;
  homeRegion: string;
};
const memberAccounts = (accountsFile.accounts as Array<{ id: string; name: string; regions?: string[] }>)
  .filter((a) => a.id !== organization.managementAccountId)
  .map((a) => ({ id: a.id, name: a.name }));
const accountRegions = (accountsFile.accounts as Array<{ id: string; regions?: string[] }>).map((a) => ({
  id: a.id,
  regions: a.regions ?? accountsFile.defaults.regions,
}));
/**
 * Independent stacks run this many at a time. Most of a stack's apply and destroy is the
 * provider waiting (SQS creation and deletion each poll ~25 s), not CPU, so 3 fit on 2 cores.
 */
const CONCURRENCY = 3;

const started = Date.now();
let org: SynthesizedOrganization | undefined;
let workRoot: string | undefined;
let moto: MotoServer | undefined;
let hub: SecurityHubStandIn | undefined;
let guardDuty: SecurityHubStandIn | undefined;
let hubState: SecurityHubManagement;
let guardDutyState: GuardDutyManagement;
let guardDutyModel: ServiceModel;
const handlerProblems: string[] = [];
const stacks = new Map<string, EmulatorStack>();
/** Later checks read the applied world; without it they would only repeat the apply failure. */
let applied = false;
const requireApplied = () => {
  if (!applied) throw new Error('the stacks did not all apply (see the apply test)');
};
/** Deploy waves from cdktf's manifest: a stack applies once every stack it depends on has. */
let waves: string[][] = [];

function deployWaves(outdir: string): string[][] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { dependencies: string[] }> };
  const pending = new Map(Object.entries(manifest.stacks).map(([name, s]) => [name, new Set(s.dependencies)]));
  const done = new Set<string>();
  const result: string[][] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, deps]) => [...deps].every((d) => done.has(d))).map(([name]) => name);
    if (ready.length === 0) throw new Error(`stack dependencies form a cycle: ${[...pending.keys()].join(', ')}`);
    ready.sort();
    result.push(ready);
    for (const name of ready) {
      pending.delete(name);
      done.add(name);
    }
  }
  return result;
}

/** Runs `task` over `items`, at most `limit` at a time; the first failure fails the whole. */
async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const failures: unknown[] = [];
  const workers = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    while (queue.length > 0) {
      const item = queue.shift()!;
      await task(item).catch((error: unknown) => failures.push(error));
    }
  });
  await Promise.all(workers);
  if (failures.length > 0) throw failures[0];
}

const timings: string[] = [];
async function timed(label: string, work: () => Promise<void>): Promise<void> {
  const t0 = Date.now();
  await work();
  timings.push(`${label} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

beforeAll(async () => {
  // A missing emulator or provider is a failure with one line, never a skip.
  const missing = motoMissing();
  if (missing) throw new Error(missing);
  const mirror = providerMirror();

  org = synthesizeOrganization();
  waves = deployWaves(org.outdir);
  moto = await startMoto({ accountIds: memberAccounts.map((a) => a.id), organizationId: organization.id, rootId: organization.rootId });
  hub = await startSecurityHubStandIn(moto.url);
  hubState = securityHubManagement(moto.url, organization.deploymentRoleName);
  hub.handle(checkedHandlers(securityHubModel(), hubState.handlers, handlerProblems));
  guardDutyModel = loadServiceModel('guardduty', '2017-11-28');
  guardDuty = await startRestJsonStandIn(moto.url, guardDutyModel);
  guardDutyState = guardDutyManagement(moto.url, { managementAccountId: organization.managementAccountId, roleName: organization.deploymentRoleName });
  guardDuty.handle(checkedHandlers(guardDutyModel, guardDutyState.handlers, handlerProblems));

  const created = await createTestOrganization(moto.url, {
    managementAccountId: organization.managementAccountId,
    memberAccounts,
    roleName: organization.deploymentRoleName,
    region: organization.homeRegion,
  });
  // The stacks name the organization and its root (a policy attached to the root): they must exist.
  expect({ id: created.id, rootId: created.rootId }).toEqual({ id: organization.id, rootId: organization.rootId });
  workRoot = mkdtempSync(join(tmpdir(), 'emulator-tf-'));
  // The stacks name profiles, not roles: the deployment profiles, exactly as `npm run aws-profiles -- --role deploy` writes them.
  const awsConfig = emulatorAwsConfig(awsProfilesConfig(loadFleet(EMULATOR_ACCOUNTS), 'deploy', { sourceProfile: 'emulator' }));
  for (const name of org.stacks) {
    stacks.set(
      name,
      prepareEmulatorStack(org.stackDir(name), {
        endpoints: { moto: moto.url, standIns: { securityhub: hub.url, guardduty: guardDuty.url } },
        mirror,
        workRoot,
        awsConfig,
      }),
    );
  }
  await timed('init', () => inParallel([...stacks.values()], CONCURRENCY, (s) => s.init()));
}, 300000);

afterAll(async () => {
  stopRunningTerraform();
  await hub?.stop();
  await guardDuty?.stop();
  await moto?.stop();
  // EMULATOR_KEEP=1 keeps the synthesized stacks and their emulator copies (state, logs) to look at.
  if (!process.env.EMULATOR_KEEP) {
    for (const dir of [workRoot, org?.outdir]) if (dir) rmSync(dir, { recursive: true, force: true });
  }
  console.log(`emulator tier, stacks: ${((Date.now() - started) / 1000).toFixed(0)} s wall (${timings.join(', ')})`);
});

const unsupported = MOTO_GAPS.filter((g) => g.resource && g.createOperation);
const artifacts = MOTO_GAPS.flatMap((g) => (g.secondPlan ? [g.secondPlan] : []));

describe('the stacks against moto', () => {
  test('the test organization has every stack kind', () => {
    expect(org!.stacks).toEqual(
      expect.arrayContaining(['management-us-east-1', 'security-us-east-1', 'security-eu-west-1', 'payments-eu-west-1', 'payments-us-east-1']),
    );
    // The member's primary region is not us-east-1: its stack carries the aliased provider.
    const aliases = ([] as Array<{ alias?: string }>).concat(org!.stackJson('payments-eu-west-1').provider.aws).map((p) => p.alias);
    expect(aliases).toContain('us-east-1');
  });

  test('every stack applies in deploy order (management home, security home, then the rest)', async () => {
    expect(waves[0]).toEqual(['management-us-east-1']);
    expect(waves[1]).toEqual(['security-us-east-1']);
    for (const [i, wave] of waves.entries()) {
      await timed(`apply wave ${i + 1} (${wave.join(', ')})`, () => inParallel(wave, CONCURRENCY, (name) => stacks.get(name)!.apply()));
    }
    for (const stack of stacks.values()) expect((await stack.stateResources()).length).toBeGreaterThan(0);
    applied = true;
  });

  test('the tag-protection service control policy is in the organization, attached to its root, as synthesized', async () => {
    requireApplied();
    const creds = await assumeRole(moto!.url, `arn:aws:iam::${organization.managementAccountId}:role/${organization.deploymentRoleName}`);
    const call = (target: string, body: unknown) =>
      motoJsonCall(moto!.url, {
        service: 'organizations',
        target: `AWSOrganizationsV20161128.${target}`,
        accessKeyId: creds.accessKeyId,
        region: organization.homeRegion,
        body,
      });
    const attached = await call('ListPoliciesForTarget', { TargetId: organization.rootId, Filter: 'SERVICE_CONTROL_POLICY' });
    const ours = (attached.Policies as Array<{ Id: string; Name: string }>).filter((p) => p.Name === 'emu-protect-security-response-tags');
    expect(ours).toHaveLength(1);
    const { Policy } = await call('DescribePolicy', { PolicyId: ours[0].Id });
    const synthesized = Object.values<any>(org!.stackJson('management-us-east-1').resource.aws_organizations_policy)[0];
    expect(JSON.parse(Policy.Content)).toEqual(JSON.parse(synthesized.content));
    expect(JSON.parse(Policy.Content).Statement.map((st: { Sid: string }) => st.Sid)).toEqual(
      expect.arrayContaining(['ProtectSecurityResponseTagKeys', 'ProtectExemptRequestTag', 'KeepQuarantineInPlace', 'ProtectTaggingRoles']),
    );
  });

  test("the ticket systems' credentials secrets are in the security account's home region under the configured names, empty, encrypted with the alert key", async () => {
    requireApplied();
    const security = accountsFile.organization.securityAccountId as string;
    const creds = await assumeRole(moto!.url, `arn:aws:iam::${security}:role/${organization.deploymentRoleName}`);
    const { KeyMetadata } = await motoJsonCall(moto!.url, {
      service: 'kms',
      target: 'TrentService.DescribeKey',
      accessKeyId: creds.accessKeyId,
      region: organization.homeRegion,
      body: { KeyId: names.alertKeyAlias(accountsFile.organization.name as string) },
    });
    const secrets = new SecretsManagerClient({ region: organization.homeRegion, endpoint: moto!.url, credentials: creds, maxAttempts: 1 });
    const configured = accountsFile.notifications.tickets as Record<string, { secretName: string }>;
    expect(Object.keys(configured).sort()).toEqual(['jira', 'serviceNow']);
    for (const [system, { secretName }] of Object.entries(configured)) {
      const described = await secrets.send(new DescribeSecretCommand({ SecretId: secretName }));
      expect({ system, name: described.Name, key: described.KmsKeyId, versions: described.VersionIdsToStages ?? {}, deleted: described.DeletedDate }).toEqual({
        system,
        name: secretName,
        key: (KeyMetadata as { Arn: string }).Arn,
        versions: {},
        deleted: undefined,
      });
    }
  });

  test('a second plan shows no changes beyond the listed moto artifacts', async () => {
    requireApplied();
    const changes = new Map<string, PlannedChange[]>();
    await timed('second plan', () => inParallel([...stacks.values()], CONCURRENCY, async (s) => void changes.set(s.name, await s.plan())));
    const unexplained = [...changes].flatMap(([name, planned]) =>
      planned
        .filter(
          (c) =>
            c.actions.join() !== 'update' ||
            c.attributes.length === 0 ||
            !c.attributes.every((attribute) => artifacts.some((a) => a.resource === c.type && a.attribute === attribute)),
        )
        .map((c) => `${name}: ${c.actions.join('/')} ${c.address} (${c.attributes.join(', ')})`),
    );
    expect(unexplained).toEqual([]);
    // A listed artifact that no longer shows (moto fixed, or the attribute gone) must leave the list.
    const types = new Set(org!.stacks.flatMap((name) => Object.keys(org!.stackJson(name).resource ?? {})));
    const seen = new Set([...changes.values()].flat().flatMap((c) => c.attributes.map((a) => `${c.type}.${a}`)));
    const stale = artifacts.filter((a) => types.has(a.resource) && !seen.has(`${a.resource}.${a.attribute}`));
    expect(stale).toEqual([]);
  });

  test('each resource moto lacks was created at a stand-in with a request valid per the AWS model', () => {
    requireApplied();
    const types = new Set(org!.stacks.flatMap((name) => Object.keys(org!.stackJson(name).resource ?? {})));
    const expected = unsupported.filter((g) => types.has(g.resource!));
    expect(expected.length).toBeGreaterThan(0);
    const received = [...hub!.requests.map((r) => `securityhub:${r.operation}`), ...guardDuty!.requests.map((r) => `guardduty:${r.operation}`)];
    for (const gap of expected)
      expect({ resource: gap.resource, received: received.includes(gap.createOperation!) }).toEqual({ resource: gap.resource, received: true });
  });

  test('the stand-ins saw no invalid request, and answered only with model-valid output', () => {
    expect(hub!.invalid()).toEqual([]);
    expect(guardDuty!.invalid()).toEqual([]);
    expect(handlerProblems).toEqual([]);
  });

  test('retiring an account: plan-shard plans its responders destroyed read-only and lets them through, apply-shard applies exactly those plans', async () => {
    requireApplied();
    const variant = JSON.parse(readFileSync(EMULATOR_ACCOUNTS, 'utf8'));
    const payments = variant.accounts.find((a: { name: string }) => a.name === 'payments');
    payments.retired = true;
    const variantFile = join(mkdtempSync(join(tmpdir(), 'emulator-retired-')), 'accounts.json');
    writeFileSync(variantFile, JSON.stringify(variant));
    const retiredOrg = synthesizeOrganization(variantFile);
    const retiredStacks = retiredOrg.stacks.filter((name) => name.startsWith('payments-'));
    expect(retiredStacks.length).toBeGreaterThan(0);
    try {
      // The reviewed change: the retired stacks' code replaces the live one in the applied copies.
      for (const name of retiredStacks) copyFileSync(join(retiredOrg.stackDir(name), 'cdk.tf.json'), join(stacks.get(name)!.dir, 'cdk.tf.json'));
      const fleet = loadFleet(variantFile);
      const profiles = (role: 'read' | 'deploy') => {
        const file = join(workRoot!, `aws-config-${role}`);
        writeFileSync(file, emulatorAwsConfig(awsProfilesConfig(fleet, role, { sourceProfile: 'emulator' })));
        return terraformRunner(undefined, isolatedTerraformEnv({ AWS_CONFIG_FILE: file, AWS_ENDPOINT_URL_STS: moto!.url }));
      };
      const initArgs = [`-plugin-dir=${providerMirror().dir}`];
      const planned = await planShard({
        stacks: retiredStacks,
        stacksDir: workRoot!,
        outDir: join(workRoot!, 'plans'),
        retired: new Set(retiredStacks),
        initArgs,
        terraform: profiles('read'),
      });
      for (const result of planned) {
        expect({ stack: result.stack, ok: result.ok, text: result.ok ? '' : result.text }).toEqual({ stack: result.stack, ok: true, text: '' });
        const actions = (result.planJson!.resource_changes ?? []).map((rc) => rc.change.actions.join('/')).filter((a) => a !== 'no-op' && a !== 'read');
        expect(new Set(actions)).toEqual(new Set(['delete']));
        // Were the stack not retired, the same plan would be refused.
        expect(responderDestroys(result.planJson as any).length).toBeGreaterThan(0);
      }
      const applied = await applyShard({ stacks: retiredStacks, stacksDir: workRoot!, initArgs, terraform: profiles('deploy') });
      for (const result of applied)
        expect({ stack: result.stack, ok: result.ok, output: result.ok ? '' : result.output }).toEqual({ stack: result.stack, ok: true, output: '' });
      for (const name of retiredStacks) expect({ name, state: await stacks.get(name)!.stateResources() }).toEqual({ name, state: [] });
    } finally {
      if (!process.env.EMULATOR_KEEP) rmSync(retiredOrg.outdir, { recursive: true, force: true });
    }
  });

  test('destroy, in reverse deploy order, leaves nothing in moto or the stand-ins', async () => {
    for (const [i, wave] of [...waves].reverse().entries()) {
      await timed(`destroy wave ${i + 1}`, () => inParallel(wave, CONCURRENCY, (name) => stacks.get(name)!.destroy()));
    }
    for (const stack of stacks.values()) expect({ stack: stack.name, state: await stack.stateResources() }).toEqual({ stack: stack.name, state: [] });
    expect(await motoLeftovers(moto!.url, accountRegions, organization.deploymentRoleName)).toEqual([]);
    expect(hubState.held()).toEqual([]);
    expect(await guardDutyState.held()).toEqual([]);
    expect(handlerProblems).toEqual([]);
  });
});

describe('the stand-in validation can fail', () => {
  test('an automation rule with an enum value AWS does not define is refused and recorded', async () => {
    const standIn = await startSecurityHubStandIn(moto!.url);
    try {
      const problems: string[] = [];
      const state = securityHubManagement(moto!.url, organization.deploymentRoleName);
      standIn.handle(checkedHandlers(securityHubModel(), state.handlers, problems));
      const { accessKeyId } = await assumeRole(moto!.url, `arn:aws:iam::${memberAccounts[0].id}:role/${organization.deploymentRoleName}`);
      const rule = {
        RuleName: 'bogus',
        RuleOrder: 1,
        Description: 'a comparison AWS does not have',
        Criteria: { SeverityLabel: [{ Value: 'CRITICAL', Comparison: 'ROUGHLY' }] },
        Actions: [{ Type: 'FINDING_FIELDS_UPDATE', FindingFieldsUpdate: { Workflow: { Status: 'SUPPRESSED' } } }],
      };
      const send = (body: unknown) =>
        fetch(`${standIn.url}/automationrules/create`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/us-east-1/securityhub/aws4_request, SignedHeaders=host, Signature=0`,
          },
          body: JSON.stringify(body),
        });
      const refused = await send(rule);
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ __type: 'InvalidInputException' });
      expect(standIn.invalid()).toEqual([expect.stringContaining('Criteria.SeverityLabel[0].Comparison: "ROUGHLY" is not one of')]);
      expect(state.held()).toEqual([]);

      // The same rule with a defined comparison is accepted and held, so the refusal was the enum.
      const accepted = await send({ ...rule, Criteria: { SeverityLabel: [{ Value: 'CRITICAL', Comparison: 'EQUALS' }] } });
      expect(accepted.status).toBe(200);
      expect(state.held()).toEqual([expect.objectContaining({ account: memberAccounts[0].id, region: 'us-east-1', kind: 'automation rule' })]);
      expect(problems).toEqual([]);
    } finally {
      await standIn.stop();
    }
  });
});
