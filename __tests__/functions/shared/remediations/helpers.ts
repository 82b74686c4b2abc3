/**
 * Shared fixtures for the remediation tests: settings of one account and region, findings built as
 * the ASFF Security Hub delivers (parsed by the real parser), a RemediationContext whose CallLog
 * talks to the SDK clients that aws-sdk-client-mock replaces, and AWS errors as the SDK throws them.
 */
import type { AwsStub } from 'aws-sdk-client-mock';
import { CallLog, createLiveAws, type RecordedCall } from '../../../../functions/shared/aws';
import { REMEDIATION_ACTIONS } from '../../../../functions/shared/catalogue';
import { findingFromAsff } from '../../../../functions/shared/events/asff';
import type { Finding } from '../../../../functions/shared/finding';
import { arns } from '../../../../functions/shared/naming';
import { selectRemediation } from '../../../../functions/shared/remediations';
import type { RemediationContext } from '../../../../functions/shared/remediations/types';
import { ResponderSettingsSchema, type ResponderSettings } from '../../../../functions/shared/settings';

export const ACCOUNT = '333333333333';
export const OTHER_ACCOUNT = '444444444444';
export const REGION = 'eu-west-1';
export const OTHER_REGION = 'us-east-1';
export const NOW = new Date('2024-05-01T12:00:00.000Z');

/** The settings a `respond` function of payments-prod in eu-west-1 runs with (validated by the real schema). */
export function settings(overrides: Partial<ResponderSettings> = {}): ResponderSettings {
  return ResponderSettingsSchema.parse({
    organization: 'acme',
    accountId: ACCOUNT,
    accountName: 'payments-prod',
    region: REGION,
    owner: 'payments',
    production: true,
    mode: 'enforce',
    actions: Object.fromEntries(REMEDIATION_ACTIONS.map((a) => [a, 'enforce'])),
    notifyMinSeverity: 'MEDIUM',
    criticalResourceTags: [],
    authorizedPublicPorts: [80, 443],
    alertTopicArn: 'arn:aws:sns:us-east-1:222222222222:acme-security-alerts',
    quarantinePolicyArn: arns.quarantinePolicy(ACCOUNT, 'acme'),
    evidence: { bucket: 'acme-evidence-222222222222-us-east-1', region: 'us-east-1' },
    quarantine: { trustedCreators: [], exemptUserNames: [] },
    ...overrides,
  });
}

interface Where {
  account?: string;
  region?: string;
}

/** A Security Hub control finding (consolidated control findings) about one resource. */
export function controlFinding(controlId: string, resource: Record<string, unknown>, where: Where = {}): Finding {
  const account = where.account ?? ACCOUNT;
  const region = where.region ?? REGION;
  return findingFromAsff(
    {
      SchemaVersion: '2018-10-08',
      Id: `arn:aws:securityhub:${region}:${account}:security-control/${controlId}/finding/6d1a2b3c-0000-4000-8000-000000000001`,
      ProductArn: `arn:aws:securityhub:${region}::product/aws/securityhub`,
      ProductName: 'Security Hub',
      AwsAccountId: account,
      Region: region,
      Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
      Title: `${controlId} failed`,
      Description: `${controlId} failed`,
      Severity: { Label: 'HIGH' },
      Compliance: { Status: 'FAILED', SecurityControlId: controlId },
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
      Resources: [{ Partition: 'aws', Region: region, ...resource }],
    },
    0,
  );
}

/** A GuardDuty finding as Security Hub imports it; its type travels in `Types` ("Backdoor:EC2-C&CActivity.B"). */
export function guardDutyFinding(type: string, resources: Record<string, unknown>[], where: Where = {}): Finding {
  const account = where.account ?? ACCOUNT;
  const region = where.region ?? REGION;
  const [kind, rest] = [type.slice(0, type.indexOf('/')), type.slice(type.indexOf('/') + 1)];
  return findingFromAsff(
    {
      SchemaVersion: '2018-10-08',
      Id: `arn:aws:guardduty:${region}:${account}:detector/12abc34d567e8fa901bc2d34e56789f0/finding/a1b2c3d4e5f60718293a4b5c6d7e8f90`,
      ProductArn: `arn:aws:securityhub:${region}::product/aws/guardduty`,
      ProductName: 'GuardDuty',
      AwsAccountId: account,
      Region: region,
      Types: [`TTPs/Initial Access/${kind}-${rest}`],
      Title: type,
      Description: type,
      Severity: { Label: 'HIGH' },
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
      Resources: resources.map((r) => ({ Partition: 'aws', Region: region, ...r })),
    },
    0,
  );
}

/** A context whose CallLog uses the live client factory; the SDK clients are the mocked ones. */
export function context(finding: Finding, options: { dryRun?: boolean; settings?: ResponderSettings } = {}): RemediationContext {
  return { finding, settings: options.settings ?? settings(), aws: new CallLog(createLiveAws()), dryRun: options.dryRun ?? false, now: NOW };
}

/** Selects with the real catalogue, loads the runner and runs it: the path `respond` takes. */
export async function remediate(finding: Finding, options: { dryRun?: boolean; settings?: ResponderSettings } = {}) {
  const ctx = context(finding, options);
  const selected = selectRemediation(finding, ctx.settings);
  if (!selected) throw new Error(`no remediation selected for ${finding.id}`);
  const runner = await selected.module.load();
  return { action: selected.module.action, result: await runner.run(selected.target, ctx), calls: ctx.aws.calls };
}

/** An AWS service error as the SDK rejects with it (name = error code). */
export function awsError(code: string, message = code, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name: code, $fault: 'client', $metadata: { httpStatusCode } });
}

export const throttled = () => awsError('ThrottlingException', 'Rate exceeded');

/** Operation names of every command a mocked client received, in order (reads and writes). */
export function sentOperations(mock: AwsStub<any, any, any>): string[] {
  return mock.calls().map((call) => (call.args[0] as object).constructor.name.replace(/Command$/, ''));
}

/** The inputs a mocked client received for one command class. */
export function inputsOf(mock: AwsStub<any, any, any>, command: new (input: any) => any): unknown[] {
  return mock.commandCalls(command).map((call) => call.args[0].input);
}

const SDK_MODULES: Partial<Record<string, () => Promise<Record<string, unknown>>>> = {
  ec2: () => import('@aws-sdk/client-ec2'),
  s3: () => import('@aws-sdk/client-s3'),
  s3control: () => import('@aws-sdk/client-s3-control'),
  iam: () => import('@aws-sdk/client-iam'),
};

/** Builds the real SDK command of a recorded (undo) call, failing if the service has no such operation. */
export async function commandOf(call: RecordedCall): Promise<{ input: unknown }> {
  const module = await SDK_MODULES[call.service]?.();
  const Command = module?.[`${call.operation}Command`] as (new (input: unknown) => { input: unknown }) | undefined;
  if (!Command) throw new Error(`${call.service} has no operation ${call.operation}`);
  return new Command(call.input);
}
