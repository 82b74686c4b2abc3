import * as z from 'zod/mini';
import { SEVERITIES } from '../catalogue';

/** What the `route` function knows: its table, the storm limits and where to deliver. Written by the security home stack. */
export const RouterSettingsSchema = z.object({
  organization: z.string().check(z.minLength(1)),
  /** The security account, where route runs (its dead-letter queue, for evidence records the bucket refused). */
  accountId: z.string().check(z.regex(/^\d{12}$/)),
  region: z.string().check(z.minLength(1)),
  /** The organization's evidence bucket (security account, home region): the record of each ticket goes there. */
  evidence: z.object({ bucket: z.string().check(z.minLength(3)), region: z.string().check(z.minLength(1)) }),
  tableName: z.string().check(z.minLength(1)),
  storm: z.object({ threshold: z.int().check(z.minimum(1)), windowMinutes: z.int().check(z.minimum(1), z.maximum(60)) }),
  targets: z.object({
    emailTopicArn: z.string().check(z.startsWith('arn:')),
    everythingChatTopicArn: z.optional(z.string().check(z.startsWith('arn:'))),
    teamChat: z.record(z.string(), z.object({ topicArn: z.string().check(z.startsWith('arn:')), minSeverity: z.enum(SEVERITIES) })),
  }),
  /** Jira and ServiceNow (notifications.tickets). @default no tickets */
  tickets: z.optional(
    z.object({
      jira: z.optional(
        z.object({
          baseUrl: z.string().check(z.minLength(1)),
          projectKey: z.string().check(z.minLength(1)),
          issueType: z.string().check(z.minLength(1)),
          secretName: z.string().check(z.minLength(1)),
          minSeverity: z.enum(SEVERITIES),
        }),
      ),
      serviceNow: z.optional(
        z.object({
          instanceUrl: z.string().check(z.minLength(1)),
          assignmentGroup: z.string().check(z.minLength(1)),
          secretName: z.string().check(z.minLength(1)),
          minSeverity: z.enum(SEVERITIES),
        }),
      ),
      /** Where ticket work that failed is retried from (and where undo notes arrive). */
      jobQueueUrl: z.string().check(z.startsWith('https://')),
      /** Named in alerts: where a ticket request waits once its retries are spent. */
      jobDeadLetterQueue: z.string().check(z.minLength(1)),
    }),
  ),
});
export type RouterSettings = z.infer<typeof RouterSettingsSchema>;
export type TicketSettings = NonNullable<RouterSettings['tickets']>;

export const ROUTER_SETTINGS_ENV = 'ROUTER_SETTINGS';

/** Reads and validates the settings at cold start; a bad value fails loudly, naming the field. */
export function routerSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RouterSettings {
  const raw = env[ROUTER_SETTINGS_ENV];
  if (!raw) throw new Error(`${ROUTER_SETTINGS_ENV} is not set: the security home stack writes it`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new Error(`${ROUTER_SETTINGS_ENV} is not JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const result = RouterSettingsSchema.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${ROUTER_SETTINGS_ENV} is invalid: ${problems.join('; ')}`);
  }
  return result.data;
}
