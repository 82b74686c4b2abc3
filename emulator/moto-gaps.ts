/**
 * Where moto 5.2.1 (or the emulator's surroundings) differs from AWS, what the emulator tier does
 * about it, and why. One list for the whole tier (stacks and functions); each entry names the
 * API or resource, the reason, and how it is handled: patched in moto to AWS's documented
 * behaviour (emulator/moto_patches.py), answered by a stand-in of ours, or not covered here.
 */
export interface MotoGap {
  /** `service:Operation` the gap is about (or a resource type). */
  api?: string;
  resource?: string;
  reason: string;
  handling: string;
  /**
   * For a resource type moto lacks: the operation that creates it, which the stacks test expects
   * the stand-in to have received and validated whenever a synthesized stack holds the type.
   */
  createOperation?: string;
  /**
   * An attribute the second `terraform plan` may show as changed on this resource type because of
   * moto (nothing else is tolerated).
   */
  secondPlan?: { resource: string; attribute: string };
}

export const MOTO_GAPS: MotoGap[] = [
  {
    api: 'iam:PutUserPermissionsBoundary, iam:DeleteUserPermissionsBoundary',
    reason:
      'moto implements permissions boundaries for roles only; for users it has no operation and GetUser answers PermissionsBoundary {} (a ToDo in moto/iam/models.py). quarantine sets a deny-all boundary on the user.',
    handling:
      "patched (moto_patches.py) with the role implementation's semantics: the ARN must be a policy ARN, the user must exist, GetUser shows { PermissionsBoundaryType: PermissionsBoundaryPolicy, PermissionsBoundaryArn }, Delete removes it",
  },
  {
    api: 'ec2:ModifyNetworkInterfaceAttribute (Groups)',
    reason:
      "moto replaces the interface's own groups but keeps reporting the instance's launch groups too (the union), so an isolated instance still shows its old group and a second run isolates again. On AWS the request replaces the groups, and an instance's groups are its primary interface's.",
    handling:
      "patched (moto_patches.py): on an instance's primary interface (device index 0) the instance's groups become the interface's; the functions test also asserts the undo record holds the original groups",
  },
  {
    api: 'events: rule patterns on fields inside arrays of objects',
    reason:
      'moto flattens an event into dotted paths but stops at an array, so a pattern on `detail.findings.<field>` (Security Hub events carry the findings in an array) never matches and the rule never fires; EventBridge matches such a field against every element. moto also has no TestEventPattern (NotImplementedError).',
    handling:
      "patched (moto_patches.py): the flattening descends into arrays of objects and collects each path's values, which moto's filters already match any-of; the investigate test routes PutEvents through the synthesized rule at moto to a probe queue",
  },
  {
    api: 'securityhub:BatchUpdateFindings',
    reason: 'not in moto',
    handling:
      "answered by the validating stand-in (securityhub-findings.ts): a finding must exist in moto's hub of the caller's account and region with the same ProductArn, else UnprocessedFindings FindingNotFound; the update is kept as an overlay that GetFindings merges",
  },
  {
    api: 'securityhub:BatchUpdateFindingsV2',
    reason: 'not in moto, which has no OCSF findings store either',
    handling:
      'answered by the stand-in from OCSF findings the test puts there (importOcsf); unknown metadata uids are unprocessed with ResourceNotFoundException',
  },
  {
    api: 'securityhub:GetFindings (Filters, SortCriteria, NextToken)',
    reason:
      'moto ignores Filters and SortCriteria (its docstring says so): `npm run undo` asks for one finding by Id and would get whichever comes first; `npm run sweep` pages through a backlog of thousands sorted and filtered by date, and moto pages in insertion order with its own token',
    handling:
      "answered by the stand-in from moto's findings of the caller with the update overlay merged: the documented string comparisons, DateFilter (Start/End, DateRange DAYS WITHIN or OLDER_THAN) on CreatedAt, UpdatedAt, FirstObservedAt and LastObservedAt, SortCriteria on those dates and SeverityNormalized, MaxResults 1..100 and an opaque NextToken (the offset and a hash of the query; refused with other Filters or SortCriteria, InvalidInputException). A filter or sort field it does not evaluate, or a SortCriterion without SortOrder (AWS documents no default), is refused, never ignored. moto's findings are read once per account and region and kept until an import, reset(), or a BatchImportFindings, EnableSecurityHub or DisableSecurityHub passed to moto",
  },
  {
    api: 'lambda:Invoke',
    reason:
      "moto runs a function's code in Docker (its lambda backend starts a container of the runtime's image), and the emulator's machines have no Docker: an Invoke at moto fails. `npm run sweep` invokes the deployed respond with batches of finding ids",
    handling:
      "answered by the Lambda stand-in (lambda-standin.ts) for DeployedFunctions registered with it: the deployed zip's handler in one persistent child node per function (lambda-host.mjs, the environment invoke() gives, credentials moto's STS issues for the function's role, taken once per host: recycle() after moto's reset), invocations one at a time; RequestResponse only (Event and DryRun are refused), $LATEST only; a thrown error, a crash (Runtime.ExitError) and a timeout (Sandbox.Timedout) answer 200 with X-Amz-Function-Error Unhandled as Lambda does. Not covered: concurrency (AWS would run concurrent invocations in separate environments), reserved concurrency and throttling, the function's memory size, IAM (lambda:InvokeFunction is not evaluated)",
  },
  {
    api: 'securityhub:BatchImportFindings (findings of AWS integrations)',
    reason:
      'GuardDuty findings carry empty ProductFields values, which the public import API refuses (NonEmptyString); the aggregated copies the security account holds are delivered by AWS, not imported',
    handling:
      "such findings are put in moto's store directly (importFindings asDelivered); findings the tests make up are imported through the validating stand-in",
  },
  {
    api: 's3control:* (endpoint host)',
    reason:
      "not moto: the SDK puts the account id in front of the S3 Control endpoint host (`<account>.<host>`); `127.0.0.1` cannot take a prefix and the machine's resolver does not answer `*.localhost`",
    handling:
      "S3 Control's endpoint is http://localhost:<port>, and every process the tier runs preloads loopback-dns.cjs, which resolves names under localhost to 127.0.0.1 (RFC 6761); moto routes /v20180820/ paths to S3 Control",
  },
  {
    api: 'iam (policy evaluation)',
    reason:
      'moto does not evaluate IAM permissions (it treats every resource as *, and a conditional Allow as a Deny): a function role missing a permission still succeeds here',
    handling:
      "not covered by the emulator: the roles' policies have their own checks (guard rails, the permissions tests). The functions test does match route's secretsmanager:GetSecretValue ARN patterns (`<name>-??????`) against the ARNs moto gives the secrets, so the pattern fits the suffix Secrets Manager appends",
  },
  {
    api: 'secretsmanager:CreateSecret, GetSecretValue (KmsKeyId)',
    reason:
      "moto stores a secret's KmsKeyId as given and never uses it: it does not check that the key exists or is enabled, and GetSecretValue needs no kms:Decrypt. At AWS, route's GetSecretValue of a ticket secret encrypted with the alert key needs kms:Decrypt on that key through Secrets Manager (its role grants it by the key's alias, with kms:ViaService secretsmanager)",
    handling:
      "the stacks test checks DescribeSecret names the alert key's ARN (and holds no version); the decrypt grant is checked with route's other grants in __tests__/stacks/constructs/alert-routing.test.ts, not here",
  },
  {
    api: 'sqs:SendMessage (QueueUrl host)',
    reason:
      "not moto: the SDK's SQS client sends a request naming a QueueUrl to the QueueUrl's own host unless the client was built with an explicit endpoint, and AWS_ENDPOINT_URL is not one (middleware-sdk-sqs, queueUrlMiddleware). route's job queue URL is `https://sqs.<region>.amazonaws.com/<account>/<queue>`, as AWS names it (at AWS that is the regional endpoint, so nothing changes); in the emulator the request would leave loopback",
    handling:
      "the functions test points route's ROUTER_SETTINGS tickets.jobQueueUrl at an HTTPS front for moto on loopback (`https://sqs.<region>.localhost:<port>/<account>/<queue>`, __tests__/emulator/tls-front.ts: a certificate made for the run by openssl, trusted by the function's process through NODE_EXTRA_CA_CERTS), which hands each request to moto unchanged; the queue's name, which route and moto read, stays",
  },
  {
    api: 'Jira Cloud REST API v3, ServiceNow Table API (the ticket systems)',
    reason: 'not AWS, so not in moto; the https URLs in emulator/accounts.json (notifications.tickets) are never contacted',
    handling:
      "loopback stand-ins of our own (__tests__/functions/shared/tickets/standins.ts: the vendors' documented request shapes, Basic credentials, scripted failures); the functions test points route's ROUTER_SETTINGS tickets.jira.baseUrl and tickets.serviceNow.instanceUrl at them (the ticket client allows http for 127.0.0.1 and localhost only). Not settled here: the vendors' real authentication, Jira's eventually consistent search, project and workflow configuration",
  },
  {
    api: 'chatbot:* (aws_chatbot_slack_channel_configuration, aws_chatbot_teams_channel_configuration)',
    reason: 'moto 5.2.1 has no AWS Chatbot backend',
    handling:
      "not covered by the emulator: emulator/accounts.json configures no Slack or Teams channel, so its stacks hold no aws_chatbot_* resource (SERVICE_BY_TYPE_PREFIX in emulator/terraform.ts has no chatbot entry and refuses one); route's chat topics and the Chatbot configurations are checked in __tests__/stacks/constructs/alert-routing.test.ts",
  },
  {
    api: 's3:GetObjectRetention',
    reason:
      "not in moto 5.2.1: GET /<bucket>/<key>?retention is answered as GetObject (the record's JSON body), which the SDK fails to parse as XML. moto does apply a bucket's default Object Lock retention to a PutObject without lock headers, reports it in HeadObject (x-amz-object-lock-mode, x-amz-object-lock-retain-until-date), and refuses DeleteObject of a locked version (AccessDenied, also with x-amz-bypass-governance-retention in COMPLIANCE mode)",
    handling:
      "the functions test reads an evidence record's retention from HeadObject of its version instead. It hides no product bug: the writers send no lock headers and never read a retention back (functions/shared/evidence/write.ts); the stack's default retention is what the test checks",
  },
  {
    api: "sqs:SendMessage (a function's evidence dead-letter queue)",
    reason:
      "as for route's job queue (above): the SQS client sends to the QueueUrl's own host. A record that cannot be written goes to `https://sqs.<region>.amazonaws.com/<account>/<org>-<fn>-dlq`, a URL the function builds itself (deadLetterQueueUrl), with no setting to point elsewhere; in the emulator the request would leave loopback",
    handling:
      "the functions test's missing-bucket case runs an HTTPS front for moto on 127.0.0.1:443 (tls-front.ts; binding 443 needs root or CAP_NET_BIND_SERVICE) with a certificate for `sqs.<region>.amazonaws.com`, and the function's process alone resolves that one name to 127.0.0.1 (a preload in its NODE_OPTIONS, which emulator/functions.ts appends after loopback-dns.cjs, as Lambda honours a function's NODE_OPTIONS) and trusts the certificate (NODE_EXTRA_CA_CERTS); the request reaches moto unchanged",
  },
  {
    api: "sqs:SendMessage (investigate's checks queue)",
    reason:
      'as for the evidence dead-letter queue (above): investigate sends its delayed checks to `https://sqs.<region>.amazonaws.com/<account>/<org>-investigation-checks`, a URL it builds itself (checkQueueUrl)',
    handling:
      "the investigate test runs the same HTTPS front on 127.0.0.1:443 for that name (a preload in the function's NODE_OPTIONS, NODE_EXTRA_CA_CERTS); the front also keeps each request body, so the test reads a check whose delay moto honours before moto would show it",
  },
  {
    api: 's3 (the evidence bucket in the functions test)',
    reason:
      "moto does not evaluate bucket policies or KMS key policies (see iam above), so the evidence bucket's TLS-only policy, the writers' denies of deletes, retention changes and reads, and the SSE-KMS grant through S3 decide nothing here",
    handling:
      "the functions test creates the bucket as the stack does where it matters at moto (Object Lock at creation, the synthesized COMPLIANCE default retention); the policy, encryption and the writers' grants are checked in __tests__/stacks/constructs/evidence-store.test.ts, and the whole evidence store is applied, planned again and destroyed in the stacks test",
  },
  // Stacks (terraform apply, plan, destroy against moto; __tests__/emulator/stacks.emulator.test.ts)
  {
    resource: 'aws_securityhub_organization_admin_account',
    api: 'securityhub:ListOrganizationAdminAccounts, securityhub:DisableOrganizationAdminAccount',
    reason:
      'moto implements EnableOrganizationAdminAccount but neither lists nor disables; the provider lists after enabling (its create waits for ENABLED), on every refresh, and after disabling',
    handling:
      'stand-in (securityhub-management.ts): the enable goes to moto (which checks the caller is the management account and the admin a member) and is recorded when moto accepts it; list and disable answer from that record. moto keeps its own admin id after the disable (it has no way to clear it)',
    createOperation: 'securityhub:EnableOrganizationAdminAccount',
  },
  {
    api: "securityhub:EnableOrganizationAdminAccount (the administrator's hub)",
    reason:
      "designating a delegated administrator enables Security Hub in that account (in that region) at AWS; moto does not, so the security stack's import of its hub finds nothing",
    handling: 'the stand-in enables the hub at moto as the administrator (its OrganizationAccountAccessRole) once moto accepted the delegation',
  },
  {
    api: 'securityhub:UpdateOrganizationConfiguration',
    reason:
      'moto refuses an OrganizationConfiguration without Status ("Status value must be one of PENDING, ENABLED, or FAILED"); AWS sets Status itself and the provider never sends it',
    handling:
      "stand-in forwards the request to moto (keeping moto's checks: caller is the delegated administrator, CENTRAL needs AutoEnable false and AutoEnableStandards NONE) with Status ENABLED, the state AWS reaches; DescribeOrganizationConfiguration is moto's",
  },
  {
    api: 'securityhub:UpdateSecurityHubConfiguration',
    reason:
      "not in moto (the provider retries it until its timeout); moto's DescribeHub reports fixed AutoEnableControls true and ControlFindingGenerator SECURITY_CONTROL. The provider sets both on every aws_securityhub_account",
    handling:
      "stand-in keeps the settings per account and region (only for an enabled hub: moto's DescribeHub as the caller must succeed) and lays them over moto's DescribeHub (without the Tags member moto adds, which DescribeHubResponse does not have); DisableSecurityHub goes to moto and drops them",
  },
  {
    resource: 'aws_securityhub_action_target',
    api: 'securityhub:CreateActionTarget, DescribeActionTargets, UpdateActionTarget, DeleteActionTarget',
    reason: 'not in moto (HTML 404; the provider fails with "invalid character \'<\'")',
    handling: 'stateful stand-in per account and region; a second target with the same Id is a ResourceConflictException',
    createOperation: 'securityhub:CreateActionTarget',
  },
  {
    resource: 'aws_securityhub_automation_rule',
    api: 'securityhub:CreateAutomationRule, BatchGetAutomationRules, BatchUpdateAutomationRules, BatchDeleteAutomationRules, ListAutomationRules',
    reason: 'not in moto',
    handling: 'stateful stand-in per account and region; unknown ARNs come back as UnprocessedAutomationRules (404), as at AWS',
    createOperation: 'securityhub:CreateAutomationRule',
  },
  {
    resource: 'aws_securityhub_finding_aggregator',
    api: 'securityhub:CreateFindingAggregator, GetFindingAggregator, UpdateFindingAggregator, DeleteFindingAggregator, ListFindingAggregators',
    reason: 'not in moto',
    handling: 'stateful stand-in, one aggregator per account (a second is refused), its region the aggregation region',
    createOperation: 'securityhub:CreateFindingAggregator',
  },
  {
    resource: 'aws_securityhub_insight',
    api: 'securityhub:CreateInsight, GetInsights, UpdateInsight, DeleteInsight',
    reason: 'not in moto',
    handling: 'stateful stand-in per account and region',
    createOperation: 'securityhub:CreateInsight',
  },
  {
    resource: 'aws_securityhub_configuration_policy',
    api: 'securityhub:CreateConfigurationPolicy, GetConfigurationPolicy, UpdateConfigurationPolicy, DeleteConfigurationPolicy, ListConfigurationPolicies',
    reason: 'not in moto',
    handling: 'stateful stand-in per account and region; deleting a policy that is still associated is a ResourceConflictException, as at AWS',
    createOperation: 'securityhub:CreateConfigurationPolicy',
  },
  {
    resource: 'aws_securityhub_configuration_policy_association',
    api: 'securityhub:StartConfigurationPolicyAssociation, GetConfigurationPolicyAssociation, StartConfigurationPolicyDisassociation, ListConfigurationPolicyAssociations',
    reason: 'not in moto',
    handling: 'stateful stand-in keyed by target; associations succeed at once (AWS reports PENDING, then SUCCESS)',
    createOperation: 'securityhub:StartConfigurationPolicyAssociation',
  },
  {
    api: 'securityhub:TagResource, UntagResource, ListTagsForResource',
    reason: 'moto has no Security Hub tag routes; the provider reads tags of automation rules and configuration policies',
    handling: 'stand-in keeps tags of the objects it holds; an unknown ARN is ResourceNotFoundException',
  },
  {
    api: 'guardduty:DisableOrganizationAdminAccount',
    reason: 'moto enables and lists the GuardDuty delegated administrator but cannot disable it: destroying the management stack fails with an HTML 404',
    handling:
      "patched (moto_stack_patches.py) with AWS's semantics: only the designated administrator can be disabled (BadRequestException otherwise), then it is no longer listed",
  },
  {
    api: 'athena:DeleteNamedQuery',
    reason:
      "moto creates, gets and lists named queries but cannot delete one (no such operation in moto/athena/responses.py): destroying the security home stack's evidence KPI queries (aws_athena_named_query) hangs in the provider's retries and fails",
    handling:
      "patched (moto_stack_patches.py) with AWS's semantics: the query is removed and no longer listed; an id naming no query is an InvalidRequestException. The leftover check lists the named queries of every workgroup, and workgroups beyond primary, Glue databases and S3 buckets (emulator/leftovers.ts)",
  },
  {
    resource: 'aws_guardduty_organization_configuration',
    api: 'guardduty:UpdateOrganizationConfiguration, DescribeOrganizationConfiguration',
    reason: 'not in moto',
    handling:
      'validating GuardDuty stand-in (guardduty-management.ts): only the delegated administrator moto lists, with a detector moto says it owns; the settings end with the detector',
    createOperation: 'guardduty:UpdateOrganizationConfiguration',
  },
  {
    resource: 'aws_detective_graph, aws_detective_organization_admin_account, aws_detective_organization_configuration, aws_detective_member',
    api: 'detective:*',
    reason: 'not in moto (no moto/detective; ListGraphs answers "Not yet implemented")',
    handling:
      "the investigation operations (ListGraphs, StartInvestigation, GetInvestigation, ListIndicators) are answered by the validating Detective stand-in (detective-standin.ts; a function reaches it with AWS_ENDPOINT_URL_DETECTIVE): requests are held to botocore's Detective model (ValidationException otherwise), graphs are registered by the test (addGraph: administrator, region, members), the entity must be an IAM user or role of the graph's administrator or a member, the scope must run forward and span one hour to one year (optionally on the hour, the User Guide's console rule), and investigations stay RUNNING until the test completes them (severity, indicators in the model's Indicator shape) or fails them. Not covered: Detective's analysis itself, ListInvestigations, UpdateInvestigationState and every graph, member and organization operation (NotImplementedException 501). The stacks' resources are not covered either: emulator/accounts.json leaves organization.detective off, so no applied stack holds them; the three stack kinds with Detective pass terraform validate with the provider's schema (__tests__/stacks/terraform-validate.test.ts)",
  },
  {
    api: 'lambda:GetFunction (DeadLetterConfig)',
    reason: "moto does not store a function's DeadLetterConfig, so every function with one shows `+ dead_letter_config` on the second plan",
    handling: 'tolerated on the second plan for this attribute only',
    secondPlan: { resource: 'aws_lambda_function', attribute: 'dead_letter_config' },
  },
  {
    api: 'sqs:GetQueueAttributes (RedrivePolicy)',
    reason:
      'moto parses the redrive policy and answers it re-serialized by Python\'s json.dumps, with a space after every `:` and `,`; the provider plans an in-place update for the whitespace ("jsonencode( # whitespace changes"). Reproduced with a two-queue configuration and provider 5.100.0',
    handling: "tolerated on the second plan for this attribute only (the router's intake queue and ticket job queue)",
    secondPlan: { resource: 'aws_sqs_queue', attribute: 'redrive_policy' },
  },
  {
    api: 'kms (AWS managed keys)',
    reason:
      'moto creates the AWS managed key behind an `alias/aws/<service>` alias (here alias/aws/dynamodb, when a table is encrypted) as a CUSTOMER key with description "Default key"; at AWS it is an AWS managed key, which nobody deletes',
    handling: 'the leftover check after destroy skips keys an `alias/aws/` alias points to (emulator/leftovers.ts)',
  },
];
