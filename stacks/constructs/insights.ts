import { Construct } from 'constructs';
import { SecurityhubInsight } from '@cdktf/provider-aws/lib/securityhub-insight';

/** The security team's two standing views in the Security Hub console (security account, home region). */
export class Insights extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new SecurityhubInsight(this, 'critical-incidents', {
      name: 'Critical security incidents',
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
      groupByAttribute: 'SeverityLabel',
      filters: {
        recordState: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
        workflowStatus: [{ comparison: 'EQUALS', value: 'NEW' }],
      },
    });
  }
}
