terraform {
  required_providers {
    aws = {
      version = "6.25.0"
      source  = "aws"
    }
  }
  backend "s3" {
    bucket       = "acme-terraform-state"
    key          = "acme/security-eu-west-1/terraform.tfstate"
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
  region  = "eu-west-1"
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
  policy    = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"UndeliveredEventsFromOurRules\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:eu-west-1:222222222222:acme-respond-dlq\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:events:eu-west-1:222222222222:rule/acme-*\"}}}]}"
  queue_url = aws_sqs_queue.local-responder_respond_dead-letter-queue_76D1623B.url
}

resource "aws_iam_role" "local-responder_respond_role_21E46A59" {
  assume_role_policy   = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"222222222222\"}}}]}"
  description          = "Runs acme-respond in eu-west-1"
  max_session_duration = 3600
  name                 = "acme-respond-eu-west-1"
}

resource "aws_iam_role_policy" "local-responder_respond_policy_B4FFAAD8" {
  name   = "acme-respond-permissions"
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"WriteOwnLogs\",\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\"arn:aws:logs:eu-west-1:222222222222:log-group:/aws/lambda/acme-respond:*\"},{\"Sid\":\"DeadLetterQueue\",\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:eu-west-1:222222222222:acme-respond-dlq\"},{\"Sid\":\"ReplayEvidenceFromDeadLetterQueue\",\"Effect\":\"Allow\",\"Action\":[\"sqs:ReceiveMessage\",\"sqs:DeleteMessage\"],\"Resource\":\"arn:aws:sqs:eu-west-1:222222222222:acme-respond-dlq\"},{\"Sid\":\"RecordOnFindings\",\"Effect\":\"Allow\",\"Action\":\"securityhub:BatchUpdateFindings\",\"Resource\":\"arn:aws:securityhub:eu-west-1:222222222222:hub/default\"},{\"Sid\":\"ReadSweptFindings\",\"Effect\":\"Allow\",\"Action\":\"securityhub:GetFindings\",\"Resource\":\"arn:aws:securityhub:eu-west-1:222222222222:hub/default\"},{\"Sid\":\"PublishAlerts\",\"Effect\":\"Allow\",\"Action\":\"sns:Publish\",\"Resource\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts\"},{\"Sid\":\"EncryptAlerts\",\"Effect\":\"Allow\",\"Action\":[\"kms:GenerateDataKey*\",\"kms:Decrypt\"],\"Resource\":\"arn:aws:kms:us-east-1:222222222222:key/*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"kms:ResourceAliases\":\"alias/acme-security-alerts\"},\"StringEquals\":{\"kms:ViaService\":\"sns.us-east-1.amazonaws.com\"}}},{\"Sid\":\"WriteEvidence\",\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::acme-evidence-222222222222-us-east-1/decisions/*\"},{\"Sid\":\"EncryptEvidence\",\"Effect\":\"Allow\",\"Action\":\"kms:GenerateDataKey\",\"Resource\":\"arn:aws:kms:us-east-1:222222222222:key/*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"kms:ResourceAliases\":\"alias/acme-evidence\"},\"StringEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}}},{\"Sid\":\"ReadSecurityGroups\",\"Effect\":\"Allow\",\"Action\":[\"ec2:DescribeSecurityGroupRules\",\"ec2:DescribeSecurityGroups\"],\"Resource\":\"*\"},{\"Sid\":\"RevokePublicIngress\",\"Effect\":\"Allow\",\"Action\":\"ec2:RevokeSecurityGroupIngress\",\"Resource\":\"arn:aws:ec2:eu-west-1:222222222222:security-group/*\"},{\"Sid\":\"TagSecurityGroups\",\"Effect\":\"Allow\",\"Action\":\"ec2:CreateTags\",\"Resource\":\"arn:aws:ec2:eu-west-1:222222222222:security-group/*\",\"Condition\":{\"ForAllValues:StringLike\":{\"aws:TagKeys\":\"security-response:*\"}}},{\"Sid\":\"ReadBucketPublicAccess\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetBucketPublicAccessBlock\",\"s3:GetBucketTagging\"],\"Resource\":\"arn:aws:s3:::*\",\"Condition\":{\"StringEquals\":{\"s3:ResourceAccount\":\"222222222222\"}}},{\"Sid\":\"BlockBucketPublicAccess\",\"Effect\":\"Allow\",\"Action\":\"s3:PutBucketPublicAccessBlock\",\"Resource\":\"arn:aws:s3:::*\",\"Condition\":{\"StringEquals\":{\"s3:ResourceAccount\":\"222222222222\"}}},{\"Sid\":\"ReadAccountPublicAccess\",\"Effect\":\"Allow\",\"Action\":\"s3:GetAccountPublicAccessBlock\",\"Resource\":\"*\"},{\"Sid\":\"BlockAccountPublicAccess\",\"Effect\":\"Allow\",\"Action\":\"s3:PutAccountPublicAccessBlock\",\"Resource\":\"*\"},{\"Sid\":\"ReadBucketPolicy\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetBucketPolicy\",\"s3:GetBucketTagging\"],\"Resource\":\"arn:aws:s3:::*\",\"Condition\":{\"StringEquals\":{\"s3:ResourceAccount\":\"222222222222\"}}},{\"Sid\":\"AddTlsStatement\",\"Effect\":\"Allow\",\"Action\":\"s3:PutBucketPolicy\",\"Resource\":\"arn:aws:s3:::*\",\"Condition\":{\"StringEquals\":{\"s3:ResourceAccount\":\"222222222222\"}}},{\"Sid\":\"ReadUsersForQuarantine\",\"Effect\":\"Allow\",\"Action\":[\"iam:GetUser\",\"iam:ListUserTags\",\"iam:ListAccessKeys\"],\"Resource\":\"arn:aws:iam::222222222222:user/*\"},{\"Sid\":\"SetQuarantineBoundary\",\"Effect\":\"Allow\",\"Action\":\"iam:PutUserPermissionsBoundary\",\"Resource\":\"arn:aws:iam::222222222222:user/*\",\"Condition\":{\"StringEquals\":{\"iam:PermissionsBoundary\":\"arn:aws:iam::222222222222:policy/acme-quarantine-deny-all\"}}},{\"Sid\":\"DeactivateQuarantinedUserKeys\",\"Effect\":\"Allow\",\"Action\":\"iam:UpdateAccessKey\",\"Resource\":\"arn:aws:iam::222222222222:user/*\"},{\"Sid\":\"TagQuarantinedUsers\",\"Effect\":\"Allow\",\"Action\":\"iam:TagUser\",\"Resource\":\"arn:aws:iam::222222222222:user/*\",\"Condition\":{\"ForAllValues:StringLike\":{\"aws:TagKeys\":\"security-response:*\"}}},{\"Sid\":\"ReadAccessKeys\",\"Effect\":\"Allow\",\"Action\":[\"iam:ListAccessKeys\",\"iam:ListUserTags\"],\"Resource\":\"arn:aws:iam::222222222222:user/*\"},{\"Sid\":\"DeactivateAccessKeys\",\"Effect\":\"Allow\",\"Action\":\"iam:UpdateAccessKey\",\"Resource\":\"arn:aws:iam::222222222222:user/*\"},{\"Sid\":\"ReadInstances\",\"Effect\":\"Allow\",\"Action\":[\"ec2:DescribeInstances\",\"ec2:DescribeSecurityGroups\",\"ec2:DescribeNetworkInterfaces\"],\"Resource\":\"*\"}]}"
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
      RESPONDER_SETTINGS      = "{\"organization\":\"acme\",\"accountId\":\"222222222222\",\"accountName\":\"security\",\"region\":\"eu-west-1\",\"production\":false,\"mode\":\"enforce\",\"actions\":{\"REVOKE_PUBLIC_INGRESS\":\"enforce\",\"BLOCK_S3_PUBLIC_ACCESS\":\"enforce\",\"BLOCK_ACCOUNT_S3_PUBLIC_ACCESS\":\"enforce\",\"ENFORCE_S3_TLS\":\"enforce\",\"QUARANTINE_IAM_USER\":\"enforce\",\"DEACTIVATE_ACCESS_KEY\":\"enforce\",\"ISOLATE_EC2_INSTANCE\":\"observe\"},\"notifyMinSeverity\":\"MEDIUM\",\"criticalResourceTags\":[],\"authorizedPublicPorts\":[80,443],\"alertTopicArn\":\"arn:aws:sns:us-east-1:222222222222:acme-security-alerts\",\"evidence\":{\"bucket\":\"acme-evidence-222222222222-us-east-1\",\"region\":\"us-east-1\"},\"quarantinePolicyArn\":\"arn:aws:iam::222222222222:policy/acme-quarantine-deny-all\",\"quarantine\":{\"trustedCreators\":[],\"exemptUserNames\":[]}}"
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
  alarm_description   = "Events that acme-respond could not handle after retries, or evidence records it could not write (message attribute kind=evidence), are waiting in acme-respond-dlq (eu-west-1). Read them, fix the cause, and replay or discard them."
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
  alarm_description   = "acme-respond failed to remediate at least one finding in eu-west-1. Each failure was also alerted with its error; look at those alerts and the function's log."
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
  description          = "Forwards acme-respond alarm state changes in eu-west-1 to the security account"
  max_session_duration = 3600
  name                 = "acme-alarms-respond-eu-west-1"
}

resource "aws_iam_role_policy" "local-responder_respond_alarms_forwarder-policy_501012F5" {
  name   = "acme-alarms-respond-eu-west-1-put-events"
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PutEventsOnAlarmBus\",\"Effect\":\"Allow\",\"Action\":\"events:PutEvents\",\"Resource\":\"arn:aws:events:us-east-1:222222222222:event-bus/acme-security-response-alarms\"}]}"
  role   = aws_iam_role.local-responder_respond_alarms_forwarder-role_96123DA3.name
}

resource "aws_cloudwatch_event_rule" "local-responder_respond_alarms_forwarder_A3C8C5B6" {
  description   = "acme-respond alarm state changes in eu-west-1 to the security account's alarm bus"
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
  description   = "New active findings of security in eu-west-1 (ASFF) to acme-respond"
  event_pattern = "{\"source\":[\"aws.securityhub\"],\"detail-type\":[\"Security Hub Findings - Imported\"],\"detail\":{\"findings\":{\"AwsAccountId\":[\"222222222222\"],\"Region\":[\"eu-west-1\"],\"RecordState\":[\"ACTIVE\"],\"Workflow\":{\"Status\":[\"NEW\"]},\"Severity\":{\"Label\":[\"MEDIUM\",\"HIGH\",\"CRITICAL\"]}}}}"
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
  source_arn     = "arn:aws:events:eu-west-1:222222222222:rule/acme-respond-asff-findings"
  statement_id   = "invoke-from-acme-respond-asff-findings"
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
}

resource "aws_guardduty_detector" "guardduty-administration_detector_BC117963" {
  enable = true
}

resource "aws_guardduty_organization_configuration" "guardduty-administration_organization-configuration_BC1937B8" {
  auto_enable_organization_members = "ALL"
  detector_id                      = aws_guardduty_detector.guardduty-administration_detector_BC117963.id
}
