import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import type { AwsPort } from '../aws';

/**
 * One item per finding in the investigations table (partition key `findingId`, TTL `expiresAt`),
 * written only by `investigate`'s role: the one thing that decides whether a finding was already
 * investigated. Nothing on the finding decides it (its user-defined fields can be written by anyone
 * in the member account who may update findings, the actor under investigation included).
 *
 * - `starting`: claimed, StartInvestigation not yet answered. A claim older than CLAIM_TIMEOUT_MS
 *   (an invocation that died mid-way) may be taken again; a younger one held by another invocation
 *   makes this event wait for Lambda's retry, so a crash never drops a finding silently.
 * - `started`: the investigation's id and graph are kept; `done` once its result was reported.
 * - `not-started`: the finding names no IAM user or role, or its region is not the organization's;
 *   kept, so later updates of the finding do not report it again.
 * - `failed`: Detective refused (no graph yet, an entity it does not know); taken again by an event
 *   of the finding after FAILED_RETRY_MS, as the cause may have been temporary.
 */
export type ClaimStatus = 'starting' | 'started' | 'done' | 'not-started' | 'failed';

/** The function's timeout (60 s) and a margin: a claim this old was left by an invocation that died. */
export const CLAIM_TIMEOUT_MS = 90_000;
/** A refusal by Detective is tried again by an event of the finding after this long. */
export const FAILED_RETRY_MS = 6 * 3_600_000;
/** Claims are forgotten after a year (DynamoDB TTL); the evidence records keep the history. */
const CLAIM_DAYS = 365;

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });

export interface StartedInvestigation {
  readonly investigationId: string;
  readonly graphArn: string;
  readonly entityArn: string;
}

/** The claim was taken (with the time that identifies it), or is held: by whom is said by its status. */
export type ClaimOutcome = { taken: true; claimedAt: number } | { taken: false; status: ClaimStatus | 'unknown' };

function conditionFailed(error: unknown): error is ConditionalCheckFailedException {
  return error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException';
}

export class InvestigationClaims {
  constructor(
    private readonly aws: AwsPort,
    private readonly tableName: string,
    private readonly region: string,
  ) {}

  private get client() {
    return this.aws.client(DynamoDBClient, this.region);
  }

  async claim(findingId: string, now: Date): Promise<ClaimOutcome> {
    const at = now.getTime();
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { findingId: s(findingId), status: s('starting'), claimedAt: n(at), expiresAt: n(Math.floor(at / 1000) + CLAIM_DAYS * 86_400) },
          ConditionExpression: 'attribute_not_exists(findingId) OR (#status = :starting AND claimedAt < :stale) OR (#status = :failed AND claimedAt < :retry)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':starting': s('starting'),
            ':stale': n(at - CLAIM_TIMEOUT_MS),
            ':failed': s('failed'),
            ':retry': n(at - FAILED_RETRY_MS),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { taken: true, claimedAt: at };
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      const status = error.Item?.status.S;
      return { taken: false, status: (status as ClaimStatus | undefined) ?? 'unknown' };
    }
  }

  async started(findingId: string, started: StartedInvestigation): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { findingId: s(findingId) },
        UpdateExpression: 'SET #status = :started, investigationId = :id, graphArn = :graph, entityArn = :entity',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':started': s('started'),
          ':id': s(started.investigationId),
          ':graph': s(started.graphArn),
          ':entity': s(started.entityArn),
        },
      }),
    );
  }

  /** Recorded as not investigated; `failed` (Detective refused) may be taken again after FAILED_RETRY_MS. */
  async notStarted(findingId: string, reason: string, failed: boolean, now: Date): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { findingId: s(findingId) },
        UpdateExpression: 'SET #status = :status, reason = :reason, claimedAt = :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': s(failed ? 'failed' : 'not-started'), ':reason': s(reason), ':at': n(now.getTime()) },
      }),
    );
  }

  /** Gives the finding back (a failure a retry may mend), if the claim is still the one this invocation took. */
  async release(findingId: string, claimedAt: number): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { findingId: s(findingId) },
          ConditionExpression: '#status = :starting AND claimedAt = :at',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':starting': s('starting'), ':at': n(claimedAt) },
        }),
      );
    } catch (error) {
      // Another invocation took the claim over meanwhile: it is theirs to finish.
      if (!conditionFailed(error)) throw error;
    }
  }

  /** True the first time only: a redelivered check reports the result once. */
  async finish(findingId: string, investigationId: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { findingId: s(findingId) },
          UpdateExpression: 'SET #status = :done',
          ConditionExpression: '#status = :started AND investigationId = :id',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':done': s('done'), ':started': s('started'), ':id': s(investigationId) },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }
}
