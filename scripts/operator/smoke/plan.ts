import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Fleet, StackPlan } from '../../../config/fleet';
import type { AwsPort } from '../../../functions/shared/aws';
import { severityRank, type Severity } from '../../../functions/shared/catalogue';
import { IAM_EVENTS_REGION } from '../../../functions/shared/naming';
import { roleOfSession } from '../../../functions/shared/quarantine';
import type { ResponderSettings } from '../../../functions/shared/settings';
import { answerOf } from '../aws-answer';
import { Refusal } from './errors';
import { enforceRefusal, expectedResponses, type Expectations } from './expect';
import type { SmokeOptions } from './options';
import type { SmokeNames } from './resources';

/** Who the credentials are, as CloudTrail will name the creator of the test user. */
export interface Caller {
  accountId: string;
  arn: string;
  /** For an assumed-role session, the role (with its path when IAM lets us read it). */
  roleArn?: string;
}

/** Everything decided before the first resource is created. */
export interface SmokePlan {
  stack: StackPlan;
  settings: ResponderSettings;
  region: string;
  accountId: string;
  org: string;
  names: SmokeNames;
  caller: Caller;
  vpcId: string;
  severity: Severity;
  expected: Expectations;
}

/** `YYYYMMDDHHMMSS-xxxxxx`: sortable, and random enough that no two runs share a bucket name. */
export function newRunId(now: Date, random: () => number = Math.random): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${stamp}-${Math.floor(random() * 0xffffff)
    .toString(16)
    .padStart(6, '0')}`;
}

export function smokeNames(org: string, runId: string): SmokeNames {
  return { runId, name: `${org}-smoke-${runId}` };
}

/** The stack by name, or a refusal that says how many stacks the configuration has. */
export function findStack(fleet: Fleet, name: string): StackPlan {
  const stack = fleet.stacks.find((s) => s.name === name);
  if (!stack)
    throw new Refusal(
      `unknown stack ${name}: the configuration has ${fleet.stacks.length} stacks (e.g. ${fleet.stacks[0]?.name ?? 'none'}); names are <account name>-<region>`,
    );
  return stack;
}

export async function callerOf(aws: AwsPort, region: string): Promise<Caller> {
  const id = await aws.client(STSClient, region).send(new GetCallerIdentityCommand({}));
  const arn = id.Arn ?? '';
  const sessionRole = roleOfSession(arn);
  let roleArn = sessionRole;
  if (sessionRole) {
    // The session ARN drops the role's path, which CloudTrail's sessionIssuer (and so the
    // trustedCreators match) keeps: ask IAM for the real ARN, keep the guess if not allowed.
    try {
      const role = await answerOf(aws.client(IAMClient, IAM_EVENTS_REGION).send(new GetRoleCommand({ RoleName: sessionRole.split('/').pop() ?? sessionRole })));
      roleArn = role?.Role?.Arn ?? sessionRole;
    } catch {
      roleArn = sessionRole;
    }
  }
  return { accountId: id.Account ?? '', arn, ...(roleArn ? { roleArn } : {}) };
}

async function vpcOf(aws: AwsPort, region: string, vpcId: string | undefined): Promise<string> {
  if (vpcId) return vpcId;
  const out = await answerOf(aws.client(EC2Client, region).send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] })));
  const found = out?.Vpcs?.[0]?.VpcId;
  if (!found) throw new Refusal(`no default VPC in ${region}: pass --vpc-id <vpc-id>`);
  return found;
}

/** The responder acts only at or above the account's threshold: HIGH, or CRITICAL if that is the threshold. */
export function smokeSeverity(settings: ResponderSettings): Severity {
  return severityRank(settings.notifyMinSeverity) > severityRank('HIGH') ? 'CRITICAL' : 'HIGH';
}

/**
 * Read-only checks and decisions before anything is created: the credentials belong to the stack's
 * account; what the deployed code will do with each test finding and with the CreateUser (the
 * simulator's answer, so no decision is re-implemented here); refuse enforce without --i-know.
 */
export async function preflight(options: SmokeOptions, fleet: Fleet, aws: AwsPort, now: Date, runId: string): Promise<SmokePlan> {
  const stack = findStack(fleet, options.stack);
  const settings = stack.settings;
  const caller = await callerOf(aws, stack.region);
  if (caller.accountId !== settings.accountId) {
    throw new Refusal(
      `the credentials are for account ${caller.accountId} (${caller.arn}), not ${settings.accountId} (${stack.account.name}) of stack ${stack.name}`,
    );
  }
  const names = smokeNames(settings.organization, runId);
  const severity = smokeSeverity(settings);
  const expected = await expectedResponses(fleet, stack, { names, caller, severity, now });
  const refusal = enforceRefusal(stack, expected, options.iKnow);
  if (refusal) throw new Refusal(refusal);
  const vpcId = await vpcOf(aws, stack.region, options.vpcId);
  return { stack, settings, region: stack.region, accountId: settings.accountId, org: settings.organization, names, caller, vpcId, severity, expected };
}
