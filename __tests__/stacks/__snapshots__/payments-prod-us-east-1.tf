terraform {
  required_providers {
    aws = {
      version = "6.25.0"
      source  = "aws"
    }
  }
  backend "s3" {
    bucket       = "acme-terraform-state"
    key          = "acme/payments-prod-us-east-1/terraform.tfstate"
    region       = "us-east-1"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  allowed_account_ids = [
    "333333333333"
  ]
  profile = "acme-payments-prod"
  region  = "us-east-1"
  default_tags {
    tags = {
      project    = "acme-security-response"
      managed-by = "cdktf"
      owner      = "payments"
    }
  }
}

resource "aws_cloudwatch_log_group" "local-responder_respond_log-group_EAB7F9D9" {
  name              = "/aws/lambda/acme-respond"
  retention_in_days = 365
}

resource "aws_sqs_queue" "local-responder_respond_dead-letter-queue_76D1623B" {
  message_retention_seconds = 1209600
  name                      = "acme-respond-dlq"
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue_policy" "local-responder_respond_dead-letter-policy_EE90EF7B" {
  policy    = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"UndeliveredEventsFromOurRules\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:333333333333:acme-respond-dlq\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:events:us-east-1:333333333333:rule/acme-*\"}}}]}"
  queue_url = aws_sqs_queue.local-responder_respond_dead-letter-queue_76D1623B.url
}

resource "aws_iam_role" "local-responder_respond_role_21E46A59" {
  assume_role_policy   = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"333333333333\"}}}]}"
  description          = "Runs acme-respond in us-east-1"
  max_session_duration = 3600
  name                 = "acme-respond-us-east-1"
}

resource "aws_iam_role_policy" "local-responder_respond_policy_B4FFAAD8" {
  name   = "acme-respond-permissions"
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"WriteOwnLogs\",\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\"arn:aws:logs:us-east-1:333333333333:log-group:/aws/lambda/acme-respond:*\"},{\"Sid\":\"DeadLetterQueue\",\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:333333333333:acme-respond-dlq\"},{\"Sid\":\"ReplayEvidenceFromDeadLetterQueue\",\"Effect\":\"Allow\",\"Action\":[\"sqs:ReceiveMessage\",\"sqs:DeleteMessage\"],\"Resource\":\"arn:aws:sqs:us-east-1:333333333333:acme-respond-dlq\"},{\"Sid\":\"RecordOnFindings\",\"Effect\":\"Allow\",\"Action\":\"securityhub:BatchUpdateFindings\",\"Resource\":\"arn:aws:securityhub:us-east-1:333333333333:hub/default\"},{\"Sid\":\"ReadSweptFindings\",\"Effect\":\"Allow\",\"Action\":\"securityhub:GetFindings\",\"Resource\":\"arn:aws:securityhub:us-east-1:333333333333:hub/default\"},{\"Sid\":\"PublishAlerts\",\"Effect\":\"Allow\",\"Action\":\"sns:Publish\",\"Resource\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts\"},{\"Sid\":\"EncryptAlerts\",\"Effect\":\"Allow\",\"Action\":[\"kms:GenerateDataKey*\",\"kms:Decrypt\"],\"Resource\":\"arn:aws:kms:us-east-1:222222222222:key/*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"kms:ResourceAliases\":\"alias/acme-security-alerts\"},\"StringEquals\":{\"kms:ViaService\":\"sns.us-east-1.amazonaws.com\"}}},{\"Sid\":\"WriteEvidence\",\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::acme-evidence-222222222222-us-east-1/decisions/*\"},{\"Sid\":\"EncryptEvidence\",\"Effect\":\"Allow\",\"Action\":\"kms:GenerateDataKey\",\"Resource\":\"arn:aws:kms:us-east-1:222222222222:key/*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"kms:ResourceAliases\":\"alias/acme-evidence\"},\"StringEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}}},{\"Sid\":\"ReadSecurityGroups\",\"Effect\":\"Allow\",\"Action\":[\"ec2:DescribeSecurityGroupRules\",\"ec2:DescribeSecurityGroups\"],\"Resource\":\"*\"},{\"Sid\":\"RevokePublicIngress\",\"Effect\":\"Allow\",\"Action\":\"ec2:RevokeSecurityGroupIngress\",\"Resource\":\"arn:aws:ec2:us-east-1:333333333333:security-group/*\"},{\"Sid\":\"TagSecurityGroups\",\"Effect\":\"Allow\",\"Action\":\"ec2:CreateTags\",\"Resource\":\"arn:aws:ec2:us-east-1:333333333333:security-group/*\",\"Condition\":{\"ForAllValues:StringLike\":{\"aws:TagKeys\":\"security-response:*\"}}},{\"Sid\":\"ReadBucketPublicAccess\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetBucketPublicAccessBlock\",\"s3:GetBucketTagging\"],\"Resource\":\"arn:aws:s3:::*\",\"Condition\":{\"StringEquals\":{\"s3:ResourceAccount\":\"333333333333\"}}},{\"Sid\":\"BlockBucketPublicAccess\",\"Effect\":\"Allow\",\"Action\":\"s3:PutBucketPublicAccessBlock\",\"Resource\":\"arn:aws:s3:::*\",\"Condition\":{\"StringEquals\":{\"s3:ResourceAccount\":\"333333333333\"}}},{\"Sid\":\"ReadAccountPublicAccess\",\"Effect\":\"Allow\",\"Action\":\"s3:GetAccountPublicAccessBlock\",\"Resource\":\"*\"},{\"Sid\":\"BlockAccountPublicAccess\",\"Effect\":\"Allow\",\"Action\":\"s3:PutAccountPublicAccessBlock\",\"Resource\":\"*\"},{\"Sid\":\"ReadBucketPolicy\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetBucketPolicy\",\"s3:GetBucketTagging\"],\"Resource\":\"arn:aws:s3:::*\",\"Condition\":{\"StringEquals\":{\"s3:ResourceAccount\":\"333333333333\"}}},{\"Sid\":\"AddTlsStatement\",\"Effect\":\"Allow\",\"Action\":\"s3:PutBucketPolicy\",\"Resource\":\"arn:aws:s3:::*\",\"Condition\":{\"StringEquals\":{\"s3:ResourceAccount\":\"333333333333\"}}},{\"Sid\":\"ReadUsersForQuarantine\",\"Effect\":\"Allow\",\"Action\":[\"iam:GetUser\",\"iam:ListUserTags\",\"iam:ListAccessKeys\"],\"Resource\":\"arn:aws:iam::333333333333:user/*\"},{\"Sid\":\"SetQuarantineBoundary\",\"Effect\":\"Allow\",\"Action\":\"iam:PutUserPermissionsBoundary\",\"Resource\":\"arn:aws:iam::333333333333:user/*\",\"Condition\":{\"StringEquals\":{\"iam:PermissionsBoundary\":\"arn:aws:iam::333333333333:policy/acme-quarantine-deny-all\"}}},{\"Sid\":\"DeactivateQuarantinedUserKeys\",\"Effect\":\"Allow\",\"Action\":\"iam:UpdateAccessKey\",\"Resource\":\"arn:aws:iam::333333333333:user/*\"},{\"Sid\":\"TagQuarantinedUsers\",\"Effect\":\"Allow\",\"Action\":\"iam:TagUser\",\"Resource\":\"arn:aws:iam::333333333333:user/*\",\"Condition\":{\"ForAllValues:StringLike\":{\"aws:TagKeys\":\"security-response:*\"}}},{\"Sid\":\"ReadAccessKeys\",\"Effect\":\"Allow\",\"Action\":[\"iam:ListAccessKeys\",\"iam:ListUserTags\"],\"Resource\":\"arn:aws:iam::333333333333:user/*\"},{\"Sid\":\"DeactivateAccessKeys\",\"Effect\":\"Allow\",\"Action\":\"iam:UpdateAccessKey\",\"Resource\":\"arn:aws:iam::333333333333:user/*\"},{\"Sid\":\"ReadInstances\",\"Effect\":\"Allow\",\"Action\":[\"ec2:DescribeInstances\",\"ec2:DescribeSecurityGroups\",\"ec2:DescribeNetworkInterfaces\"],\"Resource\":\"*\"},{\"Sid\":\"CreateIsolationGroup\",\"Effect\":\"Allow\",\"Action\":\"ec2:CreateSecurityGroup\",\"Resource\":[\"arn:aws:ec2:us-east-1:333333333333:vpc/*\",\"arn:aws:ec2:us-east-1:333333333333:security-group/*\"]},{\"Sid\":\"EmptyIsolationGroup\",\"Effect\":\"Allow\",\"Action\":[\"ec2:RevokeSecurityGroupEgress\",\"ec2:RevokeSecurityGroupIngress\"],\"Resource\":\"arn:aws:ec2:us-east-1:333333333333:security-group/*\",\"Condition\":{\"StringEquals\":{\"ec2:ResourceTag/Name\":\"acme-isolation\"}}},{\"Sid\":\"UntrackStepGroup\",\"Effect\":\"Allow\",\"Action\":[\"ec2:AuthorizeSecurityGroupIngress\",\"ec2:AuthorizeSecurityGroupEgress\",\"ec2:DeleteSecurityGroup\"],\"Resource\":\"arn:aws:ec2:us-east-1:333333333333:security-group/*\",\"Condition\":{\"StringLike\":{\"ec2:ResourceTag/Name\":\"acme-isolation-step-*\"}}},{\"Sid\":\"MoveIntoIsolation\",\"Effect\":\"Allow\",\"Action\":\"ec2:ModifyNetworkInterfaceAttribute\",\"Resource\":[\"arn:aws:ec2:us-east-1:333333333333:network-interface/*\",\"arn:aws:ec2:us-east-1:333333333333:instance/*\",\"arn:aws:ec2:us-east-1:333333333333:security-group/*\"]},{\"Sid\":\"TagIsolationGroup\",\"Effect\":\"Allow\",\"Action\":\"ec2:CreateTags\",\"Resource\":\"arn:aws:ec2:us-east-1:333333333333:security-group/*\",\"Condition\":{\"StringEquals\":{\"ec2:CreateAction\":\"CreateSecurityGroup\"}}},{\"Sid\":\"TagIsolated\",\"Effect\":\"Allow\",\"Action\":\"ec2:CreateTags\",\"Resource\":\"arn:aws:ec2:us-east-1:333333333333:instance/*\",\"Condition\":{\"ForAllValues:StringLike\":{\"aws:TagKeys\":\"security-response:*\"}}}]}"
  role   = aws_iam_role.local-responder_respond_role_21E46A59.name
}

resource "aws_lambda_function" "local-responder_respond_function_56578FAC" {
  architectures = [
    "arm64"
  ]
  description      = "security-response respond for payments-prod (333333333333)"
  filename         = "assets/local-responder_respond_code_8AC7040D/a626a7482b038213841f881a05b6030a33033492e44a9f7747ca941ece9709b1/respond.zip"
  function_name    = "acme-respond"
  handler          = "index.handler"
  memory_size      = 256
  role             = aws_iam_role.local-responder_respond_role_21E46A59.arn
  runtime          = "nodejs22.x"
  source_code_hash = "pianSCsDghOEH4gaBbYDCjMDNJLkSp93R8qUHs6XCbE="
  timeout          = 300
  dead_letter_config {
    target_arn = aws_sqs_queue.local-responder_respond_dead-letter-queue_76D1623B.arn
  }
  environment {
    variables = {
      RESPONDER_SETTINGS      = "{\"organization\":\"acme\",\"accountId\":\"333333333333\",\"accountName\":\"payments-prod\",\"region\":\"us-east-1\",\"owner\":\"payments\",\"production\":true,\"mode\":\"enforce\",\"actions\":{\"REVOKE_PUBLIC_INGRESS\":\"enforce\",\"BLOCK_S3_PUBLIC_ACCESS\":\"enforce\",\"BLOCK_ACCOUNT_S3_PUBLIC_ACCESS\":\"enforce\",\"ENFORCE_S3_TLS\":\"enforce\",\"QUARANTINE_IAM_USER\":\"enforce\",\"DEACTIVATE_ACCESS_KEY\":\"enforce\",\"ISOLATE_EC2_INSTANCE\":\"enforce\"},\"notifyMinSeverity\":\"MEDIUM\",\"criticalResourceTags\":[{\"key\":\"app\",\"value\":\"payments\"}],\"authorizedPublicPorts\":[80,443],\"alertTopicArn\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts\",\"evidence\":{\"bucket\":\"acme-evidence-222222222222-us-east-1\",\"region\":\"us-east-1\"},\"quarantinePolicyArn\":\"arn:aws:iam::333333333333:policy/acme-quarantine-deny-all\",\"quarantine\":{\"trustedCreators\":[\"arn:aws:iam::333333333333:role/terraform-pipeline\"],\"exemptUserNames\":[\"break-glass-*\"]}}"
      POWERTOOLS_SERVICE_NAME = "respond"
    }
  }
  depends_on = [
    aws_cloudwatch_log_group.local-responder_respond_log-group_EAB7F9D9,
  ]
}

resource "aws_lambda_function_event_invoke_config" "local-responder_respond_async-invoke_0D0C7560" {
  function_name                = aws_lambda_function.local-responder_respond_function_56578FAC.function_name
  maximum_event_age_in_seconds = 21600
  maximum_retry_attempts       = 2
}

resource "aws_cloudwatch_metric_alarm" "local-responder_respond_alarms_dead-letters_BD746733" {
  alarm_description   = "Events that acme-respond could not handle after retries, or evidence records it could not write (message attribute kind=evidence), are waiting in acme-respond-dlq (us-east-1). Read them, fix the cause, and replay or discard them."
  alarm_name          = "acme-respond-dead-letters"
  comparison_operator = "GreaterThanThreshold"
  dimensions = {
    QueueName = "acme-respond-dlq"
  }
  evaluation_periods = 1
  metric_name        = "ApproximateNumberOfMessagesVisible"
  namespace          = "AWS/SQS"
  period             = 300
  statistic          = "Maximum"
  threshold          = 0
  treat_missing_data = "notBreaching"
}

resource "aws_cloudwatch_metric_alarm" "local-responder_respond_alarms_remediation-failures_1FB0AB07" {
  alarm_description   = "acme-respond failed to remediate at least one finding in us-east-1. Each failure was also alerted with its error; look at those alerts and the function's log."
  alarm_name          = "acme-respond-remediation-failures"
  comparison_operator = "GreaterThanThreshold"
  dimensions = {
    service = "respond"
  }
  evaluation_periods = 1
  metric_name        = "RemediationFailures"
  namespace          = "SecurityResponse"
  period             = 300
  statistic          = "Sum"
  threshold          = 0
  treat_missing_data = "notBreaching"
}

resource "aws_iam_role" "local-responder_respond_alarms_forwarder-role_96123DA3" {
  assume_role_policy   = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"333333333333\"}}}]}"
  description          = "Forwards acme-respond alarm state changes in us-east-1 to the security account"
  max_session_duration = 3600
  name                 = "acme-alarms-respond-us-east-1"
}

resource "aws_iam_role_policy" "local-responder_respond_alarms_forwarder-policy_501012F5" {
  name   = "acme-alarms-respond-us-east-1-put-events"
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PutEventsOnAlarmBus\",\"Effect\":\"Allow\",\"Action\":\"events:PutEvents\",\"Resource\":\"arn:aws:events:us-east-1:222222222222:event-bus/acme-security-response-alarms\"}]}"
  role   = aws_iam_role.local-responder_respond_alarms_forwarder-role_96123DA3.name
}

resource "aws_cloudwatch_event_rule" "local-responder_respond_alarms_forwarder_A3C8C5B6" {
  description   = "acme-respond alarm state changes in us-east-1 to the security account's alarm bus"
  event_pattern = "{\"source\":[\"aws.cloudwatch\"],\"detail-type\":[\"CloudWatch Alarm State Change\"],\"detail\":{\"alarmName\":[\"acme-respond-dead-letters\",\"acme-respond-remediation-failures\"],\"$or\":[{\"state\":{\"value\":[\"ALARM\"]}},{\"state\":{\"value\":[\"OK\"]},\"previousState\":{\"value\":[\"ALARM\"]}}]}}"
  name          = "acme-respond-alarms"
  state         = "ENABLED"
}

resource "aws_cloudwatch_event_target" "local-responder_respond_alarms_forwarder-target_E635E415" {
  arn       = "arn:aws:events:us-east-1:222222222222:event-bus/acme-security-response-alarms"
  role_arn  = aws_iam_role.local-responder_respond_alarms_forwarder-role_96123DA3.arn
  rule      = aws_cloudwatch_event_rule.local-responder_respond_alarms_forwarder_A3C8C5B6.name
  target_id = "security-account-alarm-bus"
  dead_letter_config {
    arn = aws_sqs_queue.local-responder_respond_dead-letter-queue_76D1623B.arn
  }
}

resource "aws_cloudwatch_event_rule" "local-responder_asff-findings_rule_5AF459A6" {
  description   = "New active findings of payments-prod in us-east-1 (ASFF) to acme-respond"
  event_pattern = "{\"source\":[\"aws.securityhub\"],\"detail-type\":[\"Security Hub Findings - Imported\"],\"detail\":{\"findings\":{\"AwsAccountId\":[\"333333333333\"],\"Region\":[\"us-east-1\"],\"RecordState\":[\"ACTIVE\"],\"Workflow\":{\"Status\":[\"NEW\"]},\"Severity\":{\"Label\":[\"MEDIUM\",\"HIGH\",\"CRITICAL\"]}}}}"
  name          = "acme-respond-asff-findings"
  state         = "ENABLED"
}

resource "aws_cloudwatch_event_target" "local-responder_asff-findings_target_909F314D" {
  arn       = aws_lambda_function.local-responder_respond_function_56578FAC.arn
  rule      = aws_cloudwatch_event_rule.local-responder_asff-findings_rule_5AF459A6.name
  target_id = "acme-respond"
  dead_letter_config {
    arn = aws_sqs_queue.local-responder_respond_dead-letter-queue_76D1623B.arn
  }
  retry_policy {
    maximum_event_age_in_seconds = 21600
    maximum_retry_attempts       = 8
  }
}

resource "aws_lambda_permission" "local-responder_asff-findings_invoke-permission_86CB81ED" {
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.local-responder_respond_function_56578FAC.function_name
  principal      = "events.amazonaws.com"
  source_account = "333333333333"
  source_arn     = "arn:aws:events:us-east-1:333333333333:rule/acme-respond-asff-findings"
  statement_id   = "invoke-from-acme-respond-asff-findings"
}

resource "aws_iam_policy" "iam-quarantine_quarantine-policy_C4E8B09C" {
  description = "Denies every action. Attached by security-response to users it quarantines; detach to release."
  name        = "acme-quarantine-deny-all"
  policy      = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"QuarantineDenyAll\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}"
}

resource "aws_cloudwatch_log_group" "iam-quarantine_quarantine-user_log-group_14C9E78C" {
  name              = "/aws/lambda/acme-quarantine-user"
  retention_in_days = 365
}

resource "aws_sqs_queue" "iam-quarantine_quarantine-user_dead-letter-queue_540F1264" {
  message_retention_seconds = 1209600
  name                      = "acme-quarantine-user-dlq"
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue_policy" "iam-quarantine_quarantine-user_dead-letter-policy_C1F9959E" {
  policy    = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"UndeliveredEventsFromOurRules\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:333333333333:acme-quarantine-user-dlq\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:events:us-east-1:333333333333:rule/acme-*\"}}}]}"
  queue_url = aws_sqs_queue.iam-quarantine_quarantine-user_dead-letter-queue_540F1264.url
}

resource "aws_iam_role" "iam-quarantine_quarantine-user_role_E73FD937" {
  assume_role_policy   = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"333333333333\"}}}]}"
  description          = "Runs acme-quarantine-user in us-east-1"
  max_session_duration = 3600
  name                 = "acme-quarantine-user"
}

resource "aws_iam_role_policy" "iam-quarantine_quarantine-user_policy_F384539C" {
  name   = "acme-quarantine-user-permissions"
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"WriteOwnLogs\",\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\"arn:aws:logs:us-east-1:333333333333:log-group:/aws/lambda/acme-quarantine-user:*\"},{\"Sid\":\"DeadLetterQueue\",\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:333333333333:acme-quarantine-user-dlq\"},{\"Sid\":\"ReplayEvidenceFromDeadLetterQueue\",\"Effect\":\"Allow\",\"Action\":[\"sqs:ReceiveMessage\",\"sqs:DeleteMessage\"],\"Resource\":\"arn:aws:sqs:us-east-1:333333333333:acme-quarantine-user-dlq\"},{\"Sid\":\"PublishAlerts\",\"Effect\":\"Allow\",\"Action\":\"sns:Publish\",\"Resource\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts\"},{\"Sid\":\"EncryptAlerts\",\"Effect\":\"Allow\",\"Action\":[\"kms:GenerateDataKey*\",\"kms:Decrypt\"],\"Resource\":\"arn:aws:kms:us-east-1:222222222222:key/*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"kms:ResourceAliases\":\"alias/acme-security-alerts\"},\"StringEquals\":{\"kms:ViaService\":\"sns.us-east-1.amazonaws.com\"}}},{\"Sid\":\"WriteEvidence\",\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::acme-evidence-222222222222-us-east-1/decisions/*\"},{\"Sid\":\"EncryptEvidence\",\"Effect\":\"Allow\",\"Action\":\"kms:GenerateDataKey\",\"Resource\":\"arn:aws:kms:us-east-1:222222222222:key/*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"kms:ResourceAliases\":\"alias/acme-evidence\"},\"StringEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}}},{\"Sid\":\"ReadUsersForQuarantine\",\"Effect\":\"Allow\",\"Action\":[\"iam:GetUser\",\"iam:ListUserTags\",\"iam:ListAccessKeys\"],\"Resource\":\"arn:aws:iam::333333333333:user/*\"},{\"Sid\":\"SetQuarantineBoundary\",\"Effect\":\"Allow\",\"Action\":\"iam:PutUserPermissionsBoundary\",\"Resource\":\"arn:aws:iam::333333333333:user/*\",\"Condition\":{\"StringEquals\":{\"iam:PermissionsBoundary\":\"arn:aws:iam::333333333333:policy/acme-quarantine-deny-all\"}}},{\"Sid\":\"DeactivateQuarantinedUserKeys\",\"Effect\":\"Allow\",\"Action\":\"iam:UpdateAccessKey\",\"Resource\":\"arn:aws:iam::333333333333:user/*\"},{\"Sid\":\"TagQuarantinedUsers\",\"Effect\":\"Allow\",\"Action\":\"iam:TagUser\",\"Resource\":\"arn:aws:iam::333333333333:user/*\",\"Condition\":{\"ForAllValues:StringLike\":{\"aws:TagKeys\":\"security-response:*\"}}}]}"
  role   = aws_iam_role.iam-quarantine_quarantine-user_role_E73FD937.name
}

resource "aws_lambda_function" "iam-quarantine_quarantine-user_function_0908C0B9" {
  architectures = [
    "arm64"
  ]
  description      = "security-response quarantine-user for payments-prod (333333333333)"
  filename         = "assets/iam-quarantine_quarantine-user_code_AEE4029C/047bb37c53ae43861dcc05b5b9e915655ec847915041be68b401a52030303a98/quarantine-user.zip"
  function_name    = "acme-quarantine-user"
  handler          = "index.handler"
  memory_size      = 256
  role             = aws_iam_role.iam-quarantine_quarantine-user_role_E73FD937.arn
  runtime          = "nodejs22.x"
  source_code_hash = "BHuzfFOuQ4YdzAW1uekVZV7IR5FQQb5otAGlIDAwOpg="
  timeout          = 60
  dead_letter_config {
    target_arn = aws_sqs_queue.iam-quarantine_quarantine-user_dead-letter-queue_540F1264.arn
  }
  environment {
    variables = {
      RESPONDER_SETTINGS      = "{\"organization\":\"acme\",\"accountId\":\"333333333333\",\"accountName\":\"payments-prod\",\"region\":\"us-east-1\",\"owner\":\"payments\",\"production\":true,\"mode\":\"enforce\",\"actions\":{\"REVOKE_PUBLIC_INGRESS\":\"enforce\",\"BLOCK_S3_PUBLIC_ACCESS\":\"enforce\",\"BLOCK_ACCOUNT_S3_PUBLIC_ACCESS\":\"enforce\",\"ENFORCE_S3_TLS\":\"enforce\",\"QUARANTINE_IAM_USER\":\"enforce\",\"DEACTIVATE_ACCESS_KEY\":\"enforce\",\"ISOLATE_EC2_INSTANCE\":\"enforce\"},\"notifyMinSeverity\":\"MEDIUM\",\"criticalResourceTags\":[{\"key\":\"app\",\"value\":\"payments\"}],\"authorizedPublicPorts\":[80,443],\"alertTopicArn\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts\",\"evidence\":{\"bucket\":\"acme-evidence-222222222222-us-east-1\",\"region\":\"us-east-1\"},\"quarantinePolicyArn\":\"arn:aws:iam::333333333333:policy/acme-quarantine-deny-all\",\"quarantine\":{\"trustedCreators\":[\"arn:aws:iam::333333333333:role/terraform-pipeline\"],\"exemptUserNames\":[\"break-glass-*\"]}}"
      POWERTOOLS_SERVICE_NAME = "quarantine-user"
    }
  }
  depends_on = [
    aws_cloudwatch_log_group.iam-quarantine_quarantine-user_log-group_14C9E78C,
  ]
}

resource "aws_lambda_function_event_invoke_config" "iam-quarantine_quarantine-user_async-invoke_62F00FC2" {
  function_name                = aws_lambda_function.iam-quarantine_quarantine-user_function_0908C0B9.function_name
  maximum_event_age_in_seconds = 21600
  maximum_retry_attempts       = 2
}

resource "aws_cloudwatch_metric_alarm" "iam-quarantine_quarantine-user_alarms_dead-letters_6A7FDD81" {
  alarm_description   = "Events that acme-quarantine-user could not handle after retries, or evidence records it could not write (message attribute kind=evidence), are waiting in acme-quarantine-user-dlq (us-east-1). Read them, fix the cause, and replay or discard them."
  alarm_name          = "acme-quarantine-user-dead-letters"
  comparison_operator = "GreaterThanThreshold"
  dimensions = {
    QueueName = "acme-quarantine-user-dlq"
  }
  evaluation_periods = 1
  metric_name        = "ApproximateNumberOfMessagesVisible"
  namespace          = "AWS/SQS"
  period             = 300
  statistic          = "Maximum"
  threshold          = 0
  treat_missing_data = "notBreaching"
}

resource "aws_cloudwatch_metric_alarm" "iam-quarantine_quarantine-user_alarms_remediation-failures_D99969A3" {
  alarm_description   = "acme-quarantine-user failed to remediate at least one finding in us-east-1. Each failure was also alerted with its error; look at those alerts and the function's log."
  alarm_name          = "acme-quarantine-user-remediation-failures"
  comparison_operator = "GreaterThanThreshold"
  dimensions = {
    service = "quarantine-user"
  }
  evaluation_periods = 1
  metric_name        = "RemediationFailures"
  namespace          = "SecurityResponse"
  period             = 300
  statistic          = "Sum"
  threshold          = 0
  treat_missing_data = "notBreaching"
}

resource "aws_iam_role" "iam-quarantine_quarantine-user_alarms_forwarder-role_DAAAB0A5" {
  assume_role_policy   = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"333333333333\"}}}]}"
  description          = "Forwards acme-quarantine-user alarm state changes in us-east-1 to the security account"
  max_session_duration = 3600
  name                 = "acme-alarms-quarantine-user-us-east-1"
}

resource "aws_iam_role_policy" "iam-quarantine_quarantine-user_alarms_forwarder-policy_31E5519B" {
  name   = "acme-alarms-quarantine-user-us-east-1-put-events"
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PutEventsOnAlarmBus\",\"Effect\":\"Allow\",\"Action\":\"events:PutEvents\",\"Resource\":\"arn:aws:events:us-east-1:222222222222:event-bus/acme-security-response-alarms\"}]}"
  role   = aws_iam_role.iam-quarantine_quarantine-user_alarms_forwarder-role_DAAAB0A5.name
}

resource "aws_cloudwatch_event_rule" "iam-quarantine_quarantine-user_alarms_forwarder_048F2626" {
  description   = "acme-quarantine-user alarm state changes in us-east-1 to the security account's alarm bus"
  event_pattern = "{\"source\":[\"aws.cloudwatch\"],\"detail-type\":[\"CloudWatch Alarm State Change\"],\"detail\":{\"alarmName\":[\"acme-quarantine-user-dead-letters\",\"acme-quarantine-user-remediation-failures\"],\"$or\":[{\"state\":{\"value\":[\"ALARM\"]}},{\"state\":{\"value\":[\"OK\"]},\"previousState\":{\"value\":[\"ALARM\"]}}]}}"
  name          = "acme-quarantine-user-alarms"
  state         = "ENABLED"
}

resource "aws_cloudwatch_event_target" "iam-quarantine_quarantine-user_alarms_forwarder-target_3F17692D" {
  arn       = "arn:aws:events:us-east-1:222222222222:event-bus/acme-security-response-alarms"
  role_arn  = aws_iam_role.iam-quarantine_quarantine-user_alarms_forwarder-role_DAAAB0A5.arn
  rule      = aws_cloudwatch_event_rule.iam-quarantine_quarantine-user_alarms_forwarder_048F2626.name
  target_id = "security-account-alarm-bus"
  dead_letter_config {
    arn = aws_sqs_queue.iam-quarantine_quarantine-user_dead-letter-queue_540F1264.arn
  }
}

resource "aws_cloudwatch_event_rule" "iam-quarantine_create-user_rule_E8EE2577" {
  description   = "IAM CreateUser in payments-prod to acme-quarantine-user"
  event_pattern = "{\"source\":[\"aws.iam\"],\"detail-type\":[\"AWS API Call via CloudTrail\"],\"account\":[\"333333333333\"],\"region\":[\"us-east-1\"],\"detail\":{\"eventSource\":[\"iam.amazonaws.com\"],\"eventName\":[\"CreateUser\"],\"errorCode\":[{\"exists\":false}]}}"
  name          = "acme-quarantine-new-iam-users"
  state         = "ENABLED"
}

resource "aws_cloudwatch_event_target" "iam-quarantine_create-user_target_DD352E16" {
  arn       = aws_lambda_function.iam-quarantine_quarantine-user_function_0908C0B9.arn
  rule      = aws_cloudwatch_event_rule.iam-quarantine_create-user_rule_E8EE2577.name
  target_id = "acme-quarantine-user"
  dead_letter_config {
    arn = aws_sqs_queue.iam-quarantine_quarantine-user_dead-letter-queue_540F1264.arn
  }
  retry_policy {
    maximum_event_age_in_seconds = 21600
    maximum_retry_attempts       = 8
  }
}

resource "aws_lambda_permission" "iam-quarantine_create-user_invoke-permission_935A77B1" {
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.iam-quarantine_quarantine-user_function_0908C0B9.function_name
  principal      = "events.amazonaws.com"
  source_account = "333333333333"
  source_arn     = "arn:aws:events:us-east-1:333333333333:rule/acme-quarantine-new-iam-users"
  statement_id   = "invoke-from-acme-quarantine-new-iam-users"
}
