import { Construct } from 'constructs';
import { arns, names } from '../../functions/shared/naming';
import type { ResponderSettings } from '../../functions/shared/settings';
import type { FunctionBundle } from '../bundles';
import { asffFindingsPattern, ocsfFindingsPattern } from './event-patterns';
import { EventTrigger } from './event-trigger';
import { alertPublishStatements, recordFindingStatements, remediationStatements, sweptFindingReadStatements } from './permissions';
import { ResponseFunction } from './response-function';

export interface LocalResponderProps {
  readonly settings: ResponderSettings;
  readonly bundle: FunctionBundle;
  readonly homeRegion: string;
  readonly securityAccountId: string;
  readonly logRetentionDays: number;
  /** Reserved concurrency of `respond`. (see ResponseFunctionProps.reservedConcurrency). @default none */
  readonly reservedConcurrency?: number;
}

/**
 * The local responder of one account and region: `respond` and the rule that feeds it this
 * account's own new findings here, from the account's one feed (`findingsFeed`: ASFF by default,
 * or the new Security Hub's OCSF). Never both: the same finding would be remediated and alerted twice.
 */
export class LocalResponder extends Construct {
  readonly respond: ResponseFunction;

  constructor(scope: Construct, id: string, props: LocalResponderProps) {
    super(scope, id);
    const { settings } = props;
    const org = settings.organization;
    this.respond = new ResponseFunction(this, 'respond', {
      function: 'respond',
      bundle: props.bundle,
      settings,
      region: settings.region,
      logRetentionDays: props.logRetentionDays,
      // Up to 100 findings an event, each possibly remediated: room for slow APIs and retries.
      timeoutSeconds: 300,
      reservedConcurrency: props.reservedConcurrency,
      alarmBusArn: arns.alarmBus(props.securityAccountId, props.homeRegion, org),
      watchRemediationFailures: true,
      statements: [
        ...recordFindingStatements(settings.accountId, settings.region),
        // The sweep reads ASFF findings only (an OCSF responder refuses it), so only ASFF responders may read.
        ...(settings.findingsFeed === 'ocsf' ? [] : sweptFindingReadStatements(settings.accountId, settings.region)),
        ...alertPublishStatements(settings, props.homeRegion, props.securityAccountId),
        ...remediationStatements(settings),
      ],
    });
    if (settings.findingsFeed !== 'ocsf') {
      new EventTrigger(this, 'asff-findings', {
        ruleName: `${org}-respond-asff-findings`,
        description: `New active findings of ${settings.accountName} in ${settings.region} (ASFF) to ${names.function(org, 'respond')}`,
        eventPattern: asffFindingsPattern(settings.accountId, settings.region, settings.notifyMinSeverity),
        target: this.respond,
        accountId: settings.accountId,
        region: settings.region,
      });
    } else {
      new EventTrigger(this, 'ocsf-findings', {
        ruleName: `${org}-respond-ocsf-findings`,
        description: `New findings of ${settings.accountName} in ${settings.region} (OCSF, Security Hub V2) to ${names.function(org, 'respond')}`,
        eventPattern: ocsfFindingsPattern(settings.accountId, settings.region, settings.notifyMinSeverity),
        target: this.respond,
        accountId: settings.accountId,
        region: settings.region,
      });
    }
  }
}
