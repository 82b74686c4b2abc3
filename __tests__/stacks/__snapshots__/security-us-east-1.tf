terraform {
  required_providers {
    aws = {
      version = "6.25.0"
      source  = "aws"
    }
  }
  backend "s3" {
    bucket       = "acme-terraform-state"
    key          = "acme/security-us-east-1/terraform.tfstate"
    region       = "us-east-1"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  allowed_account_ids = [
    "222222222222"
  ]
  profile = "acme-security"
  region  = "us-east-1"
  default_tags {
    tags = {
      project    = "acme-security-response"
      managed-by = "cdktf"
      owner      = "security"
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
  policy    = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"UndeliveredEventsFromOurRules\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:222222222222:acme-respond-dlq\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:events:us-east-1:222222222222:rule/acme-*\"}}}]}"
  queue_url = aws_sqs_queue.local-responder_respond_dead-letter-queue_76D1623B.url
}

resource "aws_iam_role" "local-responder_respond_role_21E46A59" {
  assume_role_policy   = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"222222222222\"}}}]}"
  description          = "Runs acme-respond in us-east-1"
  max_session_duration = 3600
  name                 = "acme-respond-us-east-1"
}

resource "aws_iam_role_policy" "local-responder_respond_policy_B4FFAAD8" {
  name   = "acme-respond-permissions"
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"WriteOwnLogs\",\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\"arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/acme-respond:*\"},{\"Sid\":\"DeadLetterQueue\",\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:222222222222:acme-respond-dlq\"},{\"Sid\":\"ReplayEvidenceFromDeadLetterQueue\",\"Effect\":\"Allow\",\"Action\":[\"sqs:ReceiveMessage\",\"sqs:DeleteMessage\"],\"Resource\":\"arn:aws:sqs:us-east-1:222222222222:acme-respond-dlq\"},{\"Sid\":\"RecordOnFindings\",\"Effect\":\"Allow\",\"Action\":\"securityhub:BatchUpdateFindings\",\"Resource\":\"arn:aws:securityhub:us-east-1:222222222222:hub/default\"},{\"Sid\":\"ReadSweptFindings\",\"Effect\":\"Allow\",\"Action\":\"securityhub:GetFindings\",\"Resource\":\"arn:aws:securityhub:us-east-1:222222222222:hub/default\"},{\"Sid\":\"PublishAlerts\",\"Effect\":\"Allow\",\"Action\":\"sns:Publish\",\"Resource\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts\"},{\"Sid\":\"EncryptAlerts\",\"Effect\":\"Allow\",\"Action\":[\"kms:GenerateDataKey*\",\"kms:Decrypt\"],\"Resource\":\"arn:aws:kms:us-east-1:222222222222:key/*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"kms:ResourceAliases\":\"alias/acme-security-alerts\"},\"StringEquals\":{\"kms:ViaService\":\"sns.us-east-1.amazonaws.com\"}}},{\"Sid\":\"WriteEvidence\",\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::acme-evidence-222222222222-us-east-1/decisions/*\"},{\"Sid\":\"EncryptEvidence\",\"Effect\":\"Allow\",\"Action\":\"kms:GenerateDataKey\",\"Resource\":\"arn:aws:kms:us-east-1:222222222222:key/*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"kms:ResourceAliases\":\"alias/acme-evidence\"},\"StringEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}}},{\"Sid\":\"ReadSecurityGroups\",\"Effect\":\"Allow\",\"Action\":[\"ec2:DescribeSecurityGroupRules\",\"ec2:DescribeSecurityGroups\"],\"Resource\":\"*\"},{\"Sid\":\"RevokePublicIngress\",\"Effect\":\"Allow\",\"Action\":\"ec2:RevokeSecurityGroupIngress\",\"Resource\":\"arn:aws:ec2:us-east-1:222222222222:security-group/*\"},{\"Sid\":\"TagSecurityGroups\",\"Effect\":\"Allow\",\"Action\":\"ec2:CreateTags\",\"Resource\":\"arn:aws:ec2:us-east-1:222222222222:security-group/*\",\"Condition\":{\"ForAllValues:StringLike\":{\"aws:TagKeys\":\"security-response:*\"}}},{\"Sid\":\"ReadBucketPublicAccess\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetBucketPublicAccessBlock\",\"s3:GetBucketTagging\"],\"Resource\":\"arn:aws:s3:::*\",\"Condition\":{\"StringEquals\":{\"s3:ResourceAccount\":\"222222222222\"}}},{\"Sid\":\"BlockBucketPublicAccess\",\"Effect\":\"Allow\",\"Action\":\"s3:PutBucketPublicAccessBlock\",\"Resource\":\"arn:aws:s3:::*\",\"Condition\":{\"StringEquals\":{\"s3:ResourceAccount\":\"222222222222\"}}},{\"Sid\":\"ReadAccountPublicAccess\",\"Effect\":\"Allow\",\"Action\":\"s3:GetAccountPublicAccessBlock\",\"Resource\":\"*\"},{\"Sid\":\"BlockAccountPublicAccess\",\"Effect\":\"Allow\",\"Action\":\"s3:PutAccountPublicAccessBlock\",\"Resource\":\"*\"},{\"Sid\":\"ReadBucketPolicy\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetBucketPolicy\",\"s3:GetBucketTagging\"],\"Resource\":\"arn:aws:s3:::*\",\"Condition\":{\"StringEquals\":{\"s3:ResourceAccount\":\"222222222222\"}}},{\"Sid\":\"AddTlsStatement\",\"Effect\":\"Allow\",\"Action\":\"s3:PutBucketPolicy\",\"Resource\":\"arn:aws:s3:::*\",\"Condition\":{\"StringEquals\":{\"s3:ResourceAccount\":\"222222222222\"}}},{\"Sid\":\"ReadUsersForQuarantine\",\"Effect\":\"Allow\",\"Action\":[\"iam:GetUser\",\"iam:ListUserTags\",\"iam:ListAccessKeys\"],\"Resource\":\"arn:aws:iam::222222222222:user/*\"},{\"Sid\":\"SetQuarantineBoundary\",\"Effect\":\"Allow\",\"Action\":\"iam:PutUserPermissionsBoundary\",\"Resource\":\"arn:aws:iam::222222222222:user/*\",\"Condition\":{\"StringEquals\":{\"iam:PermissionsBoundary\":\"arn:aws:iam::222222222222:policy/acme-quarantine-deny-all\"}}},{\"Sid\":\"DeactivateQuarantinedUserKeys\",\"Effect\":\"Allow\",\"Action\":\"iam:UpdateAccessKey\",\"Resource\":\"arn:aws:iam::222222222222:user/*\"},{\"Sid\":\"TagQuarantinedUsers\",\"Effect\":\"Allow\",\"Action\":\"iam:TagUser\",\"Resource\":\"arn:aws:iam::222222222222:user/*\",\"Condition\":{\"ForAllValues:StringLike\":{\"aws:TagKeys\":\"security-response:*\"}}},{\"Sid\":\"ReadAccessKeys\",\"Effect\":\"Allow\",\"Action\":[\"iam:ListAccessKeys\",\"iam:ListUserTags\"],\"Resource\":\"arn:aws:iam::222222222222:user/*\"},{\"Sid\":\"DeactivateAccessKeys\",\"Effect\":\"Allow\",\"Action\":\"iam:UpdateAccessKey\",\"Resource\":\"arn:aws:iam::222222222222:user/*\"},{\"Sid\":\"ReadInstances\",\"Effect\":\"Allow\",\"Action\":[\"ec2:DescribeInstances\",\"ec2:DescribeSecurityGroups\",\"ec2:DescribeNetworkInterfaces\"],\"Resource\":\"*\"}]}"
  role   = aws_iam_role.local-responder_respond_role_21E46A59.name
}

resource "aws_lambda_function" "local-responder_respond_function_56578FAC" {
  architectures = [
    "arm64"
  ]
  description      = "security-response respond for security (222222222222)"
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
      RESPONDER_SETTINGS      = "{\"organization\":\"acme\",\"accountId\":\"222222222222\",\"accountName\":\"security\",\"region\":\"us-east-1\",\"production\":false,\"mode\":\"enforce\",\"actions\":{\"REVOKE_PUBLIC_INGRESS\":\"enforce\",\"BLOCK_S3_PUBLIC_ACCESS\":\"enforce\",\"BLOCK_ACCOUNT_S3_PUBLIC_ACCESS\":\"enforce\",\"ENFORCE_S3_TLS\":\"enforce\",\"QUARANTINE_IAM_USER\":\"enforce\",\"DEACTIVATE_ACCESS_KEY\":\"enforce\",\"ISOLATE_EC2_INSTANCE\":\"observe\"},\"notifyMinSeverity\":\"MEDIUM\",\"criticalResourceTags\":[],\"authorizedPublicPorts\":[80,443],\"alertTopicArn\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts\",\"evidence\":{\"bucket\":\"acme-evidence-222222222222-us-east-1\",\"region\":\"us-east-1\"},\"quarantinePolicyArn\":\"arn:aws:iam::222222222222:policy/acme-quarantine-deny-all\",\"quarantine\":{\"trustedCreators\":[],\"exemptUserNames\":[]}}"
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
  assume_role_policy   = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"222222222222\"}}}]}"
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
  description   = "New active findings of security in us-east-1 (ASFF) to acme-respond"
  event_pattern = "{\"source\":[\"aws.securityhub\"],\"detail-type\":[\"Security Hub Findings - Imported\"],\"detail\":{\"findings\":{\"AwsAccountId\":[\"222222222222\"],\"Region\":[\"us-east-1\"],\"RecordState\":[\"ACTIVE\"],\"Workflow\":{\"Status\":[\"NEW\"]},\"Severity\":{\"Label\":[\"MEDIUM\",\"HIGH\",\"CRITICAL\"]}}}}"
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
  source_account = "222222222222"
  source_arn     = "arn:aws:events:us-east-1:222222222222:rule/acme-respond-asff-findings"
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
  policy    = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"UndeliveredEventsFromOurRules\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:222222222222:acme-quarantine-user-dlq\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:events:us-east-1:222222222222:rule/acme-*\"}}}]}"
  queue_url = aws_sqs_queue.iam-quarantine_quarantine-user_dead-letter-queue_540F1264.url
}

resource "aws_iam_role" "iam-quarantine_quarantine-user_role_E73FD937" {
  assume_role_policy   = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"222222222222\"}}}]}"
  description          = "Runs acme-quarantine-user in us-east-1"
  max_session_duration = 3600
  name                 = "acme-quarantine-user"
}

resource "aws_iam_role_policy" "iam-quarantine_quarantine-user_policy_F384539C" {
  name   = "acme-quarantine-user-permissions"
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"WriteOwnLogs\",\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\"arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/acme-quarantine-user:*\"},{\"Sid\":\"DeadLetterQueue\",\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:222222222222:acme-quarantine-user-dlq\"},{\"Sid\":\"ReplayEvidenceFromDeadLetterQueue\",\"Effect\":\"Allow\",\"Action\":[\"sqs:ReceiveMessage\",\"sqs:DeleteMessage\"],\"Resource\":\"arn:aws:sqs:us-east-1:222222222222:acme-quarantine-user-dlq\"},{\"Sid\":\"PublishAlerts\",\"Effect\":\"Allow\",\"Action\":\"sns:Publish\",\"Resource\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts\"},{\"Sid\":\"EncryptAlerts\",\"Effect\":\"Allow\",\"Action\":[\"kms:GenerateDataKey*\",\"kms:Decrypt\"],\"Resource\":\"arn:aws:kms:us-east-1:222222222222:key/*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"kms:ResourceAliases\":\"alias/acme-security-alerts\"},\"StringEquals\":{\"kms:ViaService\":\"sns.us-east-1.amazonaws.com\"}}},{\"Sid\":\"WriteEvidence\",\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::acme-evidence-222222222222-us-east-1/decisions/*\"},{\"Sid\":\"EncryptEvidence\",\"Effect\":\"Allow\",\"Action\":\"kms:GenerateDataKey\",\"Resource\":\"arn:aws:kms:us-east-1:222222222222:key/*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"kms:ResourceAliases\":\"alias/acme-evidence\"},\"StringEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}}},{\"Sid\":\"ReadUsersForQuarantine\",\"Effect\":\"Allow\",\"Action\":[\"iam:GetUser\",\"iam:ListUserTags\",\"iam:ListAccessKeys\"],\"Resource\":\"arn:aws:iam::222222222222:user/*\"},{\"Sid\":\"SetQuarantineBoundary\",\"Effect\":\"Allow\",\"Action\":\"iam:PutUserPermissionsBoundary\",\"Resource\":\"arn:aws:iam::222222222222:user/*\",\"Condition\":{\"StringEquals\":{\"iam:PermissionsBoundary\":\"arn:aws:iam::222222222222:policy/acme-quarantine-deny-all\"}}},{\"Sid\":\"DeactivateQuarantinedUserKeys\",\"Effect\":\"Allow\",\"Action\":\"iam:UpdateAccessKey\",\"Resource\":\"arn:aws:iam::222222222222:user/*\"},{\"Sid\":\"TagQuarantinedUsers\",\"Effect\":\"Allow\",\"Action\":\"iam:TagUser\",\"Resource\":\"arn:aws:iam::222222222222:user/*\",\"Condition\":{\"ForAllValues:StringLike\":{\"aws:TagKeys\":\"security-response:*\"}}}]}"
  role   = aws_iam_role.iam-quarantine_quarantine-user_role_E73FD937.name
}

resource "aws_lambda_function" "iam-quarantine_quarantine-user_function_0908C0B9" {
  architectures = [
    "arm64"
  ]
  description      = "security-response quarantine-user for security (222222222222)"
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
      RESPONDER_SETTINGS      = "{\"organization\":\"acme\",\"accountId\":\"222222222222\",\"accountName\":\"security\",\"region\":\"us-east-1\",\"production\":false,\"mode\":\"enforce\",\"actions\":{\"REVOKE_PUBLIC_INGRESS\":\"enforce\",\"BLOCK_S3_PUBLIC_ACCESS\":\"enforce\",\"BLOCK_ACCOUNT_S3_PUBLIC_ACCESS\":\"enforce\",\"ENFORCE_S3_TLS\":\"enforce\",\"QUARANTINE_IAM_USER\":\"enforce\",\"DEACTIVATE_ACCESS_KEY\":\"enforce\",\"ISOLATE_EC2_INSTANCE\":\"observe\"},\"notifyMinSeverity\":\"MEDIUM\",\"criticalResourceTags\":[],\"authorizedPublicPorts\":[80,443],\"alertTopicArn\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts\",\"evidence\":{\"bucket\":\"acme-evidence-222222222222-us-east-1\",\"region\":\"us-east-1\"},\"quarantinePolicyArn\":\"arn:aws:iam::222222222222:policy/acme-quarantine-deny-all\",\"quarantine\":{\"trustedCreators\":[],\"exemptUserNames\":[]}}"
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
  assume_role_policy   = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"222222222222\"}}}]}"
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
  description   = "IAM CreateUser in security to acme-quarantine-user"
  event_pattern = "{\"source\":[\"aws.iam\"],\"detail-type\":[\"AWS API Call via CloudTrail\"],\"account\":[\"222222222222\"],\"region\":[\"us-east-1\"],\"detail\":{\"eventSource\":[\"iam.amazonaws.com\"],\"eventName\":[\"CreateUser\"],\"errorCode\":[{\"exists\":false}]}}"
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
  source_account = "222222222222"
  source_arn     = "arn:aws:events:us-east-1:222222222222:rule/acme-quarantine-new-iam-users"
  statement_id   = "invoke-from-acme-quarantine-new-iam-users"
}

resource "aws_securityhub_account" "security-hub-account_hub_6A171D36" {
  auto_enable_controls      = true
  control_finding_generator = "SECURITY_CONTROL"
  enable_default_standards  = false
}

import {
  to = aws_securityhub_account.security-hub-account_hub_6A171D36
  id = "222222222222"
}

provider "aws" {
  allowed_account_ids = [
    "222222222222"
  ]
  profile = "acme-security"
  region  = "eu-central-1"
  alias   = "eu-central-1"
  default_tags {
    tags = {
      project    = "acme-security-response"
      managed-by = "cdktf"
      owner      = "security"
    }
  }
}

resource "aws_securityhub_account" "security-hub-account-eu-central-1_hub_979B7FBA" {
  auto_enable_controls      = true
  control_finding_generator = "SECURITY_CONTROL"
  enable_default_standards  = false
  provider                  = aws.eu-central-1
}

provider "aws" {
  allowed_account_ids = [
    "222222222222"
  ]
  profile = "acme-security"
  region  = "eu-west-1"
  alias   = "eu-west-1"
  default_tags {
    tags = {
      project    = "acme-security-response"
      managed-by = "cdktf"
      owner      = "security"
    }
  }
}

resource "aws_securityhub_account" "security-hub-account-eu-west-1_hub_B194EB91" {
  auto_enable_controls      = true
  control_finding_generator = "SECURITY_CONTROL"
  enable_default_standards  = false
  provider                  = aws.eu-west-1
}

resource "aws_securityhub_finding_aggregator" "security-hub-central_aggregator_5A3111BD" {
  linking_mode = "SPECIFIED_REGIONS"
  specified_regions = [
    "eu-central-1",
    "eu-west-1"
  ]
  depends_on = [
    aws_securityhub_account.security-hub-account_hub_6A171D36,
    aws_securityhub_account.security-hub-account-eu-central-1_hub_979B7FBA,
    aws_securityhub_account.security-hub-account-eu-west-1_hub_B194EB91,
  ]
}

resource "aws_securityhub_organization_configuration" "security-hub-central_organization-configuration_95F1C3E5" {
  auto_enable           = false
  auto_enable_standards = "NONE"
  organization_configuration {
    configuration_type = "CENTRAL"
  }
  depends_on = [
    aws_securityhub_account.security-hub-account_hub_6A171D36,
    aws_securityhub_account.security-hub-account-eu-central-1_hub_979B7FBA,
    aws_securityhub_account.security-hub-account-eu-west-1_hub_B194EB91,
    aws_securityhub_finding_aggregator.security-hub-central_aggregator_5A3111BD,
  ]
}

resource "aws_securityhub_configuration_policy" "security-hub-central_configuration-policy_6A9F346C" {
  description = "Security Hub on, standards and disabled controls from accounts.json (security-response)"
  name        = "acme-baseline"
  configuration_policy {
    enabled_standard_arns = [
      "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0",
      "arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/1.4.0"
    ]
    service_enabled = true
    security_controls_configuration {
      disabled_control_identifiers = [
        "IAM.6"
      ]
      security_control_custom_parameter {
        security_control_id = "EC2.18"
        parameter {
          name       = "authorizedTcpPorts"
          value_type = "CUSTOM"
          int_list {
            value = [
              80,
              443
            ]
          }
        }
      }
    }
  }
  depends_on = [
    aws_securityhub_account.security-hub-account_hub_6A171D36,
    aws_securityhub_account.security-hub-account-eu-central-1_hub_979B7FBA,
    aws_securityhub_account.security-hub-account-eu-west-1_hub_B194EB91,
    aws_securityhub_organization_configuration.security-hub-central_organization-configuration_95F1C3E5,
  ]
}

resource "aws_securityhub_configuration_policy_association" "security-hub-central_root-association_F25F5C96" {
  policy_id = aws_securityhub_configuration_policy.security-hub-central_configuration-policy_6A9F346C.id
  target_id = "r-ab12"
  depends_on = [
    aws_securityhub_account.security-hub-account_hub_6A171D36,
    aws_securityhub_account.security-hub-account-eu-central-1_hub_979B7FBA,
    aws_securityhub_account.security-hub-account-eu-west-1_hub_B194EB91,
  ]
}

resource "aws_securityhub_automation_rule" "automation-rules_critical-payments-prod_A2E13FC0" {
  description = "Raise payments-prod findings on resources tagged app=payments to CRITICAL"
  is_terminal = false
  rule_name   = "acme-critical-resources-payments-prod"
  rule_order  = 1
  rule_status = "ENABLED"
  actions {
    type = "FINDING_FIELDS_UPDATE"
    finding_fields_update {
      severity {
        label = "CRITICAL"
      }
    }
  }
  criteria {
    aws_account_id {
      comparison = "EQUALS"
      value      = "333333333333"
    }
    record_state {
      comparison = "EQUALS"
      value      = "ACTIVE"
    }
    resource_tags {
      comparison = "EQUALS"
      key        = "app"
      value      = "payments"
    }
    workflow_status {
      comparison = "EQUALS"
      value      = "NEW"
    }
  }
  depends_on = [
    aws_securityhub_account.security-hub-account_hub_6A171D36,
  ]
}

resource "aws_securityhub_automation_rule" "automation-rules_critical-data-lake-prod_6BDBDD8A" {
  description = "Raise data-lake-prod findings on resources tagged data-classification=restricted to CRITICAL"
  is_terminal = false
  rule_name   = "acme-critical-resources-data-lake-prod"
  rule_order  = 2
  rule_status = "ENABLED"
  actions {
    type = "FINDING_FIELDS_UPDATE"
    finding_fields_update {
      severity {
        label = "CRITICAL"
      }
    }
  }
  criteria {
    aws_account_id {
      comparison = "EQUALS"
      value      = "444444444444"
    }
    record_state {
      comparison = "EQUALS"
      value      = "ACTIVE"
    }
    resource_tags {
      comparison = "EQUALS"
      key        = "data-classification"
      value      = "restricted"
    }
    workflow_status {
      comparison = "EQUALS"
      value      = "NEW"
    }
  }
  depends_on = [
    aws_securityhub_account.security-hub-account_hub_6A171D36,
  ]
}

resource "aws_securityhub_automation_rule" "automation-rules_accepted-risk-1_B3E76FCA" {
  description = "Accepted risk: Public marketing site load balancer: ports 80 and 443 open to the world by design (SEC-1042)"
  is_terminal = false
  rule_name   = "acme-accepted-risk-1-EC2.18"
  rule_order  = 3
  rule_status = "ENABLED"
  actions {
    type = "FINDING_FIELDS_UPDATE"
    finding_fields_update {
      note {
        text       = "Accepted risk: Public marketing site load balancer: ports 80 and 443 open to the world by design (SEC-1042)"
        updated_by = "security-response"
      }
      workflow {
        status = "SUPPRESSED"
      }
    }
  }
  criteria {
    aws_account_id {
      comparison = "EQUALS"
      value      = "555555555555"
    }
    compliance_security_control_id {
      comparison = "EQUALS"
      value      = "EC2.18"
    }
    resource_id {
      comparison = "EQUALS"
      value      = "arn:aws:ec2:us-east-1:555555555555:security-group/sg-0a1b2c3d4e5f60789"
    }
  }
  depends_on = [
    aws_securityhub_account.security-hub-account_hub_6A171D36,
  ]
}

resource "aws_securityhub_insight" "insights_critical-incidents_83F21942" {
  group_by_attribute = "ProductName"
  name               = "Critical security incidents"
  filters {
    record_state {
      comparison = "EQUALS"
      value      = "ACTIVE"
    }
    severity_label {
      comparison = "EQUALS"
      value      = "CRITICAL"
    }
    workflow_status {
      comparison = "EQUALS"
      value      = "NEW"
    }
    workflow_status {
      comparison = "EQUALS"
      value      = "NOTIFIED"
    }
  }
  depends_on = [
    aws_securityhub_account.security-hub-account_hub_6A171D36,
  ]
}

resource "aws_securityhub_insight" "insights_unresolved-findings_5F4C3ED9" {
  group_by_attribute = "SeverityLabel"
  name               = "Unresolved security findings"
  filters {
    record_state {
      comparison = "EQUALS"
      value      = "ACTIVE"
    }
    workflow_status {
      comparison = "EQUALS"
      value      = "NEW"
    }
  }
  depends_on = [
    aws_securityhub_account.security-hub-account_hub_6A171D36,
  ]
}

resource "aws_guardduty_detector" "guardduty-administration_detector_BC117963" {
  enable = true
}

resource "aws_guardduty_organization_configuration" "guardduty-administration_organization-configuration_BC1937B8" {
  auto_enable_organization_members = "ALL"
  detector_id                      = aws_guardduty_detector.guardduty-administration_detector_BC117963.id
}

resource "aws_kms_key" "alert-topic_key_435F9790" {
  deletion_window_in_days = 30
  description             = "Encrypts the acme-security-alerts topic (security-response)"
  enable_key_rotation     = true
  policy                  = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"SecurityAccountAdministersKey\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::222222222222:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Sid\":\"OrganizationRespondersEncryptAlerts\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"kms:GenerateDataKey*\",\"kms:Decrypt\"],\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\",\"kms:ViaService\":\"sns.us-east-1.amazonaws.com\"},\"ArnLike\":{\"aws:PrincipalArn\":[\"arn:aws:iam::*:role/acme-respond-*\",\"arn:aws:iam::*:role/acme-quarantine-user\",\"arn:aws:iam::222222222222:role/acme-escalate\",\"arn:aws:iam::222222222222:role/acme-investigate\"]}}},{\"Sid\":\"EventBridgeEncryptsAlerts\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":[\"kms:GenerateDataKey*\",\"kms:Decrypt\"],\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"kms:EncryptionContext:aws:sns:topicArn\":[\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts-email\"]}}}]}"
}

resource "aws_kms_alias" "alert-topic_key-alias_F217695A" {
  name          = "alias/acme-security-alerts"
  target_key_id = aws_kms_key.alert-topic_key_435F9790.key_id
}

resource "aws_sns_topic" "alert-topic_8C7D3EFD" {
  display_name      = "Security alerts"
  kms_master_key_id = aws_kms_key.alert-topic_key_435F9790.arn
  name              = "acme-security-alerts"
}

resource "aws_sns_topic_policy" "alert-topic_topic-policy_68302F0B" {
  arn    = aws_sns_topic.alert-topic_8C7D3EFD.arn
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"OrganizationRespondersPublish\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sns:Publish\",\"Resource\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"},\"ArnLike\":{\"aws:PrincipalArn\":[\"arn:aws:iam::*:role/acme-respond-*\",\"arn:aws:iam::*:role/acme-quarantine-user\",\"arn:aws:iam::222222222222:role/acme-escalate\",\"arn:aws:iam::222222222222:role/acme-investigate\"]}}}]}"
}

resource "aws_kms_key" "evidence_key_71DC8096" {
  deletion_window_in_days = 30
  description             = "Encrypts the evidence records in acme-evidence-222222222222-us-east-1 and their Athena results (security-response)"
  enable_key_rotation     = true
  policy                  = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"SecurityAccountAdministersKey\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::222222222222:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Sid\":\"OrganizationRespondersEncryptRecords\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"kms:GenerateDataKey\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\",\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"},\"ArnLike\":{\"aws:PrincipalArn\":[\"arn:aws:iam::*:role/acme-respond-*\",\"arn:aws:iam::*:role/acme-quarantine-user\",\"arn:aws:iam::222222222222:role/acme-escalate\",\"arn:aws:iam::222222222222:role/acme-investigate\",\"arn:aws:iam::222222222222:role/acme-route\"]}}}]}"
}

resource "aws_kms_alias" "evidence_key-alias_96C676C9" {
  name          = "alias/acme-evidence"
  target_key_id = aws_kms_key.evidence_key_71DC8096.key_id
}

resource "aws_s3_bucket" "evidence_bucket_DD284D5B" {
  bucket              = "acme-evidence-222222222222-us-east-1"
  object_lock_enabled = true
}

resource "aws_s3_bucket_versioning" "evidence_versioning_9B77478C" {
  bucket = aws_s3_bucket.evidence_bucket_DD284D5B.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_object_lock_configuration" "evidence_object-lock_E4F5F766" {
  bucket              = aws_s3_bucket.evidence_bucket_DD284D5B.id
  object_lock_enabled = "Enabled"
  rule {
    default_retention {
      days = 400
      mode = "COMPLIANCE"
    }
  }
  depends_on = [
    aws_s3_bucket_versioning.evidence_versioning_9B77478C,
  ]
}

resource "aws_s3_bucket_server_side_encryption_configuration" "evidence_encryption_CBFA33ED" {
  bucket = aws_s3_bucket.evidence_bucket_DD284D5B.id
  rule {
    bucket_key_enabled = true
    apply_server_side_encryption_by_default {
      kms_master_key_id = aws_kms_key.evidence_key_71DC8096.arn
      sse_algorithm     = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "evidence_public-access-block_5288114F" {
  block_public_acls       = true
  block_public_policy     = true
  bucket                  = aws_s3_bucket.evidence_bucket_DD284D5B.id
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "evidence_ownership_F274B2CC" {
  bucket = aws_s3_bucket.evidence_bucket_DD284D5B.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "evidence_lifecycle_B916BCB7" {
  bucket = aws_s3_bucket.evidence_bucket_DD284D5B.id
  rule {
    id     = "expire-after-retention"
    status = "Enabled"
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
    expiration {
      days = 400
    }
    filter {
    }
    noncurrent_version_expiration {
      noncurrent_days = 1
    }
  }
  depends_on = [
    aws_s3_bucket_versioning.evidence_versioning_9B77478C,
  ]
}

resource "aws_s3_bucket_policy" "evidence_policy_8EFFD1C4" {
  bucket = aws_s3_bucket.evidence_bucket_DD284D5B.id
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"DenyInsecureTransport\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::acme-evidence-222222222222-us-east-1\",\"arn:aws:s3:::acme-evidence-222222222222-us-east-1/*\"],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}},{\"Sid\":\"OrganizationRespondersWriteRecords\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::acme-evidence-222222222222-us-east-1/decisions/*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"},\"ArnLike\":{\"aws:PrincipalArn\":[\"arn:aws:iam::*:role/acme-respond-*\",\"arn:aws:iam::*:role/acme-quarantine-user\",\"arn:aws:iam::222222222222:role/acme-escalate\",\"arn:aws:iam::222222222222:role/acme-investigate\",\"arn:aws:iam::222222222222:role/acme-route\"]}}},{\"Sid\":\"OrganizationRespondersNeverDelete\",\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"s3:DeleteObject*\",\"s3:PutObjectRetention\",\"s3:PutObjectLegalHold\",\"s3:BypassGovernanceRetention\"],\"Resource\":\"arn:aws:s3:::acme-evidence-222222222222-us-east-1/*\",\"Condition\":{\"ArnLike\":{\"aws:PrincipalArn\":[\"arn:aws:iam::*:role/acme-respond-*\",\"arn:aws:iam::*:role/acme-quarantine-user\",\"arn:aws:iam::222222222222:role/acme-escalate\",\"arn:aws:iam::222222222222:role/acme-investigate\",\"arn:aws:iam::222222222222:role/acme-route\"]}}},{\"Sid\":\"OrganizationRespondersNeverReadOrReconfigure\",\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"s3:GetObject*\",\"s3:ListBucket*\",\"s3:PutBucket*\",\"s3:DeleteBucket*\",\"s3:PutLifecycleConfiguration\",\"s3:PutEncryptionConfiguration\",\"s3:PutReplicationConfiguration\"],\"Resource\":[\"arn:aws:s3:::acme-evidence-222222222222-us-east-1\",\"arn:aws:s3:::acme-evidence-222222222222-us-east-1/*\"],\"Condition\":{\"ArnLike\":{\"aws:PrincipalArn\":[\"arn:aws:iam::*:role/acme-respond-*\",\"arn:aws:iam::*:role/acme-quarantine-user\",\"arn:aws:iam::222222222222:role/acme-escalate\",\"arn:aws:iam::222222222222:role/acme-investigate\",\"arn:aws:iam::222222222222:role/acme-route\"]}}}]}"
  depends_on = [
    aws_s3_bucket_public_access_block.evidence_public-access-block_5288114F,
  ]
}

resource "aws_s3_bucket" "evidence_results-bucket_5A2C0A42" {
  bucket        = "acme-athena-222222222222-us-east-1"
  force_destroy = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "evidence_results-encryption_7169BCCF" {
  bucket = aws_s3_bucket.evidence_results-bucket_5A2C0A42.id
  rule {
    bucket_key_enabled = true
    apply_server_side_encryption_by_default {
      kms_master_key_id = aws_kms_key.evidence_key_71DC8096.arn
      sse_algorithm     = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "evidence_results-public-access-block_EA60F67F" {
  block_public_acls       = true
  block_public_policy     = true
  bucket                  = aws_s3_bucket.evidence_results-bucket_5A2C0A42.id
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "evidence_results-ownership_6AB76ED4" {
  bucket = aws_s3_bucket.evidence_results-bucket_5A2C0A42.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "evidence_results-lifecycle_A5A4006B" {
  bucket = aws_s3_bucket.evidence_results-bucket_5A2C0A42.id
  rule {
    id     = "expire-query-results"
    status = "Enabled"
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
    expiration {
      days = 30
    }
    filter {
    }
  }
}

resource "aws_s3_bucket_policy" "evidence_results-policy_5341423D" {
  bucket = aws_s3_bucket.evidence_results-bucket_5A2C0A42.id
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"DenyInsecureTransport\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::acme-athena-222222222222-us-east-1\",\"arn:aws:s3:::acme-athena-222222222222-us-east-1/*\"],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}"
  depends_on = [
    aws_s3_bucket_public_access_block.evidence_results-public-access-block_EA60F67F,
  ]
}

resource "aws_glue_catalog_database" "evidence_database_7FA754C8" {
  description = "Security-response decision records in s3://acme-evidence-222222222222-us-east-1/decisions/"
  name        = "acme_evidence"
}

resource "aws_glue_catalog_table" "evidence_table_52AE6A85" {
  database_name = aws_glue_catalog_database.evidence_database_7FA754C8.name
  description   = "One row per decision of respond, quarantine-user and escalate (functions/shared/evidence/record.ts)"
  name          = "decisions"
  parameters = {
    EXTERNAL                      = "TRUE"
    classification                = "json"
    "projection.enabled"          = "true"
    "projection.dt.type"          = "date"
    "projection.dt.format"        = "yyyy-MM-dd"
    "projection.dt.range"         = "2025-01-01,NOW"
    "projection.dt.interval"      = "1"
    "projection.dt.interval.unit" = "DAYS"
    "storage.location.template"   = "s3://acme-evidence-222222222222-us-east-1/decisions/dt=$${dt}/"
  }
  table_type = "EXTERNAL_TABLE"
  partition_keys {
    comment = "UTC day the decision was made (yyyy-MM-dd)"
    name    = "dt"
    type    = "string"
  }
  storage_descriptor {
    input_format  = "org.apache.hadoop.mapred.TextInputFormat"
    location      = "s3://acme-evidence-222222222222-us-east-1/decisions/"
    output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
    columns {
      name = "schema_version"
      type = "int"
    }
    columns {
      name = "record_id"
      type = "string"
    }
    columns {
      name = "function"
      type = "string"
    }
    columns {
      name = "organization"
      type = "string"
    }
    columns {
      name = "account_id"
      type = "string"
    }
    columns {
      name = "account_name"
      type = "string"
    }
    columns {
      name = "region"
      type = "string"
    }
    columns {
      name = "finding_id"
      type = "string"
    }
    columns {
      name = "product_arn"
      type = "string"
    }
    columns {
      name = "control_id"
      type = "string"
    }
    columns {
      name = "severity"
      type = "string"
    }
    columns {
      name = "category"
      type = "string"
    }
    columns {
      name = "escalate"
      type = "boolean"
    }
    columns {
      name = "action"
      type = "string"
    }
    columns {
      name = "mode"
      type = "string"
    }
    columns {
      name = "status"
      type = "string"
    }
    columns {
      name = "outcome"
      type = "string"
    }
    columns {
      name = "ignored"
      type = "boolean"
    }
    columns {
      name = "reason"
      type = "string"
    }
    columns {
      name = "would_remediate"
      type = "boolean"
    }
    columns {
      name = "calls"
      type = "array<struct<service:string,operation:string>>"
    }
    columns {
      name = "alert"
      type = "struct<subject:string>"
    }
    columns {
      name = "first_seen_at"
      type = "string"
    }
    columns {
      name = "handled_at"
      type = "string"
    }
    columns {
      name = "remediated_at"
      type = "string"
    }
    columns {
      name = "investigation"
      type = "struct<investigation_id:string,entity_arn:string,status:string,severity:string,console_link:string>"
    }
    columns {
      name = "ticket"
      type = "struct<system:string,key:string,url:string,status:string,alert_id:string>"
    }
    ser_de_info {
      name                  = "json"
      serialization_library = "org.openx.data.jsonserde.JsonSerDe"
    }
  }
}

resource "aws_athena_workgroup" "evidence_workgroup_FB9384D8" {
  description = "Security-response KPIs over the evidence records"
  name        = "acme-evidence"
  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    engine_version {
      selected_engine_version = "Athena engine version 3"
    }
    result_configuration {
      expected_bucket_owner = "222222222222"
      output_location       = "s3://acme-athena-222222222222-us-east-1/"
      encryption_configuration {
        encryption_option = "SSE_KMS"
        kms_key_arn       = aws_kms_key.evidence_key_71DC8096.arn
      }
    }
  }
  depends_on = [
    aws_s3_bucket.evidence_results-bucket_5A2C0A42,
  ]
}

resource "aws_athena_named_query" "evidence_kpi-time-to-remediate-by-control_8E947517" {
  database    = aws_glue_catalog_database.evidence_database_7FA754C8.name
  description = "Minutes from first seen (Security Hub) to remediated, mean and p90, per control; findings without a control (GuardDuty) by their category in parentheses. Last 30 days."
  name        = "acme-time-to-remediate-by-control"
  query       = "SELECT coalesce(control_id, '(' || coalesce(category, 'none') || ')') AS control, count(*) AS remediated, round(avg(ms) / 60000.0, 1) AS mean_minutes, round(approx_percentile(ms, 0.9) / 60000.0, 1) AS p90_minutes FROM ( SELECT account_id, account_name, control_id, category, CAST(date_diff('millisecond', from_iso8601_timestamp(first_seen_at), from_iso8601_timestamp(remediated_at)) AS double) AS ms FROM \"acme_evidence\".\"decisions\" WHERE dt >= substr(CAST(date_add('day', -29, current_date) AS varchar), 1, 10) AND dt <= substr('9999-12-31', 1, 10) AND handled_at >= CAST(date_add('day', -29, current_date) AS varchar) AND handled_at < '9999-12-31' AND outcome = 'REMEDIATED' AND first_seen_at IS NOT NULL AND remediated_at IS NOT NULL ) AS durations GROUP BY coalesce(control_id, '(' || coalesce(category, 'none') || ')') ORDER BY 4 DESC, 1"
  workgroup   = aws_athena_workgroup.evidence_workgroup_FB9384D8.name
}

resource "aws_athena_named_query" "evidence_kpi-time-to-remediate-by-account_08941CA9" {
  database    = aws_glue_catalog_database.evidence_database_7FA754C8.name
  description = "Minutes from first seen (Security Hub) to remediated, mean and p90, per account. Last 30 days."
  name        = "acme-time-to-remediate-by-account"
  query       = "SELECT account_name, account_id, count(*) AS remediated, round(avg(ms) / 60000.0, 1) AS mean_minutes, round(approx_percentile(ms, 0.9) / 60000.0, 1) AS p90_minutes FROM ( SELECT account_id, account_name, control_id, category, CAST(date_diff('millisecond', from_iso8601_timestamp(first_seen_at), from_iso8601_timestamp(remediated_at)) AS double) AS ms FROM \"acme_evidence\".\"decisions\" WHERE dt >= substr(CAST(date_add('day', -29, current_date) AS varchar), 1, 10) AND dt <= substr('9999-12-31', 1, 10) AND handled_at >= CAST(date_add('day', -29, current_date) AS varchar) AND handled_at < '9999-12-31' AND outcome = 'REMEDIATED' AND first_seen_at IS NOT NULL AND remediated_at IS NOT NULL ) AS durations GROUP BY account_name, account_id ORDER BY 5 DESC, 1"
  workgroup   = aws_athena_workgroup.evidence_workgroup_FB9384D8.name
}

resource "aws_athena_named_query" "evidence_kpi-remediations-by-action-and-outcome_6BBC0F98" {
  database    = aws_glue_catalog_database.evidence_database_7FA754C8.name
  description = "Decisions with a catalogue action (not ignored), per action and outcome (WOULD_CHANGE: held back by observe mode; the status when no remediation ran), with the findings and the AWS write requests they made. Last 30 days."
  name        = "acme-remediations-by-action-and-outcome"
  query       = "SELECT action, coalesce(outcome, status) AS outcome, count(*) AS decisions, count(DISTINCT finding_id) AS findings, sum(cardinality(calls)) AS aws_writes FROM \"acme_evidence\".\"decisions\" WHERE dt >= substr(CAST(date_add('day', -29, current_date) AS varchar), 1, 10) AND dt <= substr('9999-12-31', 1, 10) AND handled_at >= CAST(date_add('day', -29, current_date) AS varchar) AND handled_at < '9999-12-31' AND NOT ignored AND action <> 'NONE' GROUP BY action, coalesce(outcome, status) ORDER BY 1, 2"
  workgroup   = aws_athena_workgroup.evidence_workgroup_FB9384D8.name
}

resource "aws_athena_named_query" "evidence_kpi-failure-rate_424ADF9B" {
  database    = aws_glue_catalog_database.evidence_database_7FA754C8.name
  description = "Remediations attempted (outcome REMEDIATED or FAILED) and how many FAILED, per action and overall (\"(all)\", last). Last 30 days."
  name        = "acme-failure-rate"
  query       = "WITH attempts AS ( SELECT action, CASE WHEN outcome = 'FAILED' THEN 1 ELSE 0 END AS failed FROM \"acme_evidence\".\"decisions\" WHERE dt >= substr(CAST(date_add('day', -29, current_date) AS varchar), 1, 10) AND dt <= substr('9999-12-31', 1, 10) AND handled_at >= CAST(date_add('day', -29, current_date) AS varchar) AND handled_at < '9999-12-31' AND NOT ignored AND action <> 'NONE' AND outcome IN ('REMEDIATED', 'FAILED') ) SELECT action, attempted, failed, failure_rate_pct FROM ( SELECT action, count(*) AS attempted, sum(failed) AS failed, round(100 * CAST(sum(failed) AS double) / nullif(count(*), 0), 1) AS failure_rate_pct, 0 AS overall FROM attempts GROUP BY action UNION ALL SELECT '(all)', count(*), coalesce(sum(failed), 0), round(100 * CAST(sum(failed) AS double) / nullif(count(*), 0), 1), 1 FROM attempts ) AS rates ORDER BY overall, action"
  workgroup   = aws_athena_workgroup.evidence_workgroup_FB9384D8.name
}

resource "aws_athena_named_query" "evidence_kpi-waiting-in-observe-mode_FD7BC9DA" {
  database    = aws_glue_catalog_database.evidence_database_7FA754C8.name
  description = "Findings whose latest remediation decision (respond's and quarantine-user's; ignored events aside) is observe mode holding back a change enforce would have made, with no REMEDIATED record since: per account and action, and the oldest one's first-seen time. Last 30 days."
  name        = "acme-waiting-in-observe-mode"
  query       = "WITH latest AS ( SELECT finding_id, coalesce(product_arn, '') AS product, account_id, account_name, action, would_remediate, handled_at, coalesce(first_seen_at, handled_at) AS first_seen, row_number() OVER (PARTITION BY finding_id, coalesce(product_arn, '') ORDER BY handled_at DESC, record_id DESC) AS n FROM \"acme_evidence\".\"decisions\" WHERE dt >= substr(CAST(date_add('day', -29, current_date) AS varchar), 1, 10) AND dt <= substr('9999-12-31', 1, 10) AND handled_at >= CAST(date_add('day', -29, current_date) AS varchar) AND handled_at < '9999-12-31' AND \"function\" IN ('respond', 'quarantine-user') AND NOT ignored ), remediated AS ( SELECT finding_id, coalesce(product_arn, '') AS product, max(handled_at) AS last_remediated_at FROM \"acme_evidence\".\"decisions\" WHERE dt >= substr(CAST(date_add('day', -29, current_date) AS varchar), 1, 10) AND dt <= substr('9999-12-31', 1, 10) AND handled_at >= CAST(date_add('day', -29, current_date) AS varchar) AND handled_at < '9999-12-31' AND outcome = 'REMEDIATED' GROUP BY finding_id, coalesce(product_arn, '') ) SELECT l.account_name, l.account_id, l.action, count(*) AS findings, min(l.first_seen) AS oldest_first_seen FROM latest AS l LEFT JOIN remediated AS r ON r.finding_id = l.finding_id AND r.product = l.product WHERE l.n = 1 AND l.would_remediate AND (r.last_remediated_at IS NULL OR r.last_remediated_at < l.handled_at) GROUP BY l.account_name, l.account_id, l.action ORDER BY 4 DESC, 1, 3"
  workgroup   = aws_athena_workgroup.evidence_workgroup_FB9384D8.name
}

resource "aws_athena_named_query" "evidence_kpi-open-escalations_96EA10A2" {
  database    = aws_glue_catalog_database.evidence_database_7FA754C8.name
  description = "Findings escalated to a person (the escalate function, or outcome ESCALATED) with no REMEDIATED record since their latest escalation, oldest first, with the finding's Jira and ServiceNow tickets (route's records). Last 30 days."
  name        = "acme-open-escalations"
  query       = "WITH escalations AS ( SELECT finding_id, coalesce(product_arn, '') AS product, account_id, account_name, region, severity, handled_at, alert.subject AS subject, row_number() OVER (PARTITION BY finding_id, coalesce(product_arn, '') ORDER BY handled_at DESC, record_id DESC) AS n FROM \"acme_evidence\".\"decisions\" WHERE dt >= substr(CAST(date_add('day', -29, current_date) AS varchar), 1, 10) AND dt <= substr('9999-12-31', 1, 10) AND handled_at >= CAST(date_add('day', -29, current_date) AS varchar) AND handled_at < '9999-12-31' AND (\"function\" = 'escalate' OR outcome = 'ESCALATED') ), remediated AS ( SELECT finding_id, coalesce(product_arn, '') AS product, max(handled_at) AS last_remediated_at FROM \"acme_evidence\".\"decisions\" WHERE dt >= substr(CAST(date_add('day', -29, current_date) AS varchar), 1, 10) AND dt <= substr('9999-12-31', 1, 10) AND handled_at >= CAST(date_add('day', -29, current_date) AS varchar) AND handled_at < '9999-12-31' AND outcome = 'REMEDIATED' GROUP BY finding_id, coalesce(product_arn, '') ), tickets AS ( SELECT finding_id, coalesce(product_arn, '') AS product, max(CASE WHEN ticket.system = 'jira' THEN ticket.key END) AS jira, max(CASE WHEN ticket.system = 'servicenow' THEN ticket.key END) AS servicenow FROM \"acme_evidence\".\"decisions\" WHERE dt >= substr(CAST(date_add('day', -29, current_date) AS varchar), 1, 10) AND dt <= substr('9999-12-31', 1, 10) AND handled_at >= CAST(date_add('day', -29, current_date) AS varchar) AND handled_at < '9999-12-31' AND \"function\" = 'route' AND ticket IS NOT NULL GROUP BY finding_id, coalesce(product_arn, '') ) SELECT e.handled_at AS escalated_at, e.account_name, e.account_id, e.region, e.severity, e.finding_id, e.subject, t.jira, t.servicenow FROM escalations AS e LEFT JOIN remediated AS r ON r.finding_id = e.finding_id AND r.product = e.product LEFT JOIN tickets AS t ON t.finding_id = e.finding_id AND t.product = e.product WHERE e.n = 1 AND (r.last_remediated_at IS NULL OR r.last_remediated_at < e.handled_at) ORDER BY 1, 6"
  workgroup   = aws_athena_workgroup.evidence_workgroup_FB9384D8.name
}

provider "aws" {
  allowed_account_ids = [
    "222222222222"
  ]
  profile = "acme-security"
  region  = "us-east-2"
  alias   = "us-east-2"
  default_tags {
    tags = {
      project    = "acme-security-response"
      managed-by = "cdktf"
      owner      = "security"
    }
  }
}

resource "aws_sns_topic" "alert-routing_email-topic_1C99EC6B" {
  display_name      = "Security alerts"
  kms_master_key_id = aws_kms_key.alert-topic_key_435F9790.arn
  name              = "acme-security-alerts-email"
}

resource "aws_sns_topic_policy" "alert-routing_email-topic-policy_B91753CE" {
  arn    = aws_sns_topic.alert-routing_email-topic_1C99EC6B.arn
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"OwnRulesPublish\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":\"sns:Publish\",\"Resource\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts-email\",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":[\"arn:aws:events:us-east-1:222222222222:rule/acme-security-response-alarms/acme-alarms-to-alert-topic\"]}}}]}"
}

resource "aws_sns_topic_subscription" "alert-routing_email-secopsexamplecom_9920FB49" {
  endpoint  = "secops@example.com"
  protocol  = "email"
  topic_arn = aws_sns_topic.alert-routing_email-topic_1C99EC6B.arn
}

resource "aws_sns_topic_subscription" "alert-routing_team-data-data-platformexamplecom_D0B56BED" {
  endpoint            = "data-platform@example.com"
  filter_policy       = "{\"team\":[\"data\"],\"severity\":[\"HIGH\",\"CRITICAL\"]}"
  filter_policy_scope = "MessageAttributes"
  protocol            = "email"
  topic_arn           = aws_sns_topic.alert-routing_email-topic_1C99EC6B.arn
}

resource "aws_sns_topic_subscription" "alert-routing_team-payments-payments-oncallexamplecom_A711E56B" {
  endpoint            = "payments-oncall@example.com"
  filter_policy       = "{\"team\":[\"payments\"],\"severity\":[\"HIGH\",\"CRITICAL\"]}"
  filter_policy_scope = "MessageAttributes"
  protocol            = "email"
  topic_arn           = aws_sns_topic.alert-routing_email-topic_1C99EC6B.arn
}

resource "aws_sns_topic_subscription" "alert-routing_team-web-web-oncallexamplecom_C4FA3F23" {
  endpoint            = "web-oncall@example.com"
  filter_policy       = "{\"team\":[\"web\"],\"severity\":[\"CRITICAL\"]}"
  filter_policy_scope = "MessageAttributes"
  protocol            = "email"
  topic_arn           = aws_sns_topic.alert-routing_email-topic_1C99EC6B.arn
}

resource "aws_iam_role" "alert-routing_chat_channel-role_DF246AB4" {
  assume_role_policy   = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"chatbot.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"222222222222\"}}}]}"
  description          = "AWS Chatbot channels of security-response: read-only"
  max_session_duration = 3600
  name                 = "acme-chatbot-channel"
}

resource "aws_iam_role_policy_attachment" "alert-routing_chat_security-hub-read_964C6B93" {
  policy_arn = "arn:aws:iam::aws:policy/AWSSecurityHubReadOnlyAccess"
  role       = aws_iam_role.alert-routing_chat_channel-role_DF246AB4.name
}

resource "aws_iam_role_policy_attachment" "alert-routing_chat_cloudwatch-read_665940D7" {
  policy_arn = "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess"
  role       = aws_iam_role.alert-routing_chat_channel-role_DF246AB4.name
}

resource "aws_sns_topic" "alert-routing_chat_topic-all_E1E8642B" {
  display_name      = "Security alerts for chat (all)"
  kms_master_key_id = aws_kms_key.alert-topic_key_435F9790.arn
  name              = "acme-security-alerts-chat-all"
}

resource "aws_chatbot_slack_channel_configuration" "alert-routing_chat_slack-all_0242FB86" {
  configuration_name = "acme-slack-all"
  guardrail_policy_arns = [
    "arn:aws:iam::aws:policy/ReadOnlyAccess"
  ]
  iam_role_arn     = aws_iam_role.alert-routing_chat_channel-role_DF246AB4.arn
  logging_level    = "ERROR"
  slack_channel_id = "C0999SECO"
  slack_team_id    = "T0123ABCD"
  sns_topic_arns = [
    aws_sns_topic.alert-routing_chat_topic-all_E1E8642B.arn
  ]
  provider = aws.us-east-2
}

resource "aws_sns_topic" "alert-routing_chat_topic-team-payments_EFF07ECD" {
  display_name      = "Security alerts for chat (team-payments)"
  kms_master_key_id = aws_kms_key.alert-topic_key_435F9790.arn
  name              = "acme-security-alerts-chat-team-payments"
}

resource "aws_chatbot_slack_channel_configuration" "alert-routing_chat_slack-team-payments_6F4103B4" {
  configuration_name = "acme-slack-team-payments"
  guardrail_policy_arns = [
    "arn:aws:iam::aws:policy/ReadOnlyAccess"
  ]
  iam_role_arn     = aws_iam_role.alert-routing_chat_channel-role_DF246AB4.arn
  logging_level    = "ERROR"
  slack_channel_id = "C0456PAYM"
  slack_team_id    = "T0123ABCD"
  sns_topic_arns = [
    aws_sns_topic.alert-routing_chat_topic-team-payments_EFF07ECD.arn
  ]
  provider = aws.us-east-2
}

resource "aws_sns_topic" "alert-routing_chat_topic-team-web_EF7A9669" {
  display_name      = "Security alerts for chat (team-web)"
  kms_master_key_id = aws_kms_key.alert-topic_key_435F9790.arn
  name              = "acme-security-alerts-chat-team-web"
}

resource "aws_chatbot_teams_channel_configuration" "alert-routing_chat_teams-team-web_C881A529" {
  channel_id         = "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2"
  configuration_name = "acme-teams-team-web"
  guardrail_policy_arns = [
    "arn:aws:iam::aws:policy/ReadOnlyAccess"
  ]
  iam_role_arn  = aws_iam_role.alert-routing_chat_channel-role_DF246AB4.arn
  logging_level = "ERROR"
  sns_topic_arns = [
    aws_sns_topic.alert-routing_chat_topic-team-web_EF7A9669.arn
  ]
  team_id   = "19b6e2f0-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
  tenant_id = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
  provider  = aws.us-east-2
}

resource "aws_sqs_queue" "alert-routing_intake-dead-letter-queue_D209D5A3" {
  message_retention_seconds = 1209600
  name                      = "acme-alert-intake-dlq"
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "alert-routing_intake-queue_2BC15C0C" {
  message_retention_seconds  = 345600
  name                       = "acme-alert-intake"
  redrive_policy             = "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:222222222222:acme-alert-intake-dlq\",\"maxReceiveCount\":5}"
  sqs_managed_sse_enabled    = true
  visibility_timeout_seconds = 360
  depends_on = [
    aws_sqs_queue.alert-routing_intake-dead-letter-queue_D209D5A3,
  ]
}

resource "aws_sqs_queue_policy" "alert-routing_intake-queue-policy_467E8774" {
  policy    = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"AlertTopicDelivers\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sns.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:222222222222:acme-alert-intake\",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts\"}}}]}"
  queue_url = aws_sqs_queue.alert-routing_intake-queue_2BC15C0C.url
}

resource "aws_sns_topic_subscription" "alert-routing_intake-subscription_CDA32D39" {
  endpoint             = aws_sqs_queue.alert-routing_intake-queue_2BC15C0C.arn
  protocol             = "sqs"
  raw_message_delivery = false
  topic_arn            = aws_sns_topic.alert-topic_8C7D3EFD.arn
}

resource "aws_dynamodb_table" "alert-routing_routing-table_E9558B57" {
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  name         = "acme-alert-routing"
  range_key    = "sk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.alert-topic_key_435F9790.arn
  }
  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }
}

resource "aws_secretsmanager_secret" "alert-routing_tickets_jira-secret_E292CF26" {
  description             = "Jira Cloud credentials for acme-route (security-response), as JSON {\"email\":\"<Atlassian account e-mail>\",\"apiToken\":\"<API token>\"}. Terraform creates this secret empty and never holds its value: a person puts it with aws secretsmanager put-secret-value --secret-id security-response/jira --secret-string file://jira.json"
  kms_key_id              = aws_kms_key.alert-topic_key_435F9790.arn
  name                    = "security-response/jira"
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret" "alert-routing_tickets_servicenow-secret_BFF7FA58" {
  description             = "ServiceNow credentials for acme-route (security-response), as JSON {\"username\":\"<integration user>\",\"password\":\"<password>\"}. Terraform creates this secret empty and never holds its value: a person puts it with aws secretsmanager put-secret-value --secret-id security-response/servicenow --secret-string file://servicenow.json"
  kms_key_id              = aws_kms_key.alert-topic_key_435F9790.arn
  name                    = "security-response/servicenow"
  recovery_window_in_days = 7
}

resource "aws_sqs_queue" "alert-routing_tickets_job-dead-letter-queue_C4BC66A6" {
  message_retention_seconds = 1209600
  name                      = "acme-ticket-jobs-dlq"
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "alert-routing_tickets_job-queue_8C6878F9" {
  message_retention_seconds  = 345600
  name                       = "acme-ticket-jobs"
  redrive_policy             = "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:222222222222:acme-ticket-jobs-dlq\",\"maxReceiveCount\":5}"
  sqs_managed_sse_enabled    = true
  visibility_timeout_seconds = 360
  depends_on = [
    aws_sqs_queue.alert-routing_tickets_job-dead-letter-queue_C4BC66A6,
  ]
}

resource "aws_cloudwatch_event_rule" "alert-routing_tickets_undo-notes-rule_4022A3CD" {
  description   = "Notes npm run undo leaves on findings, for acme-route to comment on their tickets"
  event_pattern = "{\"source\":[\"aws.securityhub\"],\"detail-type\":[\"Security Hub Findings - Imported\"],\"detail\":{\"findings\":{\"Note\":{\"UpdatedBy\":[\"security-response\"],\"Text\":[{\"prefix\":\"Remediation undone by\"}]}}}}"
  name          = "acme-ticket-undo-notes"
  state         = "ENABLED"
}

resource "aws_sqs_queue_policy" "alert-routing_tickets_job-queue-policy_331D1E4B" {
  policy    = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"UndoNotesRuleDelivers\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:222222222222:acme-ticket-jobs\",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:events:us-east-1:222222222222:rule/acme-ticket-undo-notes\"}}}]}"
  queue_url = aws_sqs_queue.alert-routing_tickets_job-queue_8C6878F9.url
}

resource "aws_cloudwatch_event_target" "alert-routing_tickets_undo-notes-target_F003BFDA" {
  arn       = aws_sqs_queue.alert-routing_tickets_job-queue_8C6878F9.arn
  rule      = aws_cloudwatch_event_rule.alert-routing_tickets_undo-notes-rule_4022A3CD.name
  target_id = "acme-ticket-jobs"
  dead_letter_config {
    arn = aws_sqs_queue.alert-routing_route_dead-letter-queue_F2B8E3AE.arn
  }
  retry_policy {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 10
  }
}

resource "aws_lambda_event_source_mapping" "alert-routing_tickets_job-mapping_3416C19E" {
  batch_size       = 10
  event_source_arn = aws_sqs_queue.alert-routing_tickets_job-queue_8C6878F9.arn
  function_name    = aws_lambda_function.alert-routing_route_function_58D7A92E.function_name
  function_response_types = [
    "ReportBatchItemFailures"
  ]
  scaling_config {
    maximum_concurrency = 2
  }
}

resource "aws_cloudwatch_log_group" "alert-routing_route_log-group_E69C041F" {
  name              = "/aws/lambda/acme-route"
  retention_in_days = 365
}

resource "aws_sqs_queue" "alert-routing_route_dead-letter-queue_F2B8E3AE" {
  message_retention_seconds = 1209600
  name                      = "acme-route-dlq"
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue_policy" "alert-routing_route_dead-letter-policy_7C759DB7" {
  policy    = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"UndeliveredEventsFromOurRules\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:222222222222:acme-route-dlq\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:events:us-east-1:222222222222:rule/acme-*\"}}}]}"
  queue_url = aws_sqs_queue.alert-routing_route_dead-letter-queue_F2B8E3AE.url
}

resource "aws_iam_role" "alert-routing_route_role_BDDC1A11" {
  assume_role_policy   = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"222222222222\"}}}]}"
  description          = "Runs acme-route in us-east-1"
  max_session_duration = 3600
  name                 = "acme-route"
}

resource "aws_iam_role_policy" "alert-routing_route_policy_95D74FFB" {
  name   = "acme-route-permissions"
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"WriteOwnLogs\",\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\"arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/acme-route:*\"},{\"Sid\":\"DeadLetterQueue\",\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:222222222222:acme-route-dlq\"},{\"Sid\":\"ReplayEvidenceFromDeadLetterQueue\",\"Effect\":\"Allow\",\"Action\":[\"sqs:ReceiveMessage\",\"sqs:DeleteMessage\"],\"Resource\":\"arn:aws:sqs:us-east-1:222222222222:acme-route-dlq\"},{\"Sid\":\"ReadIntake\",\"Effect\":\"Allow\",\"Action\":[\"sqs:ReceiveMessage\",\"sqs:DeleteMessage\",\"sqs:ChangeMessageVisibility\",\"sqs:GetQueueAttributes\"],\"Resource\":\"arn:aws:sqs:us-east-1:222222222222:acme-alert-intake\"},{\"Sid\":\"StormState\",\"Effect\":\"Allow\",\"Action\":[\"dynamodb:GetItem\",\"dynamodb:PutItem\",\"dynamodb:UpdateItem\",\"dynamodb:Query\",\"dynamodb:BatchWriteItem\",\"dynamodb:DeleteItem\"],\"Resource\":\"arn:aws:dynamodb:us-east-1:222222222222:table/acme-alert-routing\"},{\"Sid\":\"Deliver\",\"Effect\":\"Allow\",\"Action\":\"sns:Publish\",\"Resource\":[\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts-email\",\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts-chat-all\",\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts-chat-team-payments\",\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts-chat-team-web\"]},{\"Sid\":\"EncryptDeliveriesAndState\",\"Effect\":\"Allow\",\"Action\":[\"kms:GenerateDataKey*\",\"kms:Decrypt\"],\"Resource\":\"arn:aws:kms:us-east-1:222222222222:key/*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"kms:ResourceAliases\":\"alias/acme-security-alerts\"},\"StringEquals\":{\"kms:ViaService\":[\"sns.us-east-1.amazonaws.com\",\"dynamodb.us-east-1.amazonaws.com\"]}}},{\"Sid\":\"WriteEvidence\",\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::acme-evidence-222222222222-us-east-1/decisions/*\"},{\"Sid\":\"EncryptEvidence\",\"Effect\":\"Allow\",\"Action\":\"kms:GenerateDataKey\",\"Resource\":\"arn:aws:kms:us-east-1:222222222222:key/*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"kms:ResourceAliases\":\"alias/acme-evidence\"},\"StringEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}}},{\"Sid\":\"TicketJobs\",\"Effect\":\"Allow\",\"Action\":[\"sqs:ReceiveMessage\",\"sqs:DeleteMessage\",\"sqs:ChangeMessageVisibility\",\"sqs:GetQueueAttributes\",\"sqs:SendMessage\"],\"Resource\":\"arn:aws:sqs:us-east-1:222222222222:acme-ticket-jobs\"},{\"Sid\":\"TicketCredentials\",\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":[\"arn:aws:secretsmanager:us-east-1:222222222222:secret:security-response/jira-??????\",\"arn:aws:secretsmanager:us-east-1:222222222222:secret:security-response/servicenow-??????\"]},{\"Sid\":\"DecryptTicketCredentials\",\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"arn:aws:kms:us-east-1:222222222222:key/*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"kms:ResourceAliases\":\"alias/acme-security-alerts\"},\"StringEquals\":{\"kms:ViaService\":\"secretsmanager.us-east-1.amazonaws.com\"}}},{\"Sid\":\"FindingsForTickets\",\"Effect\":\"Allow\",\"Action\":[\"securityhub:GetFindings\",\"securityhub:BatchUpdateFindings\"],\"Resource\":\"arn:aws:securityhub:us-east-1:222222222222:hub/default\"}]}"
  role   = aws_iam_role.alert-routing_route_role_BDDC1A11.name
}

resource "aws_lambda_function" "alert-routing_route_function_58D7A92E" {
  architectures = [
    "arm64"
  ]
  description      = "security-response route for security (222222222222)"
  filename         = "assets/alert-routing_route_code_07B26293/76979ae7aa830e54dfd61c675e746c12354b6a229b8ce4132ed635ef2f068bcf/route.zip"
  function_name    = "acme-route"
  handler          = "index.handler"
  memory_size      = 256
  role             = aws_iam_role.alert-routing_route_role_BDDC1A11.arn
  runtime          = "nodejs22.x"
  source_code_hash = "dpea56qDDlTf1hxnXnRsEjVLaiKbjOQTLtY17y8Gi88="
  timeout          = 60
  dead_letter_config {
    target_arn = aws_sqs_queue.alert-routing_route_dead-letter-queue_F2B8E3AE.arn
  }
  environment {
    variables = {
      RESPONDER_SETTINGS      = "{\"organization\":\"acme\",\"accountId\":\"222222222222\",\"accountName\":\"security\",\"region\":\"us-east-1\",\"production\":false,\"mode\":\"enforce\",\"actions\":{\"REVOKE_PUBLIC_INGRESS\":\"enforce\",\"BLOCK_S3_PUBLIC_ACCESS\":\"enforce\",\"BLOCK_ACCOUNT_S3_PUBLIC_ACCESS\":\"enforce\",\"ENFORCE_S3_TLS\":\"enforce\",\"QUARANTINE_IAM_USER\":\"enforce\",\"DEACTIVATE_ACCESS_KEY\":\"enforce\",\"ISOLATE_EC2_INSTANCE\":\"observe\"},\"notifyMinSeverity\":\"MEDIUM\",\"criticalResourceTags\":[],\"authorizedPublicPorts\":[80,443],\"alertTopicArn\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts\",\"evidence\":{\"bucket\":\"acme-evidence-222222222222-us-east-1\",\"region\":\"us-east-1\"},\"quarantinePolicyArn\":\"arn:aws:iam::222222222222:policy/acme-quarantine-deny-all\",\"quarantine\":{\"trustedCreators\":[],\"exemptUserNames\":[]}}"
      POWERTOOLS_SERVICE_NAME = "route"
      ROUTER_SETTINGS         = "{\"organization\":\"acme\",\"accountId\":\"222222222222\",\"region\":\"us-east-1\",\"evidence\":{\"bucket\":\"acme-evidence-222222222222-us-east-1\",\"region\":\"us-east-1\"},\"tableName\":\"acme-alert-routing\",\"storm\":{\"threshold\":20,\"windowMinutes\":5},\"targets\":{\"emailTopicArn\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts-email\",\"everythingChatTopicArn\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts-chat-all\",\"teamChat\":{\"payments\":{\"topicArn\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts-chat-team-payments\",\"minSeverity\":\"HIGH\"},\"web\":{\"topicArn\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts-chat-team-web\",\"minSeverity\":\"CRITICAL\"}}},\"tickets\":{\"jira\":{\"baseUrl\":\"https://acme.atlassian.net\",\"projectKey\":\"SEC\",\"issueType\":\"Bug\",\"secretName\":\"security-response/jira\",\"minSeverity\":\"HIGH\"},\"serviceNow\":{\"instanceUrl\":\"https://acme.service-now.com\",\"assignmentGroup\":\"SecOps\",\"secretName\":\"security-response/servicenow\",\"minSeverity\":\"HIGH\"},\"jobQueueUrl\":\"https://sqs.us-east-1.amazonaws.com/222222222222/acme-ticket-jobs\",\"jobDeadLetterQueue\":\"acme-ticket-jobs-dlq\"}}"
    }
  }
  depends_on = [
    aws_cloudwatch_log_group.alert-routing_route_log-group_E69C041F,
  ]
}

resource "aws_lambda_function_event_invoke_config" "alert-routing_route_async-invoke_3B825581" {
  function_name                = aws_lambda_function.alert-routing_route_function_58D7A92E.function_name
  maximum_event_age_in_seconds = 21600
  maximum_retry_attempts       = 2
}

resource "aws_cloudwatch_metric_alarm" "alert-routing_route_alarms_dead-letters_C4785A54" {
  alarm_description   = "Events that acme-route could not handle after retries, or evidence records it could not write (message attribute kind=evidence), are waiting in acme-route-dlq (us-east-1). Read them, fix the cause, and replay or discard them."
  alarm_name          = "acme-route-dead-letters"
  comparison_operator = "GreaterThanThreshold"
  dimensions = {
    QueueName = "acme-route-dlq"
  }
  evaluation_periods = 1
  metric_name        = "ApproximateNumberOfMessagesVisible"
  namespace          = "AWS/SQS"
  period             = 300
  statistic          = "Maximum"
  threshold          = 0
  treat_missing_data = "notBreaching"
}

resource "aws_cloudwatch_metric_alarm" "alert-routing_route_alarms_intake-dead-letters_C5562159" {
  alarm_description   = "acme-route: alerts it could not deliver after 5 tries are waiting in acme-alert-intake-dlq (us-east-1). Read them, fix the cause, and replay or discard them."
  alarm_name          = "acme-route-intake-dead-letters"
  comparison_operator = "GreaterThanThreshold"
  dimensions = {
    QueueName = "acme-alert-intake-dlq"
  }
  evaluation_periods = 1
  metric_name        = "ApproximateNumberOfMessagesVisible"
  namespace          = "AWS/SQS"
  period             = 300
  statistic          = "Maximum"
  threshold          = 0
  treat_missing_data = "notBreaching"
}

resource "aws_cloudwatch_metric_alarm" "alert-routing_route_alarms_ticket-dead-letters_6A19ADEA" {
  alarm_description   = "acme-route: ticket requests and comments it could not deliver after 5 tries are waiting in acme-ticket-jobs-dlq (us-east-1). Read them, fix the cause, and replay or discard them."
  alarm_name          = "acme-route-ticket-dead-letters"
  comparison_operator = "GreaterThanThreshold"
  dimensions = {
    QueueName = "acme-ticket-jobs-dlq"
  }
  evaluation_periods = 1
  metric_name        = "ApproximateNumberOfMessagesVisible"
  namespace          = "AWS/SQS"
  period             = 300
  statistic          = "Maximum"
  threshold          = 0
  treat_missing_data = "notBreaching"
}

resource "aws_cloudwatch_metric_alarm" "alert-routing_route_alarms_intake-backlog_F47E533B" {
  alarm_description   = "acme-route is not keeping up: alerts have waited more than 15 minutes in acme-alert-intake (us-east-1). Look at the function's errors and throttles."
  alarm_name          = "acme-route-intake-backlog"
  comparison_operator = "GreaterThanThreshold"
  dimensions = {
    QueueName = "acme-alert-intake"
  }
  evaluation_periods = 1
  metric_name        = "ApproximateAgeOfOldestMessage"
  namespace          = "AWS/SQS"
  period             = 300
  statistic          = "Maximum"
  threshold          = 900
  treat_missing_data = "notBreaching"
}

resource "aws_cloudwatch_metric_alarm" "alert-routing_route_alarms_ticket-backlog_E39722E7" {
  alarm_description   = "acme-route is not keeping up: ticket requests and undo notes have waited more than 30 minutes in acme-ticket-jobs (us-east-1). Look at the function's errors and throttles."
  alarm_name          = "acme-route-ticket-backlog"
  comparison_operator = "GreaterThanThreshold"
  dimensions = {
    QueueName = "acme-ticket-jobs"
  }
  evaluation_periods = 1
  metric_name        = "ApproximateAgeOfOldestMessage"
  namespace          = "AWS/SQS"
  period             = 300
  statistic          = "Maximum"
  threshold          = 1800
  treat_missing_data = "notBreaching"
}

resource "aws_cloudwatch_metric_alarm" "alert-routing_route_alarms_digest-failures_E5271426" {
  alarm_description   = "acme-route could not send at least one storm digest; its alerts stay held in acme-alert-routing and are tried every minute. Look at the function's log."
  alarm_name          = "acme-route-digest-failures"
  comparison_operator = "GreaterThanThreshold"
  dimensions = {
    service = "route"
  }
  evaluation_periods = 1
  metric_name        = "DigestFailures"
  namespace          = "SecurityResponse"
  period             = 300
  statistic          = "Sum"
  threshold          = 0
  treat_missing_data = "notBreaching"
}

resource "aws_iam_role" "alert-routing_route_alarms_forwarder-role_252B3CBA" {
  assume_role_policy   = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"222222222222\"}}}]}"
  description          = "Forwards acme-route alarm state changes in us-east-1 to the security account"
  max_session_duration = 3600
  name                 = "acme-alarms-route-us-east-1"
}

resource "aws_iam_role_policy" "alert-routing_route_alarms_forwarder-policy_21AC59FB" {
  name   = "acme-alarms-route-us-east-1-put-events"
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PutEventsOnAlarmBus\",\"Effect\":\"Allow\",\"Action\":\"events:PutEvents\",\"Resource\":\"arn:aws:events:us-east-1:222222222222:event-bus/acme-security-response-alarms\"}]}"
  role   = aws_iam_role.alert-routing_route_alarms_forwarder-role_252B3CBA.name
}

resource "aws_cloudwatch_event_rule" "alert-routing_route_alarms_forwarder_3B191AF9" {
  description   = "acme-route alarm state changes in us-east-1 to the security account's alarm bus"
  event_pattern = "{\"source\":[\"aws.cloudwatch\"],\"detail-type\":[\"CloudWatch Alarm State Change\"],\"detail\":{\"alarmName\":[\"acme-route-dead-letters\",\"acme-route-intake-dead-letters\",\"acme-route-ticket-dead-letters\",\"acme-route-intake-backlog\",\"acme-route-ticket-backlog\",\"acme-route-digest-failures\"],\"$or\":[{\"state\":{\"value\":[\"ALARM\"]}},{\"state\":{\"value\":[\"OK\"]},\"previousState\":{\"value\":[\"ALARM\"]}}]}}"
  name          = "acme-route-alarms"
  state         = "ENABLED"
}

resource "aws_cloudwatch_event_target" "alert-routing_route_alarms_forwarder-target_279821A8" {
  arn       = "arn:aws:events:us-east-1:222222222222:event-bus/acme-security-response-alarms"
  role_arn  = aws_iam_role.alert-routing_route_alarms_forwarder-role_252B3CBA.arn
  rule      = aws_cloudwatch_event_rule.alert-routing_route_alarms_forwarder_3B191AF9.name
  target_id = "security-account-alarm-bus"
  dead_letter_config {
    arn = aws_sqs_queue.alert-routing_route_dead-letter-queue_F2B8E3AE.arn
  }
}

resource "aws_lambda_event_source_mapping" "alert-routing_intake-mapping_D1FC7251" {
  batch_size       = 10
  event_source_arn = aws_sqs_queue.alert-routing_intake-queue_2BC15C0C.arn
  function_name    = aws_lambda_function.alert-routing_route_function_58D7A92E.function_name
  function_response_types = [
    "ReportBatchItemFailures"
  ]
  scaling_config {
    maximum_concurrency = 2
  }
}

resource "aws_cloudwatch_event_rule" "alert-routing_digest-schedule_A0EB32F5" {
  description         = "Sends the alert storm digests that are due (acme-route)"
  name                = "acme-alert-digests"
  schedule_expression = "rate(1 minute)"
  state               = "ENABLED"
}

resource "aws_cloudwatch_event_target" "alert-routing_digest-schedule-target_EADBF274" {
  arn       = aws_lambda_function.alert-routing_route_function_58D7A92E.arn
  rule      = aws_cloudwatch_event_rule.alert-routing_digest-schedule_A0EB32F5.name
  target_id = "acme-route"
  dead_letter_config {
    arn = aws_sqs_queue.alert-routing_route_dead-letter-queue_F2B8E3AE.arn
  }
  retry_policy {
    maximum_event_age_in_seconds = 300
    maximum_retry_attempts       = 2
  }
}

resource "aws_lambda_permission" "alert-routing_digest-schedule-permission_564DD29F" {
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.alert-routing_route_function_58D7A92E.function_name
  principal      = "events.amazonaws.com"
  source_account = "222222222222"
  source_arn     = "arn:aws:events:us-east-1:222222222222:rule/acme-alert-digests"
  statement_id   = "invoke-from-acme-alert-digests"
}

resource "aws_cloudwatch_event_bus" "alarm-relay_bus_CAC019E8" {
  name = "acme-security-response-alarms"
}

resource "aws_cloudwatch_event_bus_policy" "alarm-relay_bus-policy_9B9B6369" {
  event_bus_name = aws_cloudwatch_event_bus.alarm-relay_bus_CAC019E8.name
  policy         = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"OrganizationAlarmForwarders\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"events:PutEvents\",\"Resource\":\"arn:aws:events:us-east-1:222222222222:event-bus/acme-security-response-alarms\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"},\"ArnLike\":{\"aws:PrincipalArn\":[\"arn:aws:iam::*:role/acme-alarms-respond-*\",\"arn:aws:iam::*:role/acme-alarms-quarantine-user-*\",\"arn:aws:iam::*:role/acme-alarms-escalate-*\",\"arn:aws:iam::*:role/acme-alarms-investigate-*\",\"arn:aws:iam::*:role/acme-alarms-route-*\"]}}}]}"
}

resource "aws_cloudwatch_event_rule" "alarm-relay_rule_4320EC8C" {
  description    = "Alarm state changes of every account's acme functions to the alert topic"
  event_bus_name = aws_cloudwatch_event_bus.alarm-relay_bus_CAC019E8.name
  event_pattern  = "{\"source\":[\"aws.cloudwatch\"],\"detail-type\":[\"CloudWatch Alarm State Change\"],\"detail\":{\"alarmName\":[{\"prefix\":\"acme-\"}]}}"
  name           = "acme-alarms-to-alert-topic"
  state          = "ENABLED"
}

resource "aws_cloudwatch_event_target" "alarm-relay_alert-topic_BB4595DB" {
  arn            = "arn:aws:sns:us-east-1:222222222222:acme-security-alerts-email"
  event_bus_name = aws_cloudwatch_event_bus.alarm-relay_bus_CAC019E8.name
  rule           = aws_cloudwatch_event_rule.alarm-relay_rule_4320EC8C.name
  target_id      = "alert-topic"
  dead_letter_config {
    arn = aws_sqs_queue.local-responder_respond_dead-letter-queue_76D1623B.arn
  }
  input_transformer {
    input_paths = {
      alarm       = "$.detail.alarmName"
      state       = "$.detail.state.value"
      reason      = "$.detail.state.reason"
      description = "$.detail.configuration.description"
      account     = "$.account"
      region      = "$.region"
      time        = "$.time"
    }
    input_template = "\"[<state>] <alarm> in account <account>, <region>, at <time>. <description> Why: <reason> Dashboard: https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/acme-security-response\""
  }
  retry_policy {
    maximum_event_age_in_seconds = 21600
    maximum_retry_attempts       = 8
  }
}

resource "aws_cloudwatch_dashboard" "operations-dashboard_10DCB4C7" {
  dashboard_body = "{\"widgets\":[{\"type\":\"text\",\"x\":0,\"y\":0,\"width\":24,\"height\":2,\"properties\":{\"markdown\":\"**acme security response.** Metrics the functions emit (namespace SecurityResponse) and their dead-letter queues, one row per region. Other accounts appear when they are linked to this account by CloudWatch cross-account observability; alarms of every account reach the alert topic either way.\"}},{\"type\":\"metric\",\"x\":0,\"y\":2,\"width\":6,\"height\":6,\"properties\":{\"title\":\"Remediations by action and outcome (us-east-1)\",\"region\":\"us-east-1\",\"view\":\"timeSeries\",\"stacked\":true,\"period\":3600,\"stat\":\"Sum\",\"metrics\":[[{\"expression\":\"SEARCH('{SecurityResponse,Action,Outcome,service}', 'Sum', 3600)\",\"id\":\"e1\",\"label\":\"\"}]]}},{\"type\":\"metric\",\"x\":6,\"y\":2,\"width\":6,\"height\":6,\"properties\":{\"title\":\"RemediationFailures by action (us-east-1)\",\"region\":\"us-east-1\",\"view\":\"timeSeries\",\"stacked\":true,\"period\":300,\"stat\":\"Sum\",\"metrics\":[[{\"expression\":\"SEARCH('{SecurityResponse,Action,service}', 'Sum', 300)\",\"id\":\"e1\",\"label\":\"\"}]]}},{\"type\":\"metric\",\"x\":12,\"y\":2,\"width\":6,\"height\":6,\"properties\":{\"title\":\"Dead-letter queue depth (us-east-1)\",\"region\":\"us-east-1\",\"view\":\"timeSeries\",\"stacked\":false,\"period\":300,\"stat\":\"Maximum\",\"metrics\":[[{\"expression\":\"SEARCH('{AWS/SQS,QueueName} MetricName=ApproximateNumberOfMessagesVisible QueueName=acme QueueName=dlq', 'Maximum', 300)\",\"id\":\"e1\",\"label\":\"\"}]]}},{\"type\":\"metric\",\"x\":18,\"y\":2,\"width\":6,\"height\":6,\"properties\":{\"title\":\"IAM quarantines by outcome (us-east-1)\",\"region\":\"us-east-1\",\"view\":\"timeSeries\",\"stacked\":true,\"period\":3600,\"stat\":\"Sum\",\"metrics\":[[{\"expression\":\"SEARCH('{SecurityResponse,Action,Outcome,service} Action=QUARANTINE_IAM_USER', 'Sum', 3600)\",\"id\":\"e1\",\"label\":\"\"}]]}},{\"type\":\"metric\",\"x\":0,\"y\":8,\"width\":6,\"height\":6,\"properties\":{\"title\":\"Findings handled, ignored, unreadable; escalations; failed records, alerts, remediations (us-east-1)\",\"region\":\"us-east-1\",\"view\":\"timeSeries\",\"stacked\":true,\"period\":3600,\"stat\":\"Sum\",\"metrics\":[[{\"expression\":\"SEARCH('{SecurityResponse,service}', 'Sum', 3600)\",\"id\":\"e1\",\"label\":\"\"}]]}},{\"type\":\"metric\",\"x\":0,\"y\":14,\"width\":6,\"height\":6,\"properties\":{\"title\":\"Remediations by action and outcome (eu-west-1)\",\"region\":\"eu-west-1\",\"view\":\"timeSeries\",\"stacked\":true,\"period\":3600,\"stat\":\"Sum\",\"metrics\":[[{\"expression\":\"SEARCH('{SecurityResponse,Action,Outcome,service}', 'Sum', 3600)\",\"id\":\"e1\",\"label\":\"\"}]]}},{\"type\":\"metric\",\"x\":6,\"y\":14,\"width\":6,\"height\":6,\"properties\":{\"title\":\"RemediationFailures by action (eu-west-1)\",\"region\":\"eu-west-1\",\"view\":\"timeSeries\",\"stacked\":true,\"period\":300,\"stat\":\"Sum\",\"metrics\":[[{\"expression\":\"SEARCH('{SecurityResponse,Action,service}', 'Sum', 300)\",\"id\":\"e1\",\"label\":\"\"}]]}},{\"type\":\"metric\",\"x\":12,\"y\":14,\"width\":6,\"height\":6,\"properties\":{\"title\":\"Dead-letter queue depth (eu-west-1)\",\"region\":\"eu-west-1\",\"view\":\"timeSeries\",\"stacked\":false,\"period\":300,\"stat\":\"Maximum\",\"metrics\":[[{\"expression\":\"SEARCH('{AWS/SQS,QueueName} MetricName=ApproximateNumberOfMessagesVisible QueueName=acme QueueName=dlq', 'Maximum', 300)\",\"id\":\"e1\",\"label\":\"\"}]]}},{\"type\":\"metric\",\"x\":18,\"y\":14,\"width\":6,\"height\":6,\"properties\":{\"title\":\"IAM quarantines by outcome (eu-west-1)\",\"region\":\"eu-west-1\",\"view\":\"timeSeries\",\"stacked\":true,\"period\":3600,\"stat\":\"Sum\",\"metrics\":[[{\"expression\":\"SEARCH('{SecurityResponse,Action,Outcome,service} Action=QUARANTINE_IAM_USER', 'Sum', 3600)\",\"id\":\"e1\",\"label\":\"\"}]]}},{\"type\":\"metric\",\"x\":0,\"y\":20,\"width\":6,\"height\":6,\"properties\":{\"title\":\"Findings handled, ignored, unreadable; escalations; failed records, alerts, remediations (eu-west-1)\",\"region\":\"eu-west-1\",\"view\":\"timeSeries\",\"stacked\":true,\"period\":3600,\"stat\":\"Sum\",\"metrics\":[[{\"expression\":\"SEARCH('{SecurityResponse,service}', 'Sum', 3600)\",\"id\":\"e1\",\"label\":\"\"}]]}},{\"type\":\"metric\",\"x\":0,\"y\":26,\"width\":6,\"height\":6,\"properties\":{\"title\":\"Remediations by action and outcome (eu-central-1)\",\"region\":\"eu-central-1\",\"view\":\"timeSeries\",\"stacked\":true,\"period\":3600,\"stat\":\"Sum\",\"metrics\":[[{\"expression\":\"SEARCH('{SecurityResponse,Action,Outcome,service}', 'Sum', 3600)\",\"id\":\"e1\",\"label\":\"\"}]]}},{\"type\":\"metric\",\"x\":6,\"y\":26,\"width\":6,\"height\":6,\"properties\":{\"title\":\"RemediationFailures by action (eu-central-1)\",\"region\":\"eu-central-1\",\"view\":\"timeSeries\",\"stacked\":true,\"period\":300,\"stat\":\"Sum\",\"metrics\":[[{\"expression\":\"SEARCH('{SecurityResponse,Action,service}', 'Sum', 300)\",\"id\":\"e1\",\"label\":\"\"}]]}},{\"type\":\"metric\",\"x\":12,\"y\":26,\"width\":6,\"height\":6,\"properties\":{\"title\":\"Dead-letter queue depth (eu-central-1)\",\"region\":\"eu-central-1\",\"view\":\"timeSeries\",\"stacked\":false,\"period\":300,\"stat\":\"Maximum\",\"metrics\":[[{\"expression\":\"SEARCH('{AWS/SQS,QueueName} MetricName=ApproximateNumberOfMessagesVisible QueueName=acme QueueName=dlq', 'Maximum', 300)\",\"id\":\"e1\",\"label\":\"\"}]]}},{\"type\":\"metric\",\"x\":18,\"y\":26,\"width\":6,\"height\":6,\"properties\":{\"title\":\"IAM quarantines by outcome (eu-central-1)\",\"region\":\"eu-central-1\",\"view\":\"timeSeries\",\"stacked\":true,\"period\":3600,\"stat\":\"Sum\",\"metrics\":[[{\"expression\":\"SEARCH('{SecurityResponse,Action,Outcome,service} Action=QUARANTINE_IAM_USER', 'Sum', 3600)\",\"id\":\"e1\",\"label\":\"\"}]]}},{\"type\":\"metric\",\"x\":0,\"y\":32,\"width\":6,\"height\":6,\"properties\":{\"title\":\"Findings handled, ignored, unreadable; escalations; failed records, alerts, remediations (eu-central-1)\",\"region\":\"eu-central-1\",\"view\":\"timeSeries\",\"stacked\":true,\"period\":3600,\"stat\":\"Sum\",\"metrics\":[[{\"expression\":\"SEARCH('{SecurityResponse,service}', 'Sum', 3600)\",\"id\":\"e1\",\"label\":\"\"}]]}}]}"
  dashboard_name = "acme-security-response"
}

resource "aws_securityhub_action_target" "escalation_custom-action_E414C87B" {
  description = "Send the selected findings to the security operations team with your note"
  identifier  = "EscalateToSecOps"
  name        = "Escalate to SecOps"
  depends_on = [
    aws_securityhub_account.security-hub-account_hub_6A171D36,
  ]
}

resource "aws_cloudwatch_log_group" "escalation_escalate_log-group_8138D87E" {
  name              = "/aws/lambda/acme-escalate"
  retention_in_days = 365
}

resource "aws_sqs_queue" "escalation_escalate_dead-letter-queue_5FB058C9" {
  message_retention_seconds = 1209600
  name                      = "acme-escalate-dlq"
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue_policy" "escalation_escalate_dead-letter-policy_8ECE5119" {
  policy    = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"UndeliveredEventsFromOurRules\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:222222222222:acme-escalate-dlq\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:events:us-east-1:222222222222:rule/acme-*\"}}}]}"
  queue_url = aws_sqs_queue.escalation_escalate_dead-letter-queue_5FB058C9.url
}

resource "aws_iam_role" "escalation_escalate_role_33E3E31D" {
  assume_role_policy   = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"222222222222\"}}}]}"
  description          = "Runs acme-escalate in us-east-1"
  max_session_duration = 3600
  name                 = "acme-escalate"
}

resource "aws_iam_role_policy" "escalation_escalate_policy_F2224D12" {
  name   = "acme-escalate-permissions"
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"WriteOwnLogs\",\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\"arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/acme-escalate:*\"},{\"Sid\":\"DeadLetterQueue\",\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:222222222222:acme-escalate-dlq\"},{\"Sid\":\"ReplayEvidenceFromDeadLetterQueue\",\"Effect\":\"Allow\",\"Action\":[\"sqs:ReceiveMessage\",\"sqs:DeleteMessage\"],\"Resource\":\"arn:aws:sqs:us-east-1:222222222222:acme-escalate-dlq\"},{\"Sid\":\"RecordOnFindings\",\"Effect\":\"Allow\",\"Action\":\"securityhub:BatchUpdateFindings\",\"Resource\":\"arn:aws:securityhub:us-east-1:222222222222:hub/default\"},{\"Sid\":\"PublishAlerts\",\"Effect\":\"Allow\",\"Action\":\"sns:Publish\",\"Resource\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts\"},{\"Sid\":\"EncryptAlerts\",\"Effect\":\"Allow\",\"Action\":[\"kms:GenerateDataKey*\",\"kms:Decrypt\"],\"Resource\":\"arn:aws:kms:us-east-1:222222222222:key/*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"kms:ResourceAliases\":\"alias/acme-security-alerts\"},\"StringEquals\":{\"kms:ViaService\":\"sns.us-east-1.amazonaws.com\"}}},{\"Sid\":\"WriteEvidence\",\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::acme-evidence-222222222222-us-east-1/decisions/*\"},{\"Sid\":\"EncryptEvidence\",\"Effect\":\"Allow\",\"Action\":\"kms:GenerateDataKey\",\"Resource\":\"arn:aws:kms:us-east-1:222222222222:key/*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"kms:ResourceAliases\":\"alias/acme-evidence\"},\"StringEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}}}]}"
  role   = aws_iam_role.escalation_escalate_role_33E3E31D.name
}

resource "aws_lambda_function" "escalation_escalate_function_ABEAB626" {
  architectures = [
    "arm64"
  ]
  description      = "security-response escalate for security (222222222222)"
  filename         = "assets/escalation_escalate_code_658DB6BF/f906f8d143546ae240df7f13bcf7b1dbe7d71ee4d48b5e4e06f0c0cf386876b8/escalate.zip"
  function_name    = "acme-escalate"
  handler          = "index.handler"
  memory_size      = 256
  role             = aws_iam_role.escalation_escalate_role_33E3E31D.arn
  runtime          = "nodejs22.x"
  source_code_hash = "+Qb40UNUauJA338TvPex2+fXHuTUi15OBvDAzzhodrg="
  timeout          = 60
  dead_letter_config {
    target_arn = aws_sqs_queue.escalation_escalate_dead-letter-queue_5FB058C9.arn
  }
  environment {
    variables = {
      RESPONDER_SETTINGS      = "{\"organization\":\"acme\",\"accountId\":\"222222222222\",\"accountName\":\"security\",\"region\":\"us-east-1\",\"production\":false,\"mode\":\"enforce\",\"actions\":{\"REVOKE_PUBLIC_INGRESS\":\"enforce\",\"BLOCK_S3_PUBLIC_ACCESS\":\"enforce\",\"BLOCK_ACCOUNT_S3_PUBLIC_ACCESS\":\"enforce\",\"ENFORCE_S3_TLS\":\"enforce\",\"QUARANTINE_IAM_USER\":\"enforce\",\"DEACTIVATE_ACCESS_KEY\":\"enforce\",\"ISOLATE_EC2_INSTANCE\":\"observe\"},\"notifyMinSeverity\":\"MEDIUM\",\"criticalResourceTags\":[],\"authorizedPublicPorts\":[80,443],\"alertTopicArn\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts\",\"evidence\":{\"bucket\":\"acme-evidence-222222222222-us-east-1\",\"region\":\"us-east-1\"},\"quarantinePolicyArn\":\"arn:aws:iam::222222222222:policy/acme-quarantine-deny-all\",\"quarantine\":{\"trustedCreators\":[],\"exemptUserNames\":[]}}"
      POWERTOOLS_SERVICE_NAME = "escalate"
    }
  }
  depends_on = [
    aws_cloudwatch_log_group.escalation_escalate_log-group_8138D87E,
  ]
}

resource "aws_lambda_function_event_invoke_config" "escalation_escalate_async-invoke_F0BC3B91" {
  function_name                = aws_lambda_function.escalation_escalate_function_ABEAB626.function_name
  maximum_event_age_in_seconds = 21600
  maximum_retry_attempts       = 2
}

resource "aws_cloudwatch_metric_alarm" "escalation_escalate_alarms_dead-letters_D0BDE9A3" {
  alarm_description   = "Events that acme-escalate could not handle after retries, or evidence records it could not write (message attribute kind=evidence), are waiting in acme-escalate-dlq (us-east-1). Read them, fix the cause, and replay or discard them."
  alarm_name          = "acme-escalate-dead-letters"
  comparison_operator = "GreaterThanThreshold"
  dimensions = {
    QueueName = "acme-escalate-dlq"
  }
  evaluation_periods = 1
  metric_name        = "ApproximateNumberOfMessagesVisible"
  namespace          = "AWS/SQS"
  period             = 300
  statistic          = "Maximum"
  threshold          = 0
  treat_missing_data = "notBreaching"
}

resource "aws_iam_role" "escalation_escalate_alarms_forwarder-role_5DC17F8D" {
  assume_role_policy   = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"222222222222\"}}}]}"
  description          = "Forwards acme-escalate alarm state changes in us-east-1 to the security account"
  max_session_duration = 3600
  name                 = "acme-alarms-escalate-us-east-1"
}

resource "aws_iam_role_policy" "escalation_escalate_alarms_forwarder-policy_3B0A1BEE" {
  name   = "acme-alarms-escalate-us-east-1-put-events"
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PutEventsOnAlarmBus\",\"Effect\":\"Allow\",\"Action\":\"events:PutEvents\",\"Resource\":\"arn:aws:events:us-east-1:222222222222:event-bus/acme-security-response-alarms\"}]}"
  role   = aws_iam_role.escalation_escalate_alarms_forwarder-role_5DC17F8D.name
}

resource "aws_cloudwatch_event_rule" "escalation_escalate_alarms_forwarder_6765CBBF" {
  description   = "acme-escalate alarm state changes in us-east-1 to the security account's alarm bus"
  event_pattern = "{\"source\":[\"aws.cloudwatch\"],\"detail-type\":[\"CloudWatch Alarm State Change\"],\"detail\":{\"alarmName\":[\"acme-escalate-dead-letters\"],\"$or\":[{\"state\":{\"value\":[\"ALARM\"]}},{\"state\":{\"value\":[\"OK\"]},\"previousState\":{\"value\":[\"ALARM\"]}}]}}"
  name          = "acme-escalate-alarms"
  state         = "ENABLED"
}

resource "aws_cloudwatch_event_target" "escalation_escalate_alarms_forwarder-target_80B027CB" {
  arn       = "arn:aws:events:us-east-1:222222222222:event-bus/acme-security-response-alarms"
  role_arn  = aws_iam_role.escalation_escalate_alarms_forwarder-role_5DC17F8D.arn
  rule      = aws_cloudwatch_event_rule.escalation_escalate_alarms_forwarder_6765CBBF.name
  target_id = "security-account-alarm-bus"
  dead_letter_config {
    arn = aws_sqs_queue.escalation_escalate_dead-letter-queue_5FB058C9.arn
  }
}

resource "aws_cloudwatch_event_rule" "escalation_custom-action-rule_50CC786F" {
  description   = "\"Escalate to SecOps\" custom action to acme-escalate"
  event_pattern = "{\"source\":[\"aws.securityhub\"],\"detail-type\":[\"Security Hub Findings - Custom Action\"],\"resources\":[\"arn:aws:securityhub:us-east-1:222222222222:action/custom/EscalateToSecOps\"]}"
  name          = "acme-escalate-to-secops"
  state         = "ENABLED"
}

resource "aws_cloudwatch_event_target" "escalation_custom-action-rule_target_DC5FB6BB" {
  arn       = aws_lambda_function.escalation_escalate_function_ABEAB626.arn
  rule      = aws_cloudwatch_event_rule.escalation_custom-action-rule_50CC786F.name
  target_id = "acme-escalate"
  dead_letter_config {
    arn = aws_sqs_queue.escalation_escalate_dead-letter-queue_5FB058C9.arn
  }
  retry_policy {
    maximum_event_age_in_seconds = 21600
    maximum_retry_attempts       = 8
  }
}

resource "aws_lambda_permission" "escalation_custom-action-rule_invoke-permission_807EB180" {
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.escalation_escalate_function_ABEAB626.function_name
  principal      = "events.amazonaws.com"
  source_account = "222222222222"
  source_arn     = "arn:aws:events:us-east-1:222222222222:rule/acme-escalate-to-secops"
  statement_id   = "invoke-from-acme-escalate-to-secops"
}
