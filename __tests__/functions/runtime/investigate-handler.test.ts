import { DetectiveClient, GetInvestigationCommand, ListGraphsCommand, StartInvestigationCommand } from '@aws-sdk/client-detective';
import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createLiveAws } from '../../../functions/shared/aws';
import { handleInvestigateEvent, InvestigationRetry } from '../../../functions/runtime/investigate-handler';
import { METRIC } from '../../../functions/shared/metrics';
import { settings } from '../shared/remediations/helpers';
import { awsError, mockAllClients } from '../shared/respond/aws-mocks';
import { accessKeyResource, asffEvent, CollectingLog, guardDutyFinding } from '../shared/respond/events';

const aws = mockAllClients();
const detective = mockClient(DetectiveClient);
const dynamodb = mockClient(DynamoDBClient);
const sqs = mockClient(SQSClient);
const SECURITY = settings({ accountId: '222222222222', accountName: 'security', owner: undefined, region: 'us-east-1', production: false });
const SCOPE = { regions: ['eu-west-1'] };
const GRAPH = 'arn:aws:detective:eu-west-1:222222222222:graph:0123456789abcdef0123456789abcdef';
const deps = () => ({ aws: createLiveAws(), log: new CollectingLog(), now: new Date('2026-11-26T12:00:00.000Z') });

beforeEach(() => {
  aws.reset();
  detective.reset();
  dynamodb.reset();
  sqs.reset();
  detective.onAnyCommand().resolves({});
  dynamodb.onAnyCommand().resolves({});
  sqs.onAnyCommand().resolves({});
  detective.on(ListGraphsCommand).resolves({ GraphList: [{ Arn: GRAPH }] });
});

const credential = () => guardDutyFinding('UnauthorizedAccess:IAMUser/MaliciousIPCaller', [accessKeyResource()]);
const job = (investigationId: string) =>
  JSON.stringify({
    findingId: `finding-${investigationId}`,
    productArn: 'arn:aws:securityhub:eu-west-1::product/aws/guardduty',
    accountId: '333333333333',
    accountName: 'payments-prod',
    region: 'eu-west-1',
    severity: 'HIGH',
    title: 't',
    investigationId,
    graphArn: GRAPH,
    entityArn: 'arn:aws:iam::333333333333:user/ci-deploy-bot',
    entityType: 'IAM_USER',
    scopeStart: '2026-11-25T10:00:00.000Z',
    scopeEnd: '2026-11-26T12:00:00.000Z',
    checks: 0,
  });
const sqsRecord = (messageId: string, body: string) => ({ messageId, body, eventSource: 'aws:sqs' });

describe('investigate handler', () => {
  it('a finding event: counts what was started and writes the InvestigationsStarted metric', async () => {
    detective.on(StartInvestigationCommand).resolves({ InvestigationId: '000000000000000000001' });
    const summary = await handleInvestigateEvent(asffEvent([credential()], { account: '222222222222', region: 'us-east-1' }), SECURITY, SCOPE, deps());
    expect(summary).toMatchObject({ kind: 'findings', counts: { started: 1 } });
    expect(summary.metrics).toContainEqual({ name: METRIC.investigationsStarted, value: 1 });
  });

  it('Detective throttling: the invocation fails after the batch so Lambda retries the event, with the failure counted', async () => {
    detective.on(StartInvestigationCommand).rejects(Object.assign(awsError('TooManyRequestsException', 'slow down', 429), { $retryable: {} }));
    const run = handleInvestigateEvent(asffEvent([credential()], { account: '222222222222', region: 'us-east-1' }), SECURITY, SCOPE, deps());
    await expect(run).rejects.toBeInstanceOf(InvestigationRetry);
    const error: unknown = await run.catch((e: unknown) => e);
    expect((error as InvestigationRetry).metrics).toContainEqual({ name: METRIC.investigationFailures, value: 1 });
  });

  it('a finding another invocation is still starting: the event is retried, and that is not counted as a failure', async () => {
    dynamodb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'held', $metadata: {}, Item: { status: { S: 'starting' } } }));
    const run = handleInvestigateEvent(asffEvent([credential()], { account: '222222222222', region: 'us-east-1' }), SECURITY, SCOPE, deps());
    const error: unknown = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvestigationRetry);
    expect((error as InvestigationRetry).metrics).toContainEqual({ name: METRIC.investigationFailures, value: 0 });
  });

  it('a check batch: only the failed check returns to the queue; an unreadable message is dropped, not retried, and counted', async () => {
    detective.on(GetInvestigationCommand, { InvestigationId: '000000000000000000002' }).rejects(awsError('InternalServerException', 'down', 500));
    detective.on(GetInvestigationCommand, { InvestigationId: '000000000000000000001' }).resolves({ Status: 'RUNNING' });
    const summary = await handleInvestigateEvent(
      { Records: [sqsRecord('m1', job('000000000000000000001')), sqsRecord('m2', job('000000000000000000002')), sqsRecord('m3', '{"checks":"x"}')] },
      SECURITY,
      SCOPE,
      deps(),
    );
    expect(summary).toMatchObject({ kind: 'checks', batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(summary.metrics).toEqual(
      expect.arrayContaining([
        { name: METRIC.investigationFailures, value: 1 },
        { name: METRIC.unreadable, value: 1 },
      ]),
    );
  });

  it('an event of another kind (a CloudTrail call) is ignored, not rejected', async () => {
    const summary = await handleInvestigateEvent(
      {
        version: '0',
        id: 'x',
        'detail-type': 'AWS API Call via CloudTrail',
        source: 'aws.iam',
        account: '222222222222',
        time: '2026-11-26T12:00:00Z',
        region: 'us-east-1',
        resources: [],
        detail: { eventName: 'DeleteUser' },
      },
      SECURITY,
      SCOPE,
      deps(),
    );
    expect(summary.kind).toBe('unread');
  });
});
