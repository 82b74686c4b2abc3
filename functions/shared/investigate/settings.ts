import * as z from 'zod/mini';

/**
 * What `investigate` knows besides the security account's ResponderSettings: the organization's
 * regions, where the security account administers a Detective graph. A finding of any other region
 * is not investigated. The stack writes it into `INVESTIGATE_SETTINGS`.
 */
export const InvestigateSettingsSchema = z.object({
  regions: z.array(z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/))).check(z.minLength(1)),
});
export type InvestigateSettings = z.infer<typeof InvestigateSettingsSchema>;

export const INVESTIGATE_SETTINGS_ENV = 'INVESTIGATE_SETTINGS';

export function investigateSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): InvestigateSettings {
  const raw = env[INVESTIGATE_SETTINGS_ENV];
  if (!raw) throw new Error(`${INVESTIGATE_SETTINGS_ENV} is not set: the security home stack writes it`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new Error(`${INVESTIGATE_SETTINGS_ENV} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const result = InvestigateSettingsSchema.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${INVESTIGATE_SETTINGS_ENV} is invalid: ${problems.join('; ')}`);
  }
  return result.data;
}
