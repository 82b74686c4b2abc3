/**
 * The deployed function zips, run against moto (emulator tier, `npm run test:emulator`).
 *
 * Each test synthesizes nothing itself: one synthesis of emulator/accounts.json, one moto_server
 * and one Security Hub stand-in serve the whole file. The functions run as they are deployed
 * (emulator/functions.ts): the zip the stack references, its handler, the stack's environment,
 * moto credentials of the function's role. What they change is read back from moto; what they
 * record goes to the stand-in (validated against AWS's model); what they alert arrives through
 * SNS at an SQS queue subscribed to the alert topic.
 *
 * moto corrections this file depends on (emulator/moto_patches.py, listed in moto-gaps.ts): user
 * permissions boundaries (PutUserPermissionsBoundary), and ModifyNetworkInterfaceAttribute
 * replacing the groups of an instance's primary interface (moto reported the union with the launch
 * groups; the isolation test also asserts the request itself).
 *
 * route's tickets: Jira and ServiceNow are loopback stand-ins (their request shapes checked), not
 * moto; route reaches its job queue at moto through an HTTPS front on loopback (tls-front.ts),
 * because the SQS client sends to the QueueUrl's own host. Both are listed in moto-gaps.ts.
 *
 * Evidence: every world has the security home stack's evidence bucket at moto (Object Lock, the
 * synthesized COMPLIANCE default retention), so the deployed zips write real records; moto has no
 * GetObjectRetention (HeadObject shows the retention). A function's evidence dead-letter queue URL
 * is AWS's own host, reached through a TLS front on 127.0.0.1:443 (moto-gaps.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListUserTagsCommand,
  PutUserPermissionsBoundaryCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  HeadObjectCommand,
  GetPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { BatchUpdateFindingsCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { REMEDIATION_ACTIONS } from '../../functions/shared/catalogue';
import { decodeUndo } from '../../functions/shared/undo';
import { CreateTableCommand, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, PurgeQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  assumeRole,
  awsEnvironment,
  deployedFunction,
  invoke,
  settingsOf,
  type AwsCredentials,
  type DeployedFunction,
  type Invocation,
} from '../../emulator/functions';
import type { AwsPort } from '../../functions/shared/aws';
import { silentLog } from '../../functions/shared/log';
import { publishCommand } from '../../functions/shared/notify';
import { handleFlush } from '../../functions/runtime/route-handler';
import { RouterSettingsSchema, type RouterSettings, type TicketSettings } from '../../functions/shared/routing/settings';
import { TICKET_RETRY_DELAY_SECONDS } from '../../functions/shared/routing/tickets';
import { names } from '../../functions/shared/naming';
import { ROUTER_HTTP } from '../../functions/shared/tickets/credentials';
import { dedupeKey } from '../../functions/shared/tickets/ticket';
import { TICKET_FIELD } from '../../functions/shared/undo';
import { motoJsonCall } from '../../emulator/organization';
import { createEvidenceBucketAt, evidenceRecordsAt, evidenceS3Of, evidenceStoreOf } from '../../emulator/evidence-bucket';
import { DynamoStormStore } from '../../functions/route/dynamodb-store';
import { motoMissing, startMoto, type MotoServer } from '../../emulator/moto';
import { serveFindings, type FindingsService } from '../../emulator/securityhub-findings';
import { startSecurityHubStandIn, type SecurityHubStandIn } from '../../emulator/securityhub-standin';
import { EMULATOR_ACCOUNTS, ROOT, synthesizeOrganization, type SynthesizedOrganization } from '../../emulator/synth';
import {
  accountClients,
  buildWorld,
  captureAlerts,
  snapshot,
  type AccountClients,
  type AlertCapture,
  type SnsDelivery,
  type World,
} from '../../emulator/world';
import {
  accessKeyResource,
  asffEvent,
  bucketResource,
  controlFinding,
  guardDutyFinding,
  instanceResource,
  ocsfBucket,
  ocsfControlFinding,
  ocsfEvent,
  securityGroupResource,
} from '../functions/shared/respond/events';
import { JiraStandIn, ServiceNowStandIn } from '../functions/shared/tickets/standins';
import { loopbackResolution, startTlsFront, type TlsFront } from './tls-front';
import { replayEvent } from '../../functions/shared/evidence/replay-event';

const MEMBER = { account: '333333333333', region: 'eu-west-1', stack: 'payments-eu-west-1' };
const MANAGEMENT = { account: '111111111111', region: 'us-east-1', stack: 'management-us-east-1' };
const SECURITY = { account: '222222222222', region: 'us-east-1', stack: 'security-us-east-1' };

let moto: MotoServer | undefined;
let standIn: SecurityHubStandIn | undefined;
let findings: FindingsService;
let org: SynthesizedOrganization;
const started = Date.now();

beforeAll(async () => {
  // Never a skip: without moto every test fails with this one line.
  const missing = motoMissing();
  if (missing) throw new Error(missing);
  org = synthesizeOrganization();
  moto = await startMoto();
  standIn = await startSecurityHubStandIn(moto.url);
  findings = serveFindings(standIn, moto.url);
}, 120000);

afterAll(async () => {
  await standIn?.stop();
  await moto?.stop();

  console.log(`emulator tier, functions: ${((Date.now() - started) / 1000).toFixed(1)} s wall time`);
});

const endpoints = () => ({ motoUrl: moto!.url, securityHubUrl: standIn!.url });

/** Forgets everything: moto's state, the stand-in's updates and recorded requests. */
async function resetEmulator(): Promise<void> {
  // The nested suites' setup says the same one line as the file's when moto is missing.
  if (!moto || !standIn) throw new Error(motoMissing() ?? 'moto_server or the Security Hub stand-in did not start (see the first failure)');
  const response = await fetch(`${moto.url}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset: ${response.status}`);
  findings.reset();
  invalidSoFar.push(...standIn.invalid());
  standIn.requests.length = 0;
  // Every world has the organization's evidence bucket, as the security home stack makes it.
  await createEvidenceBucket();
}

const evidenceStore = () => evidenceStoreOf(org, SECURITY.stack);
const evidenceS3 = () => evidenceS3Of(moto!.url, SECURITY.account, SECURITY.region);
const createEvidenceBucket = () => createEvidenceBucketAt(moto!.url, org, SECURITY);
const evidenceRecords = () => evidenceRecordsAt(moto!.url, org, SECURITY);

/** Invalid requests of the worlds already reset (the deliberate one of the stand-in test is removed there). */
const invalidSoFar: string[] = [];

function quarantinePolicyOf(stack: string): { name: string; document: string } {
  const policies = Object.values<any>(org.stackJson(stack).resource.aws_iam_policy ?? {});
  const policy = policies.find((p) => String(p.name).endsWith('-quarantine-deny-all'));
  if (!policy) throw new Error(`${stack} has no quarantine policy`);
  return { name: policy.name, document: policy.policy };
}

/** GuardDuty findings as Security Hub imports them carry CreatedAt and UpdatedAt (required by BatchImportFindings). */
const imported = (f: Record<string, any>) => ({ CreatedAt: '2026-03-14T08:49:00.000Z', UpdatedAt: '2026-03-14T08:50:00.000Z', ...f });

/** One finding per catalogue action on the world's resources, in catalogue order. */
function catalogueFindings(w: World): Record<(typeof REMEDIATION_ACTIONS)[number], Record<string, any>> {
  const where = { account: w.accountId, region: w.region };
  return {
    REVOKE_PUBLIC_INGRESS: controlFinding('EC2.19', [securityGroupResource(where, w.openGroupId)], where),
    BLOCK_S3_PUBLIC_ACCESS: controlFinding('S3.8', [bucketResource(where, w.publicBucket)], where),
    BLOCK_ACCOUNT_S3_PUBLIC_ACCESS: controlFinding(
      'S3.1',
      [{ Type: 'AwsAccount', Id: `AWS::::Account:${w.accountId}`, Partition: 'aws', Region: w.region }],
      where,
    ),
    ENFORCE_S3_TLS: controlFinding('S3.5', [bucketResource(where, w.plainBucket)], where),
    QUARANTINE_IAM_USER: imported(
      guardDutyFinding(
        'CredentialAccess:IAMUser/AnomalousBehavior',
        [
          {
            Type: 'AwsIamUser',
            Id: `arn:aws:iam::${w.accountId}:user/${w.suspectUser}`,
            Partition: 'aws',
            Region: w.region,
            Details: { AwsIamUser: { UserName: w.suspectUser } },
          },
        ],
        where,
      ),
    ),
    DEACTIVATE_ACCESS_KEY: imported(
      guardDutyFinding('UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', [accessKeyResource(w.keyUser, w.compromisedKey, where)], where),
    ),
    ISOLATE_EC2_INSTANCE: imported(guardDutyFinding('Backdoor:EC2/C&CActivity.B!DNS', [instanceResource(where, w.instanceId)], where)),
  };
}

/** The `finding handled` decision the function logged for each finding id. */
function decisions(run: Invocation): Map<string, { action: string; outcome: string; recorded: boolean; alerted: boolean }> {
  return new Map(run.logs.filter((l) => l.message === 'finding handled').map((l) => [l.findingId as string, l.decision]));
}

function expectRan(run: Invocation): void {
  if (run.error) throw new Error(`handler failed: ${run.error.name}: ${run.error.message}\n${run.stderr.slice(-2000)}`);
}

const sorted = <T>(xs: T[]) => [...xs].sort();
const ingress = (group: any) =>
  sorted(
    (group.IpPermissions ?? []).flatMap((p: any) => [
      ...(p.IpRanges ?? []).map((r: any) => `${p.IpProtocol} ${p.FromPort}-${p.ToPort} ${r.CidrIp}`),
      ...(p.Ipv6Ranges ?? []).map((r: any) => `${p.IpProtocol} ${p.FromPort}-${p.ToPort} ${r.CidrIpv6}`),
    ]),
  );

/** What IAM says about a user: GetUser (its boundary), its keys, attached policies and tags. */
async function userState(c: AccountClients, userName: string) {
  const strip = <T extends { $metadata?: unknown }>({ $metadata: _metadata, ...rest }: T) => rest;
  return {
    user: strip(await c.iam.send(new GetUserCommand({ UserName: userName }))),
    keys: strip(await c.iam.send(new ListAccessKeysCommand({ UserName: userName }))),
    attached: strip(await c.iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }))),
    tags: strip(await c.iam.send(new ListUserTagsCommand({ UserName: userName }))),
  };
}

/** A snapshot with the ranges of each rule in a fixed order (their order carries no meaning). */
function normalized(snap: any): any {
  const byCidr = (a: any, b: any) => JSON.stringify(a).localeCompare(JSON.stringify(b));
  const rules = (ps: any[] | undefined) =>
    ps?.map((p) => ({ ...p, IpRanges: [...(p.IpRanges ?? [])].sort(byCidr), Ipv6Ranges: [...(p.Ipv6Ranges ?? [])].sort(byCidr) }));
  return {
    ...snap,
    securityGroups: {
      SecurityGroups: snap.securityGroups.SecurityGroups.map((g: any) => ({
        ...g,
        IpPermissions: rules(g.IpPermissions),
        IpPermissionsEgress: rules(g.IpPermissionsEgress),
      })),
    },
  };
}

/** `npm run undo -- <target>` as a child process with the account's credentials and the emulator's endpoints. */
function npmUndo(target: string, c: AccountClients, extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn('npm', ['run', '--silent', 'undo', '--', target], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        USER: 'emulator-operator',
        ...awsEnvironment(c.region, c.credentials, endpoints()),
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => {
      resolveRun({ code, stdout, stderr });
    });
  });
}

const byAction = (deliveries: SnsDelivery[]) => new Map(deliveries.map((d) => [d.MessageAttributes.action?.Value, d]));

describe('respond (payments-eu-west-1, enforce) on every catalogue action, then again, then npm run undo', () => {
  let respond: DeployedFunction;
  let member: AccountClients;
  let world: World;
  let alerts: AlertCapture;
  let event: Record<string, any>;
  let byActionFinding: ReturnType<typeof catalogueFindings>;
  let original: Record<string, unknown>;
  let afterFirst: Record<string, unknown>;
  let isolationGroupId: string;
  let firstAlerts: SnsDelivery[] = [];

  beforeAll(async () => {
    await resetEmulator();
    respond = deployedFunction(org, MEMBER.stack, 'respond');
    member = await accountClients(moto!.url, MEMBER.account, MEMBER.region);
    world = await buildWorld(member, { quarantinePolicy: quarantinePolicyOf(MEMBER.stack) });
    alerts = await captureAlerts(moto!.url, settingsOf(respond).alertTopicArn);
    byActionFinding = catalogueFindings(world);
    await findings.importFindings(MEMBER.account, MEMBER.region, Object.values(byActionFinding));
    event = asffEvent(Object.values(byActionFinding), { account: MEMBER.account, region: MEMBER.region });
    original = await snapshot(member, world);
  }, 120000);

  it("the deployed function is the stack's own: enforce for every action, in eu-west-1, with the quarantine policy the world was given", () => {
    const settings = settingsOf(respond);
    expect(respond.region).toBe('eu-west-1');
    expect(respond.roleArn).toBe('arn:aws:iam::333333333333:role/emu-respond-eu-west-1');
    expect(Object.values(settings.actions)).toEqual(REMEDIATION_ACTIONS.map(() => 'enforce'));
    expect(settings.quarantinePolicyArn).toBe(world.quarantinePolicyArn);
    expect(Object.keys(byActionFinding)).toEqual([...REMEDIATION_ACTIONS]);
  });

  it('remediates every catalogue action and the world reads back exactly as each action promises', async () => {
    const run = await invoke(respond, event, endpoints());
    expectRan(run);
    expect(run.result).toEqual({ kind: 'securityhub-finding', findings: 7, acted: 7, ignored: 0, unreadable: 0, remediated: 7, failed: 0 });
    const decided = decisions(run);
    for (const action of REMEDIATION_ACTIONS) {
      expect({ action, ...decided.get(byActionFinding[action].Id) }).toEqual({ action, outcome: 'REMEDIATED', recorded: true, alerted: true });
    }

    // REVOKE_PUBLIC_INGRESS: only the world-open ranges of port 22 went; 10.0.0.0/8, 443 and 5432 stay.
    const groups = await member.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [world.openGroupId] }));
    expect(ingress(groups.SecurityGroups![0])).toEqual(sorted(['tcp 22-22 10.0.0.0/8', 'tcp 443-443 0.0.0.0/0', 'tcp 5432-5432 10.0.0.0/8']));
    expect(groups.SecurityGroups![0].Tags?.map((t) => t.Key).sort()).toEqual(['security-response:revoked-at', 'security-response:revoked-for']);

    const now = (await snapshot(member, world)) as any;
    // BLOCK_S3_PUBLIC_ACCESS: all four settings on the bucket.
    expect(now.buckets[world.publicBucket].publicAccessBlock.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    // BLOCK_ACCOUNT_S3_PUBLIC_ACCESS: all four on the account.
    expect(now.accountPublicAccessBlock.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    // ENFORCE_S3_TLS: the existing statement kept, a deny of plain HTTP appended.
    const policy = JSON.parse(now.buckets[world.plainBucket].policy.Policy);
    expect(policy.Statement).toEqual([
      JSON.parse(world.plainBucketPolicy).Statement[0],
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${world.plainBucket}`, `arn:aws:s3:::${world.plainBucket}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
    // DEACTIVATE_ACCESS_KEY: the named key only.
    const keyStatus = Object.fromEntries(now.users[world.keyUser].keys.AccessKeyMetadata.map((k: any) => [k.AccessKeyId, k.Status]));
    expect(keyStatus).toEqual({ [world.compromisedKey]: 'Inactive', [world.otherKey]: 'Active' });
    // QUARANTINE_IAM_USER: the deny-all policy as the permissions boundary, the key inactive, the user tagged.
    expect(now.users[world.suspectUser].user.User.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: world.quarantinePolicyArn,
    });
    expect(now.users[world.suspectUser].keys.AccessKeyMetadata.map((k: any) => [k.AccessKeyId, k.Status])).toEqual([[world.suspectKey, 'Inactive']]);
    expect(now.users[world.suspectUser].tags.Tags.map((t: any) => t.Key)).toEqual(
      expect.arrayContaining(['security-response:quarantined-at', 'security-response:quarantined-by', 'security-response:reason']),
    );
    expect(now.users[world.suspectUser].attached.AttachedPolicies).toEqual([]);

    // ISOLATE_EC2_INSTANCE: the request replaced the interface's groups with the isolation group alone...
    const isolation = (now.securityGroups.SecurityGroups as any[]).find((g) => g.GroupName === 'emu-isolation');
    expect(isolation).toBeDefined();
    isolationGroupId = isolation.GroupId;
    expect(isolation.IpPermissions).toEqual([]);
    expect(isolation.IpPermissionsEgress).toEqual([]);
    // The all-traffic step group the interface passed through (to untrack its connections) is gone.
    expect((now.securityGroups.SecurityGroups as any[]).map((g) => g.GroupName).filter((n: string) => n.startsWith('emu-isolation-step-'))).toEqual([]);
    const modify = run.logs.find((l) => l.message === 'remediation' && l.action === 'ISOLATE_EC2_INSTANCE');
    expect(modify?.outcome).toBe('REMEDIATED');
    // ...and (with moto corrected to AWS's replace semantics) the instance reports only that group.
    const instance = now.instances.Reservations[0].Instances[0];
    expect(instance.NetworkInterfaces.map((n: any) => [n.NetworkInterfaceId, n.Groups.map((g: any) => g.GroupId)])).toEqual([
      [world.eniId, [isolationGroupId]],
    ]);
    expect(instance.SecurityGroups.map((g: any) => g.GroupId)).toEqual([isolationGroupId]);
    expect(instance.Tags.map((t: any) => t.Key).sort()).toEqual(['Name', 'app', 'security-response:isolated-at', 'security-response:original-security-groups']);
    expect(instance.Tags.find((t: any) => t.Key === 'security-response:original-security-groups').Value).toBe(`${world.eniId}=${world.appGroupId}`);

    // Recorded on every finding: RESOLVED, our fields, the undo record (the exact reverse requests).
    const hub = await findings.findings(MEMBER.account, MEMBER.region);
    for (const action of REMEDIATION_ACTIONS) {
      const f = hub.find((x) => x.Id === byActionFinding[action].Id)!;
      expect({
        action,
        workflow: f.Workflow.Status,
        by: f.Note.UpdatedBy,
        recordedAction: f.UserDefinedFields['security-response:action'],
        outcome: f.UserDefinedFields['security-response:outcome'],
      }).toEqual({ action, workflow: 'RESOLVED', by: 'security-response', recordedAction: action, outcome: 'REMEDIATED' });
      expect(decodeUndo(f.UserDefinedFields).length).toBeGreaterThan(0);
    }
    const isolateUndo = decodeUndo(hub.find((x) => x.Id === byActionFinding.ISOLATE_EC2_INSTANCE.Id)!.UserDefinedFields);
    expect(isolateUndo[0]).toEqual({
      service: 'ec2',
      operation: 'ModifyNetworkInterfaceAttribute',
      region: MEMBER.region,
      input: { NetworkInterfaceId: world.eniId, Groups: [world.appGroupId] },
    });
    expect(
      findings.updates.every(
        (u) => u.operation === 'BatchUpdateFindings' && u.unprocessed.length === 0 && u.accountId === MEMBER.account && u.region === MEMBER.region,
      ),
    ).toBe(true);

    // One alert per finding, through SNS to the subscribed queue, with the filter attributes.
    const delivered = await alerts.drain();
    firstAlerts = delivered;
    expect(delivered).toHaveLength(7);
    const alertsByAction = byAction(delivered);
    for (const action of REMEDIATION_ACTIONS) {
      const d = alertsByAction.get(action)!;
      expect({
        action,
        kind: d.MessageAttributes.kind,
        account: d.MessageAttributes.account,
        accountName: d.MessageAttributes.accountName,
        team: d.MessageAttributes.team,
        outcome: d.MessageAttributes.outcome,
      }).toEqual({
        action,
        kind: { Type: 'String', Value: 'finding' },
        account: { Type: 'String', Value: MEMBER.account },
        accountName: { Type: 'String', Value: 'payments' },
        team: { Type: 'String', Value: 'payments' },
        outcome: { Type: 'String', Value: 'REMEDIATED' },
      });
      expect(['HIGH', 'CRITICAL']).toContain(d.MessageAttributes.severity!.Value);
      expect(d.Subject).toMatch(/^\[(HIGH|CRITICAL)\] payments: /);
      expect(d.Message).toContain(`npm run undo -- '${byActionFinding[action].Id}'`);
      expect(d.TopicArn).toBe(alerts.topicArn);
    }
    expect(standIn!.invalid()).toEqual([]);
    afterFirst = await snapshot(member, world);
  });

  it('wrote one evidence record per finding into the evidence bucket, locked in COMPLIANCE mode for the retention, each named by its alert', async () => {
    expect(firstAlerts).toHaveLength(7);
    const { bucket, mode, days } = evidenceStore();
    expect({ bucket: settingsOf(respond).evidence.bucket, region: settingsOf(respond).evidence.region }).toEqual({ bucket, region: SECURITY.region });
    expect(mode).toBe('COMPLIANCE');
    const today = new Date().toISOString().slice(0, 10);
    const records = await evidenceRecords();
    expect(records).toHaveLength(7);
    for (const r of records) expect(r.key).toMatch(new RegExp(`^decisions/dt=${today}/${MEMBER.account}-${MEMBER.region}-respond-[0-9a-f]{32}\\.json$`));
    const hub = await findings.findings(MEMBER.account, MEMBER.region);
    const alertsByAction = byAction(firstAlerts);
    const s3 = await evidenceS3();
    for (const action of REMEDIATION_ACTIONS) {
      const findingId = byActionFinding[action].Id as string;
      const mine = records.filter((r) => r.record.finding_id === findingId);
      expect({ action, records: mine.length }).toEqual({ action, records: 1 });
      const { key, versionId, record } = mine[0];
      const undo = decodeUndo(hub.find((x) => x.Id === findingId)!.UserDefinedFields);
      expect({ action, fn: record.function, account: record.account_id, outcome: record.outcome, mode: record.mode, undo: record.undo }).toEqual({
        action,
        fn: 'respond',
        account: MEMBER.account,
        outcome: 'REMEDIATED',
        mode: 'enforce',
        undo: JSON.parse(JSON.stringify(undo)),
      });
      expect(record.calls.length).toBeGreaterThan(0);
      // The bucket's default retention applied to the write: COMPLIANCE until about retentionDays later.
      // moto has no GetObjectRetention (moto-gaps.ts); HeadObject carries the same retention.
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
      expect(head.ObjectLockMode).toBe('COMPLIANCE');
      const expected = Date.parse(record.handled_at) + days * 86400000;
      expect(Math.abs(head.ObjectLockRetainUntilDate!.getTime() - expected)).toBeLessThan(10 * 60000);
      // The alert names the record.
      expect(alertsByAction.get(action)!.Message).toContain(`Evidence: s3://${bucket}/${key}`);
    }
    // Object Lock refuses deleting a locked version, even with the governance bypass (COMPLIANCE has none).
    const { key, versionId } = records[0];
    for (const bypass of [false, true]) {
      await expect(
        s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId, ...(bypass ? { BypassGovernanceRetention: true } : {}) })),
      ).rejects.toMatchObject({ name: 'AccessDenied' });
    }
    expect((await evidenceRecords()).map((r) => r.versionId)).toContain(versionId);
  });

  it('a second run of the same event changes nothing and says so', async () => {
    const before = standIn!.requests.length;
    const run = await invoke(respond, event, endpoints());
    expectRan(run);
    expect(run.result).toMatchObject({ acted: 7, remediated: 0, failed: 0 });
    for (const [id, d] of decisions(run)) expect({ id, outcome: d.outcome }).toEqual({ id, outcome: 'NO_CHANGE' });
    expect(JSON.stringify(await snapshot(member, world))).toBe(JSON.stringify(afterFirst));
    const delivered = await alerts.drain();
    expect(delivered.map((d) => d.MessageAttributes.outcome!.Value)).toEqual(Array(7).fill('NO_CHANGE'));
    expect(standIn!.requests.slice(before).map((r) => r.operation)).toEqual(expect.arrayContaining(['BatchUpdateFindings']));
    expect(standIn!.invalid()).toEqual([]);
  });

  it('npm run undo on each finding restores the world it found (the isolation group stays, empty)', async () => {
    const admin = await accountClients(moto!.url, MEMBER.account, MEMBER.region);
    for (const action of REMEDIATION_ACTIONS) {
      const out = await npmUndo(byActionFinding[action].Id, admin);
      expect({
        action,
        code: out.code,
        stderr: out.stderr
          .split('\n')
          .filter(
            (l) => l && !/NodeVersionSupportWarning|node >=22|versions published|To continue|security updates|More information|trace-warnings|^\s*$/.test(l),
          ),
      }).toEqual({ action, code: 0, stderr: [] });
      expect(JSON.parse(out.stdout).calls.length).toBeGreaterThan(0);
    }
    const restored = (await snapshot(member, world)) as any;
    // The isolation group is created once per VPC and kept (nothing is deleted); everything else is as before.
    const withoutIsolation = {
      ...restored,
      securityGroups: { SecurityGroups: restored.securityGroups.SecurityGroups.filter((g: any) => g.GroupId !== isolationGroupId) },
    };
    // A group's rules are a set: AWS documents no order, and a re-authorized range comes back last.
    expect(JSON.stringify(normalized(withoutIsolation))).toBe(JSON.stringify(normalized(original)));
    const hub = await findings.findings(MEMBER.account, MEMBER.region);
    for (const action of REMEDIATION_ACTIONS) {
      const f = hub.find((x) => x.Id === byActionFinding[action].Id)!;
      // Who undid it is the AWS caller (STS GetCallerIdentity), never $USER (emulator-operator here).
      expect({ action, workflow: f.Workflow.Status, note: f.Note.Text }).toEqual({
        action,
        workflow: 'NOTIFIED',
        note: expect.stringContaining(`Remediation undone by arn:aws:sts::${MEMBER.account}:assumed-role/`),
      });
      expect(f.Note.Text).not.toContain('emulator-operator');
    }
    expect(standIn!.invalid()).toEqual([]);
  });
});

describe("respond (payments-eu-west-1) when the evidence bucket is missing: the record goes to the function's dead-letter queue", () => {
  const DLQ_HOST = `sqs.${MEMBER.region}.amazonaws.com`;
  let front: TlsFront | undefined;

  afterAll(async () => {
    await front?.stop();
  });

  it('PutObject fails (NoSuchBucket), the record lands in emu-respond-dlq at moto with kind evidence, and the alert says it is not written', async () => {
    await resetEmulator();
    const { bucket } = evidenceStore();
    await (await evidenceS3()).send(new DeleteBucketCommand({ Bucket: bucket }));
    const respond = deployedFunction(org, MEMBER.stack, 'respond');
    const member = await accountClients(moto!.url, MEMBER.account, MEMBER.region);
    const world = await buildWorld(member, { quarantinePolicy: quarantinePolicyOf(MEMBER.stack) });
    const alerts = await captureAlerts(moto!.url, settingsOf(respond).alertTopicArn);
    const sqs = new SQSClient({ region: MEMBER.region, endpoint: moto!.url, credentials: member.credentials, maxAttempts: 1 });
    const dlqName = names.deadLetterQueue(settingsOf(respond).organization, 'respond');
    const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: dlqName }))).QueueUrl!;
    const finding = catalogueFindings(world).BLOCK_S3_PUBLIC_ACCESS;
    await findings.importFindings(MEMBER.account, MEMBER.region, [finding]);

    // The function sends to the queue URL it builds (https://sqs.<region>.amazonaws.com/...), which
    // the SQS client uses as the endpoint: a TLS front on 127.0.0.1:443 for that name, resolved to
    // loopback in the function's process only (moto-gaps.ts, sqs:SendMessage QueueUrl host).
    front = await startTlsFront(moto!.url, DLQ_HOST, 443);
    const preload = loopbackResolution(DLQ_HOST);
    const run = await invoke(
      { ...respond, environment: { ...respond.environment, NODE_OPTIONS: `--require ${preload}`, NODE_EXTRA_CA_CERTS: front.caFile } },
      asffEvent([finding], { account: MEMBER.account, region: MEMBER.region }),
      endpoints(),
    );
    expectRan(run);
    expect(run.result).toMatchObject({ acted: 1, remediated: 1, failed: 0 });

    // Read without hiding it: the replay test below moves it.
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], VisibilityTimeout: 0 }));
    expect(got.Messages ?? []).toHaveLength(1);
    const message = got.Messages![0];
    const record = JSON.parse(message.Body!);
    const attribute = (name: string): string | undefined => message.MessageAttributes?.[name]?.StringValue;
    expect({ kind: attribute('kind'), bucket: attribute('bucket') }).toEqual({ kind: 'evidence', bucket });
    expect({ finding: record.finding_id, fn: record.function, outcome: record.outcome }).toEqual({ finding: finding.Id, fn: 'respond', outcome: 'REMEDIATED' });
    expect(attribute('key')).toMatch(new RegExp(`^decisions/dt=\\d{4}-\\d{2}-\\d{2}/${MEMBER.account}-${MEMBER.region}-respond-${record.record_id}\\.json$`));

    const delivered = await alerts.drain();
    expect(delivered).toHaveLength(1);
    expect(delivered[0].Message).toContain('Evidence: NOT written');
    expect(delivered[0].Message).toContain(`https://${DLQ_HOST}/${MEMBER.account}/${dlqName}`);
    expect(standIn!.invalid()).toEqual([]);
  });

  it('npm run replay-evidence: once the bucket is back, respond moves the record from its dead-letter queue into it, under the key it would have had', async () => {
    // The state of the test above: the record waits in emu-respond-dlq; the bucket is made again.
    await createEvidenceBucket();
    const respond = deployedFunction(org, MEMBER.stack, 'respond');
    const member = await accountClients(moto!.url, MEMBER.account, MEMBER.region);
    const sqs = new SQSClient({ region: MEMBER.region, endpoint: moto!.url, credentials: member.credentials, maxAttempts: 1 });
    const dlqUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: names.deadLetterQueue(settingsOf(respond).organization, 'respond') }))).QueueUrl!;
    const before = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    const run = await invoke(
      { ...respond, environment: { ...respond.environment, NODE_OPTIONS: `--require ${loopbackResolution(DLQ_HOST)}`, NODE_EXTRA_CA_CERTS: front!.caFile } },
      replayEvent({ replayId: 'replay-emulator' }, { accountId: MEMBER.account, region: MEMBER.region }, new Date()),
      endpoints(),
    );
    expectRan(run);
    const reply = (run.result as { replay: { replayed: string[]; failed: unknown[]; unreadable: unknown[] } }).replay;
    expect({ before: before.Attributes, failed: reply.failed, unreadable: reply.unreadable, replayed: reply.replayed.length }).toEqual({
      before: { ApproximateNumberOfMessages: '1' },
      failed: [],
      unreadable: [],
      replayed: 1,
    });
    const records = await evidenceRecords();
    expect(records.map((r) => r.key)).toEqual(reply.replayed);
    expect(records[0].record).toMatchObject({ function: 'respond', outcome: 'REMEDIATED', account_id: MEMBER.account });
    const after = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    expect(after.Attributes).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });
});

describe('respond in observe mode (management-us-east-1)', () => {
  it('reads, reports WOULD_CHANGE for every action, and leaves the world byte for byte unchanged', async () => {
    await resetEmulator();
    const respond = deployedFunction(org, MANAGEMENT.stack, 'respond');
    expect(settingsOf(respond).mode).toBe('observe');
    const management = await accountClients(moto!.url, MANAGEMENT.account, MANAGEMENT.region);
    const world = await buildWorld(management, { quarantinePolicy: quarantinePolicyOf(MANAGEMENT.stack) });
    const alerts = await captureAlerts(moto!.url, settingsOf(respond).alertTopicArn);
    const catalogue = catalogueFindings(world);
    await findings.importFindings(MANAGEMENT.account, MANAGEMENT.region, Object.values(catalogue));
    const before = JSON.stringify(await snapshot(management, world));

    const run = await invoke(respond, asffEvent(Object.values(catalogue), { account: MANAGEMENT.account, region: MANAGEMENT.region }), endpoints());
    expectRan(run);
    expect(JSON.stringify(await snapshot(management, world))).toBe(before);
    const decided = decisions(run);
    for (const action of REMEDIATION_ACTIONS)
      expect({ action, outcome: decided.get(catalogue[action].Id)?.outcome }).toEqual({ action, outcome: 'WOULD_CHANGE' });
    const hub = await findings.findings(MANAGEMENT.account, MANAGEMENT.region);
    for (const action of REMEDIATION_ACTIONS) {
      const f = hub.find((x) => x.Id === catalogue[action].Id)!;
      expect({ action, workflow: f.Workflow.Status, outcome: f.UserDefinedFields['security-response:outcome'] }).toEqual({
        action,
        workflow: 'NOTIFIED',
        outcome: 'WOULD_CHANGE',
      });
    }
    const delivered = await alerts.drain();
    expect(
      sorted(delivered.map((d) => `${d.MessageAttributes.action!.Value} ${d.MessageAttributes.outcome!.Value} ${d.MessageAttributes.account!.Value}`)),
    ).toEqual(sorted(REMEDIATION_ACTIONS.map((a) => `${a} WOULD_CHANGE ${MANAGEMENT.account}`)));
    expect(standIn!.invalid()).toEqual([]);
  });
});

describe('quarantine-user (payments, us-east-1) on a CloudTrail CreateUser', () => {
  it("sets the deny-all boundary (recording the one the creator set), deactivates the new user's keys and tags it; npm run undo -- <user> restores it; a trusted pipeline's user is left alone", async () => {
    await resetEmulator();
    const fn = deployedFunction(org, MEMBER.stack, 'quarantine-user');
    expect(fn.region).toBe('us-east-1');
    const settings = settingsOf(fn);
    const admin = await accountClients(moto!.url, MEMBER.account, 'us-east-1');
    const policy = quarantinePolicyOf(MEMBER.stack);
    const created = await admin.iam.send(new CreatePolicyCommand({ PolicyName: policy.name, PolicyDocument: policy.document }));
    expect(created.Policy!.Arn).toBe(settings.quarantinePolicyArn);
    const alerts = await captureAlerts(moto!.url, settings.alertTopicArn);
    // The user as mallory created it (examples/events/create-user-unknown.json), with a key.
    await admin.iam.send(new CreateUserCommand({ UserName: 'support-backup' }));
    const key = (await admin.iam.send(new CreateAccessKeyCommand({ UserName: 'support-backup' }))).AccessKey!.AccessKeyId!;
    // mallory gave the user a boundary of their own choosing; the quarantine must replace it and undo must put it back.
    const own = await admin.iam.send(
      new CreatePolicyCommand({
        PolicyName: 'support-limits',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }),
      }),
    );
    await admin.iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'support-backup', PermissionsBoundary: own.Policy!.Arn! }));
    const before = await userState(admin, 'support-backup');
    await admin.iam.send(new CreateUserCommand({ UserName: 'pipeline-made' }));
    const pipelineKey = (await admin.iam.send(new CreateAccessKeyCommand({ UserName: 'pipeline-made' }))).AccessKey!.AccessKeyId!;

    const event = JSON.parse(readFileSync(join(ROOT, 'examples/events/create-user-unknown.json'), 'utf8'));
    const run = await invoke(fn, event, endpoints());
    expectRan(run);
    // The handler returns the decision status (PLANNED for a remediation that ran); its log says the outcome.
    expect(run.result).toMatchObject({ userName: 'support-backup', status: 'PLANNED' });
    expect(run.logs.find((l) => l.message === 'create user handled')).toMatchObject({ userName: 'support-backup', outcome: 'REMEDIATED' });
    const user = await admin.iam.send(new GetUserCommand({ UserName: 'support-backup' }));
    expect(user.User!.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: settings.quarantinePolicyArn,
    });
    const keys = await admin.iam.send(new ListAccessKeysCommand({ UserName: 'support-backup' }));
    expect(keys.AccessKeyMetadata!.map((k) => [k.AccessKeyId, k.Status])).toEqual([[key, 'Inactive']]);
    const tags = Object.fromEntries((await admin.iam.send(new ListUserTagsCommand({ UserName: 'support-backup' }))).Tags!.map((t) => [t.Key, t.Value]));
    expect(tags).toMatchObject({
      'security-response:quarantined-by': 'quarantine-new-iam-users',
      'security-response:created-by': 'arn:aws:iam::333333333333:user/mallory',
      'security-response:source-ip': '198.51.100.77',
      'security-response:deactivated-keys': key,
      'security-response:previous-boundary': own.Policy!.Arn!,
    });
    const [alert] = await alerts.drain();
    expect(alert.MessageAttributes).toMatchObject({
      kind: { Type: 'String', Value: 'quarantine' },
      action: { Type: 'String', Value: 'QUARANTINE_IAM_USER' },
      outcome: { Type: 'String', Value: 'REMEDIATED' },
      account: { Type: 'String', Value: MEMBER.account },
      severity: { Type: 'String', Value: 'HIGH' },
    });
    expect(alert.Message).toContain('npm run undo -- support-backup');

    // The operator's undo, with the account's credentials and the organization's accounts.json.
    const undo = await npmUndo('support-backup', admin, { ACCOUNTS_FILE: EMULATOR_ACCOUNTS });
    expect({ code: undo.code, calls: undo.code === 0 ? JSON.parse(undo.stdout).calls.map((c: any) => c.operation) : undo.stderr.slice(-500) }).toEqual({
      code: 0,
      calls: ['UpdateAccessKey', 'PutUserPermissionsBoundary', 'UntagUser'],
    });
    expect(JSON.stringify(await userState(admin, 'support-backup'))).toBe(JSON.stringify(before));

    // The same CreateUser by a session of the trusted pipeline role changes nothing and alerts nothing.
    const trusted = JSON.parse(readFileSync(join(ROOT, 'examples/events/create-user-trusted-pipeline.json'), 'utf8'));
    trusted.detail.requestParameters.userName = 'pipeline-made';
    trusted.detail.responseElements.user.userName = 'pipeline-made';
    const ignored = await invoke(fn, trusted, endpoints());
    expectRan(ignored);
    expect(ignored.result).toMatchObject({ userName: 'pipeline-made', ignored: true });
    const untouched = await admin.iam.send(new GetUserCommand({ UserName: 'pipeline-made' }));
    expect(untouched.User!.PermissionsBoundary).toBeUndefined();
    expect((await admin.iam.send(new ListAccessKeysCommand({ UserName: 'pipeline-made' }))).AccessKeyMetadata!.map((k) => [k.AccessKeyId, k.Status])).toEqual([
      [pipelineKey, 'Active'],
    ]);
    expect(await alerts.drain()).toEqual([]);
  });
});

describe('escalate (security-us-east-1) on the "Escalate to SecOps" custom action', () => {
  it("notes each selected finding with the analyst's words, moves NEW ones to NOTIFIED, and alerts once per finding", async () => {
    await resetEmulator();
    const fn = deployedFunction(org, SECURITY.stack, 'escalate');
    expect(fn.region).toBe(SECURITY.region);
    const alerts = await captureAlerts(moto!.url, settingsOf(fn).alertTopicArn);
    const event = JSON.parse(readFileSync(join(ROOT, 'examples/events/custom-action-several-findings.json'), 'utf8'));
    const selected = event.detail.findings as Record<string, any>[];
    // The aggregated copies the security account's hub holds in its home region, as the integrated
    // products delivered them (GuardDuty's empty ProductFields values and the example's S3
    // BucketKeyEnabled are not valid BatchImportFindings input, so they go to moto's store directly).
    await findings.importFindings(SECURITY.account, SECURITY.region, selected, { asDelivered: true });

    const run = await invoke(fn, event, endpoints());
    expectRan(run);
    expect(run.result).toEqual({ escalated: selected.length, unreadable: 0 });
    const hub = await findings.findings(SECURITY.account, SECURITY.region);
    for (const f of selected) {
      const now = hub.find((x) => x.Id === f.Id)!;
      expect({ id: f.Id, workflow: now.Workflow.Status, by: now.Note.UpdatedBy }).toEqual({ id: f.Id, workflow: 'NOTIFIED', by: 'security-response' });
      expect(now.Note.Text).toContain('escalated to SecOps ("Escalate to SecOps")');
      if (f.Note?.Text) expect(now.Note.Text).toContain(`Analyst note: ${f.Note.Text}`);
    }
    // The finding already NOTIFIED got a note only; the NEW ones a note and NOTIFIED.
    const updates = findings.updates.filter((u) => u.operation === 'BatchUpdateFindings');
    const notifiedBefore = selected.filter((f) => f.Workflow.Status !== 'NEW').map((f) => f.Id);
    for (const u of updates) {
      expect(u.unprocessed).toEqual([]);
      expect({ ids: u.processed, workflow: u.input.Workflow }).toEqual({
        ids: u.processed,
        workflow: u.processed.some((id) => notifiedBefore.includes(id)) ? undefined : { Status: 'NOTIFIED' },
      });
    }
    expect(sorted(updates.flatMap((u) => u.processed))).toEqual(sorted(selected.map((f) => f.Id)));

    const delivered = await alerts.drain();
    expect(sorted(delivered.map((d) => d.MessageAttributes.account!.Value))).toEqual(sorted(selected.map((f) => f.AwsAccountId)));
    for (const d of delivered) {
      expect(d.MessageAttributes).toMatchObject({
        kind: { Type: 'String', Value: 'escalation' },
        outcome: { Type: 'String', Value: 'ESCALATED' },
        team: { Type: 'String', Value: 'security' },
      });
      expect(d.Subject).toMatch(/escalated: /);
    }
    expect(standIn!.invalid()).toEqual([]);
  });
});

describe('respond on an OCSF finding (Findings Imported V2), in a variant where the security account takes the OCSF feed', () => {
  it('blocks public access on the bucket and records RESOLVED with one BatchUpdateFindingsV2', async () => {
    await resetEmulator();
    // One feed per account (findingsFeed): the shipped emulator organization is all ASFF, so this
    // variant of it gives the security account the OCSF feed and synthesizes it as `cdktf synth` would.
    const accounts = JSON.parse(readFileSync(EMULATOR_ACCOUNTS, 'utf8'));
    delete accounts.$schema;
    accounts.accounts.find((a: any) => a.id === SECURITY.account).findingsFeed = 'ocsf';
    const variantFile = join(mkdtempSync(join(tmpdir(), 'emulator-ocsf-')), 'accounts.json');
    writeFileSync(variantFile, JSON.stringify(accounts));
    const variant = synthesizeOrganization(variantFile);
    const respond = deployedFunction(variant, 'security-eu-west-1', 'respond');
    expect(settingsOf(respond)).toMatchObject({ findingsFeed: 'ocsf', mode: 'enforce', accountId: SECURITY.account, region: 'eu-west-1' });
    const security = await accountClients(moto!.url, SECURITY.account, 'eu-west-1');
    const alerts = await captureAlerts(moto!.url, settingsOf(respond).alertTopicArn);
    const bucket = 'security-web-assets-222222222222';
    await security.s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const where = { account: SECURITY.account, region: 'eu-west-1' };
    const finding = ocsfControlFinding('S3.8', ocsfBucket(bucket, where), where);
    findings.importOcsf(SECURITY.account, 'eu-west-1', [finding]);

    const run = await invoke(respond, ocsfEvent([finding], where), endpoints());
    expectRan(run);
    expect(run.result).toMatchObject({ kind: 'securityhub-finding-v2', findings: 1, acted: 1, remediated: 1, failed: 0 });
    const block = await security.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect(findings.updates.map((u) => ({ operation: u.operation, processed: u.processed, unprocessed: u.unprocessed, statusId: u.input.StatusId }))).toEqual([
      { operation: 'BatchUpdateFindingsV2', processed: [finding.metadata.uid], unprocessed: [], statusId: 4 },
    ]);
    expect(findings.ocsf(SECURITY.account, 'eu-west-1')[0]).toMatchObject({ status_id: 4, comment: expect.stringMatching(/^security-response: /) });
    const [alert] = await alerts.drain();
    expect(alert.MessageAttributes).toMatchObject({
      action: { Type: 'String', Value: 'BLOCK_S3_PUBLIC_ACCESS' },
      outcome: { Type: 'String', Value: 'REMEDIATED' },
      account: { Type: 'String', Value: SECURITY.account },
    });
    expect(standIn!.invalid()).toEqual([]);
  });
});

describe('the Security Hub stand-in answers as AWS documents', () => {
  let hub: SecurityHubClient;
  let mine: Record<string, any>;
  beforeAll(async () => {
    await resetEmulator();
    const member = await accountClients(moto!.url, MEMBER.account, MEMBER.region);
    hub = new SecurityHubClient({ region: MEMBER.region, endpoint: standIn!.url, credentials: member.credentials, maxAttempts: 1 });
    mine = controlFinding('EC2.19', [securityGroupResource({ account: MEMBER.account, region: MEMBER.region })], {
      account: MEMBER.account,
      region: MEMBER.region,
    });
    const other = controlFinding('S3.8', [bucketResource({ account: MEMBER.account, region: MEMBER.region })], {
      account: MEMBER.account,
      region: MEMBER.region,
    });
    await findings.importFindings(MEMBER.account, MEMBER.region, [other, mine]);
  });

  it('BatchUpdateFindings on a finding the hub does not hold (or with another ProductArn) is unprocessed, not an error', async () => {
    const out = await hub.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [
          { Id: mine.Id, ProductArn: mine.ProductArn },
          { Id: `${mine.Id}-missing`, ProductArn: mine.ProductArn },
          { Id: mine.Id, ProductArn: 'arn:aws:securityhub:eu-west-1::product/aws/guardduty' },
        ],
        Workflow: { Status: 'NOTIFIED' },
      }),
    );
    expect(out.ProcessedFindings).toEqual([{ Id: mine.Id, ProductArn: mine.ProductArn }]);
    expect(out.UnprocessedFindings!.map((u) => [u.FindingIdentifier!.Id, u.ErrorCode])).toEqual([
      [`${mine.Id}-missing`, 'FindingNotFound'],
      [mine.Id, 'FindingNotFound'],
    ]);
  });

  it('GetFindings applies the Id filter moto ignores, with the update merged', async () => {
    const out = await hub.send(new GetFindingsCommand({ Filters: { Id: [{ Value: mine.Id, Comparison: 'EQUALS' }] }, MaxResults: 1 }));
    expect(out.Findings!.map((f) => [f.Id, f.Workflow?.Status])).toEqual([[mine.Id, 'NOTIFIED']]);
  });

  it('GetFindings refuses a filter it does not evaluate instead of ignoring it', async () => {
    await expect(hub.send(new GetFindingsCommand({ Filters: { ResourceTags: [{ Key: 'app', Value: 'payments', Comparison: 'EQUALS' }] } }))).rejects.toThrow(
      /ResourceTags is not evaluated/,
    );
  });

  it("a request outside AWS's model is rejected and recorded as invalid", async () => {
    const before = standIn!.requests.length;
    await expect(
      hub.send(new BatchUpdateFindingsCommand({ FindingIdentifiers: [{ Id: mine.Id, ProductArn: mine.ProductArn }], Workflow: { Status: 'DONE' as never } })),
    ).rejects.toThrow(/InvalidInput|Workflow/);
    expect(standIn!.requests.slice(before).map((r) => r.problems.length > 0)).toEqual([true]);
    // Forget the deliberate one: the file's last check is that nothing else was invalid.
    standIn!.requests.splice(before);
  });
});

describe("the AWS errors the remediations' SDK mocks simulate are the ones moto answers", () => {
  let c: AccountClients;
  const errorOf = async (send: () => Promise<unknown>) => {
    try {
      await send();
      return 'no error';
    } catch (error) {
      const e = error as { name: string; Code?: string; $metadata?: { httpStatusCode?: number } };
      return `${e.name} ${e.$metadata?.httpStatusCode}`;
    }
  };
  beforeAll(async () => {
    await resetEmulator();
    c = await accountClients(moto!.url, MEMBER.account, MEMBER.region);
    await c.iam.send(new CreateUserCommand({ UserName: 'keyless' }));
  });

  it('a vanished group, instance, bucket, user or key: the codes each run.ts treats as NO_CHANGE', async () => {
    expect({
      group: await errorOf(() => c.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-0123456789abcdef0'] }))),
      instance: await errorOf(() => c.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] }))),
      bucketTags: await errorOf(() => c.s3.send(new GetBucketTaggingCommand({ Bucket: 'no-such-bucket-emulator' }))),
      user: await errorOf(() => c.iam.send(new ListUserTagsCommand({ UserName: 'nobody' }))),
      key: await errorOf(() => c.iam.send(new UpdateAccessKeyCommand({ UserName: 'keyless', AccessKeyId: 'AKIAEXAMPLEEXAMPLE12', Status: 'Inactive' }))),
    }).toEqual({
      group: 'InvalidGroup.NotFound 400',
      instance: 'InvalidInstanceID.NotFound 400',
      bucketTags: 'NoSuchBucket 404',
      // The SDK names IAM's NoSuchEntity code NoSuchEntityException, as the mocks construct it.
      user: 'NoSuchEntityException 404',
      key: 'NoSuchEntityException 404',
    });
  });

  it('in a VPC group, a revoke naming one vanished rule fails with InvalidPermission.NotFound and revokes nothing (the retry path of revoke-public-ingress)', async () => {
    const vpc = await c.ec2.send(new CreateVpcCommand({ CidrBlock: '10.30.0.0/16' }));
    const group = await c.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'retry', Description: 'retry', VpcId: vpc.Vpc!.VpcId }));
    const ssh = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
    await c.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group.GroupId, IpPermissions: [ssh] }));
    const vanished = { IpProtocol: 'tcp', FromPort: 23, ToPort: 23, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
    expect(await errorOf(() => c.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: group.GroupId, IpPermissions: [vanished, ssh] })))).toBe(
      'InvalidPermission.NotFound 400',
    );
    const after = await c.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [group.GroupId!] }));
    expect(ingress(after.SecurityGroups![0])).toEqual(['tcp 22-22 0.0.0.0/0']);
  });

  it('missing configurations: NoSuchPublicAccessBlockConfiguration (bucket and account), NoSuchBucketPolicy, NoSuchTagSet', async () => {
    await c.s3.send(new CreateBucketCommand({ Bucket: 'bare-bucket-emulator', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    expect({
      bucketBlock: await errorOf(() => c.s3.send(new GetPublicAccessBlockCommand({ Bucket: 'bare-bucket-emulator' }))),
      accountBlock: await errorOf(() => c.s3control.send(new GetAccountPublicAccessBlockCommand({ AccountId: MEMBER.account }))),
      policy: await errorOf(() => c.s3.send(new GetBucketPolicyCommand({ Bucket: 'bare-bucket-emulator' }))),
      tags: await errorOf(() => c.s3.send(new GetBucketTaggingCommand({ Bucket: 'bare-bucket-emulator' }))),
    }).toEqual({
      bucketBlock: 'NoSuchPublicAccessBlockConfiguration 404',
      accountBlock: 'NoSuchPublicAccessBlockConfiguration 404',
      policy: 'NoSuchBucketPolicy 404',
      tags: 'NoSuchTagSet 404',
    });
  });
});

/** The intake queue's ARN, which every record the event source mapping hands route names. */
const intakeQueueArn = () =>
  `arn:aws:sqs:${SECURITY.region}:${SECURITY.account}:${names.intakeQueue(routerSettingsOf(deployedFunction(org, SECURITY.stack, 'route')).organization)}`;

/** route's settings as the security home stack writes them (`ROUTER_SETTINGS`). */
const routerSettingsOf = (route: DeployedFunction): RouterSettings => RouterSettingsSchema.parse(JSON.parse(route.environment.ROUTER_SETTINGS));

/** The alerts as SNS delivered them to the intake queue, as the event source mapping would batch them. */
const sqsEvent = (deliveries: SnsDelivery[]) => ({
  Records: deliveries.map((d) => ({
    messageId: `sqs-${(d as SnsDelivery & { MessageId: string }).MessageId}`,
    body: JSON.stringify(d),
    eventSource: 'aws:sqs',
    eventSourceARN: intakeQueueArn(),
  })),
});

/** The routing table as the security home stack makes it (key schema from the synthesized resource), at moto. */
async function createRoutingTable(credentials: AwsCredentials): Promise<DynamoDBClient> {
  const table = Object.values<any>(org.stackJson(SECURITY.stack).resource.aws_dynamodb_table)[0];
  const db = new DynamoDBClient({ region: SECURITY.region, endpoint: moto!.url, credentials, maxAttempts: 1 });
  await db.send(
    new CreateTableCommand({
      TableName: table.name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: table.hash_key, KeyType: 'HASH' },
        { AttributeName: table.range_key, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: table.attribute.map((a: any) => ({ AttributeName: a.name, AttributeType: a.type })),
    }),
  );
  return db;
}

describe('route (security-us-east-1): the alert topic through an SQS intake, storm state in DynamoDB', () => {
  let route: DeployedFunction;
  let email: AlertCapture;
  let intake: AlertCapture;
  let settings: RouterSettings;
  let credentials: AwsCredentials;
  let db: DynamoDBClient;

  beforeAll(async () => {
    await resetEmulator();
    route = deployedFunction(org, SECURITY.stack, 'route');
    settings = routerSettingsOf(route);
    credentials = await assumeRole(moto!.url, route.roleArn, route.functionName);
    db = await createRoutingTable(credentials);
    email = await captureAlerts(moto!.url, settings.targets.emailTopicArn);
    intake = await captureAlerts(moto!.url, settingsOf(deployedFunction(org, MEMBER.stack, 'respond')).alertTopicArn);
  });

  it('sends the first `threshold` alerts of an account at once, holds the rest in the table, and a redelivered batch sends nothing twice', async () => {
    const c = await accountClients(moto!.url, SECURITY.account, SECURITY.region);
    const total = settings.storm.threshold + 5;
    for (let i = 0; i < total; i++) {
      const alert = {
        subject: `[HIGH] payments: finding ${i}`,
        message: `finding ${i}`,
        attributes: {
          kind: 'finding',
          severity: 'HIGH',
          account: MEMBER.account,
          accountName: 'payments',
          team: 'payments',
          category: 'public-exposure',
          action: 'REVOKE_PUBLIC_INGRESS',
          outcome: 'REMEDIATED',
        },
        detail: { title: `finding ${i}`, undo: `npm run undo -- 'f-${i}'` },
      };
      await c.sns.send(publishCommand(intake.topicArn, alert));
    }
    const delivered = await intake.drain();
    expect(delivered).toHaveLength(total);
    const batches = [delivered.slice(0, 10), delivered.slice(10, 20), delivered.slice(20)];
    for (const batch of batches) {
      const run = await invoke(route, sqsEvent(batch), endpoints(), credentials);
      expectRan(run);
      expect(run.result).toEqual({ batchItemFailures: [] });
    }
    const sent = await email.drain();
    expect(sent.map((m) => m.Subject)).toEqual(delivered.slice(0, settings.storm.threshold).map((d) => d.Subject));
    expect(sent[0]?.MessageAttributes.team?.Value).toBe('payments');
    expect(sent[0]?.MessageAttributes).not.toHaveProperty('detail');

    const again = await invoke(route, sqsEvent(delivered.slice(0, 10)), endpoints(), credentials);
    expectRan(again);
    expect(await email.drain()).toEqual([]);

    const held = await db.send(
      new QueryCommand({ TableName: settings.tableName, KeyConditionExpression: 'pk = :h', ExpressionAttributeValues: { ':h': { S: 'held' } } }),
    );
    expect(held.Items).toHaveLength(5);
  });

  it('the flush after the window sends one digest listing every held alert, and forgets them (the DynamoDB store, at moto)', async () => {
    const aws: AwsPort = {
      client: (ctor, region) => {
        const config = { region, retryMode: 'standard', maxAttempts: 1, endpoint: moto!.url, credentials };
        return new ctor(config);
      },
    };
    const store = new DynamoStormStore(aws, SECURITY.region, settings.tableName);
    const deps = { aws, store, log: silentLog, now: () => new Date(Date.now() + (settings.storm.windowMinutes + 1) * 60_000) };
    const config = { storm: settings.storm, targets: settings.targets };
    expect(await handleFlush(config, { ...deps, now: () => new Date(Date.now() - 3600_000) })).toMatchObject({ digests: 0, alerts: 0 });
    // Another flush still at work holds the lease (a conditional write at moto): this one sends nothing.
    const later = deps.now();
    expect(await store.lease('other-flush', later, new Date(later.getTime() + 120_000))).toBe(true);
    expect(await handleFlush(config, deps)).toMatchObject({ digests: 0, alerts: 0, skipped: true });
    await store.unlease('other-flush');
    expect(await handleFlush(config, deps)).toMatchObject({ digests: 1, alerts: 5, failed: 0, skipped: false });
    const [digest] = await email.drain();
    expect(digest.Subject).toMatch(/^\[HIGH\] payments: 5 alerts held in an alert storm/);
    for (let i = settings.storm.threshold; i < settings.storm.threshold + 5; i++) expect(digest.Message).toContain(`npm run undo -- 'f-${i}'`);
    expect(await handleFlush(config, deps)).toMatchObject({ digests: 0, alerts: 0 });
  });
});

/** IAM's wildcards in a resource ARN pattern: `*` any run of characters, `?` one character. */
function iamMatches(pattern: string, arn: string): boolean {
  // ARNs are ASCII: code points are characters.
  // eslint-disable-next-line @typescript-eslint/no-misused-spread
  const source = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`).test(arn);
}

describe('route (security-us-east-1) with tickets: Jira and ServiceNow at loopback stand-ins, their credentials in Secrets Manager and the job queue at moto', () => {
  const JIRA_SECRET = { email: 'secops-bot@example.com', apiToken: 'ATATT3xFfGF0-emulator-token-7e1d' };
  const SERVICENOW_SECRET = { username: 'svc-security-response', password: 'sn-emulator-password-42c9' };
  /** An undo record an earlier remediation left on the finding: writing the ticket key must keep it. */
  const UNDO_RECORD = '[{"s":"ec2","o":"AuthorizeSecurityGroupIngress"}]';
  let route: DeployedFunction;
  let tickets: TicketSettings & { jira: NonNullable<TicketSettings['jira']>; serviceNow: NonNullable<TicketSettings['serviceNow']> };
  let jira: JiraStandIn;
  let sn: ServiceNowStandIn;
  let front: TlsFront;
  /** What beforeAll started, stopped in afterAll (even when beforeAll failed halfway). */
  const running: Array<{ stop(): Promise<void> }> = [];
  let security: AccountClients;
  /** As the security account's own role: a person, not route. */
  let secrets: SecretsManagerClient;
  let sqs: SQSClient;
  let hub: SecurityHubClient;
  let db: DynamoDBClient;
  let email: AlertCapture;
  let intake: AlertCapture;
  /** route's own role. */
  let credentials: AwsCredentials;
  let alertKeyArn: string;
  let jobQueueUrl: string;
  let jobQueueArn: string;
  const stackResources = (type: string): any[] => Object.values<any>(org.stackJson(SECURITY.stack).resource[type] ?? {});

  beforeAll(async () => {
    await resetEmulator();
    const deployed = deployedFunction(org, SECURITY.stack, 'route');
    const settings = routerSettingsOf(deployed);
    const configured = settings.tickets;
    if (!configured?.jira || !configured.serviceNow) throw new Error('emulator/accounts.json must configure notifications.tickets.jira and serviceNow');
    tickets = { ...configured, jira: configured.jira, serviceNow: configured.serviceNow };
    jira = await new JiraStandIn(JIRA_SECRET.email, JIRA_SECRET.apiToken, tickets.jira.projectKey).start();
    running.push({ stop: () => jira.close() });
    sn = await new ServiceNowStandIn(SERVICENOW_SECRET.username, SERVICENOW_SECRET.password).start();
    running.push({ stop: () => sn.close() });
    if (!sn.groups.some((g) => g.name === tickets.serviceNow.assignmentGroup))
      throw new Error(`the ServiceNow stand-in has no group ${tickets.serviceNow.assignmentGroup}`);
    // The job queue's URL names the queue's own host, which the SQS client sends to: an HTTPS front
    // for moto on loopback stands in for it (tls-front.ts; listed in moto-gaps.ts).
    front = await startTlsFront(moto!.url, `sqs.${SECURITY.region}.localhost`);
    running.push(front);
    const jobQueuePath = new URL(tickets.jobQueueUrl).pathname;
    const jobQueueName = jobQueuePath.split('/').pop()!;
    // The deployed function with its real environment, but for where the ticket systems and the job queue answer.
    route = {
      ...deployed,
      environment: {
        ...deployed.environment,
        ROUTER_SETTINGS: JSON.stringify({
          ...settings,
          tickets: {
            ...tickets,
            jira: { ...tickets.jira, baseUrl: jira.url },
            serviceNow: { ...tickets.serviceNow, instanceUrl: sn.url },
            jobQueueUrl: `${front.url}${jobQueuePath}`,
          },
        }),
        NODE_EXTRA_CA_CERTS: front.caFile,
      },
    };
    credentials = await assumeRole(moto!.url, route.roleArn, route.functionName);
    db = await createRoutingTable(credentials);
    security = await accountClients(moto!.url, SECURITY.account, SECURITY.region);
    const common = { region: SECURITY.region, endpoint: moto!.url, credentials: security.credentials, maxAttempts: 1 };
    secrets = new SecretsManagerClient(common);
    sqs = new SQSClient(common);
    hub = new SecurityHubClient({ ...common, endpoint: standIn!.url });

    // The alert key behind its alias, and the secrets as the stack makes them: name, description, the alert key, no value.
    const alias = stackResources('aws_kms_alias').find((a) => a.name === names.alertKeyAlias(settings.organization));
    if (!alias) throw new Error(`${SECURITY.stack} has no ${names.alertKeyAlias(settings.organization)}`);
    const kms = (target: string, body: unknown) =>
      motoJsonCall(moto!.url, {
        service: 'kms',
        target: `TrentService.${target}`,
        accessKeyId: security.credentials.accessKeyId,
        region: SECURITY.region,
        body,
      });
    const key = (await kms('CreateKey', { Description: 'the alert key' })) as { KeyMetadata: { KeyId: string; Arn: string } };
    await kms('CreateAlias', { AliasName: alias.name, TargetKeyId: key.KeyMetadata.KeyId });
    alertKeyArn = key.KeyMetadata.Arn;
    const keyArnReference = String(alias.target_key_id).replace(/\.key_id\}$/, '.arn}');
    for (const secret of stackResources('aws_secretsmanager_secret')) {
      if (secret.kms_key_id !== keyArnReference)
        throw new Error(`secret ${secret.name} is encrypted with ${secret.kms_key_id}, not the alert key ${keyArnReference}`);
      await secrets.send(new CreateSecretCommand({ Name: secret.name, Description: secret.description, KmsKeyId: alertKeyArn }));
    }
    // The job queue and its dead-letter queue as the stack makes them (the redrive policy names computed ARNs).
    const queues = stackResources('aws_sqs_queue');
    for (const name of [tickets.jobDeadLetterQueue, jobQueueName]) {
      const q = queues.find((candidate) => candidate.name === name);
      if (!q) throw new Error(`${SECURITY.stack} has no queue ${name}`);
      await sqs.send(
        new CreateQueueCommand({
          QueueName: q.name,
          Attributes: {
            ...(q.visibility_timeout_seconds === undefined ? {} : { VisibilityTimeout: String(q.visibility_timeout_seconds) }),
            ...(q.message_retention_seconds === undefined ? {} : { MessageRetentionPeriod: String(q.message_retention_seconds) }),
            ...(q.redrive_policy === undefined ? {} : { RedrivePolicy: q.redrive_policy }),
            ...(q.sqs_managed_sse_enabled ? { SqsManagedSseEnabled: 'true' } : {}),
          },
        }),
      );
    }
    jobQueueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: jobQueueName }))).QueueUrl!;
    jobQueueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: jobQueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    email = await captureAlerts(moto!.url, settings.targets.emailTopicArn);
    intake = await captureAlerts(moto!.url, settingsOf(deployedFunction(org, MEMBER.stack, 'respond')).alertTopicArn);
  }, 120000);

  afterAll(async () => {
    for (const server of running) await server.stop();
  });

  /**
   * A payments finding as the security account's hub holds it (aggregated) once respond has acted
   * and alerted: NOTIFIED, with an undo record. Imported there first.
   */
  async function aggregatedFinding(): Promise<Record<string, any>> {
    const where = { account: MEMBER.account, region: SECURITY.region };
    // Without the deprecated WorkflowState, which has no NOTIFIED.
    const { WorkflowState: _deprecated, ...imported } = controlFinding('EC2.19', [securityGroupResource(where)], where);
    const finding = { ...imported, Workflow: { Status: 'NOTIFIED' }, UserDefinedFields: { 'undo.1': UNDO_RECORD } };
    await findings.importFindings(SECURITY.account, SECURITY.region, [finding]);
    return finding;
  }

  /** A HIGH finding alert published to the alert topic, as SNS delivers it to the intake queue, handed to route. */
  async function routeAlertOf(finding: Record<string, any>, title: string): Promise<Invocation> {
    const alert = {
      subject: `[HIGH] payments: ${title}`,
      message: `What: ${title}\nFinding id: ${finding.Id}\n`,
      attributes: {
        kind: 'finding',
        severity: 'HIGH',
        account: MEMBER.account,
        accountName: 'payments',
        team: 'payments',
        category: 'public-exposure',
        action: 'REVOKE_PUBLIC_INGRESS',
        outcome: 'REMEDIATED',
      },
      detail: {
        title,
        accountName: 'payments',
        region: SECURITY.region,
        findingId: finding.Id,
        productArn: finding.ProductArn,
        undo: `npm run undo -- '${finding.Id}'`,
      },
    };
    await security.sns.send(publishCommand(intake.topicArn, alert));
    const delivered = await intake.drain();
    expect(delivered).toHaveLength(1);
    const run = await invoke(route, sqsEvent(delivered), endpoints(), credentials);
    expectRan(run);
    return run;
  }

  /** The finding as the security account's hub answers it now (GetFindings through the stand-in). */
  async function findingNow(id: string): Promise<Record<string, any>> {
    const out = await hub.send(new GetFindingsCommand({ Filters: { Id: [{ Value: id, Comparison: 'EQUALS' }] }, MaxResults: 1 }));
    if (out.Findings?.length !== 1) throw new Error(`the security account's hub holds no finding ${id}`);
    return out.Findings[0];
  }

  /** The finding's ticket in one system as route remembers it in the routing table at moto. */
  async function rememberedTicket(system: 'jira' | 'servicenow', findingId: string) {
    const out = await db.send(
      new QueryCommand({
        TableName: routerSettingsOf(route).tableName,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': { S: `ticket#${system}` }, ':sk': { S: dedupeKey(findingId) } },
      }),
    );
    const items: Array<Partial<Record<string, { S?: string }>>> = out.Items ?? [];
    return items.map((item) => ({ findingId: item.findingId?.S, key: item.key?.S, url: item.url?.S }));
  }

  /** A person puts the credentials (the security account's own role), once: the first test checks the secrets before. */
  let credentialsPut = false;
  async function putCredentials(): Promise<void> {
    if (credentialsPut) return;
    await secrets.send(new PutSecretValueCommand({ SecretId: tickets.jira.secretName, SecretString: JSON.stringify(JIRA_SECRET) }));
    await secrets.send(new PutSecretValueCommand({ SecretId: tickets.serviceNow.secretName, SecretString: JSON.stringify(SERVICENOW_SECRET) }));
    credentialsPut = true;
  }

  const jobQueueCounts = async () => {
    const out = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: jobQueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'] }),
    );
    return out.Attributes;
  };

  /**
   * The ticket jobs moto holds for a finding, read from moto's model data: a delayed message cannot
   * be received before its delay ends, at AWS as at moto.
   */
  async function heldJobs(findingId: string): Promise<Array<{ body: string; job: any; delayed: boolean; delaySeconds: number }>> {
    const response = await fetch(`${moto!.url}/moto-api/data.json`);
    const data = (await response.json()) as { sqs?: { Message?: Array<{ body: string; delayed: boolean; delayed_until: number; sent_timestamp: number }> } };
    return (data.sqs?.Message ?? []).flatMap((m) => {
      let job: any;
      try {
        job = JSON.parse(m.body);
      } catch {
        return [];
      }
      return job?.type === 'ticket' && job.request?.findingId === findingId
        ? [{ body: m.body, job, delayed: m.delayed, delaySeconds: Math.round((m.delayed_until - m.sent_timestamp) / 1000) }]
        : [];
    });
  }

  it("the stack's credentials secrets are at moto under the configured names, empty and with the alert key, and only route's grant names them: until a person puts a value, an alert says so and no request reaches a ticket system", async () => {
    const policy = stackResources('aws_iam_role_policy')
      .map((p) => JSON.parse(p.policy) as { Statement: Array<{ Action: string | string[]; Resource: string | string[] }> })
      .flatMap((d) => d.Statement)
      .filter((st) => ([] as string[]).concat(st.Action).includes('secretsmanager:GetSecretValue'));
    const granted = policy.flatMap((st) => ([] as string[]).concat(st.Resource));
    for (const [system, configured] of [
      ['jira', tickets.jira],
      ['servicenow', tickets.serviceNow],
    ] as const) {
      const described = await secrets.send(new DescribeSecretCommand({ SecretId: configured.secretName }));
      expect({ system, name: described.Name, key: described.KmsKeyId, versions: described.VersionIdsToStages ?? {} }).toEqual({
        system,
        name: configured.secretName,
        key: alertKeyArn,
        versions: {},
      });
      // The ARN Secrets Manager gave the secret (its name, a hyphen and six characters) is one route's role may read, by its own pattern only.
      expect({ system, matching: granted.filter((pattern) => iamMatches(pattern, described.ARN!)) }).toEqual({
        system,
        matching: [`arn:aws:secretsmanager:${SECURITY.region}:${SECURITY.account}:secret:${configured.secretName}-??????`],
      });
      await expect(secrets.send(new GetSecretValueCommand({ SecretId: configured.secretName }))).rejects.toThrow(ResourceNotFoundException);
    }

    const finding = await aggregatedFinding();
    const run = await routeAlertOf(finding, 'Security group open to the world (before the credentials)');
    expect(run.result).toEqual({ batchItemFailures: [] });
    const [mail, ...more] = await email.drain();
    expect(more).toEqual([]);
    for (const [system, configured] of [
      ['jira', tickets.jira],
      ['servicenow', tickets.serviceNow],
    ] as const) {
      expect(mail.Message).toContain(
        `No ${system} ticket was opened: ${system}: the secret ${configured.secretName} has no value in ${SECURITY.region}; put one with: aws secretsmanager put-secret-value --secret-id ${configured.secretName}`,
      );
    }
    expect([...jira.requests, ...sn.requests]).toEqual([]);
    // Both requests wait in the job queue; dropped here, so the next tests see only their own.
    expect(await jobQueueCounts()).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesDelayed: '2' });
    await sqs.send(new PurgeQueueCommand({ QueueUrl: jobQueueUrl }));
    expect(await jobQueueCounts()).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesDelayed: '0' });

    // A person puts the credentials; route's own role reads them.
    await putCredentials();
    const asRoute = new SecretsManagerClient({ region: SECURITY.region, endpoint: moto!.url, credentials, maxAttempts: 1 });
    const read = await asRoute.send(new GetSecretValueCommand({ SecretId: tickets.jira.secretName }));
    expect(JSON.parse(read.SecretString!)).toEqual(JIRA_SECRET);
  });

  it('an alert of a HIGH finding opens one Jira issue and one ServiceNow incident with the credentials from the secrets, lists them in the e-mail, writes them on the finding (its undo record kept) and remembers them in the routing table', async () => {
    await putCredentials();
    const finding = await aggregatedFinding();
    const before = { issues: jira.issues.length, incidents: sn.incidents.length };
    const run = await routeAlertOf(finding, 'Security group open to the world');
    expect(run.result).toEqual({ batchItemFailures: [] });
    // The stand-ins refuse a request without Basic credentials equal to the secrets' (401, listed in rejections).
    expect([...jira.rejections, ...sn.rejections]).toEqual([]);
    const issues = jira.issues.slice(before.issues);
    const incidents = sn.incidents.slice(before.incidents);
    expect(issues.map((i) => ({ key: i.key, project: i.fields.project.key, labels: i.fields.labels }))).toEqual([
      { key: `${tickets.jira.projectKey}-1`, project: tickets.jira.projectKey, labels: expect.arrayContaining([dedupeKey(finding.Id)]) },
    ]);
    expect(incidents.map((i) => ({ number: i.number, correlation_id: i.correlation_id }))).toEqual([
      { number: 'INC0010001', correlation_id: dedupeKey(finding.Id) },
    ]);
    const jiraKey = issues[0].key;
    const jiraUrl = `${jira.url}/browse/${jiraKey}`;

    const [mail, ...more] = await email.drain();
    expect(more).toEqual([]);
    expect(mail.Subject).toBe('[HIGH] payments: Security group open to the world');
    expect(mail.Message).toContain('\nTickets:\n');
    expect(mail.Message).toContain(`jira ${jiraKey} ${jiraUrl} (opened)`);
    expect(mail.Message).toContain('servicenow INC0010001 ');

    const now = await findingNow(finding.Id);
    expect(now.UserDefinedFields?.['undo.1']).toBe(UNDO_RECORD);
    expect(now.UserDefinedFields?.[TICKET_FIELD]).toMatch(new RegExp(`^jira ${jiraKey} ${jiraUrl.replace(/[.?]/g, '\\$&')}; servicenow INC0010001 \\S+$`));
    // The update itself carried the undo record back: AWS does not say whether it merges the map or replaces it.
    const updates = findings.updates.filter((u) => u.operation === 'BatchUpdateFindings' && u.processed.includes(finding.Id));
    expect(updates.map((u) => ({ account: u.accountId, region: u.region, fields: Object.keys(u.input.UserDefinedFields ?? {}).sort() }))).toEqual([
      { account: SECURITY.account, region: SECURITY.region, fields: [TICKET_FIELD, 'undo.1'].sort() },
    ]);

    expect(await rememberedTicket('jira', finding.Id)).toEqual([{ findingId: finding.Id, key: jiraKey, url: jiraUrl }]);
    expect(await rememberedTicket('servicenow', finding.Id)).toEqual([{ findingId: finding.Id, key: 'INC0010001', url: expect.stringContaining(sn.url) }]);
    expect(await jobQueueCounts()).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesDelayed: '0' });

    // route's evidence record of each ticket, written with its own role into the locked bucket at moto.
    const ticketRecords = (await evidenceRecords()).filter((r) => r.record.function === 'route');
    expect(
      ticketRecords
        .map((r) => ({
          key: r.key.replace(/[0-9a-f]{32}\.json$/, '<id>.json'),
          finding: r.record.finding_id,
          outcome: r.record.outcome,
          ticket: { system: r.record.ticket.system, key: r.record.ticket.key, status: r.record.ticket.status },
        }))
        .sort((a, b) => a.ticket.system.localeCompare(b.ticket.system)),
    ).toEqual(
      [
        { system: 'jira', key: jiraKey },
        { system: 'servicenow', key: 'INC0010001' },
      ].map((t) => ({
        key: expect.stringMatching(new RegExp(`^decisions/dt=\\d{4}-\\d{2}-\\d{2}/${MEMBER.account}-${SECURITY.region}-route-<id>\\.json$`)),
        finding: finding.Id,
        outcome: 'TICKET_OPENED',
        ticket: { ...t, status: 'opened' },
      })),
    );
    expect(mail.Message).not.toContain('evidence');
  });

  it('a ticket system that keeps failing: the alert still goes out saying no ticket was opened, the request waits in the job queue at moto, and handed back to route once the system recovers it opens the ticket', async () => {
    await putCredentials();
    const finding = await aggregatedFinding();
    const before = { issues: jira.issues.length, searches: jira.calls('search').length, incidents: sn.incidents.length };
    // Every attempt route's client makes (ROUTER_HTTP) is answered 503.
    jira.failNext('search', { status: 503, body: { errorMessages: ['Service Unavailable'], errors: {} } }, ROUTER_HTTP.maxAttempts);
    const run = await routeAlertOf(finding, 'Security group open to the world (Jira down)');
    expect(run.result).toEqual({ batchItemFailures: [] });
    // The client's attempts, no create; the other system is not held back.
    expect({
      searches: jira.calls('search').length - before.searches,
      issues: jira.issues.length - before.issues,
      incidents: sn.incidents.length - before.incidents,
    }).toEqual({
      searches: ROUTER_HTTP.maxAttempts,
      issues: 0,
      incidents: 1,
    });
    const [mail, ...more] = await email.drain();
    expect(more).toEqual([]);
    expect(mail.Message).toContain(
      `No jira ticket was opened: jira POST /rest/api/3/search/jql: HTTP 503: Service Unavailable (after ${ROUTER_HTTP.maxAttempts} attempts).`,
    );
    expect(mail.Message).toContain(`after that it waits in ${tickets.jobDeadLetterQueue}, which raises an alarm`);
    expect(mail.Message).toContain('servicenow INC0010002 ');

    // At moto: one message in the job queue, delayed, so nobody can receive it yet.
    expect(await jobQueueCounts()).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesDelayed: '1' });
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: jobQueueUrl, WaitTimeSeconds: 0 }))).Messages ?? []).toEqual([]);
    const held = await heldJobs(finding.Id);
    expect(held.map((h) => ({ delayed: h.delayed, delaySeconds: h.delaySeconds, type: h.job.type, system: h.job.system }))).toEqual([
      { delayed: true, delaySeconds: TICKET_RETRY_DELAY_SECONDS, type: 'ticket', system: 'jira' },
    ]);

    // The job queue's event source mapping hands it to route once it is visible; the system is back.
    const retry = await invoke(
      route,
      { Records: [{ messageId: 'job-1', body: held[0].body, eventSource: 'aws:sqs', eventSourceARN: jobQueueArn }] },
      endpoints(),
      credentials,
    );
    expectRan(retry);
    expect(retry.result).toEqual({ batchItemFailures: [] });
    const issues = jira.issues.slice(before.issues);
    expect(issues.map((i) => i.fields.labels)).toEqual([expect.arrayContaining([dedupeKey(finding.Id)])]);
    const jiraKey = issues[0].key;
    const [announced, ...others] = await email.drain();
    expect(others).toEqual([]);
    expect(announced.Subject).toContain(`ticket ${jiraKey} opened`);
    expect(announced.Message).toContain(`Ticket:      jira ${jiraKey} ${jira.url}/browse/${jiraKey} (opened)`);
    expect(await rememberedTicket('jira', finding.Id)).toEqual([{ findingId: finding.Id, key: jiraKey, url: `${jira.url}/browse/${jiraKey}` }]);
    const now = await findingNow(finding.Id);
    expect(now.UserDefinedFields?.['undo.1']).toBe(UNDO_RECORD);
    // Both systems' tickets: the incident opened at once stays next to the issue the retry opened.
    const incident = sn.incidents[sn.incidents.length - 1].number as string;
    expect(now.UserDefinedFields?.[TICKET_FIELD]).toMatch(new RegExp(`^jira ${jiraKey} \\S+; servicenow ${incident} \\S+$`));
    expect([...jira.rejections, ...sn.rejections]).toEqual([]);
  });
});

describe('the Security Hub stand-in', () => {
  it("saw every request of this file match AWS's model and answered the finding updates itself", () => {
    expect([...invalidSoFar, ...standIn!.invalid()]).toEqual([]);
    expect(standIn!.requests.filter((r) => r.operation === 'BatchUpdateFindings').every((r) => r.answeredBy === 'stand-in')).toBe(true);
  });
});
