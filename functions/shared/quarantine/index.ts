import { build, type ARN } from '@aws-sdk/util-arn-parser';
import { ACCOUNT_ID, parseArn } from '../arn';
import { CallLog, type AwsPort, type RecordedCall } from '../aws';
import { decisionCalls, STATUS_BY_OUTCOME, type Decision, type RemediationStatus } from '../decision';
import type { CreateUserEvent } from '../events';
import { firstMatch } from '../glob';
import type { Log } from '../log';
import { alertSubject, lines, type Alert } from '../notify';
import { quarantineUser } from '../remediations/quarantine-iam-user/run';
import type { ResponderSettings } from '../settings';
import { teamOf } from '../alerts';
import { evidenceRecord } from '../evidence/record';
import { recordThenAlert } from '../evidence/record-then-alert';

export interface QuarantineDeps {
  aws: AwsPort;
  log: Log;
  now: Date;
}

/** The parts of an ARN of a global service (IAM, STS: no region) with an account id, or undefined for anything else. */
function globalArn(arn: string, service: 'iam' | 'sts'): ARN | undefined {
  const parts = parseArn(arn);
  return parts?.service === service && parts.region === '' && ACCOUNT_ID.test(parts.accountId) ? parts : undefined;
}

/**
 * The role an assumed-role session belongs to, from the session ARN (without the role's path, which
 * the session ARN drops). For display and for the smoke test's guess of its own role only: trust is
 * never decided on a session ARN.
 */
export function roleOfSession(arn: string): string | undefined {
  const session = globalArn(arn, 'sts');
  // assumed-role/<role name>/<session name>
  const [kind, role, ...name] = session?.resource.split('/') ?? [];
  if (!session || kind !== 'assumed-role' || !role || name.join('/') === '') return undefined;
  return build({ partition: session.partition, service: 'iam', region: '', accountId: session.accountId, resource: `role/${role}` });
}

/**
 * The creator's identity that its caller cannot choose, or undefined when there is none to trust:
 * for an assumed-role session the role ARN of the session issuer (the session name at the end of the
 * session ARN is whatever the caller passed to AssumeRole); for an IAM user or the root user its ARN
 * (an IAMUser identity must carry a `user/` ARN, a Root identity the `root` ARN).
 * Federated users (`federated-user/<name>`, a name the caller picks) and anything else are never trusted.
 */
export function unchosenIdentity(event: CreateUserEvent): string | undefined {
  switch (event.creatorType) {
    case 'AssumedRole':
      return event.creatorRoleArn;
    case 'IAMUser': {
      // arn:aws:iam::<account>:user/<path/name>; never a role, a session or a federated user.
      const resource = globalArn(event.creatorArn, 'iam')?.resource;
      return resource?.startsWith('user/') && resource.length > 'user/'.length ? event.creatorArn : undefined;
    }
    case 'Root':
      return globalArn(event.creatorArn, 'iam')?.resource === 'root' ? event.creatorArn : undefined;
    default:
      return undefined;
  }
}

/** Why this new user is left alone (trusted creator), or undefined. */
export function trustedBecause(event: CreateUserEvent, settings: ResponderSettings): string | undefined {
  const identity = unchosenIdentity(event);
  const pattern = identity ? firstMatch(settings.quarantine.trustedCreators, [identity]) : undefined;
  return pattern ? `created by ${event.creatorArn}, a trusted creator (${identity} matches ${pattern})` : undefined;
}

function quarantineAlert(
  event: CreateUserEvent,
  settings: ResponderSettings,
  headline: string,
  result: { status: RemediationStatus; outcome?: string; summary: string; undo?: string; error?: string },
  breakGlassPattern?: string,
): Alert {
  // A break-glass name from an untrusted creator is someone dressing a user up as an emergency account.
  const severity = breakGlassPattern ? 'CRITICAL' : result.status === 'DISABLED' ? 'MEDIUM' : 'HIGH';
  const body = lines([
    ['What', `IAM user ${event.userName} was created`],
    ['Where', `account ${settings.accountName} (${event.accountId})`],
    ['Owner', settings.owner ?? 'no owning team; security'],
    ['Created by', event.creatorArn],
    ['Role', event.creatorRoleArn],
    ['Source IP', event.sourceIp],
    ['User agent', event.userAgent],
    ['When', event.time],
    ['Event id', `${event.eventId} (CloudTrail, ${event.region})`],
  ]);
  const did = [
    ...(breakGlassPattern
      ? [
          `Break-glass name created by an untrusted principal: ${event.userName} matches exemptUserNames pattern ${breakGlassPattern}, which marks the alert only; break-glass users come from a trusted creator.`,
          '',
        ]
      : []),
    `QUARANTINE_IAM_USER: ${result.outcome ?? result.status}. ${result.summary}`,
  ];
  // On-call asks this first: the password still signs in, but the session it gives can do nothing.
  if (result.outcome === 'REMEDIATED')
    did.push('Its console password, if any, is left in place: the boundary denies every call a console session could make, changing the password included.');
  if (result.error) did.push(`The quarantine FAILED: ${result.error}. Look at the user by hand.`);
  if (result.undo) did.push('', `How to undo: ${result.undo}`, `  npm run undo -- ${event.userName}   (with credentials of account ${event.accountId})`);
  return {
    subject: alertSubject(severity, settings.accountName, headline),
    message: `${body}\n\nWhat the automation did:\n${did.join('\n')}\n`,
    detail: {
      title: headline,
      accountName: settings.accountName,
      region: event.region,
      done: `QUARANTINE_IAM_USER: ${result.outcome ?? result.status}. ${result.summary}`,
      ...(result.undo ? { undo: `npm run undo -- ${event.userName}` } : {}),
    },
    attributes: {
      kind: 'quarantine',
      severity,
      account: event.accountId,
      accountName: settings.accountName,
      team: teamOf(settings),
      category: 'iam-user-created',
      action: 'QUARANTINE_IAM_USER',
      outcome: result.outcome ?? result.status,
    },
  };
}

/**
 * `quarantine-user` on one CloudTrail CreateUser: leave users of trusted creators alone; quarantine
 * every other new user (enforce) or only alert (observe), whatever its name and tags, since the
 * untrusted creator chose both. A name matching `exemptUserNames` makes the alert CRITICAL.
 */
export async function quarantineNewUser(event: CreateUserEvent, settings: ResponderSettings, deps: QuarantineDeps): Promise<Decision> {
  const { aws, log, now } = deps;
  const mode = settings.actions.QUARANTINE_IAM_USER;
  const base = { findingId: event.eventId, accountId: event.accountId, region: event.region, severity: 'HIGH' as const, mode };
  if (event.accountId !== settings.accountId) {
    const reason = `CreateUser in account ${event.accountId}; this function acts only for ${settings.accountId}`;
    log.info('create user ignored', { reason });
    return { ...base, ignored: true, reason, calls: [] };
  }
  if (event.errorCode) {
    const reason = `the CreateUser call failed (${event.errorCode}): no user was created`;
    log.info('create user ignored', { reason, userName: event.userName });
    return { ...base, ignored: true, reason, calls: [] };
  }
  const trusted = trustedBecause(event, settings);
  if (trusted) {
    log.info('create user ignored', { reason: trusted, userName: event.userName });
    return {
      ...base,
      ignored: true,
      reason: trusted,
      remediation: { action: 'QUARANTINE_IAM_USER', status: 'NOT_APPLICABLE', summary: 'Trusted creator: nothing to do.' },
      calls: [],
    };
  }
  const calls = new CallLog(aws, mode !== 'enforce');
  let result: { status: RemediationStatus; outcome?: string; summary: string; undo?: string; error?: string };
  let undoCalls: RecordedCall[] = [];
  let reason: string;
  let headline: string;
  const breakGlassPattern = firstMatch(settings.quarantine.exemptUserNames, [event.userName]);
  const breakGlass = breakGlassPattern ? ' (break-glass name created by an untrusted principal)' : '';
  if (mode === 'off') {
    reason = `created by ${event.creatorArn}, not a trusted creator${breakGlass}; QUARANTINE_IAM_USER is off for this account`;
    result = { status: 'DISABLED', summary: 'Quarantine is off for this account: nothing was changed.' };
    headline = `new IAM user ${event.userName} (quarantine off)`;
  } else {
    reason = `created by ${event.creatorArn}, not a trusted creator${breakGlass}`;
    const out = await quarantineUser(
      event.userName,
      { settings, aws: calls, dryRun: mode !== 'enforce', now },
      {
        reason: 'created outside the trusted pipelines',
        rule: 'quarantine-new-iam-users',
        createdBy: event.creatorArn,
        sourceIp: event.sourceIp,
        honourExemptTag: false,
      },
    );
    if ('undo' in out && out.undo && (out.outcome === 'REMEDIATED' || out.outcome === 'FAILED')) undoCalls = out.undo.calls;
    result = {
      status: STATUS_BY_OUTCOME[out.outcome],
      outcome: out.outcome,
      summary: out.summary,
      ...('undo' in out && out.undo && out.outcome === 'REMEDIATED' ? { undo: out.undo.description } : {}),
      ...(out.outcome === 'FAILED' ? { error: out.missingPermission ? `${out.error} (missing permission ${out.missingPermission})` : out.error } : {}),
    };
    headline =
      out.outcome === 'WOULD_CHANGE'
        ? `new IAM user ${event.userName} (observe: not quarantined)`
        : out.outcome === 'REMEDIATED'
          ? `new IAM user ${event.userName} quarantined`
          : `new IAM user ${event.userName}: ${out.outcome}`;
  }
  log[result.error ? 'error' : 'info']('create user handled', {
    userName: event.userName,
    creator: event.creatorArn,
    status: result.status,
    outcome: result.outcome,
    summary: result.summary,
  });
  const alert = quarantineAlert(
    event,
    settings,
    breakGlassPattern ? headline.replace('new IAM user', 'untrusted break-glass user') : headline,
    result,
    breakGlassPattern,
  );
  const decision = (publishCall?: RecordedCall): Decision => ({
    ...base,
    severity: alert.attributes.severity as Decision['severity'],
    ignored: false,
    reason,
    remediation: { action: 'QUARANTINE_IAM_USER', status: result.status, ...(result.outcome ? { outcome: result.outcome } : {}), summary: result.summary },
    notification: { subject: alert.subject, attributes: alert.attributes },
    calls: decisionCalls([...calls.calls, publishCall]),
  });
  const { publish } = await recordThenAlert(
    evidenceRecord(decision(), {
      function: 'quarantine-user',
      organization: settings.organization,
      accountName: settings.accountName,
      firstSeenAt: Number.isNaN(Date.parse(event.time)) ? undefined : new Date(event.time).toISOString(),
      undo: undoCalls,
      handledAt: now,
    }),
    alert,
    settings,
    aws,
    log,
  );
  return decision(publish.call);
}
