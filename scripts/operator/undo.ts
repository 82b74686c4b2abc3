import { BatchUpdateFindingsCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import {
  DeleteUserPermissionsBoundaryCommand,
  DetachUserPolicyCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListUserTagsCommand,
  PutUserPermissionsBoundaryCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ACCOUNT_ID, parseArn, REGION } from '../../functions/shared/arn';
import { CallLog, type AwsPort, type ClientClass, type RecordedCall } from '../../functions/shared/aws';
import { NOTE_AUTHOR, names, TAG_PREFIX } from '../../functions/shared/naming';
import { decodeUndo, UNDO_NOTE_PREFIX } from '../../functions/shared/undo';
import { REVERSE_OPERATIONS } from '../../functions/shared/remediations/grants';
import { DEACTIVATED_KEYS_TAG, PREVIOUS_BOUNDARY_TAG } from '../../functions/shared/remediations/quarantine-iam-user/run';
import { present } from './aws-answer';

/**
 * Reverses what the automation changed, from what it recorded: the reverse requests stored on the
 * finding (see functions/shared/undo.ts), or, for a quarantined IAM user, the quarantine boundary,
 * deactivated keys and tags the user carries. Only the reverse operations the catalogue can produce are replayed.
 */
export const REVERSIBLE_OPERATIONS: ReadonlySet<string> = new Set([
  // Each action's reverse operations, from its folder's grants.ts (functions/shared/remediations/<action>/).
  ...REVERSE_OPERATIONS,
  // Recorded by no current run.ts, kept from the list before it moved into the folders: the
  // deny-all policy an earlier quarantine attached (see undoQuarantine), and instance attributes.
  'ec2:ModifyInstanceAttribute',
  'iam:DetachUserPolicy',
]);

/** SDK client class and command module of each service a reverse request may target, loaded when needed. */
export const SERVICES: Record<string, () => Promise<{ client: ClientClass; module: Record<string, unknown> }>> = {
  ec2: async () => {
    const m = await import('@aws-sdk/client-ec2');
    return { client: m.EC2Client, module: m };
  },
  s3: async () => {
    const m = await import('@aws-sdk/client-s3');
    return { client: m.S3Client, module: m };
  },
  s3control: async () => {
    const m = await import('@aws-sdk/client-s3-control');
    return { client: m.S3ControlClient, module: m };
  },
  iam: async () => {
    const m = await import('@aws-sdk/client-iam');
    return { client: m.IAMClient, module: m };
  },
};

export interface UndoResult {
  target: string;
  calls: RecordedCall[];
  /** What was not done and why, when nothing could be undone. */
  nothingToUndo?: string;
}

/** `arn:aws:<service>:<region>:<account>:...` → region and account. */
export function findingLocation(findingId: string): { region: string; accountId: string } {
  const arn = parseArn(findingId);
  if (!arn || !REGION.test(arn.region) || !ACCOUNT_ID.test(arn.accountId)) {
    throw new Error(`${findingId} is not a finding ARN with a region and an account`);
  }
  return { region: arn.region, accountId: arn.accountId };
}

async function replay(log: CallLog, call: RecordedCall): Promise<void> {
  const key = `${call.service}:${call.operation}`;
  if (!REVERSIBLE_OPERATIONS.has(key)) throw new Error(`refusing to replay ${key}: not a reverse operation of the catalogue`);
  const service = await SERVICES[call.service]();
  const Command = service.module[`${call.operation}Command`] as new (input: unknown) => { input: unknown; constructor: { name: string } };
  await log.write(service.client, call.region, new Command(call.input));
}

export async function undoFinding(findingId: string, aws: AwsPort, options: { dryRun?: boolean; who?: string } = {}): Promise<UndoResult> {
  const { region } = findingLocation(findingId);
  const hub = aws.client(SecurityHubClient, region);
  const found = await hub.send(new GetFindingsCommand({ Filters: { Id: [{ Value: findingId, Comparison: 'EQUALS' }] }, MaxResults: 1 }));
  // Only the finding asked for: an endpoint that ignored the filter must not make us replay another's undo.
  const finding = found.Findings?.find((f) => f.Id === findingId);
  if (!finding) throw new Error(`no finding ${findingId} in ${region} (run with credentials of its account)`);
  const calls = decodeUndo(finding.UserDefinedFields);
  if (calls.length === 0) {
    return {
      target: findingId,
      calls: [],
      nothingToUndo: 'the finding carries no undo record: the automation changed nothing (observe mode, exempt, already compliant, or failed)',
    };
  }
  const log = new CallLog(aws);
  if (options.dryRun) return { target: findingId, calls };
  for (const call of calls) await replay(log, call);
  // NOTIFIED, not NEW: a NEW finding would be remediated again at once.
  await hub.send(
    new BatchUpdateFindingsCommand({
      FindingIdentifiers: [{ Id: findingId, ProductArn: present(finding.ProductArn, `ProductArn of finding ${findingId}`) }],
      Note: {
        Text: `${UNDO_NOTE_PREFIX} ${options.who ?? 'an operator'} (npm run undo). Tag the resource security-response:exempt=true to keep the automation away.`,
        UpdatedBy: NOTE_AUTHOR,
      },
      Workflow: { Status: 'NOTIFIED' },
    }),
  );
  return { target: findingId, calls: log.calls };
}

/**
 * Releases a quarantined IAM user from what it carries: the deny-all boundary is replaced by the
 * boundary recorded in `security-response:previous-boundary` (or removed when there was none), the
 * keys listed in `security-response:deactivated-keys` that are still inactive are reactivated, our
 * tags are removed, and the deny-all policy is detached where an earlier version attached it.
 */
export async function undoQuarantine(userName: string, organization: string, aws: AwsPort, options: { dryRun?: boolean } = {}): Promise<UndoResult> {
  const iam = aws.client(IAMClient, 'us-east-1');
  const policyName = names.quarantinePolicy(organization);
  const isQuarantinePolicy = (arn: string | undefined) => arn !== undefined && arn.endsWith(`:policy/${policyName}`);
  const user = await iam.send(new GetUserCommand({ UserName: userName }));
  const boundary = user.User?.PermissionsBoundary?.PermissionsBoundaryArn;
  const tags = new Map(
    (await iam.send(new ListUserTagsCommand({ UserName: userName }))).Tags?.map((t) => [present(t.Key, `Key of a tag of ${userName}`), t.Value ?? '']) ?? [],
  );
  const previousBoundary = tags.get(`${TAG_PREFIX}${PREVIOUS_BOUNDARY_TAG}`);
  const recordedKeys = (tags.get(`${TAG_PREFIX}${DEACTIVATED_KEYS_TAG}`) ?? '').split(' ').filter(Boolean);
  const inactive = new Set(
    recordedKeys.length === 0
      ? []
      : ((await iam.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata ?? [])
          .filter((k) => k.Status === 'Inactive')
          .map((k) => k.AccessKeyId),
  );
  const attached = ((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }))).AttachedPolicies ?? []).filter(
    (p) => p.PolicyName === policyName,
  );
  const ours = [...tags.keys()].filter((k) => k.startsWith(TAG_PREFIX));

  const call = (operation: string, input: Record<string, unknown>): RecordedCall => ({ service: 'iam', operation, region: 'us-east-1', input });
  // Keys first and the boundary after, as the quarantine recorded them: a stop half-way leaves the user blocked.
  const planned: RecordedCall[] = [
    ...recordedKeys.filter((id) => inactive.has(id)).map((id) => call('UpdateAccessKey', { UserName: userName, AccessKeyId: id, Status: 'Active' })),
    ...(isQuarantinePolicy(boundary)
      ? [
          previousBoundary && !isQuarantinePolicy(previousBoundary)
            ? call('PutUserPermissionsBoundary', { UserName: userName, PermissionsBoundary: previousBoundary })
            : call('DeleteUserPermissionsBoundary', { UserName: userName }),
        ]
      : []),
    ...attached.map((p) => call('DetachUserPolicy', { UserName: userName, PolicyArn: p.PolicyArn })),
    ...(ours.length > 0 ? [call('UntagUser', { UserName: userName, TagKeys: ours })] : []),
  ];
  if (planned.length === 0)
    return { target: userName, calls: [], nothingToUndo: `${userName} has no ${policyName} boundary or attachment and no ${TAG_PREFIX} tags` };
  if (options.dryRun) return { target: userName, calls: planned };
  const log = new CallLog(aws);
  const commands: Record<string, new (input: never) => { input: unknown; constructor: { name: string } }> = {
    UpdateAccessKey: UpdateAccessKeyCommand,
    PutUserPermissionsBoundary: PutUserPermissionsBoundaryCommand,
    DeleteUserPermissionsBoundary: DeleteUserPermissionsBoundaryCommand,
    DetachUserPolicy: DetachUserPolicyCommand,
    UntagUser: UntagUserCommand,
  };
  for (const p of planned) await log.write(IAMClient, 'us-east-1', new commands[p.operation](p.input as never));
  return { target: userName, calls: log.calls };
}

/** Who the credentials belong to: the caller's ARN (an assumed-role session names the person or pipeline). */
export type CallerLookup = (aws: AwsPort, region: string) => Promise<string>;

/** STS GetCallerIdentity: needs no permission, and fails at once without credentials. */
export const stsCallerArn: CallerLookup = async (aws, region) => {
  const { Arn } = await aws.client(STSClient, region).send(new GetCallerIdentityCommand({}));
  if (!Arn) throw new Error('STS GetCallerIdentity returned no ARN for these credentials');
  return Arn;
};

export interface UndoDeps {
  aws: AwsPort;
  /** The organization name (quarantine policy name), read only for a user name. */
  organization: () => string;
  dryRun?: boolean;
  /** Default: STS GetCallerIdentity. */
  caller?: CallerLookup;
}

/**
 * `npm run undo`: a finding id (an ARN) or an IAM user name. The caller is looked up first, so
 * missing credentials stop it before anything is read, and its ARN is who undid the remediation.
 */
export async function undo(target: string, deps: UndoDeps): Promise<UndoResult & { undoneBy: string }> {
  const isFinding = target.startsWith('arn:');
  const region = isFinding ? findingLocation(target).region : 'us-east-1';
  const undoneBy = await (deps.caller ?? stsCallerArn)(deps.aws, region);
  const result = isFinding
    ? await undoFinding(target, deps.aws, { dryRun: deps.dryRun, who: undoneBy })
    : await undoQuarantine(target, deps.organization(), deps.aws, { dryRun: deps.dryRun });
  return { ...result, undoneBy };
}
