import { severitiesAtOrAbove, type Severity } from '../../functions/shared/catalogue';
import { IAM_EVENTS_REGION, NOTE_AUTHOR } from '../../functions/shared/naming';
import { UNDO_NOTE_PREFIX } from '../../functions/shared/undo';

/**
 * EventBridge patterns, as data. Field names follow the event formats AWS documents
 * (docs/aws-facts.md); a misspelt field matches nothing and fails silently, so tests pin them.
 */

/**
 * ASFF findings of this account and region only: the security account also receives aggregated
 * copies of every member's findings, which their own responders handle. ACTIVE and NEW only, so
 * our own updates (NOTIFIED, RESOLVED) never trigger the rule again.
 */
export function asffFindingsPattern(accountId: string, region: string, minSeverity: Severity) {
  return {
    source: ['aws.securityhub'],
    'detail-type': ['Security Hub Findings - Imported'],
    detail: {
      findings: {
        AwsAccountId: [accountId],
        Region: [region],
        RecordState: ['ACTIVE'],
        Workflow: { Status: ['NEW'] },
        Severity: { Label: severitiesAtOrAbove(minSeverity) },
      },
    },
  };
}

/** OCSF severities (Security Hub V2) at or above an ASFF label; OCSF adds Fatal above Critical. */
export function ocsfSeveritiesAtOrAbove(minSeverity: Severity): string[] {
  const ocsf: Record<Severity, string> = {
    INFORMATIONAL: 'Informational',
    LOW: 'Low',
    MEDIUM: 'Medium',
    HIGH: 'High',
    CRITICAL: 'Critical',
  };
  return [...severitiesAtOrAbove(minSeverity).map((s) => ocsf[s]), 'Fatal'];
}

/**
 * OCSF findings of the new Security Hub, same scope as the ASFF rule. OCSF has no RecordState:
 * Security Hub treats a finding as active unless `activity_name` is `Close` (OCSF `activity_id` 3),
 * so closed findings are excluded by `activity_id`, the required numeric attribute. `status` is the
 * caption of `status_id` (1 New); our own BatchUpdateFindingsV2 writes StatusId 2 (In Progress) or
 * 4 (Resolved), which this rule therefore ignores.
 */
export function ocsfFindingsPattern(accountId: string, region: string, minSeverity: Severity) {
  return {
    source: ['aws.securityhub'],
    'detail-type': ['Findings Imported V2'],
    detail: {
      findings: {
        cloud: { account: { uid: [accountId] }, region: [region] },
        activity_id: [{ 'anything-but': 3 }],
        status: ['New'],
        severity: ocsfSeveritiesAtOrAbove(minSeverity),
      },
    },
  };
}

/**
 * CloudTrail `CreateUser` of this account; IAM delivers it to EventBridge only in us-east-1.
 * CloudTrail also records calls that failed (AccessDenied, EntityAlreadyExists): they carry
 * `errorCode` and no user exists, so they are left out here rather than failing the function.
 */
export function createUserPattern(accountId: string) {
  return {
    source: ['aws.iam'],
    'detail-type': ['AWS API Call via CloudTrail'],
    account: [accountId],
    region: [IAM_EVENTS_REGION],
    detail: {
      eventSource: ['iam.amazonaws.com'],
      eventName: ['CreateUser'],
      errorCode: [{ exists: false }],
    },
  };
}

/** The "Escalate to SecOps" custom action, by its action target ARN. */
export function customActionPattern(actionTargetArn: string) {
  return {
    source: ['aws.securityhub'],
    'detail-type': ['Security Hub Findings - Custom Action'],
    resources: [actionTargetArn],
  };
}

/**
 * The notes `npm run undo` leaves on a finding (ASFF `Note`: `Text`, `UpdatedBy`, `UpdatedAt`):
 * BatchUpdateFindings sends a "Security Hub Findings - Imported" event, which carries the note.
 * Any finding of the organization (the security account sees members' findings, aggregated), but
 * only our author and the undo text, matched by prefix: respond's own notes start otherwise. Every
 * later update of the finding sends its note again, so the router comments once per note (its
 * `UpdatedAt`), not once per event.
 */
export function undoNotesPattern() {
  return {
    source: ['aws.securityhub'],
    'detail-type': ['Security Hub Findings - Imported'],
    detail: {
      findings: {
        Note: {
          UpdatedBy: [NOTE_AUTHOR],
          Text: [{ prefix: UNDO_NOTE_PREFIX }],
        },
      },
    },
  };
}

/** CloudWatch's event for every alarm state change (docs/aws-facts.md §f). */
const ALARM_STATE_CHANGE = { source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'] };

/**
 * The state changes of these alarms worth a message: into ALARM, and back to OK from ALARM. Not
 * the INSUFFICIENT_DATA → OK of every new alarm, which would mail once per alarm on the first deploy.
 */
export function alarmStateChangePattern(alarmNames: string[]) {
  return {
    ...ALARM_STATE_CHANGE,
    detail: {
      alarmName: alarmNames,
      $or: [{ state: { value: ['ALARM'] } }, { state: { value: ['OK'] }, previousState: { value: ['ALARM'] } }],
    },
  };
}

/** Every alarm of the organization's functions (their names start with `<org>-`), as forwarded to the alarm bus. */
export function organizationAlarmsPattern(org: string) {
  return { ...ALARM_STATE_CHANGE, detail: { alarmName: [{ prefix: `${org}-` }] } };
}

/**
 * The aggregated findings `investigate` looks at (security account, home region): ACTIVE findings of
 * any account and region that an AWS product typed as credential access, or that GuardDuty
 * reported on an IAM user. `FindingProviderFields.Types` and `ProductArn` are what the provider wrote
 * (BatchImportFindings); BatchUpdateFindings, which the actor under investigation may hold, changes
 * top-level `Types` and user-defined fields but neither of these, so no update can keep a finding
 * from this rule. The function classifies each finding again and takes only credential compromise.
 * GuardDuty's ASFF types put the finding type last, `…/UnauthorizedAccess:IAMUser-MaliciousIPCaller`
 * (or `TTPs/PenTest:IAMUser/KaliLinux`).
 */
export function credentialFindingsPattern() {
  return {
    source: ['aws.securityhub'],
    'detail-type': ['Security Hub Findings - Imported'],
    detail: {
      findings: {
        RecordState: ['ACTIVE'],
        $or: [
          // AWS's own products only: anyone allowed BatchImportFindings in an account can import findings
          // of their own "product" typed as they like, and each would cost an investigation and an alert.
          { ProductArn: [{ wildcard: 'arn:aws:securityhub:*::product/aws/*' }], FindingProviderFields: { Types: [{ prefix: 'TTPs/Credential Access' }] } },
          {
            ProductArn: [{ wildcard: 'arn:aws:securityhub:*::product/aws/guardduty' }],
            // IAM finding types, and the attack sequence of a compromised credential (TTPs/AttackSequence:IAM/CompromisedCredentials).
            FindingProviderFields: { Types: [{ wildcard: '*:IAMUser-*' }, { wildcard: '*:IAMUser/*' }, { prefix: 'TTPs/AttackSequence:IAM/' }] },
          },
        ],
      },
    },
  };
}
