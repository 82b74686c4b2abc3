import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';

/**
 * What the smoke test has created or is creating, written down *before* each create call, so an
 * interruption or a failed call between "created" and "remembered" can never leak a resource.
 * Cleanup walks it in reverse order.
 */
/** `groupId` is set once CreateSecurityGroup answered; until then cleanup finds it by its tag. */
export type SecurityGroupEntry = { type: 'security-group'; region: string; vpcId: string; groupName: string; runId: string; groupId?: string };
export type BucketEntry = { type: 'bucket'; region: string; bucket: string };
/** `confirmed` once CreateUser answered; an unconfirmed user is deleted only if it carries our tag. */
export type UserEntry = { type: 'iam-user'; userName: string; runId: string; confirmed: boolean };
export type FindingsEntry = { type: 'findings'; region: string; findings: AwsSecurityFinding[] };
export type Created = SecurityGroupEntry | BucketEntry | UserEntry | FindingsEntry;

export class CleanupLedger {
  private readonly entries: Created[] = [];

  /** Remembers a resource about to be created; returns the same object, to fill in its id later. */
  record<T extends Created>(entry: T): T {
    this.entries.push(entry);
    return entry;
  }

  /** The create call proved the resource is not ours (its name was taken): never delete it. */
  forget(entry: Created): void {
    const i = this.entries.indexOf(entry);
    if (i >= 0) this.entries.splice(i, 1);
  }

  /** Removed by cleanup. */
  done(entry: Created): void {
    this.forget(entry);
  }

  /** What is still to clean up, last created first. */
  pending(): Created[] {
    return [...this.entries].reverse();
  }

  /** One line per resource that may still exist, for an operator who stops the cleanup. */
  remaining(): string[] {
    return this.pending().map(describe);
  }
}

export function describe(entry: Created): string {
  switch (entry.type) {
    case 'security-group':
      return `security group ${entry.groupId ?? `named ${entry.groupName}`} in ${entry.vpcId} (${entry.region})`;
    case 'bucket':
      return `S3 bucket ${entry.bucket} (${entry.region})`;
    case 'iam-user':
      return `IAM user ${entry.userName} and its access keys`;
    case 'findings':
      return `${entry.findings.length} smoke finding(s) in Security Hub ${entry.region}, not archived: ${entry.findings.map((f) => f.Id).join(', ')}`;
  }
}
