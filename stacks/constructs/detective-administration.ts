import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { DetectiveGraph } from '@cdktf/provider-aws/lib/detective-graph';
import { DetectiveMember } from '@cdktf/provider-aws/lib/detective-member';
import { DetectiveOrganizationConfiguration } from '@cdktf/provider-aws/lib/detective-organization-configuration';

export interface DetectiveAdministrationProps {
  /** The organization's accounts that are members of the graph today (not the security account itself), with their email. */
  readonly members: { accountId: string; email: string }[];
  /** Provider of the region. @default the stack's provider */
  readonly provider?: TerraformProvider;
}

/**
 * Security account (the delegated Detective administrator), one region: the organization's behavior
 * graph, new accounts enabled automatically, and every existing account enabled as a member.
 *
 * - The graph: the management account's designation creates it; CreateGraph by the same account
 *   returns that graph's ARN (API reference), so this resource adopts it whichever runs first, and
 *   gives Terraform the ARN, which has a random part and no data source. `prevent_destroy`: a
 *   destroy would delete the organization's behavior data (turning Detective off is a deliberate
 *   `terraform state rm`, README "Detective").
 * - `auto_enable` covers accounts that join later only (Detective user guide), so the existing ones
 *   are members here; organization accounts get no invitation, yet Terraform's member resource
 *   requires an email address (accounts[].email).
 */
export class DetectiveAdministration extends Construct {
  readonly graph: DetectiveGraph;

  constructor(scope: Construct, id: string, props: DetectiveAdministrationProps) {
    super(scope, id);
    this.graph = new DetectiveGraph(this, 'graph', { provider: props.provider, lifecycle: { preventDestroy: true } });
    // The graph's id is its ARN (provider 5.x and 6.x).
    const graphArn = this.graph.id;
    new DetectiveOrganizationConfiguration(this, 'organization-configuration', { provider: props.provider, graphArn, autoEnable: true });
    for (const member of [...props.members].sort((a, b) => a.accountId.localeCompare(b.accountId))) {
      new DetectiveMember(this, `member-${member.accountId}`, {
        provider: props.provider,
        graphArn,
        accountId: member.accountId,
        emailAddress: member.email,
        disableEmailNotification: true,
      });
    }
  }
}
