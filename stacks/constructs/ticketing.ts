import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { names, PARTITION } from '../../functions/shared/naming';
import type { TicketSettings } from '../../functions/shared/routing/settings';
import { SECRET_SHAPES } from '../../functions/shared/tickets/credentials';
import type { TicketSystem } from '../../functions/shared/tickets/ticket';
import { undoNotesPattern } from './event-patterns';
import type { BacklogQueue, ExtraDeadLetterQueue } from './function-alarms';
import { policyDocument, type PolicyStatement } from './policy';
import type { ResponseFunction } from './response-function';

export interface TicketingProps {
  readonly organization: string;
  /** The security account, which runs the router. */
  readonly accountId: string;
  /** The security account's home region (the router's, and the aggregated findings'). */
  readonly region: string;
  /** The router's ticket settings (RouterSettings.tickets, config/router-settings.ts). */
  readonly tickets: TicketSettings;
  /** The alert key (AlertTopic): the credentials secrets are encrypted with it. */
  readonly alertKeyArn: string;
  /** Seconds: the route function's timeout; the job queue's visibility timeout is six times it. */
  readonly routeTimeoutSeconds: number;
  /** Receives of a ticket job before it moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
  /** Pollers of the job queue at most (the mapping's maximum concurrency). @default 2 */
  readonly maximumConcurrency?: number;
  /** Seconds the oldest job may wait in the job queue before the backlog alarm goes off. @default 1800 */
  readonly backlogMaxAgeSeconds?: number;
}

/** Each system's name in the secret's description, and the file its example command reads. */
const SYSTEMS: Readonly<Record<TicketSystem, { name: string; file: string }>> = {
  jira: { name: 'Jira Cloud', file: 'jira.json' },
  servicenow: { name: 'ServiceNow', file: 'servicenow.json' },
};

/**
 * Jira and ServiceNow tickets, opened and commented on by the alert router (`route`) in the
 * security account's home region: one secret per configured system, created empty (a person puts
 * the credentials; nothing secret is in Terraform state), encrypted with the alert key; the ticket
 * job queue, where ticket work that failed waits for its retries (then its dead-letter queue); and
 * the undo-notes rule, which puts the notes `npm run undo` leaves on findings into that queue so the
 * finding's ticket gets a comment. Made before `route`, whose role takes `statements` and whose
 * alarms take `deadLetterQueue` and `backlogQueue`; `readBy(route)` then connects the queue to it.
 */
export class Ticketing extends Construct {
  /** The router's permissions: the job queue, the credentials, and the findings it records tickets on. */
  readonly statements: PolicyStatement[];
  /** The job dead-letter queue, for route's alarms (FunctionAlarmsProps.extraDeadLetterQueues). */
  readonly deadLetterQueue: ExtraDeadLetterQueue;
  /** The job queue, for route's alarms (FunctionAlarmsProps.backlogQueues). */
  readonly backlogQueue: BacklogQueue;
  readonly jobQueue: SqsQueue;
  readonly jobQueueArn: string;
  readonly undoNotesRule: CloudwatchEventRule;
  private readonly organization: string;
  private readonly maximumConcurrency: number;

  constructor(scope: Construct, id: string, props: TicketingProps) {
    super(scope, id);
    const { organization: org, accountId: account, region, tickets } = props;
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    this.organization = org;
    this.maximumConcurrency = props.maximumConcurrency ?? 2;

    const jobQueueName = names.ticketJobQueue(org);
    const jobDlqName = names.ticketJobDeadLetterQueue(org);
    const jobQueueUrl = `https://sqs.${region}.amazonaws.com/${account}/${jobQueueName}`;
    if (tickets.jobQueueUrl !== jobQueueUrl || tickets.jobDeadLetterQueue !== jobDlqName) {
      throw new Error(
        `the router's ticket settings name another queue than Ticketing makes: ${JSON.stringify({ made: [jobQueueUrl, jobDlqName], named: [tickets.jobQueueUrl, tickets.jobDeadLetterQueue] })}`,
      );
    }
    if (tickets.jira && tickets.serviceNow && tickets.jira.secretName === tickets.serviceNow.secretName) {
      throw new Error(`jira and serviceNow name the same secret (${tickets.jira.secretName}); each needs its own`);
    }

    // The credentials: the secret only, never a version. A person puts the value.
    const fn = names.function(org, 'route');
    const secretArns: string[] = [];
    const configured: [TicketSystem, { secretName: string } | undefined][] = [
      ['jira', tickets.jira],
      ['servicenow', tickets.serviceNow],
    ];
    for (const [system, settings] of configured) {
      if (!settings) continue;
      const { name, file } = SYSTEMS[system];
      // The shape is the one route reads (functions/shared/tickets/credentials.ts).
      new SecretsmanagerSecret(this, `${system}-secret`, {
        name: settings.secretName,
        description:
          `${name} credentials for ${fn} (security-response), as JSON ${SECRET_SHAPES[system]}. Terraform creates this secret empty and never holds its value: ` +
          `a person puts it with aws secretsmanager put-secret-value --secret-id ${settings.secretName} --secret-string file://${file}`,
        kmsKeyId: props.alertKeyArn,
        recoveryWindowInDays: 7,
      });
      // Secrets Manager appends a hyphen and six characters to the name (the schema refuses names that look suffixed).
      secretArns.push(`arn:${PARTITION}:secretsmanager:${region}:${account}:secret:${settings.secretName}-??????`);
    }

    // The job queue: what route could not finish at once (a ticket system down), and undo notes.
    const jobDlq = new SqsQueue(this, 'job-dead-letter-queue', {
      name: jobDlqName,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 1209600, // 14 days, the SQS maximum: time for a person to look.
    });
    // JSON attributes hold computed ARNs, never Terraform references (policy.ts); the dependency
    // keeps the order SQS needs (a redrive target must exist).
    this.jobQueue = new SqsQueue(this, 'job-queue', {
      name: jobQueueName,
      sqsManagedSseEnabled: true,
      // Lambda's guidance for SQS: six times the function's timeout. Five receives are about half an hour of retries.
      visibilityTimeoutSeconds: 6 * props.routeTimeoutSeconds,
      messageRetentionSeconds: 4 * 86400,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:${PARTITION}:sqs:${region}:${account}:${jobDlqName}`, maxReceiveCount }),
      dependsOn: [jobDlq],
    });
    const jobQueueArn = (this.jobQueueArn = `arn:${PARTITION}:sqs:${region}:${account}:${jobQueueName}`);

    // Undo notes: Security Hub's event for the note, on the default bus, into the job queue.
    const ruleName = names.ticketUndoRule(org);
    this.undoNotesRule = new CloudwatchEventRule(this, 'undo-notes-rule', {
      name: ruleName,
      description: `Notes npm run undo leaves on findings, for ${fn} to comment on their tickets`,
      eventPattern: JSON.stringify(undoNotesPattern()),
      state: 'ENABLED',
    });
    // The router sends to its own queue by its role's policy (same account); only EventBridge needs this.
    new SqsQueuePolicy(this, 'job-queue-policy', {
      queueUrl: this.jobQueue.url,
      policy: policyDocument([
        {
          Sid: 'UndoNotesRuleDelivers',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: jobQueueArn,
          Condition: { ArnEquals: { 'aws:SourceArn': `arn:${PARTITION}:events:${region}:${account}:rule/${ruleName}` } },
        },
      ]),
    });

    this.statements = [
      {
        Sid: 'TicketJobs',
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:SendMessage'],
        Resource: jobQueueArn,
      },
      { Sid: 'TicketCredentials', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secretArns },
      {
        // The alert key, found by its alias (see AlertRouting's EncryptDeliveriesAndState), through Secrets Manager only.
        Sid: 'DecryptTicketCredentials',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: `arn:${PARTITION}:kms:${region}:${account}:key/*`,
        Condition: {
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': names.alertKeyAlias(org) },
          StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` },
        },
      },
      {
        // The administrator's own hub in the home region: it holds the members' findings, aggregated
        // (GetFindings reads them, BatchUpdateFindings records the ticket on them).
        Sid: 'FindingsForTickets',
        Effect: 'Allow',
        Action: ['securityhub:GetFindings', 'securityhub:BatchUpdateFindings'],
        Resource: `arn:${PARTITION}:securityhub:${region}:${account}:hub/default`,
      },
    ];
    this.deadLetterQueue = {
      alarm: 'ticket-dead-letters',
      queueName: jobDlqName,
      holds: `ticket requests and comments it could not deliver after ${maxReceiveCount} tries`,
    };
    // A job is retried every visibility timeout; a queue nobody reads ages past them all.
    this.backlogQueue = {
      alarm: 'ticket-backlog',
      queueName: jobQueueName,
      maxAgeSeconds: props.backlogMaxAgeSeconds ?? 1800,
      holds: 'ticket requests and undo notes',
    };
  }

  /**
   * The router reads the job queue in batches (reporting the messages that failed, so only those
   * are retried), and the undo-notes rule targets the queue, its undeliverable events going to the
   * router's dead-letter queue like the digest schedule's.
   */
  readBy(route: ResponseFunction): void {
    new CloudwatchEventTarget(this, 'undo-notes-target', {
      rule: this.undoNotesRule.name,
      targetId: names.ticketJobQueue(this.organization),
      arn: this.jobQueue.arn,
      retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 },
      deadLetterConfig: { arn: route.deadLetterQueue.arn },
    });
    new LambdaEventSourceMapping(this, 'job-mapping', {
      eventSourceArn: this.jobQueue.arn,
      functionName: route.function.functionName,
      batchSize: 10,
      functionResponseTypes: ['ReportBatchItemFailures'],
      // Two pollers at most: a ticket system that is down is not hammered by a backlog.
      scalingConfig: { maximumConcurrency: this.maximumConcurrency },
    });
  }
}
