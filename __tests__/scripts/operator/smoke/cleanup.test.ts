/**
 * Cleanup when a create call never answered (interrupted, timed out): the ledger holds the entry
 * from before the call, and cleanup deletes only what carries this run's tag.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { DeleteSecurityGroupCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DeleteUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
} from '@aws-sdk/client-iam';
import { createLiveAws } from '../../../../functions/shared/aws';
import { abortableSleep, CleanupLedger, cleanUp, quarantineLogOutcome } from '../../../../scripts/operator/smoke';

const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
beforeEach(() => {
  ec2.reset();
  iam.reset();
});
const NOW = new Date('2026-03-14T10:00:00Z');

describe('smoke cleanup of resources whose create call never answered', () => {
  it('finds the security group by the run tag and deletes it', async () => {
    const ledger = new CleanupLedger();
    ledger.record({ type: 'security-group', region: 'eu-west-1', vpcId: 'vpc-1', groupName: 'acme-smoke-r1', runId: 'r1' });
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-late' }] });
    expect(await cleanUp(createLiveAws(), ledger, NOW)).toEqual([]);
    expect(ec2).toHaveReceivedCommandWith(DescribeSecurityGroupsCommand, {
      Filters: [
        { Name: 'tag:security-response-smoke', Values: ['r1'] },
        { Name: 'vpc-id', Values: ['vpc-1'] },
      ],
    });
    expect(ec2).toHaveReceivedCommandWith(DeleteSecurityGroupCommand, { GroupId: 'sg-late' });
    expect(ledger.remaining()).toEqual([]);
  });

  it('deletes an unconfirmed user only if it carries this run tag', async () => {
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [] });
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: [] });
    iam.on(ListUserTagsCommand).resolves({ Tags: [{ Key: 'security-response-smoke', Value: 'another-run' }] });
    const ledger = new CleanupLedger();
    ledger.record({ type: 'iam-user', userName: 'acme-smoke-r1', runId: 'r1', confirmed: false });
    await cleanUp(createLiveAws(), ledger, NOW);
    expect(iam).not.toHaveReceivedCommand(DeleteUserCommand);

    iam.on(ListUserTagsCommand).resolves({ Tags: [{ Key: 'security-response-smoke', Value: 'r1' }] });
    ledger.record({ type: 'iam-user', userName: 'acme-smoke-r1', runId: 'r1', confirmed: false });
    await cleanUp(createLiveAws(), ledger, NOW);
    expect(iam).toHaveReceivedCommandWith(DeleteUserCommand, { UserName: 'acme-smoke-r1' });
  });

  it('lists what may be left, last created first, for a second signal', () => {
    const ledger = new CleanupLedger();
    ledger.record({ type: 'bucket', region: 'eu-west-1', bucket: 'acme-smoke-r1' });
    ledger.record({ type: 'iam-user', userName: 'acme-smoke-r1', runId: 'r1', confirmed: true });
    expect(ledger.remaining()).toEqual(['IAM user acme-smoke-r1 and its access keys', 'S3 bucket acme-smoke-r1 (eu-west-1)']);
  });
});

describe('smoke helpers', () => {
  it('reads quarantine-user Powertools lines about the user, with or without a Lambda prefix', () => {
    const handled = JSON.stringify({ level: 'INFO', message: 'create user handled', userName: 'u1', status: 'DISABLED' });
    expect(quarantineLogOutcome(handled, 'u1')).toBe('DISABLED');
    expect(quarantineLogOutcome(`2026-03-14T10:00:00Z\tabc\tINFO\t${JSON.stringify({ message: 'create user ignored', userName: 'u1' })}`, 'u1')).toBe(
      'IGNORED',
    );
    expect(quarantineLogOutcome(handled, 'u2')).toBeUndefined();
    expect(quarantineLogOutcome('START RequestId: abc', 'u1')).toBeUndefined();
  });

  it('cuts a poll sleep short when the run is interrupted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
