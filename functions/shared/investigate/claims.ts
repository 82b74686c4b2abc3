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
 *   (a function that died mid-way) may be taken again.
 * - `started`: the investigation's id and graph are kept; `done` once its result was reported.
 * - `not-started`: Detective refused, or the finding names no IAM user or role; kept so that each
 *   later update of the finding does not report it again.
 */
export type ClaimStatus = 'starting' | 'started' | 'done' | 'not-started';

/** Longer than the function's timeout: a claim this old was left by an invocation that died. */
export const CLAIM_TIMEOUT_MS = 5 * 60_000;
/** Claims are forgotten after a year (DynamoDB TTL); the evidence records keep the history. */
const CLAIM_DAYS = 365;

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });

export interface StartedInvestigation {
  readonly investigationId: string;
  readonly graphArn: string;
  readonly entityArn: string;
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

  /** True if this invocation now holds the finding; false if it is, or was, someone else's. */
  async claim(findingId: string, now: Date): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            findingId: s(findingId),
            status: s('starting'),
            claimedAt: n(now.getTime()),
            expiresAt: n(Math.floor(now.getTime() / 1000) + CLAIM_DAYS * 86_400),
          },
          ConditionExpression: 'attribute_not_exists(findingId) OR (#status = :starting AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':starting': s('starting'), ':stale': n(now.getTime() - CLAIM_TIMEOUT_MS) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
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

  async notStarted(findingId: string, reason: string): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { findingId: s(findingId) },
        UpdateExpression: 'SET #status = :status, reason = :reason',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': s('not-started'), ':reason': s(reason) },
      }),
    );
  }

  /** Gives the finding back (StartInvestigation failed in a way a retry may mend). */
  async release(findingId: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: { findingId: s(findingId) } }));
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
      if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
