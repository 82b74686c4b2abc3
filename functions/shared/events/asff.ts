import { parseArn, REGION } from '../arn';
import { SEVERITIES, type Severity } from '../catalogue';
import type { Finding, ResourceRef } from '../finding';
import { at, FindingError, isObject, requireString, textOf, type Json } from './errors';

/** A Security Hub finding in ASFF → the Finding model. Throws FindingError naming the bad field. */
export function findingFromAsff(raw: unknown, index: number): Finding {
  const prefix = `detail.findings[${index}]`;
  if (!isObject(raw)) throw new FindingError(`${prefix} is not an object`, index);
  const id = requireString(raw, ['Id'], prefix, index);
  const productArn = requireString(raw, ['ProductArn'], prefix, index, id);
  const accountId = requireString(raw, ['AwsAccountId'], prefix, index, id);
  const region = typeof raw.Region === 'string' ? raw.Region : (regionFromArn(id) ?? '');
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
    workflowStatus: textOf(at(raw, ['Workflow', 'Status']), 'NEW'),
    recordState: textOf(raw.RecordState, 'ACTIVE'),
    controlId: controlIdOf(raw, productFields),
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
    type: textOf(r.Type, ''),
    id: textOf(r.Id, ''),
    region: stringOrUndefined(r.Region),
    tags,
    details: isObject(r.Details) ? r.Details : {},
  };
}

/**
 * The security control id. Consolidated control findings carry Compliance.SecurityControlId and a
 * GeneratorId `security-control/<id>`; ProductFields.ControlId is standard-specific on older
 * findings (`PCI.EC2.2`), so it comes last.
 */
function controlIdOf(raw: Json, productFields: Record<string, unknown>): string | undefined {
  return (
    stringOrUndefined(at(raw, ['Compliance', 'SecurityControlId'])) ??
    /^security-control\/(.+)$/.exec(textOf(raw.GeneratorId, ''))?.[1] ??
    stringOrUndefined(productFields.ControlId)
  );
}

/** `TTPs/Command and Control/Backdoor:EC2-C&CActivity.B!DNS` → `Backdoor:EC2/C&CActivity.B!DNS`. */
export function guardDutyTypeFromTypes(types: string[]): string | undefined {
  for (const t of types) {
    const m = /([A-Za-z]+:[A-Za-z0-9]+)[-/]([^/]+)$/.exec(t);
    if (m) return `${m[1]}/${m[2]}`;
  }
  return undefined;
}

/** GuardDuty's product ARN in Security Hub: AWS's own product, which no import of an account can use. */
export const GUARDDUTY_PRODUCT_ARN = /^arn:aws[a-z-]*:securityhub:[a-z0-9-]+::product\/aws\/guardduty$/;

/**
 * GuardDuty's own finding type (`Backdoor:EC2/C&CActivity.B!DNS`), for GuardDuty findings only.
 * Security Hub carries it in Types (`<namespace>/<category>/<ThreatPurpose>:<Resource>-<name>`,
 * or with a slash as in `TTPs/PenTest:IAMUser/KaliLinux`). Told by the ProductArn alone: a custom
 * integration may set ProductName (and CompanyName) itself in BatchImportFindings, so anyone allowed
 * to import findings into an account could call a finding "GuardDuty" and name any user's key.
 */
function guardDutyType(raw: Json, productFields: Record<string, unknown>, types: string[]): string | undefined {
  if (!GUARDDUTY_PRODUCT_ARN.test(textOf(raw.ProductArn, ''))) return undefined;
  return stringOrUndefined(productFields['aws/guardduty/type']) ?? guardDutyTypeFromTypes(types);
}

function stringOrUndefined(x: unknown): string | undefined {
  return typeof x === 'string' && x.length > 0 ? x : undefined;
}

/** The region of a finding ARN (`arn:aws:securityhub:<region>:<account>:…`), or undefined when it names none. */
function regionFromArn(arn: string): string | undefined {
  const region = parseArn(arn)?.region;
  return region !== undefined && REGION.test(region) ? region : undefined;
}
