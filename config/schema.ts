import { z } from 'zod';
import { ACCOUNT_MODES, ACTION_MODES, REMEDIATION_ACTIONS, SEVERITIES } from '../functions/shared/catalogue';
import { AWS_REGIONS, STANDARDS } from './aws';
import { TRUSTED_CREATOR_SHAPE, trustedCreatorProblem } from './trusted-creators';

/**
 * The shape of accounts.json. Objects are strict: an unknown (often misspelt) field is an error,
 * never silently ignored. Cross-field rules live in ./load.ts (crossFieldProblems).
 */
const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const region = z.enum(AWS_REGIONS, { error: 'must be an AWS region code such as us-east-1' });
const severity = z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` });
const accountMode = z.enum(ACCOUNT_MODES, { error: `must be one of ${ACCOUNT_MODES.join(', ')}` });
const email = z.email({ error: 'must be an email address' });
const cidr = z.union([z.cidrv4(), z.cidrv6()], { error: 'must be a CIDR block such as 10.0.0.0/8' });
const port = z.number().int().min(0).max(65535);
/**
 * Characters AWS accepts in tag keys and values across services (letters, digits, white space and
 * `_ . : / = + - @`); `owner` becomes a tag value of every resource, so it follows the same rule.
 */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const tagText = (max: number) => z.string().max(max).regex(TAG_CHARS, 'must use only letters, digits, spaces and _ . : / = + - @ (AWS tag characters)');
/** A tag to match on resources (AWS-applied `aws:` keys included), so no rule on the prefix. */
const tag = z.strictObject({ key: tagText(128).min(1), value: tagText(256) });
/**
 * Free text that ends up inside Terraform strings. `${` and `%{` would be read as Terraform
 * expressions, and quotes, backslashes and control characters are mangled by cdktf's HCL renderer,
 * which the reviewed snapshots rely on.
 */
const plainText = z
  .string()
  // eslint-disable-next-line no-control-regex -- matching control characters is the point: they are refused
  .refine((s) => !/["\\\u0000-\u001f\u007f]|\$\{|%\{/.test(s), {
    error: 'must not contain double quotes, backslashes, control characters, ${ or %{',
  });
/**
 * Chat channels of AWS Chatbot, with the patterns of its API (CreateSlackChannelConfiguration,
 * CreateMicrosoftTeamsChannelConfiguration), so a typo fails here, not at deploy.
 */
const slackChannel = z.strictObject({
  workspaceId: z.string().regex(/^[0-9A-Z]{1,255}$/, 'must be a Slack workspace (team) id such as T0123ABCD'),
  channelId: z.string().regex(/^[A-Za-z0-9]{1,255}$/, 'must be a Slack channel id such as C0456EFGH'),
});
const uuid = (what: string) => z.string().regex(/^[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$/, `must be the ${what} id (a UUID)`);
const teamsChannel = z.strictObject({
  tenantId: uuid('Microsoft Entra tenant'),
  teamId: uuid('Microsoft Teams team'),
  channelId: z
    .string()
    .max(255)
    .regex(
      /^[a-zA-Z0-9-_=+/.,]*%3[aA][a-zA-Z0-9-_=+/.,]*%40[a-zA-Z0-9-_=+/.,]*$/,
      'must be the URL-encoded channel id from the channel link (19%3a…%40thread.tacv2)',
    ),
});
/** A ticket system's address: HTTPS only (the credentials travel in a header), no user, query or fragment. */
const httpsBase = (what: string) =>
  z.url({ error: `must be the ${what} URL, such as https://acme.atlassian.net` }).refine((u) => {
    try {
      const url = new URL(u);
      return url.protocol === 'https:' && !url.username && !url.password && !url.search && !url.hash;
    } catch {
      return false;
    }
  }, `must be a plain https:// URL (no user, query or fragment): the ${what}`);
/** Secrets Manager's name rule (CreateSecret: 1–512 of A-Z a-z 0-9 /_+=.@-). */
const secretName = z
  .string()
  .regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'must be a Secrets Manager secret name (letters, digits and /_+=.@-)')
  .refine((n) => !/-[A-Za-z0-9]{6}$/.test(n), {
    error: 'must not end in a hyphen and six characters: Secrets Manager reads that as the suffix of an ARN',
  });
/**
 * Tickets: one per finding at or above minSeverity, or escalated by hand, opened by the router in
 * the security account with credentials from the named secret (created empty by the stack).
 */
const jiraTickets = z.strictObject({
  baseUrl: httpsBase('Jira Cloud site'),
  projectKey: z.string().regex(/^[A-Z][A-Z0-9_]{1,9}$/, 'must be a Jira project key such as SEC (2–10 capitals, digits, _)'),
  issueType: z.string().min(1).max(255).pipe(plainText),
  secretName,
  minSeverity: severity.default('HIGH'),
});
const serviceNowTickets = z.strictObject({
  instanceUrl: httpsBase('ServiceNow instance'),
  /** The assignment group: its sys_id (exact), or its exact name, which route looks up once in sys_user_group. */
  assignmentGroup: z
    .string()
    .min(1)
    .max(100)
    .pipe(plainText)
    .refine((g) => !g.includes('^'), { error: 'must not contain ^ (ServiceNow encoded queries reserve it)' }),
  secretName,
  minSeverity: severity.default('HIGH'),
});
const findingsFeed = z.enum(['asff', 'ocsf'], { error: 'must be "asff" (Security Hub CSPM) or "ocsf" (the new Security Hub)' });
const regions = z.array(region).min(1, 'must list at least one region');
/**
 * Reserved concurrency of `respond` (quarantine-user and escalate reserve 2 each when it is on), or
 * "off" for none. 0 is refused: Lambda would throttle every invocation.
 */
const reservedConcurrencyError = 'must be "off" or a whole number of executions from 1 to 1000';
const reservedConcurrency = z.union(
  [z.literal('off'), z.number().int(reservedConcurrencyError).min(1, reservedConcurrencyError).max(1000, reservedConcurrencyError)],
  { error: reservedConcurrencyError },
);

const remediations = z.partialRecord(
  z.enum(REMEDIATION_ACTIONS, { error: `must be a catalogue action: ${REMEDIATION_ACTIONS.join(', ')}` }),
  z.enum(ACTION_MODES, { error: `must be one of ${ACTION_MODES.join(', ')}` }),
);
const standard = z.string().refine((s) => s in STANDARDS, {
  error: `must be a known standard: ${Object.keys(STANDARDS).join(', ')}`,
});
/** See ./trusted-creators.ts: only identities the caller cannot choose, never an STS session ARN. */
const principalArnPattern = z
  .string()
  .check((ctx) => {
    const problem = trustedCreatorProblem(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value, continue: false });
  })
  // Repeats the shape for the generated JSON schema (editors); the check above says why it is refused.
  .regex(TRUSTED_CREATOR_SHAPE, 'must be an IAM role, user or root ARN pattern');
const userNamePattern = z.string().regex(/^[\w+=,.@*?-]{1,64}$/, 'must be an IAM user name or glob');

const quarantine = z.strictObject({
  /**
   * Roles and users whose CreateUser is trusted, matched on the session issuer's role ARN of an
   * assumed-role session or on the IAM user's ARN, never on a session name.
   */
  trustedCreators: z.array(principalArnPattern).default([]),
  /**
   * User names (globs) of break-glass users. They exempt nothing: a user with such a name created by
   * an untrusted principal is quarantined like any other, and its alert is CRITICAL.
   */
  exemptUserNames: z.array(userNamePattern).default([]),
});

/** Settings an account may override; every field is optional here and resolved against `defaults`. */
const overridable = {
  regions: regions.optional(),
  mode: accountMode.optional(),
  remediations: remediations.optional(),
  notifyMinSeverity: severity.optional(),
  authorizedPublicPorts: z.array(port).optional(),
  replacementIngressCidr: cidr.optional(),
  detachInstanceProfileOnIsolation: z.boolean().optional(),
  findingsFeed: findingsFeed.optional(),
  reservedConcurrency: reservedConcurrency.optional(),
};

export const AccountSchema = z.strictObject({
  id: accountId,
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/, 'must be 2-40 lowercase letters, digits and hyphens'),
  /** Team that owns the account; matches a key of notifications.teams to route its alerts. */
  owner: tagText(256).min(1).optional(),
  /** Production accounts get one severity step more for their findings. Default false. */
  production: z.boolean().default(false),
  /** Findings on resources with any of these tags are raised to CRITICAL. Default none. */
  criticalResourceTags: z.array(tag).default([]),
  quarantine: quarantine.optional(),
  /**
   * Role the deployer assumes in this account, instead of organization.deploymentRoleName: the
   * management account has no OrganizationAccountAccessRole (Organizations creates it only in the
   * accounts it creates). Default organization.deploymentRoleName.
   */
  deploymentRoleName: z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name')
    .optional(),
  /**
   * The account leaves the product: its stacks keep only their provider and state backend, so the
   * next plan shows every resource destroyed and the apply destroys them (README "Retiring an
   * account"). Never the management or security account. Default false.
   */
  retired: z.boolean().default(false),
  /**
   * The account's email address (as Organizations lists it). Needed only with
   * organization.detective: Terraform's Detective member resource requires it, although Detective
   * sends organization accounts no invitation.
   */
  email: email.optional(),
  ...overridable,
});

export const ConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  organization: z.strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,18}[a-z0-9]$/, 'must be 2-20 lowercase letters, digits and hyphens, starting with a letter'),
    id: z.string().regex(/^o-[a-z0-9]{10,32}$/, 'must be an AWS Organizations id such as o-a1b2c3d4e5'),
    /** Root of the organization, target of the Security Hub configuration policy. */
    rootId: z.string().regex(/^r-[0-9a-z]{4,32}$/, 'must be an organization root id such as r-ab12'),
    managementAccountId: accountId,
    securityAccountId: accountId,
    homeRegion: region,
    deploymentRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name'),
    state: z.strictObject({ bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'), region }),
    /** Also delegate GuardDuty administration to the security account. Default false. */
    guardDuty: z.boolean().default(false),
    /**
     * Amazon Detective: administration delegated to the security account in every region of the
     * organization, its behavior graph there with every account a member (existing ones by their
     * `email`, new ones automatically), and investigations of the IAM user or role of
     * credential-compromise findings. Default false.
     */
    detective: z.boolean().default(false),
    /**
     * The evidence bucket (security account, home region): every decision's record, kept under S3
     * Object Lock in compliance mode for `retentionDays` (nobody, root included, can delete it
     * earlier; 1–3650 days). Default 400.
     */
    evidence: z
      .strictObject({ retentionDays: z.number().int().min(1, 'must be at least 1 day').max(3650, 'must be at most 3650 days (10 years)').default(400) })
      .default({ retentionDays: 400 }),
    /**
     * A service control policy on the root that lets only this product's roles, the deployers and
     * tagAdminRoleNames set security-response:* tags (the exemption tag among them). Default true.
     */
    protectTags: z.boolean().default(true),
    /** Roles (names, in any account) that may grant or lift an exemption tag. Default none. */
    tagAdminRoleNames: z.array(z.string().regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name')).default([]),
    /**
     * The pipeline's credentials (README "Pipeline credentials"). GitHub OIDC reaches only two
     * roles, both in `accountId`: planRoleName (pull requests and the plan before an apply) and
     * applyRoleName (the protected environment). From there the plan role may assume readRoleName
     * (read-only) in every account, and the apply role the accounts' deployment roles.
     */
    ci: z
      .strictObject({
        /** The account holding the OIDC provider and the two pipeline roles. Default organization.securityAccountId. */
        accountId: accountId.optional(),
        planRoleName: z
          .string()
          .regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name')
          .default('security-response-plan'),
        applyRoleName: z
          .string()
          .regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name')
          .default('security-response-apply'),
        /** Read-only role in every account, trusting planRoleName: what plans run with. Default security-response-read. */
        readRoleName: z
          .string()
          .regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name')
          .default('security-response-read'),
      })
      .default({ planRoleName: 'security-response-plan', applyRoleName: 'security-response-apply', readRoleName: 'security-response-read' }),
  }),
  defaults: z.strictObject({
    regions,
    mode: accountMode.default('observe'),
    remediations: remediations.default({}),
    notifyMinSeverity: severity.default('MEDIUM'),
    standards: z.array(standard).default(['aws-foundational-security-best-practices/v/1.0.0']),
    /** Security Hub control ids disabled organization-wide, e.g. "IAM.6". Default none. */
    disabledControls: z.array(z.string().regex(/^[A-Za-z0-9]+\.\d+$/, 'must be a control id such as IAM.6')).default([]),
    /** Ports that EC2.18 authorizes for the world; their world-open ranges are kept. Default 80, 443. */
    authorizedPublicPorts: z.array(port).default([80, 443]),
    replacementIngressCidr: cidr.optional(),
    /**
     * ISOLATE_EC2_INSTANCE also detaches the instance profile (recorded for undo). Default false:
     * the instance's software loses its AWS access, and credentials already issued stay valid.
     */
    detachInstanceProfileOnIsolation: z.boolean().default(false),
    /**
     * The Security Hub feed `respond` takes: "asff" (Security Hub CSPM, Findings - Imported) or
     * "ocsf" (the new Security Hub, Findings Imported V2). One per account. Default "asff".
     */
    findingsFeed: findingsFeed.default('asff'),
    /**
     * Lambda reserved concurrency of `respond` in every stack, or "off". Default "off": Lambda
     * refuses a reservation that leaves the account's unreserved pool below its minimum (100 in
     * the Lambda docs), and new accounts start with reduced concurrency quotas.
     */
    reservedConcurrency: reservedConcurrency.default('off'),
    /** CloudWatch Logs retention of the functions' log groups. Default 365. */
    logRetentionDays: z
      .union(
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653].map((n) => z.literal(n)),
        {
          error: 'must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)',
        },
      )
      .default(365),
  }),
  notifications: z
    .strictObject({
      /** Addresses that receive every alert. */
      email: z.array(email).default([]),
      /** Per team (the `owner` of accounts): where the alerts of its accounts go, at or above minSeverity. */
      teams: z
        .record(
          z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'team names are lowercase letters, digits and hyphens'),
          z
            .strictObject({
              email: z.array(email).default([]),
              slack: slackChannel.optional(),
              msTeams: teamsChannel.optional(),
              minSeverity: severity.default('MEDIUM'),
            })
            .refine((t) => t.email.length > 0 || t.slack !== undefined || t.msTeams !== undefined, {
              error: 'a team needs somewhere to send alerts: email, slack or msTeams',
            }),
        )
        .default({}),
      /** The Slack channel that receives every alert (through AWS Chatbot). */
      slack: slackChannel.optional(),
      /** Jira Cloud and ServiceNow tickets. @default none */
      tickets: z
        .strictObject({ jira: jiraTickets.optional(), serviceNow: serviceNowTickets.optional() })
        .refine((t) => t.jira === undefined || t.serviceNow === undefined || t.jira.secretName !== t.serviceNow.secretName, {
          error: 'jira and serviceNow need a secret each (their credentials differ)',
        })
        .optional(),
      /**
       * Alert storms: past `threshold` alerts of one account within a `windowMinutes` window, the
       * rest of the window goes out as one digest per account and team. CRITICAL findings and
       * escalations always go at once. Default 20 alerts in 5 minutes.
       */
      storm: z
        .strictObject({
          threshold: z.number().int().min(1, 'must be at least 1').max(1000).default(20),
          windowMinutes: z.number().int().min(1).max(60, 'must be at most 60 minutes').default(5),
        })
        .default({ threshold: 20, windowMinutes: 5 }),
    })
    .default({ email: [], teams: {}, storm: { threshold: 20, windowMinutes: 5 } }),
  /** Risks the organization accepted: matching findings are suppressed by an automation rule. */
  acceptedRisks: z
    .array(
      z.strictObject({
        controlId: z.string().regex(/^[A-Za-z0-9]+\.\d+$/, 'must be a control id such as IAM.6'),
        accountIds: z.array(accountId).optional(),
        resourceIds: z.array(plainText.min(1)).optional(),
        reason: plainText.min(10, 'must say why the risk is accepted (10 characters or more)').max(512),
      }),
    )
    .default([]),
  /**
   * Guard-rail findings the organization accepts for one resource (README "Guard rails"): each
   * names the rule, the resource (`<terraform type>.<logical id>`), optionally one stack, and why.
   * Suppressed findings are printed at every synthesis. Default none.
   */
  guardRailSuppressions: z
    .array(
      z.strictObject({
        rule: z.string().regex(/^[a-z0-9-]+$/, 'must be a guard rail id such as lambda-hardening'),
        resource: z
          .string()
          .regex(/^aws_[a-z0-9_]+\.[A-Za-z0-9_-]+$/, 'must be <terraform type>.<logical id>, such as aws_lambda_function.local-responder_respond_1A2B3C4D'),
        stack: z.string().min(1).optional(),
        reason: plainText.min(10, 'must say why the finding is accepted (10 characters or more)').max(512),
      }),
    )
    .default([]),
  accounts: z.array(AccountSchema).min(1, 'must list at least one account'),
});

export type RawConfig = z.input<typeof ConfigSchema>;
export type Config = z.output<typeof ConfigSchema>;
export type AccountConfig = z.output<typeof AccountSchema>;
