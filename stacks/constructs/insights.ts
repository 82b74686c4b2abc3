import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { SecurityhubInsight } from '@cdktf/provider-aws/lib/securityhub-insight';

export interface InsightsProps {
  /** What turns Security Hub on in this account and region; each insight depends on it. @default none */
  readonly securityHub?: ITerraformDependable;
}

/** The security team's two standing views in the Security Hub console (security account, home region). */
export class Insights extends Construct {
  constructor(scope: Construct, id: string, props: InsightsProps = {}) {
    super(scope, id);
    const dependsOn = props.securityHub ? [props.securityHub] : undefined;
    new SecurityhubInsight(this, 'critical-incidents', {
      name: 'Critical security incidents',
      dependsOn,
      groupByAttribute: 'ProductName',
      filters: {
        severityLabel: [{ comparison: 'EQUALS', value: 'CRITICAL' }],
        recordState: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
        workflowStatus: [
          { comparison: 'EQUALS', value: 'NEW' },
          { comparison: 'EQUALS', value: 'NOTIFIED' },
        ],
      },
    });
    new SecurityhubInsight(this, 'unresolved-findings', {
      name: 'Unresolved security findings',
      dependsOn,
      groupByAttribute: 'SeverityLabel',
      filters: {
        recordState: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
        workflowStatus: [{ comparison: 'EQUALS', value: 'NEW' }],
      },
    });
  }
}
