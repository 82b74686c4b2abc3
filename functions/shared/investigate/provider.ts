import { SEVERITIES, type Severity } from '../catalogue';
import { GUARDDUTY_PRODUCT_ARN, guardDutyTypeFromTypes } from '../events/asff';
import type { Finding } from '../finding';

function record(x: unknown): Record<string, unknown> | undefined {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;
}

/**
 * The finding as its provider wrote it. `BatchUpdateFindings` (which the actor under investigation
 * may be allowed in their account) rewrites the top-level `Types` and `Severity`, but not
 * `FindingProviderFields`, which Security Hub fills from the provider's own values at import. So the
 * classification and the alert's severity (which subscription filters read) come from there.
 * `ProductFields`, `Title` and `Resources` cannot be updated at all.
 */
export function asProviderWrote(finding: Finding): Finding {
  const raw = record(finding.raw) ?? {};
  const provider = record(raw.FindingProviderFields);
  if (!provider) return finding;
  const types = Array.isArray(provider.Types) ? provider.Types.filter((t): t is string => typeof t === 'string') : [];
  const label = record(provider.Severity)?.Label;
  const severity = (SEVERITIES as readonly string[]).includes(label as string) ? (label as Severity) : finding.severity;
  const productType = record(raw.ProductFields)?.['aws/guardduty/type'];
  return {
    ...finding,
    types: types.length > 0 ? types : finding.types,
    severity,
    // Only GuardDuty's findings have a GuardDuty type: told by the ProductArn, which neither an update
    // nor another product's import can set (a custom integration can call itself "GuardDuty" by name).
    guardDutyType: !GUARDDUTY_PRODUCT_ARN.test(finding.productArn)
      ? undefined
      : typeof productType === 'string' && productType !== ''
        ? productType
        : guardDutyTypeFromTypes(types.length > 0 ? types : finding.types),
  };
}

/** GuardDuty's sample findings (CreateSampleFindings) name made-up principals: nothing to investigate. */
export function isSampleFinding(finding: Finding): boolean {
  const productFields = record(record(finding.raw)?.ProductFields);
  return productFields?.['aws/guardduty/service/additionalInfo/sample'] === 'true' || finding.title.startsWith('[SAMPLE]');
}
