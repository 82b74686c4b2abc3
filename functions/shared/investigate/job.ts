import * as z from 'zod/mini';
import { SEVERITIES } from '../catalogue';

/**
 * The message that brings `investigate` back to an investigation it started (Detective announces no
 * result): sent to the investigation checks queue with a delay, and sent again while Detective is
 * still working, up to MAX_CHECKS times.
 */
export const InvestigationJobSchema = z.object({
  findingId: z.string().check(z.minLength(1)),
  productArn: z.string().check(z.minLength(1)),
  accountId: z.string().check(z.regex(/^\d{12}$/)),
  accountName: z.string(),
  /** The finding's region: the graph is there. */
  region: z.string().check(z.minLength(1)),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  controlId: z.optional(z.string()),
  firstSeenAt: z.optional(z.string()),
  investigationId: z.string().check(z.minLength(1)),
  graphArn: z.string().check(z.startsWith('arn:')),
  entityArn: z.string().check(z.startsWith('arn:')),
  entityType: z.enum(['IAM_USER', 'IAM_ROLE']),
  scopeStart: z.string(),
  scopeEnd: z.string(),
  /** Checks made before this one. */
  checks: z.int().check(z.minimum(0)),
});
export type InvestigationJob = z.infer<typeof InvestigationJobSchema>;

/** The first look: Detective's investigations take minutes. */
export const FIRST_CHECK_DELAY_SECONDS = 300;
/** Then every 15 minutes, SQS's longest delay. */
export const CHECK_DELAY_SECONDS = 900;
/** 12 checks: the result is awaited for 5 + 11 × 15 = 170 minutes, then a person is told to look. */
export const MAX_CHECKS = 12;

export function parseJob(body: string): { ok: true; job: InvestigationJob } | { ok: false; problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (error) {
    return { ok: false, problem: `the message is not JSON: ${(error as Error).message}` };
  }
  const result = InvestigationJobSchema.safeParse(raw);
  if (result.success) return { ok: true, job: result.data };
  return { ok: false, problem: result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
}
