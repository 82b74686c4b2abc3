import type { Construct } from 'constructs';
import { DelegatedAdmin } from './constructs/delegated-admin';
import { TagProtectionPolicy } from './constructs/tag-protection-policy';
import { organizationRegions } from '../config/fleet';
import { ResponderStack, type ResponderStackProps } from './responder-stack';

/**
 * Management account, home region: the local responder plus the delegated administrators. GuardDuty
 * and Detective delegation are regional, and the management account need not list every region the organization
 * uses, so this stack designates it in each region of the organization through aliased providers
 * (`aws.<region>`), not the management account's own regional stacks.
 */
export class ManagementStack extends ResponderStack {
  constructor(scope: Construct, id: string, props: ResponderStackProps) {
    super(scope, id, props);
    const org = props.fleet.config.organization;
    const otherRegions =
      org.guardDuty || org.detective
        ? organizationRegions(props.fleet)
            .filter((region) => region !== props.plan.region)
            .map((region) => {
              const provider = this.providerFor(region);
              if (!provider) throw new Error(`no provider for ${region}: providerFor gives none for the stack's own region`);
              return { region, provider };
            })
        : [];
    new DelegatedAdmin(this, 'delegated-admin', {
      securityAccountId: org.securityAccountId,
      guardDuty: org.guardDuty,
      detective: org.detective,
      otherRegions,
    });
    if (org.protectTags) {
      new TagProtectionPolicy(this, 'tag-protection', {
        organization: org.name,
        rootId: org.rootId,
        deploymentRoleNames: [...props.fleet.accounts.map((a) => a.deploymentRoleName), org.ci.applyRoleName],
        tagAdminRoleNames: org.tagAdminRoleNames,
      });
    }
  }
}
