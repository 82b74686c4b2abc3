/** Facts about AWS that the configuration is checked against. */

/** Commercial-partition regions (ARNs in this product use the `aws` partition). */
export const AWS_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-1',
  'ap-south-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
  'sa-east-1',
] as const;

/**
 * Security Hub standards by the id users write in accounts.json, with the ARN a configuration
 * policy takes. CIS 1.2.0 is the one standard whose ARN is a global `ruleset`.
 */
export const STANDARDS: Record<string, (region: string) => string> = {
  'aws-foundational-security-best-practices/v/1.0.0': (r) => `arn:aws:securityhub:${r}::standards/aws-foundational-security-best-practices/v/1.0.0`,
  'cis-aws-foundations-benchmark/v/1.2.0': () => 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0',
  'cis-aws-foundations-benchmark/v/1.4.0': (r) => `arn:aws:securityhub:${r}::standards/cis-aws-foundations-benchmark/v/1.4.0`,
  'cis-aws-foundations-benchmark/v/3.0.0': (r) => `arn:aws:securityhub:${r}::standards/cis-aws-foundations-benchmark/v/3.0.0`,
  'cis-aws-foundations-benchmark/v/5.0.0': (r) => `arn:aws:securityhub:${r}::standards/cis-aws-foundations-benchmark/v/5.0.0`,
  'nist-800-53/v/5.0.0': (r) => `arn:aws:securityhub:${r}::standards/nist-800-53/v/5.0.0`,
  'pci-dss/v/3.2.1': (r) => `arn:aws:securityhub:${r}::standards/pci-dss/v/3.2.1`,
  'pci-dss/v/4.0.1': (r) => `arn:aws:securityhub:${r}::standards/pci-dss/v/4.0.1`,
  'aws-resource-tagging-standard/v/1.0.0': (r) => `arn:aws:securityhub:${r}::standards/aws-resource-tagging-standard/v/1.0.0`,
};

/** Security Hub accepts at most 100 automation rules per account and region. */
export const MAX_AUTOMATION_RULES = 100;
/** Lambda caps the total size of a function's environment variables at 4 KB. */
export const MAX_LAMBDA_ENV_BYTES = 4096;
