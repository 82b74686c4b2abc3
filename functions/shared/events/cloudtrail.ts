import { at, EventError, isObject } from './errors';
import type { Envelope } from './envelope';

/** What quarantine-user needs from a CloudTrail `CreateUser` event. */
export interface CreateUserEvent {
  eventId: string;
  accountId: string;
  region: string;
  time: string;
  userName: string;
  /** Who created the user: userIdentity.arn (an assumed-role session ARN for roles). */
  creatorArn: string;
  /** userIdentity.type: `IAMUser`, `AssumedRole`, `Root`, `FederatedUser`, `AWSService`, ... */
  creatorType: string;
  /** For assumed-role sessions, the role itself (sessionContext.sessionIssuer.arn, with its path). */
  creatorRoleArn?: string;
  /** requestParameters.permissionsBoundary: the boundary the creator gave the user, if any. */
  requestedBoundary?: string;
  sourceIp: string;
  userAgent: string;
  /** Set when the CreateUser call failed: no user exists (the rule excludes these; kept for the simulator). */
  errorCode?: string;
}

export function createUserFromCloudTrail(envelope: Envelope): CreateUserEvent {
  const d = envelope.detail;
  const need = (path: string[]): string => {
    const v = at(d, path);
    if (typeof v !== 'string' || v.length === 0) throw new EventError(`detail.${path.join('.')} is missing`);
    return v;
  };
  const errorCode = at(d, ['errorCode']);
  const userName =
    typeof at(d, ['responseElements', 'user', 'userName']) === 'string'
      ? (at(d, ['responseElements', 'user', 'userName']) as string)
      : need(['requestParameters', 'userName']);
  const identity = at(d, ['userIdentity']);
  if (!isObject(identity)) throw new EventError('detail.userIdentity is missing');
  // The issuer ARN keeps the role's path (the session ARN drops it); only roles issue sessions we trust by role.
  const issuer = at(identity, ['sessionContext', 'sessionIssuer', 'type']) === 'Role' ? at(identity, ['sessionContext', 'sessionIssuer', 'arn']) : undefined;
  return {
    eventId: need(['eventID']),
    accountId: typeof at(d, ['recipientAccountId']) === 'string' ? (at(d, ['recipientAccountId']) as string) : envelope.account,
    region: envelope.region,
    time: typeof d.eventTime === 'string' ? d.eventTime : envelope.time,
    userName,
    creatorArn: need(['userIdentity', 'arn']),
    creatorType: typeof identity.type === 'string' ? identity.type : 'unknown',
    creatorRoleArn: typeof issuer === 'string' ? issuer : undefined,
    ...(typeof at(d, ['requestParameters', 'permissionsBoundary']) === 'string'
      ? { requestedBoundary: at(d, ['requestParameters', 'permissionsBoundary']) as string }
      : {}),
    sourceIp: typeof d.sourceIPAddress === 'string' ? d.sourceIPAddress : 'unknown',
    userAgent: typeof d.userAgent === 'string' ? d.userAgent : 'unknown',
    ...(typeof errorCode === 'string' ? { errorCode } : {}),
  };
}
