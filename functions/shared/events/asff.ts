import { SEVERITIES, type Severity } from '../catalogue';
import type { Finding, ResourceRef } from '../finding';
import { at, FindingError, isObject, requireString, type Json } from './errors';

/** A Security Hub finding in ASFF → the Finding model. Throws FindingError naming the bad field. */
export function findingFromAsff(raw: unknown, index: number): Finding {
  const prefix = `detail.findings[${index}]`;
  if (!isObject(raw)) throw new FindingError(`${prefix} is not an object`, index);
  const id = requireString(raw, ['Id'], prefix, index);
  const productArn = requireString(raw, ['ProductArn'], prefix, index, id);
  const accountId = requireString(raw, ['AwsAccountId'], prefix, index, id);
  const region = typeof raw.Region === 'string' ? raw.Region : regionFromArn(id) ?? '';
  if (!region) throw new FindingError(`${prefix}.Region is missing`, index, id);
  const label = at(raw, ['Severity', 'Label']);
  if (!SEVERITIES.includes(label as Severity)) {
    throw new FindingError(`${prefix}.Severity.Label is ${label === undefined ? 'missing' : `not a severity label (${JSON.stringify(label)})`}`, index, id);
  }
  const resources = Array.isArray(raw.Resources) ? raw.Resources.filter(isObject).map(resourceFromAsff) : [];
  const productFields = isObject(raw.ProductFields) ? (raw.ProductFields as Record<string, unknown>) : {};
  const types = Array.isArray(raw.Types) ? raw.Types.filter((t): t is string => typeof t === 'string') : [];
  return {
    format: 'asff',
    id,
    productArn,
    accountId,
    region,
    title: typeof raw.Title === 'string' ? raw.Title : '',
    description: typeof raw.Description === 'string' ? raw.Description : '',
    severity: label as Severity,
    workflowStatus: String(at(raw, ['Workflow', 'Status']) ?? 'NEW'),
    recordState: String(raw.RecordState ?? 'ACTIVE'),
    controlId: stringOrUndefined(at(raw, ['Compliance', 'SecurityControlId'])) ?? stringOrUndefined(productFields.ControlId),
    types,
    guardDutyType: guardDutyType(raw, productFields, types),
    productName: stringOrUndefined(raw.ProductName) ?? stringOrUndefined(productFields['aws/securityhub/ProductName']) ?? '',
    resources,
    raw,
  };
}

function resourceFromAsff(r: Json): ResourceRef {
  const tags: Record<string, string> = {};
  if (isObject(r.Tags)) for (const [k, v] of Object.entries(r.Tags)) if (typeof v === 'string') tags[k] = v;
  return {
    type: String(r.Type ?? ''),
    id: String(r.Id ?? ''),
    region: stringOrUndefined(r.Region),
    tags,
    details: isObject(r.Details) ? r.Details : {},
  };
}

/**
 * GuardDuty's own finding type (`Backdoor:EC2/C&CActivity.B!DNS`). Security Hub carries it in
 * ProductFields (`aws/guardduty/service/...` has none of it), in the Types entry after the last
 * namespace, and in the Id-independent Title; FindingProviderFields.Types mirrors Types.
 */
function guardDutyType(raw: Json, productFields: Record<string, unknown>, types: string[]): string | undefined {
  const fromProduct = /\/guardduty$/.test(String(raw.ProductArn ?? '')) || String(raw.ProductName ?? '') === 'GuardDuty';
  if (!fromProduct) return undefined;
  const explicit = stringOrUndefined(productFields['aws/guardduty/type']) ?? stringOrUndefined(productFields.Type);
  if (explicit) return explicit;
  // Types look like "TTPs/Command and Control/Backdoor:EC2-C&CActivity.B!DNS": the last segment,
  // with the first "-" after the resource kind turned back into "/".
  for (const t of types) {
    const last = t.split('/').pop() ?? '';
    const m = /^([A-Za-z]+:[A-Za-z0-9]+)-(.+)$/.exec(last);
    if (m) return `${m[1]}/${m[2]}`;
  }
  return undefined;
}

function stringOrUndefined(x: unknown): string | undefined {
  return typeof x === 'string' && x.length > 0 ? x : undefined;
}

function regionFromArn(arn: string): string | undefined {
  return /^arn:aws[\w-]*:[\w-]+:([a-z]{2}(?:-[a-z]+)+-\d):/.exec(arn)?.[1];
}
