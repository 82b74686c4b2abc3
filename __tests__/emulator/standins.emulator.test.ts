/**
 * The emulator's stand-ins for what moto lacks, held to what AWS documents (emulator tier,
 * `npm run test:emulator`): GetFindings at the Security Hub stand-in (MaxResults and NextToken,
 * SortCriteria, date and Region filters), Lambda's Invoke at the Lambda
 * stand-in running a deployed zip (moto's Lambda needs Docker), and Detective's investigation
 * operations at the Detective stand-in (moto has no Detective). All are listed in moto-gaps.ts.
 *
 * One synthesis of emulator/accounts.json, one moto_server, one Security Hub stand-in and one
 * Lambda stand-in serve the whole file; the Detective stand-in serves its describe.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateGraphCommand,
  DetectiveClient,
  GetInvestigationCommand,
  ListGraphsCommand,
  ListIndicatorsCommand,
  StartInvestigationCommand,
  type Indicator,
  type ListIndicatorsCommandInput,
  type StartInvestigationCommandInput,
} from '@aws-sdk/client-detective';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
  type AwsSecurityFindingFilters,
  type GetFindingsCommandInput,
  type SortCriterion,
} from '@aws-sdk/client-securityhub';
import { strToU8, zipSync } from 'fflate';
import { startDetectiveStandIn, type DetectiveStandIn } from '../../emulator/detective-standin';
import { deployedFunction, type DeployedFunction } from '../../emulator/functions';
import type { LambdaStandIn } from '../../emulator/lambda-standin';
import { motoMissing, type MotoServer } from '../../emulator/moto';
import type { FindingsService } from '../../emulator/securityhub-findings';
import type { SecurityHubStandIn } from '../../emulator/securityhub-standin';
import type { SynthesizedOrganization } from '../../emulator/synth';
import { startSweepEmulator, type SweepEmulator } from '../../emulator/sweep-harness';
import { accountClients } from '../../emulator/world';
import { controlFinding, securityGroupResource } from '../functions/shared/respond/events';

const MEMBER = { account: '333333333333', region: 'eu-west-1', stack: 'payments-eu-west-1' };
const HOUR = 60 * 60 * 1000;

let moto: MotoServer | undefined;
let standIn: SecurityHubStandIn | undefined;
let lambda: LambdaStandIn | undefined;
let findings: FindingsService;
let org: SynthesizedOrganization;
const started = Date.now();

let emu: SweepEmulator | undefined;

beforeAll(async () => {
  // Never a skip: without moto every test fails with this one line (the harness throws it).
  emu = await startSweepEmulator([]);
  ({ moto, standIn, findings, lambda, org } = emu);
}, 120000);

afterAll(async () => {
  await emu?.stop();
  console.log(`emulator tier, stand-ins: ${((Date.now() - started) / 1000).toFixed(1)} s wall time`);
});

/** Forgets moto's state and the stand-ins' (updates, copies of moto's findings, recorded requests, Lambda hosts). */
async function resetEmulator(): Promise<void> {
  if (!moto || !standIn || !lambda) throw new Error(motoMissing() ?? 'moto_server or a stand-in did not start (see the first failure)');
  const response = await fetch(`${moto.url}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset: ${response.status}`);
  findings.reset();
  expect(standIn.invalid()).toEqual([]);
  standIn.requests.length = 0;
  await lambda.recycle();
}

/** Security Hub at the stand-in as the member account (moto credentials of its OrganizationAccountAccessRole). */
async function memberHub(): Promise<SecurityHubClient> {
  const member = await accountClients(moto!.url, MEMBER.account, MEMBER.region);
  return new SecurityHubClient({ region: MEMBER.region, endpoint: standIn!.url, credentials: member.credentials, maxAttempts: 1 });
}

const LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

/** A control finding of the member created `hoursAgo` before `now` (updated a minute later). */
function findingCreated(now: number, hoursAgo: number, region = MEMBER.region, severity: (typeof LABELS)[number] = 'HIGH'): Record<string, any> {
  const where = { account: MEMBER.account, region };
  const created = now - hoursAgo * HOUR;
  return {
    ...controlFinding('EC2.19', [securityGroupResource(where)], { ...where, severity }),
    CreatedAt: new Date(created).toISOString(),
    UpdatedAt: new Date(created + 60000).toISOString(),
  };
}

/** Every page GetFindings answers for one query, following NextToken. */
async function allPages(hub: SecurityHubClient, query: { Filters?: AwsSecurityFindingFilters; SortCriteria?: SortCriterion[]; MaxResults?: number }) {
  const pages: { findings: AwsSecurityFinding[]; token?: string }[] = [];
  let token: string | undefined;
  do {
    const out = await hub.send(new GetFindingsCommand({ ...query, NextToken: token }));
    pages.push({ findings: out.Findings!, token: out.NextToken });
    token = out.NextToken;
  } while (token);
  return pages;
}

const ids = (list: { Id?: string }[]) => list.map((f) => f.Id);

describe('GetFindings at the Security Hub stand-in pages, sorts and filters as AWS documents', () => {
  let hub: SecurityHubClient;
  /** 250 findings of the member's hub, newest first: index i was created i + 0.5 hours ago, its severity LABELS[i % 5]. */
  let backlog: Record<string, any>[];
  beforeAll(async () => {
    await resetEmulator();
    hub = await memberHub();
    const now = Date.now();
    backlog = Array.from({ length: 250 }, (_, i) => findingCreated(now, i + 0.5, i >= 245 ? 'eu-central-1' : MEMBER.region, LABELS[i % 5]));
    // Imported oldest first, so moto's order is not the order asked for below. The last five were
    // generated in eu-central-1 and reach this hub as the aggregator delivers them.
    const imported = [...backlog].reverse();
    const delivered = imported.filter((f) => f.Region !== MEMBER.region);
    const own = imported.filter((f) => f.Region === MEMBER.region);
    await findings.importFindings(MEMBER.account, MEMBER.region, delivered, { asDelivered: true });
    for (let i = 0; i < own.length; i += 100) await findings.importFindings(MEMBER.account, MEMBER.region, own.slice(i, i + 100));
  });

  it('MaxResults 100 over 250 findings: pages of 100, 100 and 50, a NextToken on all but the last, each finding once, CreatedAt descending', async () => {
    const pages = await allPages(hub, { MaxResults: 100, SortCriteria: [{ Field: 'CreatedAt', SortOrder: 'desc' }] });
    expect(pages.map((p) => [p.findings.length, typeof p.token])).toEqual([
      [100, 'string'],
      [100, 'string'],
      [50, 'undefined'],
    ]);
    const listed = pages.flatMap((p) => p.findings);
    expect(new Set(ids(listed)).size).toBe(250);
    expect(ids(listed)).toEqual(ids(backlog));
  });

  it('without SortCriteria the pages keep moto order (the import order); the default MaxResults is 100', async () => {
    const pages = await allPages(hub, {});
    expect(pages.map((p) => p.findings.length)).toEqual([100, 100, 50]);
    const delivered = backlog.filter((f) => f.Region !== MEMBER.region).reverse();
    const own = backlog.filter((f) => f.Region === MEMBER.region).reverse();
    expect(ids(pages.flatMap((p) => p.findings))).toEqual(ids([...delivered, ...own]));
  });

  it('UpdatedAt ascending; SeverityNormalized descending (from the Label when only a Label is given), ties broken by CreatedAt', async () => {
    const byUpdated = await allPages(hub, { MaxResults: 100, SortCriteria: [{ Field: 'UpdatedAt', SortOrder: 'asc' }] });
    expect(ids(byUpdated.flatMap((p) => p.findings))).toEqual(ids([...backlog].reverse()));
    const bySeverity = await allPages(hub, {
      SortCriteria: [
        { Field: 'SeverityNormalized', SortOrder: 'desc' },
        { Field: 'CreatedAt', SortOrder: 'desc' },
      ],
    });
    // ASFF: a Label alone gives Normalized INFORMATIONAL 0, LOW 1, MEDIUM 40, HIGH 70, CRITICAL 90.
    const expected = [...LABELS].reverse().flatMap((label) => backlog.filter((f) => f.Severity.Label === label));
    expect(ids(bySeverity.flatMap((p) => p.findings))).toEqual(ids(expected));
  });

  it('a NextToken presented with other Filters or other SortCriteria is refused (InvalidInputException)', async () => {
    const query = { MaxResults: 100, Filters: { RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' as const }] } };
    const first = await hub.send(new GetFindingsCommand(query));
    expect(first.NextToken).toEqual(expect.any(String));
    const withToken = (input: GetFindingsCommandInput) =>
      hub.send(new GetFindingsCommand({ ...input, NextToken: first.NextToken })).then(
        () => 'answered',
        (error: unknown) => (error as { name: string }).name,
      );
    expect({
      otherFilters: await withToken({ MaxResults: 100, Filters: { RecordState: [{ Value: 'ARCHIVED', Comparison: 'EQUALS' }] } }),
      noFilters: await withToken({ MaxResults: 100 }),
      sorted: await withToken({ ...query, SortCriteria: [{ Field: 'CreatedAt', SortOrder: 'asc' }] }),
      sameQuery: await withToken(query),
      // Another page size is the same query: AWS takes MaxResults per call.
      otherPageSize: await withToken({ ...query, MaxResults: 10 }),
      forged: await hub.send(new GetFindingsCommand({ ...query, NextToken: 'not-a-token' })).then(
        () => 'answered',
        (error: unknown) => (error as { name: string }).name,
      ),
    }).toEqual({
      otherFilters: 'InvalidInputException',
      noFilters: 'InvalidInputException',
      sorted: 'InvalidInputException',
      sameQuery: 'answered',
      otherPageSize: 'answered',
      forged: 'InvalidInputException',
    });
  });

  it('a DateFilter Start/End selects the findings created between them; several on one field select the findings of any', async () => {
    const now = Date.now();
    const between = (fromHours: number, toHours: number) => ({
      Start: new Date(now - toHours * HOUR).toISOString(),
      End: new Date(now - fromHours * HOUR).toISOString(),
    });
    const one = await allPages(hub, { Filters: { CreatedAt: [between(10, 20)] }, SortCriteria: [{ Field: 'CreatedAt', SortOrder: 'desc' }] });
    expect(ids(one.flatMap((p) => p.findings))).toEqual(ids(backlog.slice(10, 20)));
    const two = await allPages(hub, {
      Filters: { CreatedAt: [between(10, 20), between(100, 105)] },
      SortCriteria: [{ Field: 'CreatedAt', SortOrder: 'desc' }],
    });
    expect(ids(two.flatMap((p) => p.findings))).toEqual(ids([...backlog.slice(10, 20), ...backlog.slice(100, 105)]));
    const startOnly = await allPages(hub, { Filters: { CreatedAt: [{ Start: new Date(now - 5 * HOUR).toISOString() }] } });
    expect(new Set(ids(startOnly.flatMap((p) => p.findings)))).toEqual(new Set(ids(backlog.slice(0, 5))));
  });

  it('a DateRange of DAYS selects the last days (WITHIN, the default) or the time before them (OLDER_THAN)', async () => {
    const within = await allPages(hub, {
      Filters: { CreatedAt: [{ DateRange: { Value: 3, Unit: 'DAYS' } }] },
      SortCriteria: [{ Field: 'CreatedAt', SortOrder: 'desc' }],
    });
    expect(ids(within.flatMap((p) => p.findings))).toEqual(ids(backlog.slice(0, 72)));
    const older = await allPages(hub, {
      Filters: { UpdatedAt: [{ DateRange: { Value: 10, Unit: 'DAYS', Comparison: 'OLDER_THAN' } }] },
      SortCriteria: [{ Field: 'UpdatedAt', SortOrder: 'desc' }],
    });
    expect(ids(older.flatMap((p) => p.findings))).toEqual(ids(backlog.slice(240)));
    // FirstObservedAt: none of these findings has one, so none matches.
    expect((await hub.send(new GetFindingsCommand({ Filters: { FirstObservedAt: [{ DateRange: { Value: 30, Unit: 'DAYS' } }] } }))).Findings).toEqual([]);
  });

  it("the Region filter reads the finding's own Region (the aggregated copies from eu-central-1)", async () => {
    const other = await allPages(hub, { Filters: { Region: [{ Value: 'eu-central-1', Comparison: 'EQUALS' }] } });
    expect(new Set(ids(other.flatMap((p) => p.findings)))).toEqual(new Set(ids(backlog.slice(245))));
    const own = await allPages(hub, { Filters: { Region: [{ Value: 'eu-central-1', Comparison: 'NOT_EQUALS' }] } });
    expect(own.flatMap((p) => p.findings)).toHaveLength(245);
  });

  it('an unknown SortCriteria field, a criterion without SortOrder and a DateFilter with both forms are refused, not ignored', async () => {
    const message = (input: GetFindingsCommandInput) =>
      hub.send(new GetFindingsCommand(input)).then(
        () => 'answered',
        (error: unknown) => `${(error as Error).name}: ${(error as Error).message}`,
      );
    expect(await message({ SortCriteria: [{ Field: 'Title', SortOrder: 'asc' }] })).toMatch(
      /^InvalidInputException: .*SortCriteria field Title is not evaluated/,
    );
    expect(await message({ SortCriteria: [{ Field: 'CreatedAt' }] })).toMatch(/^InvalidInputException: .*SortOrder/);
    expect(await message({ Filters: { CreatedAt: [{ Start: '2026-01-01T00:00:00Z', DateRange: { Value: 1, Unit: 'DAYS' } }] } })).toMatch(
      /^InvalidInputException: .*not both/,
    );
    expect(await message({ Filters: { CreatedAt: [{ Start: 'yesterday' }] } })).toMatch(/^InvalidInputException: .*not an ISO 8601 timestamp/);
    expect(await message({ MaxResults: 101 })).toMatch(/^InvalidInputException: .*MaxResults: above 100/);
    // The deliberate invalid request (MaxResults 101) is not the model's fault: forget it.
    standIn!.requests.splice(standIn!.requests.length - 1);
  });

  it('a finding imported after a read is in the next read (through importFindings and through BatchImportFindings at the stand-in)', async () => {
    const count = async () => (await allPages(hub, {})).flatMap((p) => p.findings).length;
    expect(await count()).toBe(250);
    await findings.importFindings(MEMBER.account, MEMBER.region, [findingCreated(Date.now(), 0.1)]);
    expect(await count()).toBe(251);
    const imported = findingCreated(Date.now(), 0.2);
    const out = await hub.send(new BatchImportFindingsCommand({ Findings: [imported as AwsSecurityFinding] }));
    expect(out.FailedCount).toBe(0);
    expect(await count()).toBe(252);
    // BatchUpdateFindings finds it too (its existence check reads the same copy).
    const updated = await hub.send(
      new BatchUpdateFindingsCommand({ FindingIdentifiers: [{ Id: imported.Id, ProductArn: imported.ProductArn }], Workflow: { Status: 'NOTIFIED' } }),
    );
    expect(updated.ProcessedFindings).toEqual([{ Id: imported.Id, ProductArn: imported.ProductArn }]);
  });
});

describe("Lambda's Invoke at the Lambda stand-in runs the deployed zip", () => {
  let client: LambdaClient;
  let respond: DeployedFunction;
  /** An EventBridge event of a kind respond does not handle (an EC2 state change). */
  const unsupportedEvent = (id = 'emulator-unsupported') => ({
    version: '0',
    id,
    source: 'aws.ec2',
    'detail-type': 'EC2 Instance State-change Notification',
    account: MEMBER.account,
    region: MEMBER.region,
    time: new Date().toISOString(),
    resources: [],
    detail: {},
  });
  const payloadOf = (out: { Payload?: Uint8Array }) => JSON.parse(Buffer.from(out.Payload!).toString('utf8'));

  beforeAll(async () => {
    await resetEmulator();
    respond = deployedFunction(org, MEMBER.stack, 'respond');
    lambda!.register(respond);
    const member = await accountClients(moto!.url, MEMBER.account, MEMBER.region);
    client = new LambdaClient({ region: MEMBER.region, endpoint: lambda!.url, credentials: member.credentials, maxAttempts: 1 });
  });

  it("InvokeCommand of the member's respond answers the handler's JSON (an event of another kind: counted, nothing done)", async () => {
    const before = lambda!.invocations.length;
    const out = await client.send(new InvokeCommand({ FunctionName: respond.functionName, Payload: JSON.stringify(unsupportedEvent('emulator-first')) }));
    expect({ status: out.StatusCode, error: out.FunctionError, version: out.ExecutedVersion }).toEqual({ status: 200, error: undefined, version: '$LATEST' });
    expect(payloadOf(out)).toMatchObject({ kind: 'unsupported', findings: 0, acted: 0, remediated: 0, failed: 0 });
    const [record] = lambda!.invocations.slice(before);
    expect(record).toMatchObject({ functionName: respond.functionName, coldStart: true });
    expect(record.error).toBeUndefined();
    // The handler's Powertools lines of this invocation are kept with it.
    expect(record.logs).toContainEqual(expect.objectContaining({ message: 'event handled', eventId: 'emulator-first' }));
  });

  it('two invocations (by name, then by ARN with $LATEST) run in one host process: one cold start', async () => {
    await lambda!.recycle();
    const before = lambda!.invocations.length;
    const arn = `arn:aws:lambda:${respond.region}:${respond.accountId}:function:${respond.functionName}`;
    for (const name of [respond.functionName, `${arn}:$LATEST`]) {
      const out = await client.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(unsupportedEvent()) }));
      expect(payloadOf(out)).toMatchObject({ kind: 'unsupported' });
    }
    const runs = lambda!.invocations.slice(before);
    expect(runs.map((r) => r.coldStart)).toEqual([true, false]);
    expect(runs[0].hostPid).toEqual(expect.any(Number));
    expect(runs[1].hostPid).toBe(runs[0].hostPid);
  });

  it('an unknown function, another qualifier or another account: ResourceNotFoundException (404)', async () => {
    const failure = (name: string) =>
      client.send(new InvokeCommand({ FunctionName: name, Payload: '{}' })).then(
        () => 'answered',
        (error: unknown) => {
          const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
          return `${e.name} ${e.$metadata?.httpStatusCode}: ${e.message}`;
        },
      );
    expect(await failure('no-such-function')).toBe(
      `ResourceNotFoundException 404: Function not found: arn:aws:lambda:${MEMBER.region}:${MEMBER.account}:function:no-such-function`,
    );
    expect(await failure(`${respond.functionName}:7`)).toMatch(/^ResourceNotFoundException 404/);
    expect(await failure(`444444444444:function:${respond.functionName}`)).toMatch(/^ResourceNotFoundException 404/);
  });

  it('InvocationType Event or DryRun is refused (InvalidParameterValueException): the stand-in answers RequestResponse only', async () => {
    for (const type of ['Event', 'DryRun'] as const) {
      await expect(client.send(new InvokeCommand({ FunctionName: respond.functionName, InvocationType: type, Payload: '{}' }))).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
        $metadata: { httpStatusCode: 400 },
      });
    }
  });

  describe('a function that throws or dies', () => {
    let fn: DeployedFunction;
    beforeAll(() => {
      // A function of our own, deployed as the stacks deploy theirs: a zip with index.handler.
      const dir = mkdtempSync(join(tmpdir(), 'emulator-lambda-standin-'));
      const zipPath = join(dir, 'fn.zip');
      const code = [
        'export const handler = async (event, context) => {',
        '  if (event.throw) { const e = new TypeError(event.throw); throw e; }',
        '  if (event.exit) process.exit(event.exit);',
        "  console.log(JSON.stringify({ message: 'ran', requestId: context.awsRequestId }));",
        '  return { pid: process.pid, region: process.env.AWS_REGION, functionName: context.functionName };',
        '};',
      ].join('\n');
      writeFileSync(zipPath, zipSync({ 'index.mjs': strToU8(code) }));
      fn = {
        ...respond,
        resource: 'emulator_probe',
        functionName: 'emulator-probe',
        handler: 'index.handler',
        environment: {},
        zipPath,
        roleArn: `arn:aws:iam::${MEMBER.account}:role/emulator-probe`,
      };
      lambda!.register(fn);
    });
    const invokeProbe = (event: unknown) => client.send(new InvokeCommand({ FunctionName: fn.functionName, Payload: JSON.stringify(event) }));

    it("a thrown error answers 200 with X-Amz-Function-Error Unhandled and Lambda's errorType, errorMessage and trace", async () => {
      const out = await invokeProbe({ throw: 'bad input' });
      expect({ status: out.StatusCode, error: out.FunctionError }).toEqual({ status: 200, error: 'Unhandled' });
      expect(payloadOf(out)).toEqual({
        errorType: 'TypeError',
        errorMessage: 'bad input',
        trace: expect.arrayContaining([expect.stringMatching(/^TypeError: bad input/)]),
      });
      expect(lambda!.invocations.at(-1)!.error).toEqual({ type: 'TypeError', message: 'bad input' });
    });

    it('a process that exits answers Runtime.ExitError; the next invocation starts a new host (a cold start)', async () => {
      const first = payloadOf(await invokeProbe({}));
      const died = await invokeProbe({ exit: 3 });
      expect({ error: died.FunctionError, payload: payloadOf(died) }).toEqual({
        error: 'Unhandled',
        payload: { errorType: 'Runtime.ExitError', errorMessage: expect.stringMatching(/Runtime exited with error: exit status 3$/), trace: [] },
      });
      const after = await invokeProbe({});
      expect(after.FunctionError).toBeUndefined();
      const again = payloadOf(after);
      expect(again).toEqual({ pid: expect.any(Number), region: MEMBER.region, functionName: 'emulator-probe' });
      expect(again.pid).not.toBe(first.pid);
      expect(lambda!.invocations.at(-1)).toMatchObject({ coldStart: true, logs: [{ message: 'ran' }] });
    });
  });
});

describe('the Detective stand-in answers the investigation operations as the Detective API reference documents', () => {
  /** The organization's Detective administrator (the security account) and its graph's members. */
  const ADMIN = { account: '222222222222', region: 'us-east-1' };
  const OUTSIDER = '444444444444';
  let detective: DetectiveStandIn;
  let admin: DetectiveClient;
  let member: DetectiveClient;
  let graphArn: string;
  /** A scope of whole hours (the User Guide's rule): the 24 hours before the last full hour. */
  const scopeEnd = new Date(Math.floor(Date.now() / HOUR) * HOUR);
  const scopeStart = new Date(scopeEnd.getTime() - 24 * HOUR);
  const userArn = `arn:aws:iam::${MEMBER.account}:user/payments/deployer`;

  /** The error's name, HTTP status and message, or 'answered'. */
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => 'answered',
      (error: unknown) => {
        const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
        return `${e.name} ${e.$metadata?.httpStatusCode}: ${e.message}`;
      },
    );
  const start = (input: Partial<StartInvestigationCommandInput>) =>
    admin.send(new StartInvestigationCommand({ GraphArn: graphArn, EntityArn: userArn, ScopeStartTime: scopeStart, ScopeEndTime: scopeEnd, ...input }));

  beforeAll(async () => {
    if (!moto) throw new Error(motoMissing() ?? 'moto_server did not start (see the first failure)');
    detective = await startDetectiveStandIn(moto.url);
    graphArn = detective.addGraph(ADMIN.region, ADMIN.account, [MEMBER.account]);
    const clientOf = async (account: string, region: string) => {
      const { credentials } = await accountClients(moto!.url, account, region);
      return new DetectiveClient({ region, endpoint: detective.url, credentials, maxAttempts: 1 });
    };
    admin = await clientOf(ADMIN.account, ADMIN.region);
    member = await clientOf(MEMBER.account, ADMIN.region);
  });

  afterAll(async () => {
    // Undefined when the beforeAll failed before it started.
    await (detective as DetectiveStandIn | undefined)?.stop();
  });

  it("ListGraphs lists the administrator's graph in its region (CreatedTime read as a Date); a member and another region list none", async () => {
    expect(graphArn).toMatch(/^arn:aws:detective:us-east-1:222222222222:graph:[0-9a-f]{32}$/);
    const listed = await admin.send(new ListGraphsCommand({}));
    expect(listed.GraphList).toEqual([{ Arn: graphArn, CreatedTime: expect.any(Date) }]);
    expect(listed.NextToken).toBeUndefined();
    expect((await member.send(new ListGraphsCommand({}))).GraphList).toEqual([]);
    const { credentials } = await accountClients(moto!.url, ADMIN.account, 'eu-west-1');
    const elsewhere = new DetectiveClient({ region: 'eu-west-1', endpoint: detective.url, credentials, maxAttempts: 1 });
    expect((await elsewhere.send(new ListGraphsCommand({ MaxResults: 200 }))).GraphList).toEqual([]);
  });

  it("StartInvestigation of a member's IAM user or the administrator's IAM role starts one (a 21-digit InvestigationId)", async () => {
    const before = detective.investigations().length;
    const onUser = await start({});
    const roleArn = `arn:aws:iam::${ADMIN.account}:role/incident-responder`;
    const onRole = await start({ EntityArn: roleArn });
    for (const out of [onUser, onRole]) expect(out.InvestigationId).toMatch(/^\d{21}$/);
    expect(onUser.InvestigationId).not.toBe(onRole.InvestigationId);
    expect(detective.investigations().slice(before)).toEqual([
      expect.objectContaining({
        investigationId: onUser.InvestigationId,
        graphArn,
        accountId: ADMIN.account,
        region: ADMIN.region,
        entityArn: userArn,
        entityType: 'IAM_USER',
        scopeStartTime: scopeStart.toISOString(),
        scopeEndTime: scopeEnd.toISOString(),
        status: 'RUNNING',
      }),
      expect.objectContaining({ investigationId: onRole.InvestigationId, entityArn: roleArn, entityType: 'IAM_ROLE', status: 'RUNNING' }),
    ]);
  });

  it('an IAM ARN of an account outside the graph is ResourceNotFoundException; an ARN that is no IAM user or role is ValidationException', async () => {
    expect(await failure(start({ EntityArn: `arn:aws:iam::${OUTSIDER}:user/someone` }))).toMatch(
      new RegExp(`^ResourceNotFoundException 404: .*account ${OUTSIDER} is neither its administrator nor a member`),
    );
    for (const arn of [
      `arn:aws:ec2:${ADMIN.region}:${MEMBER.account}:instance/i-0123456789abcdef0`,
      `arn:aws:sts::${MEMBER.account}:assumed-role/deployer/session`,
      `arn:aws:iam::${MEMBER.account}:policy/deny-all`,
    ]) {
      expect(await failure(start({ EntityArn: arn }))).toMatch(/^ValidationException 400: .*is not the ARN of an IAM user or IAM role/);
    }
  });

  it("a graph that does not exist is ResourceNotFoundException; the administrator's graph used by a member is AccessDeniedException", async () => {
    const unknown = `arn:aws:detective:${ADMIN.region}:${ADMIN.account}:graph:${'0'.repeat(32)}`;
    expect(await failure(start({ GraphArn: unknown }))).toMatch(/^ResourceNotFoundException 404/);
    expect(
      await failure(member.send(new StartInvestigationCommand({ GraphArn: graphArn, EntityArn: userArn, ScopeStartTime: scopeStart, ScopeEndTime: scopeEnd }))),
    ).toMatch(/^AccessDeniedException 403: account 333333333333 is not the administrator account/);
  });

  it('a scope that ends before it starts, or is shorter than an hour or longer than a year, is ValidationException', async () => {
    const at = (ms: number) => new Date(ms);
    const cases: Array<[Partial<StartInvestigationCommandInput>, RegExp]> = [
      [{ ScopeStartTime: scopeEnd, ScopeEndTime: scopeStart }, /must be before ScopeEndTime/],
      [{ ScopeStartTime: scopeEnd, ScopeEndTime: scopeEnd }, /must be before ScopeEndTime/],
      [{ ScopeStartTime: at(scopeEnd.getTime() - 30 * 60000) }, /shorter than one hour/],
      [{ ScopeStartTime: at(scopeEnd.getTime() - 366 * 24 * HOUR) }, /longer than one year/],
    ];
    for (const [input, message] of cases) {
      const answer = await failure(start(input));
      expect(answer).toMatch(/^ValidationException 400: /);
      expect(answer).toMatch(message);
    }
    // A scope ending now (not on an hour) is taken by default; 'user-guide' holds the console's "on an hour" too.
    const now = new Date();
    expect((await start({ ScopeStartTime: at(now.getTime() - 3 * HOUR), ScopeEndTime: now })).InvestigationId).toMatch(/^\d{21}$/);
    const strict = await startDetectiveStandIn(moto!.url, { scopeTime: 'user-guide' });
    try {
      const strictGraph = strict.addGraph(ADMIN.region, ADMIN.account, [MEMBER.account]);
      const client = new DetectiveClient({
        region: ADMIN.region,
        endpoint: strict.url,
        credentials: (await accountClients(moto!.url, ADMIN.account, ADMIN.region)).credentials,
        maxAttempts: 1,
      });
      const startAt = (ScopeStartTime: Date, ScopeEndTime: Date) =>
        failure(client.send(new StartInvestigationCommand({ GraphArn: strictGraph, EntityArn: userArn, ScopeStartTime, ScopeEndTime })));
      expect(await startAt(at(now.getTime() - 3 * HOUR), now)).toMatch(/^ValidationException 400: the scope start and end time must be on an hour/);
      expect(await startAt(scopeStart, scopeEnd)).toBe('answered');
    } finally {
      await strict.stop();
    }
  });

  it('GetInvestigation: RUNNING with the scope as Dates, then SUCCESSFUL with the severity after complete(); FAILED after fail()', async () => {
    const { InvestigationId } = await start({});
    const get = () => admin.send(new GetInvestigationCommand({ GraphArn: graphArn, InvestigationId }));
    const running = await get();
    expect(running).toEqual(
      expect.objectContaining({
        GraphArn: graphArn,
        InvestigationId,
        EntityArn: userArn,
        EntityType: 'IAM_USER',
        CreatedTime: expect.any(Date),
        ScopeStartTime: scopeStart,
        ScopeEndTime: scopeEnd,
        Status: 'RUNNING',
        State: 'ACTIVE',
      }),
    );
    expect(running.Severity).toBeUndefined();
    detective.complete(InvestigationId!, { severity: 'HIGH', indicators: [] });
    expect(await get()).toMatchObject({ Status: 'SUCCESSFUL', Severity: 'HIGH', State: 'ACTIVE' });
    expect(() => {
      detective.fail(InvestigationId!);
    }).toThrow(/SUCCESSFUL, not RUNNING/);

    const other = (await start({})).InvestigationId!;
    detective.fail(other);
    const failed = await admin.send(new GetInvestigationCommand({ GraphArn: graphArn, InvestigationId: other }));
    expect({ status: failed.Status, severity: failed.Severity }).toEqual({ status: 'FAILED', severity: undefined });
    expect(await failure(admin.send(new GetInvestigationCommand({ GraphArn: graphArn, InvestigationId: '1'.repeat(21) })))).toMatch(
      /^ResourceNotFoundException 404/,
    );
    // complete() takes Detective's own shapes only.
    const third = (await start({})).InvestigationId!;
    expect(() => {
      detective.complete(third, { severity: 'SEVERE' as never, indicators: [{ IndicatorType: 'TTP_SEEN' }] });
    }).toThrow(/severity: "SEVERE" is not one of .*indicators\[0\]\.IndicatorType: "TTP_SEEN" is not one of/);
  });

  it('ListIndicators pages the indicators given to complete() (MaxResults, NextToken), filters by IndicatorType, refuses a token of other arguments', async () => {
    const { InvestigationId } = await start({});
    const ttp = (api: string): Indicator => ({
      IndicatorType: 'TTP_OBSERVED',
      IndicatorDetail: {
        TTPsObservedDetail: {
          Tactic: 'Persistence',
          Technique: 'Account Manipulation',
          Procedure: api,
          IpAddress: '198.51.100.7',
          APIName: api,
          APISuccessCount: 3,
          APIFailureCount: 0,
        },
      },
    });
    const travel: Indicator = {
      IndicatorType: 'IMPOSSIBLE_TRAVEL',
      IndicatorDetail: {
        ImpossibleTravelDetail: {
          StartingIpAddress: '198.51.100.7',
          EndingIpAddress: '203.0.113.9',
          StartingLocation: 'Dublin',
          EndingLocation: 'Sydney',
          HourlyTimeDelta: 1,
        },
      },
    };
    const indicators = [ttp('CreateAccessKey'), travel, ttp('AttachUserPolicy'), ttp('PutUserPolicy'), { ...travel }];
    const list = (input: Partial<ListIndicatorsCommandInput>) => admin.send(new ListIndicatorsCommand({ GraphArn: graphArn, InvestigationId, ...input }));

    expect((await list({})).Indicators).toEqual([]); // still RUNNING
    detective.complete(InvestigationId!, { severity: 'CRITICAL', indicators: indicators as Record<string, unknown>[] });

    const pages: Indicator[][] = [];
    let token: string | undefined;
    do {
      const out = await list({ MaxResults: 2, NextToken: token });
      expect({ graph: out.GraphArn, id: out.InvestigationId }).toEqual({ graph: graphArn, id: InvestigationId });
      pages.push(out.Indicators!);
      token = out.NextToken;
    } while (token);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(indicators);
    expect((await list({})).Indicators).toEqual(indicators);

    const travelOnly = await list({ IndicatorType: 'IMPOSSIBLE_TRAVEL', MaxResults: 1 });
    expect(travelOnly.Indicators).toEqual([travel]);
    expect(travelOnly.NextToken).toEqual(expect.any(String));
    expect((await list({ IndicatorType: 'IMPOSSIBLE_TRAVEL', MaxResults: 1, NextToken: travelOnly.NextToken })).Indicators).toEqual([travel]);
    expect(await failure(list({ IndicatorType: 'TTP_OBSERVED', NextToken: travelOnly.NextToken }))).toMatch(/^ValidationException 400: .*other arguments/);
    expect(await failure(list({ NextToken: 'not-a-token' }))).toMatch(/^ValidationException 400: NextToken is not a pagination token/);
    expect((await list({ IndicatorType: 'NEW_ASO' })).Indicators).toEqual([]);
  });

  it('a request outside the model (no GraphArn, a malformed GraphArn, MaxResults 101) is ValidationException and recorded as invalid', async () => {
    const before = detective.requests.length;
    const missing = admin.send(
      new StartInvestigationCommand({ EntityArn: userArn, ScopeStartTime: scopeStart, ScopeEndTime: scopeEnd } as StartInvestigationCommandInput),
    );
    await expect(missing).rejects.toMatchObject({ name: 'ValidationException', ErrorCode: 'INVALID_REQUEST_BODY', $metadata: { httpStatusCode: 400 } });
    await expect(missing).rejects.toThrow(/GraphArn: required member missing/);
    await expect(
      admin.send(new GetInvestigationCommand({ GraphArn: 'arn:aws:detective:us-east-1:222222222222:graph:xyz', InvestigationId: '1'.repeat(21) })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      ErrorCode: 'INVALID_GRAPH_ARN',
    });
    await expect(admin.send(new ListIndicatorsCommand({ GraphArn: graphArn, InvestigationId: '1'.repeat(21), MaxResults: 101 }))).rejects.toThrow(
      /MaxResults: above 100/,
    );
    const recorded = detective.requests.slice(before);
    expect(recorded.map((r) => [r.operation, r.answeredBy])).toEqual([
      ['StartInvestigation', 'rejected'],
      ['GetInvestigation', 'rejected'],
      ['ListIndicators', 'rejected'],
    ]);
    expect(detective.invalid()).toHaveLength(3);
    // The deliberate invalid requests are not the model's fault: forget them.
    detective.requests.splice(before);
    expect(detective.invalid()).toEqual([]);
  });

  it('throttle() answers TooManyRequestsException (429) the times asked; an operation without a handler is NotImplementedException (501)', async () => {
    detective.throttle('StartInvestigation');
    expect(await failure(start({}))).toMatch(/^TooManyRequestsException 429/);
    expect((await start({})).InvestigationId).toMatch(/^\d{21}$/);
    expect(await failure(admin.send(new CreateGraphCommand({})))).toMatch(/^NotImplementedException 501: CreateGraph is not answered/);
    expect(detective.invalid()).toEqual([]);
  });
});
