/**
 * Where moto 5.2.1 (or the emulator's surroundings) differs from AWS, what the emulator tier does
 * about it, and why. One list for the whole tier (stacks and functions); each entry names the
 * API or resource, the reason, and how it is handled: patched in moto to AWS's documented
 * behaviour (emulator/moto_patches.py), answered by a stand-in of ours, or not covered here.
 */
export interface MotoGap {
  /** `service:Operation` the gap is about (or a resource type). */
  api?: string;
  resource?: string;
  reason: string;
  handling: string;
}

export const MOTO_GAPS: MotoGap[] = [
  {
    api: 'iam:PutUserPermissionsBoundary, iam:DeleteUserPermissionsBoundary',
    reason: 'moto implements permissions boundaries for roles only; for users it has no operation and GetUser answers PermissionsBoundary {} (a ToDo in moto/iam/models.py). quarantine sets a deny-all boundary on the user.',
    handling: 'patched (moto_patches.py) with the role implementation\'s semantics: the ARN must be a policy ARN, the user must exist, GetUser shows { PermissionsBoundaryType: PermissionsBoundaryPolicy, PermissionsBoundaryArn }, Delete removes it',
  },
  {
    api: 'ec2:ModifyNetworkInterfaceAttribute (Groups)',
    reason: 'moto replaces the interface\'s own groups but keeps reporting the instance\'s launch groups too (the union), so an isolated instance still shows its old group and a second run isolates again. On AWS the request replaces the groups, and an instance\'s groups are its primary interface\'s.',
    handling: 'patched (moto_patches.py): on an instance\'s primary interface (device index 0) the instance\'s groups become the interface\'s; the functions test also asserts the undo record holds the original groups',
  },
  {
    api: 'securityhub:BatchUpdateFindings',
    reason: 'not in moto',
    handling: 'answered by the validating stand-in (securityhub-findings.ts): a finding must exist in moto\'s hub of the caller\'s account and region with the same ProductArn, else UnprocessedFindings FindingNotFound; the update is kept as an overlay that GetFindings merges',
  },
  {
    api: 'securityhub:BatchUpdateFindingsV2',
    reason: 'not in moto, which has no OCSF findings store either',
    handling: 'answered by the stand-in from OCSF findings the test puts there (importOcsf); unknown metadata uids are unprocessed with ResourceNotFoundException',
  },
  {
    api: 'securityhub:GetFindings (Filters)',
    reason: 'moto ignores Filters and SortCriteria (its docstring says so): `npm run undo` asks for one finding by Id and would get whichever comes first',
    handling: 'answered by the stand-in from moto\'s findings of the caller with the update overlay merged and the documented string comparisons applied; a filter field it does not evaluate is refused, never ignored',
  },
  {
    api: 'securityhub:BatchImportFindings (findings of AWS integrations)',
    reason: 'GuardDuty findings carry empty ProductFields values, which the public import API refuses (NonEmptyString); the aggregated copies the security account holds are delivered by AWS, not imported',
    handling: 'such findings are put in moto\'s store directly (importFindings asDelivered); findings the tests make up are imported through the validating stand-in',
  },
  {
    api: 's3control:* (endpoint host)',
    reason: 'not moto: the SDK puts the account id in front of the S3 Control endpoint host (`<account>.<host>`); `127.0.0.1` cannot take a prefix and the machine\'s resolver does not answer `*.localhost`',
    handling: 'S3 Control\'s endpoint is http://localhost:<port>, and every process the tier runs preloads loopback-dns.cjs, which resolves names under localhost to 127.0.0.1 (RFC 6761); moto routes /v20180820/ paths to S3 Control',
  },
  {
    api: 'iam (policy evaluation)',
    reason: 'moto does not evaluate IAM permissions (it treats every resource as *, and a conditional Allow as a Deny): a function role missing a permission still succeeds here',
    handling: 'not covered by the emulator: the roles\' policies have their own checks (guard rails, the permissions tests)',
  },
];
