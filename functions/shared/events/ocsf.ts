import type { Severity } from '../catalogue';
import type { Finding, ResourceRef } from '../finding';
import { guardDutyTypeFromTypes } from './asff';
import { at, FindingError, isObject, requireString, textOf, type Json } from './errors';

/** OCSF severity_id → ASFF label (Fatal counts as CRITICAL). */
const SEVERITY_BY_ID: Record<number, Severity> = { 1: 'INFORMATIONAL', 2: 'LOW', 3: 'MEDIUM', 4: 'HIGH', 5: 'CRITICAL', 6: 'CRITICAL' };
const SEVERITY_BY_NAME: Record<string, Severity> = {
  informational: 'INFORMATIONAL',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
  fatal: 'CRITICAL',
};
/** OCSF finding status_id → the ASFF workflow words the decision code uses (5 Archived, 6 Deleted: not active). */
const WORKFLOW_BY_STATUS_ID: Record<number, string> = { 1: 'NEW', 2: 'NOTIFIED', 3: 'SUPPRESSED', 4: 'RESOLVED', 5: 'ARCHIVED', 6: 'DELETED' };
const STATUS_ID_BY_CAPTION: Record<string, number> = { new: 1, 'in progress': 2, suppressed: 3, resolved: 4, archived: 5, deleted: 6 };
/** BatchUpdateFindingsV2 StatusId for NOTIFIED (In Progress) and RESOLVED. */
export const OCSF_STATUS_ID = { NOTIFIED: 2, RESOLVED: 4 } as const;

/** A Security Hub V2 (OCSF) finding → the Finding model. Throws FindingError naming the bad field. */
export function findingFromOcsf(raw: unknown, index: number): Finding {
  const prefix = `detail.findings[${index}]`;
  if (!isObject(raw)) throw new FindingError(`${prefix} is not an object`, index);
  const id = requireString(raw, ['finding_info', 'uid'], prefix, index);
  const metadataUid = requireString(raw, ['metadata', 'uid'], prefix, index, id);
  const accountId = requireString(raw, ['cloud', 'account', 'uid'], prefix, index, id);
  const region = requireString(raw, ['cloud', 'region'], prefix, index, id);
  const severity = severityOf(raw);
  if (!severity) throw new FindingError(`${prefix}.severity_id is missing or unknown (${JSON.stringify(raw.severity_id ?? raw.severity)})`, index, id);
  const statusId = typeof raw.status_id === 'number' ? raw.status_id : (STATUS_ID_BY_CAPTION[textOf(raw.status, '').toLowerCase()] ?? NaN);
  // OCSF has no record state: a finding is closed when its activity is Close (activity_id 3) or it is archived or deleted.
  const closed = raw.activity_id === 3 || textOf(raw.activity_name, '').toLowerCase() === 'close' || statusId === 5 || statusId === 6;
  const resources = Array.isArray(raw.resources) ? raw.resources.filter(isObject).map(resourceFromOcsf) : [];
  const types = Array.isArray(at(raw, ['finding_info', 'types']))
    ? (at(raw, ['finding_info', 'types']) as unknown[]).filter((t): t is string => typeof t === 'string')
    : [];
  const productName = textOf(at(raw, ['metadata', 'product', 'name']), '');
  return {
    format: 'ocsf',
    id,
    productArn: textOf(at(raw, ['metadata', 'product', 'uid']), ''),
    metadataUid,
    accountId,
    region,
    title: textOf(at(raw, ['finding_info', 'title']), ''),
    description: textOf(at(raw, ['finding_info', 'desc']), ''),
    severity,
    workflowStatus: WORKFLOW_BY_STATUS_ID[statusId] ?? 'UNKNOWN',
    recordState: closed ? 'ARCHIVED' : 'ACTIVE',
    controlId: typeof at(raw, ['compliance', 'control']) === 'string' ? (at(raw, ['compliance', 'control']) as string) : undefined,
    types,
    guardDutyType: productName === 'GuardDuty' ? guardDutyTypeFromTypes(types) : undefined,
    productName,
    resources,
    raw,
  };
}

function severityOf(raw: Json): Severity | undefined {
  if (typeof raw.severity_id === 'number') return SEVERITY_BY_ID[raw.severity_id];
  if (typeof raw.severity === 'string') return SEVERITY_BY_NAME[raw.severity.toLowerCase()];
  return undefined;
}

/** `AWS::EC2::SecurityGroup` → `AwsEc2SecurityGroup`, so the decision code sees one vocabulary. */
export function asffResourceType(type: string): string {
  if (!type.includes('::')) return type;
  // Vendor and service are upper case in CloudFormation types (AWS, EC2), the resource is already camel case.
  const cap = (s: string) => (s ? s[0].toUpperCase() + s.slice(1).toLowerCase() : '');
  const [vendor, service = '', ...rest] = type.split('::');
  return cap(vendor) + cap(service) + rest.join('');
}

function resourceFromOcsf(r: Json): ResourceRef {
  const tags: Record<string, string> = {};
  if (Array.isArray(r.tags)) {
    for (const t of r.tags) if (isObject(t) && typeof t.name === 'string' && typeof t.value === 'string') tags[t.name] = t.value;
  } else if (isObject(r.tags)) {
    for (const [k, v] of Object.entries(r.tags)) if (typeof v === 'string') tags[k] = v;
  }
  return {
    type: asffResourceType(textOf(r.type, '')),
    // uid is the resource's own id (bucket name, sg-…); uid_alt carries the ARN when there is one.
    id: typeof r.uid_alt === 'string' && r.uid_alt.startsWith('arn:') ? r.uid_alt : textOf(r.uid, ''),
    region: typeof r.region === 'string' ? r.region : undefined,
    tags,
    details: isObject(r.data) ? r.data : {},
  };
}
