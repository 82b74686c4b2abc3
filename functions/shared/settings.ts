// zod/mini: the same validation as zod, tree-shakable, a few KB in each function bundle instead of ~470 KB.
import * as z from 'zod/mini';
import { ACCOUNT_MODES, ACTION_MODES, REMEDIATION_ACTIONS, SEVERITIES } from './catalogue';

/**
 * What a deployed function knows about the account and region it belongs to. The stack writes it
 * into the `RESPONDER_SETTINGS` environment variable (config/fleet.ts builds it from accounts.json);
 * the function validates it at cold start; the simulator builds the same object from the same code.
 */
export const TagSchema = z.object({ key: z.string().check(z.minLength(1)), value: z.string() });

export const ResponderSettingsSchema = z.object({
  organization: z.string().check(z.minLength(1)),
  accountId: z.string().check(z.regex(/^\d{12}$/)),
  accountName: z.string().check(z.minLength(1)),
  region: z.string().check(z.minLength(1)),
  owner: z.optional(z.string()),
  production: z.boolean(),
  mode: z.enum(ACCOUNT_MODES),
  /** Effective mode per action, already combined with the account mode (see effectiveActionMode). */
  actions: z.record(z.enum(REMEDIATION_ACTIONS), z.enum(ACTION_MODES)),
  notifyMinSeverity: z.enum(SEVERITIES),
  criticalResourceTags: z.array(TagSchema),
  /** Ports that may stay open to the world for EC2.18 (Security Hub's authorizedTcpPorts). */
  authorizedPublicPorts: z.array(z.int().check(z.minimum(0), z.maximum(65535))),
  /** CIDR to authorize in place of a revoked world-open range; nothing is added when absent. */
  replacementIngressCidr: z.optional(z.string()),
  /**
   * The one Security Hub feed this responder takes: `asff` (Security Hub CSPM, "Findings -
   * Imported") or `ocsf` (the new Security Hub, "Findings Imported V2"). Where both exist the same
   * finding arrives in both, so one is chosen per account. Default asff.
   */
  findingsFeed: z.optional(z.enum(['asff', 'ocsf'])),
  /** ISOLATE_EC2_INSTANCE also detaches the instance profile (recorded for undo). Default false. */
  detachInstanceProfileOnIsolation: z.optional(z.boolean()),
  alertTopicArn: z.string().check(z.startsWith('arn:')),
  /** The organization's evidence bucket (security account, home region): every decision's record goes there. */
  evidence: z.object({ bucket: z.string().check(z.minLength(3)), region: z.string().check(z.minLength(1)) }),
  quarantinePolicyArn: z.string().check(z.startsWith('arn:')),
  quarantine: z.object({
    trustedCreators: z.array(z.string()),
    exemptUserNames: z.array(z.string()),
  }),
});
export type ResponderSettings = z.infer<typeof ResponderSettingsSchema>;

export const SETTINGS_ENV = 'RESPONDER_SETTINGS';

/** Reads and validates the settings at cold start; a bad value fails loudly, naming the field. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): ResponderSettings {
  const raw = env[SETTINGS_ENV];
  if (!raw) throw new Error(`${SETTINGS_ENV} is not set: the function's stack writes it`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new Error(`${SETTINGS_ENV} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const result = ResponderSettingsSchema.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${SETTINGS_ENV} is invalid: ${problems.join('; ')}`);
  }
  return result.data;
}
