import { buildTestFleet, resourcesOf, synthJson } from '../../helpers/fleet';

const { stacks } = buildTestFleet();
const policies = (stack: string) =>
  Object.values<any>(resourcesOf(synthJson(stacks.get(stack)!), 'aws_iam_role_policy')).map((p) => ({
    name: p.name as string,
    statements: JSON.parse(p.policy).Statement as any[],
  }));

describe('a response function may read its own dead-letter queue only to replay evidence (npm run replay-evidence)', () => {
  it.each([
    ['payments-prod-us-east-1', 'acme-respond-permissions', 'arn:aws:sqs:us-east-1:333333333333:acme-respond-dlq'],
    ['payments-prod-us-east-1', 'acme-quarantine-user', 'arn:aws:sqs:us-east-1:333333333333:acme-quarantine-user-dlq'],
    ['security-us-east-1', 'acme-escalate', 'arn:aws:sqs:us-east-1:222222222222:acme-escalate-dlq'],
    ['security-us-east-1', 'acme-route', 'arn:aws:sqs:us-east-1:222222222222:acme-route-dlq'],
  ])('%s: %s receives and deletes on %s and nothing else', (stack, role, dlq) => {
    const statements = policies(stack).find((p) => p.name.startsWith(role))!.statements;
    // route reads its work queues (the intake, the ticket jobs) by their own statements.
    const replay = statements.filter(
      (s) => !['ReadIntake', 'TicketJobs'].includes(s.Sid) && [s.Action].flat().some((a: string) => a === 'sqs:ReceiveMessage' || a === 'sqs:DeleteMessage'),
    );
    expect(replay).toEqual([{ Sid: 'ReplayEvidenceFromDeadLetterQueue', Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: dlq }]);
  });
});
