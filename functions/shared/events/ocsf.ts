import type { Severity } from '../catalogue';
import type { Finding, ResourceRef } from '../finding';
import { at, FindingError, isObject, requireString, type Json } from './errors';

/** OCSF severity_id → ASFF label (Fatal counts as CRITICAL). */
const SEVERITY_BY_ID: Record<number, Severity> = { 1: 'INFORMATIONAL', 2: 'LOW', 3: 'MEDIUM', 4: 'HIGH', 5: 'CRITICAL', 6: 'CRITICAL' };
const SEVERITY_BY_NAME: Record<string, Severity> = {
  informational: 'INFORMATIONAL', low: 'LOW', medium: 'MEDIUM', high: 'HIGH', critical: 'CRITICAL', fatal: 'CRITICAL',
};
/** OCSF finding status_id → the ASFF workflow words the decision code uses. */
const WORKFLOW_BY_STATUS_ID: Record<number, string> = { 1: 'NEW', 2: 'NOTIFIED', 3: 'SUPPRESSED', 4: 'RESOLVED', 5: 'RESOLVED' };
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
  const statusId = Number(raw.status_id ?? (String(raw.status ?? '').toLowerCase() === 'new' ? 1 : NaN));
  const resources = Array.isArray(raw.resources) ? raw.resources.filter(isObject).map(resourceFromOcsf) : [];
  const types = Array.isArray(at(raw, ['finding_info', 'types'])) ? (at(raw, ['finding_info', 'types']) as unknown[]).filter((t): t is string => typeof t === 'string') : [];
  const productName = String(at(raw, ['metadata', 'product', 'name']) ?? '');
  return {
    format: 'ocsf',
    id,
    productArn: String(at(raw, ['metadata', 'product', 'uid']) ?? ''),
    metadataUid,
    accountId,
    region,
    title: String(at(raw, ['finding_info', 'title']) ?? ''),
    description: String(at(raw, ['finding_info', 'desc']) ?? ''),
    severity,
    workflowStatus: WORKFLOW_BY_STATUS_ID[statusId] ?? 'UNKNOWN',
    recordState: statusId === 5 ? 'ARCHIVED' : 'ACTIVE',
    controlId: typeof at(raw, ['compliance', 'control']) === 'string' ? (at(raw, ['compliance', 'control']) as string) : undefined,
    types,
    guardDutyType: productName === 'GuardDuty' ? types.find((t) => /^[A-Za-z]+:[A-Za-z0-9]+\//.test(t)) : undefined,
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
  return type
    .split('::')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join('');
}

function resourceFromOcsf(r: Json): ResourceRef {
  const tags: Record<string, string> = {};
  if (Array.isArray(r.tags)) {
    for (const t of r.tags) if (isObject(t) && typeof t.name === 'string' && typeof t.value === 'string') tags[t.name] = t.value;
  } else if (isObject(r.tags)) {
    for (const [k, v] of Object.entries(r.tags)) if (typeof v === 'string') tags[k] = v;
  }
  return {
    type: asffResourceType(String(r.type ?? '')),
    id: String(r.uid ?? ''),
    region: typeof r.region === 'string' ? r.region : undefined,
    tags,
    details: isObject(r.data) ? r.data : {},
  };
}
