import type { RawConfig } from '../../config/schema';

const REGIONS = ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'us-west-2', 'ca-central-1'];

/**
 * A synthetic organization of `accountCount` accounts (management and security first), each in
 * `regionsPerAccount` regions, with the variety of the shipped example: owners, enforce mode,
 * critical tags and quarantine settings on some accounts.
 */
export function generateFleetConfig(accountCount: number, regionsPerAccount: number): RawConfig {
  const regions = REGIONS.slice(0, regionsPerAccount);
  const id = (n: number) => String(100000000000 + n);
  const teams = ['payments', 'data', 'web', 'platform'];
  const accounts: RawConfig['accounts'] = [
    { id: id(1), name: 'management' },
    { id: id(2), name: 'security', mode: 'enforce' },
  ];
  for (let n = 3; n <= accountCount; n++) {
    const team = teams[n % teams.length];
    accounts.push({
      id: id(n),
      name: `${team}-workload-${n}`,
      owner: team,
      production: n % 3 === 0,
      ...(n % 5 === 0 ? { mode: 'enforce' as const } : {}),
      ...(n % 7 === 0 ? { criticalResourceTags: [{ key: 'tier', value: 'critical' }] } : {}),
      ...(n % 4 === 0 ? { quarantine: { trustedCreators: [`arn:aws:iam::${id(n)}:role/terraform-pipeline`], exemptUserNames: ['break-glass-*'] } } : {}),
    });
  }
  return {
    organization: {
      name: 'bench',
      id: 'o-bench12345',
      rootId: 'r-ben1',
      managementAccountId: id(1),
      securityAccountId: id(2),
      homeRegion: regions[0] as 'us-east-1',
      deploymentRoleName: 'OrganizationAccountAccessRole',
      state: { bucket: 'bench-terraform-state', region: 'us-east-1' },
      guardDuty: true,
    },
    defaults: {
      regions: regions as RawConfig['defaults']['regions'],
      mode: 'observe',
      remediations: { ISOLATE_EC2_INSTANCE: 'off' },
      standards: ['aws-foundational-security-best-practices/v/1.0.0'],
    },
    notifications: {
      email: ['secops@example.com'],
      teams: Object.fromEntries(teams.map((t) => [t, { email: [`${t}@example.com`], minSeverity: 'HIGH' as const }])),
    },
    accounts,
  };
}
