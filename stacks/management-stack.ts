import type { Construct } from 'constructs';
import { DelegatedAdmin } from './constructs/delegated-admin';
import { ResponderStack, type ResponderStackProps } from './responder-stack';

/** Management account, home region: the local responder plus the delegated administrators. */
export class ManagementStack extends ResponderStack {
  constructor(scope: Construct, id: string, props: ResponderStackProps) {
    super(scope, id, props);
    const org = props.fleet.config.organization;
    new DelegatedAdmin(this, 'delegated-admin', { securityAccountId: org.securityAccountId, guardDuty: org.guardDuty });
  }
}
