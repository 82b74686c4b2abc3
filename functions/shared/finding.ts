import type { Severity } from './catalogue';

/**
 * A Security Hub finding in one shape, whichever format it arrived in (ASFF or OCSF).
 * Decision code reads only this; functions/shared/events parses raw events into it.
 */
export interface ResourceRef {
  /** ASFF resource type: AwsEc2SecurityGroup, AwsS3Bucket, AwsIamUser, AwsIamAccessKey, AwsEc2Instance, AwsAccount, ... */
  type: string;
  /** ASFF `Resources[].Id` (usually an ARN; sometimes a bare id such as an access key id). */
  id: string;
  region?: string;
  /** Resource tags as the finding carries them. The live resource is re-read before any change. */
  tags: Record<string, string>;
  /** ASFF `Resources[].Details` (raw, e.g. `{ AwsEc2SecurityGroup: {...} }`); `{}` when absent. */
  details: Record<string, unknown>;
}

export interface Finding {
  format: 'asff' | 'ocsf';
  /** ASFF `Id`, or OCSF `finding_info.uid`. */
  id: string;
  /** ASFF `ProductArn` (BatchUpdateFindings identifies a finding by Id + ProductArn); OCSF: `metadata.product.uid` when present. */
  productArn: string;
  /** OCSF `metadata.uid` (BatchUpdateFindingsV2 identifies findings by it); undefined for ASFF. */
  metadataUid?: string;
  accountId: string;
  region: string;
  title: string;
  description: string;
  /** Severity label as reported (before classification raises it). */
  severity: Severity;
  /** ASFF `Workflow.Status` (NEW, NOTIFIED, RESOLVED, SUPPRESSED); OCSF status mapped to the same words. */
  workflowStatus: string;
  /** ASFF `RecordState` (ACTIVE, ARCHIVED). */
  recordState: string;
  /** Security control id such as `EC2.19`, from `Compliance.SecurityControlId` or `ProductFields.ControlId`. */
  controlId?: string;
  /** ASFF `Types`, e.g. `TTPs/Initial Access/UnauthorizedAccess:IAMUser-ConsoleLoginSuccess.B`. */
  types: string[];
  /** GuardDuty finding type such as `Backdoor:EC2/C&CActivity.B!DNS`, when the finding comes from GuardDuty. */
  guardDutyType?: string;
  /** Product that produced it, e.g. `Security Hub`, `GuardDuty`, `Inspector`. */
  productName: string;
  resources: ResourceRef[];
  /** The finding as it arrived, for the notification's raw section. */
  raw: unknown;
}
