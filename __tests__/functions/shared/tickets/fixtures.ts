import { TicketSystemError } from '../../../../functions/shared/tickets/http';
import type { TicketRequest } from '../../../../functions/shared/tickets/ticket';

export const FINDING_ID = 'arn:aws:securityhub:eu-west-1:111111111111:subscription/aws-foundational-security-best-practices/v/1.0.0/EC2.19/finding/0a1b2c3d';
export const LINK = 'https://eu-west-1.console.aws.amazon.com/securityhub/home?region=eu-west-1#/findings?search=Id%3D...';

export const request: TicketRequest = {
  findingId: FINDING_ID,
  title: 'Security group open to the world',
  severity: 'HIGH',
  accountId: '111111111111',
  accountName: 'payments-prod',
  region: 'eu-west-1',
  description: 'What:    Security group open to the world\nAccount: payments-prod (111111111111)\n\nWhat the automation did:\nRevoked 0.0.0.0/0 on tcp/22.\n',
  link: LINK,
  done: 'REVOKE_PUBLIC_INGRESS (enforce): REMEDIATED.',
  undo: `npm run undo -- '${FINDING_ID}'`,
};

/** Records each wait and returns at once, so retries cost the tests no time. */
export function recordingSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  };
}

/** The TicketSystemError the promise rejects with; any other outcome fails the test. */
export async function failure(p: Promise<unknown>): Promise<TicketSystemError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TicketSystemError) return e;
    throw e;
  }
  throw new Error('expected a TicketSystemError');
}
