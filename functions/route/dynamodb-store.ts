import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { AwsPort } from '../shared/aws';
import type { AlertDetail, IntakeAlert } from '../shared/routing/intake';
import type { HeldAlert, StormStore } from '../shared/routing/route';
import type { StormWindow } from '../shared/routing/storm';
import type { TicketRecord, TicketStore } from '../shared/routing/tickets';
import { dedupeKey, type TicketSystem } from '../shared/tickets/ticket';

/**
 * The router's storm state in one DynamoDB table (partition key `pk`, sort key `sk`, TTL on
 * `expiresAt`):
 * - `alert#<id>` / `decision`: what was decided for an alert, so a redelivery is recognised;
 * - `count#<account>#<window start>` / `count`: the account's alerts in a window (atomic ADD);
 * - `held` / `<window end>#<account>#<team>#<id>`: alerts waiting for their digest. One partition,
 *   sorted by window end, so "every digest due" is one Query. A storm of 1,000 alerts a minute is
 *   far below a partition's 1,000 writes a second;
 * - `ticket#<system>` / `<finding dedupe key>`: the finding's ticket in that system, and what was
 *   last commented on it.
 */
const DAY_SECONDS = 86_400;
const TICKET_DAYS = 400;
const HELD = 'held';

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });
const epochSeconds = (d: Date) => Math.floor(d.getTime() / 1000);

function heldKey(h: Pick<HeldAlert, 'window' | 'account' | 'team'> & { id: string }): string {
  return `${h.window.end.toISOString()}#${h.account}#${h.team}#${h.id}`;
}

interface StoredAlert {
  id: string;
  subject: string;
  message: string;
  attributes: Record<string, string>;
  detail?: AlertDetail;
  publishedAt: string;
}

function toStored(a: IntakeAlert): StoredAlert {
  return {
    id: a.id,
    subject: a.subject,
    message: a.message,
    attributes: { ...a.attributes },
    ...(a.detail ? { detail: a.detail } : {}),
    publishedAt: a.publishedAt.toISOString(),
  };
}

function fromItem(item: Partial<Record<string, AttributeValue>>): HeldAlert {
  const stored = JSON.parse(item.alert?.S ?? 'null') as StoredAlert | null;
  const start = item.windowStart?.S;
  const end = item.windowEnd?.S;
  if (!stored || !start || !end) throw new Error(`held alert ${item.sk?.S ?? '?'} is incomplete in the routing table`);
  return {
    account: item.account?.S ?? 'unknown',
    team: item.team?.S ?? 'security',
    window: { start: new Date(start), end: new Date(end) },
    alert: { ...stored, publishedAt: new Date(stored.publishedAt) },
  };
}

export class DynamoStormStore implements StormStore, TicketStore {
  constructor(
    private readonly aws: AwsPort,
    private readonly region: string,
    private readonly tableName: string,
  ) {}

  private get db(): DynamoDBClient {
    return this.aws.client(DynamoDBClient, this.region);
  }

  async decided(alertId: string): Promise<'sent' | 'held' | undefined> {
    const out = await this.db.send(
      new GetItemCommand({ TableName: this.tableName, Key: { pk: s(`alert#${alertId}`), sk: s('decision') }, ConsistentRead: true }),
    );
    const item: Partial<Record<string, AttributeValue>> | undefined = out.Item;
    const decision = item?.decision?.S;
    return decision === 'sent' || decision === 'held' ? decision : undefined;
  }

  async count(account: string, window: StormWindow): Promise<number> {
    const out = await this.db.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { pk: s(`count#${account}#${window.start.toISOString()}`), sk: s('count') },
        UpdateExpression: 'ADD #n :one SET expiresAt = :expires',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':one': n(1), ':expires': n(epochSeconds(window.end) + DAY_SECONDS) },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const updated: Partial<Record<string, AttributeValue>> | undefined = out.Attributes;
    return Number(updated?.n?.N ?? '0');
  }

  /** The held item and the decision in one transaction: never held without being marked, nor marked without being held. */
  async hold(held: HeldAlert): Promise<void> {
    const id = held.alert.id;
    await this.db.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: {
                pk: s(HELD),
                sk: s(heldKey({ ...held, id })),
                account: s(held.account),
                team: s(held.team),
                windowStart: s(held.window.start.toISOString()),
                windowEnd: s(held.window.end.toISOString()),
                alert: s(JSON.stringify(toStored(held.alert))),
                // Long after any flush: a table that was not flushed for two weeks is an incident of its own.
                expiresAt: n(epochSeconds(held.window.end) + 14 * DAY_SECONDS),
              },
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: { pk: s(`alert#${id}`), sk: s('decision'), decision: s('held'), expiresAt: n(epochSeconds(held.window.end) + 14 * DAY_SECONDS) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  }

  async markSent(alertId: string, window: StormWindow): Promise<void> {
    await this.db.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: { pk: s(`alert#${alertId}`), sk: s('decision'), decision: s('sent'), expiresAt: n(epochSeconds(window.end) + DAY_SECONDS) },
      }),
    );
  }

  async due(now: Date): Promise<HeldAlert[]> {
    const held: HeldAlert[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :held AND sk <= :bound',
          ExpressionAttributeValues: { ':held': s(HELD), ':bound': s(`${now.toISOString()}#\uffff`) },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) held.push(fromItem(item));
      start = out.LastEvaluatedKey;
    } while (start);
    return held;
  }

  /** One item `lease` / `flush`, written only when absent, expired, or already ours. */
  async lease(owner: string, now: Date, until: Date): Promise<boolean> {
    try {
      await this.db.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { pk: s('lease'), sk: s('flush'), owner: s(owner), until: n(until.getTime()), expiresAt: n(epochSeconds(until) + DAY_SECONDS) },
          ConditionExpression: 'attribute_not_exists(pk) OR #until < :now OR #owner = :owner',
          ExpressionAttributeNames: { '#until': 'until', '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': n(now.getTime()), ':owner': s(owner) },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof Error && e.name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }

  async unlease(owner: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { pk: s('lease'), sk: s('flush') },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': s(owner) },
        }),
      );
    } catch (e) {
      // Someone else's lease now (ours expired): theirs to give back.
      if (!(e instanceof Error && e.name === 'ConditionalCheckFailedException')) throw e;
    }
  }

  /** A finding's ticket in one system: `ticket#<system>` / the finding's dedupe key, kept a little over a year. */
  async ticketOf(system: TicketSystem, findingId: string): Promise<TicketRecord | undefined> {
    const out = await this.db.send(
      new GetItemCommand({ TableName: this.tableName, Key: { pk: s(`ticket#${system}`), sk: s(dedupeKey(findingId)) }, ConsistentRead: true }),
    );
    const item: Partial<Record<string, AttributeValue>> | undefined = out.Item;
    const key = item?.key?.S;
    const url = item?.url?.S;
    if (!key || !url) return undefined;
    return {
      system,
      key,
      url,
      ...(item.sysId?.S ? { sysId: item.sysId.S } : {}),
      ...(item.lastAlertId?.S ? { lastAlertId: item.lastAlertId.S } : {}),
      ...(item.lastUndoNoteAt?.S ? { lastUndoNoteAt: item.lastUndoNoteAt.S } : {}),
    };
  }

  /**
   * The ticket item itself, written only when absent, a claim without a ticket that expired or is
   * this alert's, or a ticket the system no longer has (`replacing`).
   */
  async claimTicket(system: TicketSystem, findingId: string, alertId: string, now: Date, until: Date, replacing?: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: s(`ticket#${system}`),
            sk: s(dedupeKey(findingId)),
            findingId: s(findingId),
            claimedBy: s(alertId),
            claimUntil: n(until.getTime()),
            expiresAt: n(epochSeconds(until) + DAY_SECONDS),
          },
          ConditionExpression: `attribute_not_exists(pk) OR (attribute_not_exists(#key) AND (#until < :now OR #by = :by))${replacing ? ' OR #key = :stale' : ''}`,
          ExpressionAttributeNames: { '#key': 'key', '#until': 'claimUntil', '#by': 'claimedBy' },
          ExpressionAttributeValues: { ':now': n(now.getTime()), ':by': s(alertId), ...(replacing ? { ':stale': s(replacing) } : {}) },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof Error && e.name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }

  async saveTicket(findingId: string, record: TicketRecord): Promise<void> {
    const optional = (name: string, value: string | undefined) => (value ? { [name]: s(value) } : {});
    await this.db.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          pk: s(`ticket#${record.system}`),
          sk: s(dedupeKey(findingId)),
          findingId: s(findingId),
          key: s(record.key),
          url: s(record.url),
          ...optional('sysId', record.sysId),
          ...optional('lastAlertId', record.lastAlertId),
          ...optional('lastUndoNoteAt', record.lastUndoNoteAt),
          // Security Hub keeps a finding 90 days after its last update; a ticket outlives a re-import.
          expiresAt: n(epochSeconds(new Date()) + TICKET_DAYS * DAY_SECONDS),
        },
      }),
    );
  }

  async release(held: readonly HeldAlert[]): Promise<void> {
    let pending: WriteRequest[] = held.map((h) => ({ DeleteRequest: { Key: { pk: s(HELD), sk: s(heldKey({ ...h, id: h.alert.id })) } } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 5) throw new Error(`${pending.length} held alerts could not be deleted from ${this.tableName}`);
      const batch = pending.slice(0, 25);
      const out = await this.db.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: batch } }));
      const unprocessedByTable: Partial<Record<string, WriteRequest[]>> = out.UnprocessedItems ?? {};
      const unprocessed = unprocessedByTable[this.tableName] ?? [];
      pending = [...unprocessed, ...pending.slice(25)];
      if (unprocessed.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
}
