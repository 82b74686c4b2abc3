import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { SecurityhubAutomationRule } from '@cdktf/provider-aws/lib/securityhub-automation-rule';
import { NOTE_AUTHOR } from '../../functions/shared/naming';
import type { Config } from '../../config/schema';

export interface AutomationRulesProps {
  readonly config: Config;
  /** What turns Security Hub on in this account and region; every rule depends on it. @default none */
  readonly securityHub?: ITerraformDependable;
}

/**
 * Security Hub automation rules from accounts.json, created in each region of the security
 * account because a rule acts on findings in the region that holds it:
 * - raise findings on each account's critical resources (criticalResourceTags) to CRITICAL;
 * - suppress the risks the organization accepted, with the reason as the note.
 * Rule order: raises first (1..), then suppressions, so an accepted risk stays suppressed.
 */
export class AutomationRules extends Construct {
  constructor(scope: Construct, id: string, props: AutomationRulesProps) {
    super(scope, id);
    const { config } = props;
    const org = config.organization.name;
    const dependsOn = props.securityHub ? [props.securityHub] : undefined;
    let order = 1;
    for (const account of config.accounts) {
      if (account.retired || account.criticalResourceTags.length === 0) continue;
      new SecurityhubAutomationRule(this, `critical-${account.name}`, {
        ruleName: `${org}-critical-resources-${account.name}`.slice(0, 256),
        description: `Raise ${account.name} findings on resources tagged ${account.criticalResourceTags.map((t) => `${t.key}=${t.value}`).join(' or ')} to CRITICAL`,
        ruleOrder: order++,
        ruleStatus: 'ENABLED',
        isTerminal: false,
        dependsOn,
        criteria: [
          {
            awsAccountId: [{ comparison: 'EQUALS', value: account.id }],
            recordState: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
            workflowStatus: [{ comparison: 'EQUALS', value: 'NEW' }],
            resourceTags: account.criticalResourceTags.map((t) => ({ comparison: 'EQUALS', key: t.key, value: t.value })),
          },
        ],
        actions: [{ type: 'FINDING_FIELDS_UPDATE', findingFieldsUpdate: [{ severity: [{ label: 'CRITICAL' }] }] }],
      });
    }
    config.acceptedRisks.forEach((risk, i) => {
      new SecurityhubAutomationRule(this, `accepted-risk-${i + 1}`, {
        ruleName: `${org}-accepted-risk-${i + 1}-${risk.controlId}`,
        description: `Accepted risk: ${risk.reason}`.slice(0, 1024),
        ruleOrder: order++,
        ruleStatus: 'ENABLED',
        isTerminal: false,
        dependsOn,
        criteria: [
          {
            complianceSecurityControlId: [{ comparison: 'EQUALS', value: risk.controlId }],
            ...(risk.accountIds ? { awsAccountId: risk.accountIds.map((value) => ({ comparison: 'EQUALS', value })) } : {}),
            ...(risk.resourceIds ? { resourceId: risk.resourceIds.map((value) => ({ comparison: 'EQUALS', value })) } : {}),
          },
        ],
        actions: [
          {
            type: 'FINDING_FIELDS_UPDATE',
            findingFieldsUpdate: [
              {
                workflow: [{ status: 'SUPPRESSED' }],
                note: [{ text: `Accepted risk: ${risk.reason}`.slice(0, 512), updatedBy: NOTE_AUTHOR }],
              },
            ],
          },
        ],
      });
    });
  }
}
