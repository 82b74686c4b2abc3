import fc from 'fast-check';
import { findingFromAsff } from '../../../../functions/shared/events/asff';
import { investigationEntity } from '../../../../functions/shared/investigate/entity';
import { investigationScope, MAX_SCOPE_MS, MIN_SCOPE_MS } from '../../../../functions/shared/investigate/scope';
import { accessKeyResource, ACCOUNT, guardDutyFinding, OTHER_ACCOUNT } from '../respond/events';

const finding = (resources: Record<string, unknown>[]) => findingFromAsff(guardDutyFinding('UnauthorizedAccess:IAMUser/MaliciousIPCaller', resources), 0);

const assumedRoleKey = (sessionIssuer?: Record<string, unknown>) => ({
  Type: 'AwsIamAccessKey',
  Id: 'AWS::IAM::AccessKey:ASIAVRUVRQ7EXAMPLE77',
  Details: {
    AwsIamAccessKey: {
      PrincipalId: 'AROAVRUVRQ7EXAMPLEROLE:i-0a1b2c3d4e5f67890',
      PrincipalType: 'AssumedRole',
      PrincipalName: 'payments-batch',
      ...(sessionIssuer ? { SessionContext: { SessionIssuer: sessionIssuer } } : {}),
    },
  },
});

describe('the entity a credential finding is about', () => {
  it("an IAM user's access key: the user of the finding's account", () => {
    expect(investigationEntity(finding([accessKeyResource('ci-deploy-bot')]))).toEqual({
      ok: true,
      entity: { arn: `arn:aws:iam::${ACCOUNT}:user/ci-deploy-bot`, type: 'IAM_USER', from: expect.stringContaining('PrincipalType IAMUser') },
    });
  });

  it("an assumed role's key: the role that issued the session, with its path, not the session", () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/service-role/payments-batch`;
    const found = investigationEntity(finding([assumedRoleKey({ Type: 'Role', Arn: arn, UserName: 'payments-batch', AccountId: ACCOUNT })]));
    expect(found).toEqual({ ok: true, entity: expect.objectContaining({ arn, type: 'IAM_ROLE' }) });
  });

  it('an assumed role whose issuer is named only by its role name', () => {
    const found = investigationEntity(finding([assumedRoleKey({ Type: 'Role', UserName: 'payments-batch' })]));
    expect(found).toEqual({ ok: true, entity: expect.objectContaining({ arn: `arn:aws:iam::${ACCOUNT}:role/payments-batch`, type: 'IAM_ROLE' }) });
  });

  it("an assumed role's key as GuardDuty reports it (no SessionContext): the role named by PrincipalName", () => {
    expect(investigationEntity(finding([assumedRoleKey()]))).toEqual({
      ok: true,
      entity: { arn: `arn:aws:iam::${ACCOUNT}:role/payments-batch`, type: 'IAM_ROLE', from: expect.stringContaining('AssumedRole, PrincipalName') },
    });
  });

  it('AwsIamUser and AwsIamRole resources: their ARNs', () => {
    const user = `arn:aws:iam::${ACCOUNT}:user/ops/jdoe`;
    const role = `arn:aws:iam::${ACCOUNT}:role/deployer`;
    expect(investigationEntity(finding([{ Type: 'AwsIamUser', Id: user }]))).toEqual({
      ok: true,
      entity: expect.objectContaining({ arn: user, type: 'IAM_USER' }),
    });
    expect(investigationEntity(finding([{ Type: 'AwsIamRole', Id: role }]))).toEqual({
      ok: true,
      entity: expect.objectContaining({ arn: role, type: 'IAM_ROLE' }),
    });
  });

  it('refuses a principal of another account: a finding never points the investigation outside its own account', () => {
    const found = investigationEntity(finding([{ Type: 'AwsIamRole', Id: `arn:aws:iam::${OTHER_ACCOUNT}:role/deployer` }]));
    expect(found).toEqual({ ok: false, reason: expect.stringContaining(`names account ${OTHER_ACCOUNT}, but the finding is of account ${ACCOUNT}`) });
  });

  it("refuses names outside IAM's character set (no ARN can be assembled from them)", () => {
    const key = accessKeyResource('bot:*');
    expect(investigationEntity(finding([key]))).toEqual({ ok: false, reason: expect.stringContaining('is not an IAM user name: bot:*') });
  });

  it('root, federated users and assumed roles that name no role: no entity, and why', () => {
    const root = { ...accessKeyResource(), Details: { AwsIamAccessKey: { PrincipalType: 'Root', PrincipalName: 'root' } } };
    expect(investigationEntity(finding([root]))).toEqual({
      ok: false,
      reason: expect.stringContaining('belongs to a Root; Detective investigates IAM users and roles only'),
    });
    const nameless = { ...accessKeyResource(), Details: { AwsIamAccessKey: { PrincipalType: 'AssumedRole', PrincipalId: 'AROAVRUVRQ7EXAMPLEROLE:s' } } };
    expect(investigationEntity(finding([nameless]))).toEqual({ ok: false, reason: expect.stringContaining('whose role the finding does not name') });
  });

  it('a finding with no IAM resource at all', () => {
    expect(investigationEntity(finding([{ Type: 'AwsEc2Instance', Id: 'arn:aws:ec2:eu-west-1:333333333333:instance/i-1' }]))).toEqual({
      ok: false,
      reason: 'the finding names no IAM user, role or access key among its resources or attack-sequence actors',
    });
  });

  describe('an attack sequence (AttackSequence:IAM/CompromisedCredentials): its actors, when no resource names a principal', () => {
    const sequence = (actors: Record<string, unknown>[], resources: Record<string, unknown>[] = []) =>
      findingFromAsff(
        {
          ...guardDutyFinding('AttackSequence:IAM/CompromisedCredentials', resources, { severity: 'CRITICAL' }),
          Types: ['TTPs/AttackSequence:IAM/CompromisedCredentials'],
          Detection: { Sequence: { Uid: 'seq-1', Actors: actors, Signals: [{ Type: 'FINDING' }] } },
        },
        0,
      );
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/service-role/payments-batch`;

    it("an assumed role's actor: the role that issued the session (Session.Issuer)", () => {
      const found = investigationEntity(
        sequence([
          {
            Id: 'user:AssumedRole:AROAEXAMPLE:session',
            User: { Uid: 'AROAEXAMPLE:session', Type: 'AssumedRole', Name: 'session' },
            Session: { Issuer: roleArn },
          },
        ]),
      );
      expect(found).toEqual({ ok: true, entity: { arn: roleArn, type: 'IAM_ROLE', from: expect.stringContaining('session issuer') } });
    });

    it("an IAM user's actor: the user of its name in the finding's account", () => {
      const found = investigationEntity(sequence([{ Id: 'a1', User: { Uid: 'AIDAEXAMPLE', Type: 'IAMUser', Name: 'jdoe', Account: { Uid: ACCOUNT } } }]));
      expect(found).toEqual({ ok: true, entity: expect.objectContaining({ arn: `arn:aws:iam::${ACCOUNT}:user/jdoe`, type: 'IAM_USER' }) });
    });

    it("refuses an actor of another account, and an issuer in another account; takes the next actor that is the finding's", () => {
      const otherUser = { Id: 'a1', User: { Type: 'IAMUser', Name: 'jdoe', Account: { Uid: OTHER_ACCOUNT } } };
      const otherRole = { Id: 'a2', Session: { Issuer: `arn:aws:iam::${OTHER_ACCOUNT}:role/x` } };
      expect(investigationEntity(sequence([otherUser, otherRole]))).toEqual({
        ok: false,
        reason: expect.stringMatching(new RegExp(`actor a1 is of account ${OTHER_ACCOUNT}.*actor a2 \\(session issuer\\) names account ${OTHER_ACCOUNT}`)),
      });
      const found = investigationEntity(sequence([otherUser, { Id: 'a3', Session: { Issuer: roleArn } }]));
      expect(found).toEqual({ ok: true, entity: expect.objectContaining({ arn: roleArn }) });
    });

    it("its actor comes before its resources (another principal it touched, or a role's name without its path); the principal id (User.Uid) is never taken for an ARN", () => {
      const found = investigationEntity(sequence([{ Id: 'a1', Session: { Issuer: roleArn } }], [accessKeyResource('ci-deploy-bot'), assumedRoleKey()]));
      expect(found).toEqual({ ok: true, entity: expect.objectContaining({ arn: roleArn }) });
      // No actor names a principal: the resources still do.
      expect(investigationEntity(sequence([], [accessKeyResource('ci-deploy-bot')]))).toEqual({
        ok: true,
        entity: expect.objectContaining({ arn: `arn:aws:iam::${ACCOUNT}:user/ci-deploy-bot` }),
      });
      expect(investigationEntity(sequence([{ Id: 'a1', User: { Uid: `arn:aws:iam::${ACCOUNT}:user/jdoe`, Type: 'AssumedRole' } }]))).toEqual({
        ok: false,
        reason: expect.stringContaining('actor a1 is a AssumedRole with no session issuer'),
      });
    });
  });

  it('takes the first IAM resource that names a principal, past one that does not', () => {
    const root = { ...accessKeyResource(), Details: { AwsIamAccessKey: { PrincipalType: 'Root' } } };
    const found = investigationEntity(finding([root, accessKeyResource('ci-deploy-bot')]));
    expect(found).toEqual({ ok: true, entity: expect.objectContaining({ arn: `arn:aws:iam::${ACCOUNT}:user/ci-deploy-bot` }) });
  });
});

describe('the time scope of an investigation', () => {
  const now = new Date('2026-11-26T12:41:07.000Z');
  const lastHour = new Date('2026-11-26T12:00:00.000Z');

  it('from the hour a day before the first sighting until the last full hour', () => {
    const scope = investigationScope('2026-11-20T08:30:00.000Z', now);
    expect(scope).toEqual({ start: new Date('2026-11-19T08:00:00.000Z'), end: lastHour });
  });

  it('a finding seen minutes ago: at least 3 hours before it, so it is inside the scope', () => {
    expect(investigationScope('2026-11-26T12:40:00.000Z', now).start).toEqual(new Date('2026-11-25T12:00:00.000Z'));
  });

  it('a finding older than 30 days: the newest 30 days', () => {
    expect(investigationScope('2026-01-01T00:00:00.000Z', now).start).toEqual(new Date(lastHour.getTime() - MAX_SCOPE_MS));
  });

  it('no first sighting, or one in the future: the last day', () => {
    expect(investigationScope(undefined, now).start).toEqual(new Date('2026-11-25T12:00:00.000Z'));
    expect(investigationScope('2026-12-01T00:00:00.000Z', now).start).toEqual(new Date('2026-11-25T12:00:00.000Z'));
  });

  it('whatever the first sighting and the time: both ends on the hour, the end within the last hour, 3 hours to 30 days', () => {
    const dates = fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true });
    fc.assert(
      fc.property(dates, dates, (first, at) => {
        const scope = investigationScope(first.toISOString(), at);
        const span = scope.end.getTime() - scope.start.getTime();
        const onTheHour = (d: Date) => d.getTime() % 3_600_000 === 0;
        const endLag = at.getTime() - scope.end.getTime();
        return onTheHour(scope.start) && onTheHour(scope.end) && endLag >= 0 && endLag < 3_600_000 && span >= MIN_SCOPE_MS && span <= MAX_SCOPE_MS;
      }),
    );
  });
});
