import { baseUrl, JsonHttp, TicketSystemError, type Fetch, type HttpSettings, type Sleep } from './http';
import { dedupeKey, ticketSummary, ticketText, type Ticket, type TicketClient, type TicketRequest, type TicketRequestRecord } from './ticket';

/** The incident's short_description column holds 160 characters. */
export const SERVICENOW_SHORT_DESCRIPTION_CHARS = 160;
/** Names the source system next to correlation_id, as ServiceNow's correlation fields intend. */
export const SERVICENOW_CORRELATION_DISPLAY = 'security-response';

type Level = '1' | '2' | '3';
/** A ServiceNow record id: 32 lowercase hex characters. */
const SYS_ID = /^[0-9a-f]{32}$/;

/** Urgency and impact, 1 (high) to 3 (low); ServiceNow derives the priority from the two. */
export function levelFor(severity: TicketRequest['severity']): Level {
  return severity === 'CRITICAL' ? '1' : severity === 'HIGH' ? '2' : '3';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readIncident(json: unknown): { sysId: string; number: string } {
  if (!isRecord(json) || typeof json.sys_id !== 'string' || typeof json.number !== 'string') throw new Error('no sys_id and number in the answer');
  return { sysId: json.sys_id, number: json.number };
}

export interface ServiceNowSettings {
  /** https://<instance>.service-now.com */
  readonly instanceUrl: string;
  /** The assignment group's sys_id, or its exact name (looked up once in sys_user_group). */
  readonly assignmentGroup: string;
  /** A user with rights to create and update incidents (Basic auth). */
  readonly credentials: { readonly username: string; readonly password: string };
  readonly fetch?: Fetch;
  readonly sleep?: Sleep;
  readonly http?: Partial<Pick<HttpSettings, 'timeoutMs' | 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs'>>;
}

/** The incident's fields (POST /api/now/table/incident): the client sends them, the simulator shows them. */
export function serviceNowCreateBody(settings: Pick<ServiceNowSettings, 'assignmentGroup'>, req: TicketRequest): Record<string, unknown> {
  const level = levelFor(req.severity);
  return {
    short_description: ticketSummary(req, SERVICENOW_SHORT_DESCRIPTION_CHARS),
    description: ticketText(req),
    assignment_group: settings.assignmentGroup,
    urgency: level,
    impact: level,
    correlation_id: dedupeKey(req.findingId),
    correlation_display: SERVICENOW_CORRELATION_DISPLAY,
  };
}

/** ServiceNow's Table API: one incident per finding, found again by its correlation_id. */
export class ServiceNowClient implements TicketClient {
  readonly system = 'servicenow';
  private readonly base: string;
  private readonly http: JsonHttp;

  constructor(private readonly settings: ServiceNowSettings) {
    this.base = baseUrl('servicenow', settings.instanceUrl);
    const { username, password } = settings.credentials;
    this.http = new JsonHttp({
      ...settings.http,
      system: 'servicenow',
      authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
      secrets: [password],
      fetch: settings.fetch,
      sleep: settings.sleep,
    });
  }

  private group?: Promise<string>;

  /**
   * The assignment group's sys_id. A reference field takes a sys_id as given; a name would need
   * sysparm_input_display_value, which also reinterprets urgency and impact (ServiceNow KB0534905).
   * So a configured name is looked up once in sys_user_group, and must match exactly one group.
   */
  assignmentGroupId(): Promise<string> {
    const configured = this.settings.assignmentGroup;
    if (SYS_ID.test(configured)) return Promise.resolve(configured);
    this.group ??= (async () => {
      if (configured.includes('^'))
        throw new TicketSystemError(
          `servicenow: the assignment group name ${JSON.stringify(configured)} contains ^, which encoded queries reserve`,
          'servicenow',
          undefined,
          undefined,
          0,
        );
      const query = new URLSearchParams({ sysparm_query: `name=${configured}`, sysparm_limit: '2', sysparm_fields: 'sys_id' });
      const ids = await this.http.send('GET', `${this.base}/api/now/table/sys_user_group?${query.toString()}`, {
        read: (json) => {
          if (!isRecord(json) || !Array.isArray(json.result)) throw new Error('no result list in the answer');
          return json.result.map((g: unknown) => (isRecord(g) && typeof g.sys_id === 'string' ? g.sys_id : ''));
        },
      });
      if (ids.length !== 1 || !ids[0]) {
        const what = `servicenow: ${ids.length === 0 ? 'no' : 'more than one'} assignment group named ${JSON.stringify(configured)} (configure its sys_id instead)`;
        throw new TicketSystemError(what, 'servicenow', 200, undefined, 1);
      }
      return ids[0];
    })();
    // A failed lookup is tried again next time (the instance may have been down).
    this.group.catch(() => (this.group = undefined));
    return this.group;
  }

  /** The incident already opened for this dedupe key. */
  async findExisting(key: string): Promise<{ sysId: string; number: string } | undefined> {
    const query = new URLSearchParams({ sysparm_query: `correlation_id=${key}`, sysparm_limit: '1', sysparm_fields: 'sys_id,number' });
    return this.http.send('GET', `${this.base}/api/now/table/incident?${query.toString()}`, {
      read: (json) => {
        if (!isRecord(json) || !Array.isArray(json.result)) throw new Error('no result list in the answer');
        const first: unknown = json.result[0];
        return first === undefined ? undefined : readIncident(first);
      },
    });
  }

  private createBody(req: TicketRequest): Record<string, unknown> {
    return serviceNowCreateBody(this.settings, req);
  }

  /** Opens the finding's incident, or returns the one it has: never two incidents for one finding. */
  async create(req: TicketRequest): Promise<Ticket> {
    const key = dedupeKey(req.findingId);
    const existing = await this.findExisting(key);
    if (existing) return this.ticket(existing, false);
    // Asked before sending the create again after an answer that left it open whether the first one
    // worked: there was none when this call began, so one found now is most likely this call's.
    const found = async () => {
      const incident = await this.findExisting(key);
      return incident && { ...incident, created: true };
    };
    const group = await this.assignmentGroupId();
    const made = await this.http.send('POST', `${this.base}/api/now/table/incident`, {
      body: { ...this.createBody(req), assignment_group: group },
      read: (json) => ({ ...readIncident(isRecord(json) ? json.result : undefined), created: true }),
      recheck: found,
    });
    return this.ticket(made, made.created);
  }

  async find(findingId: string): Promise<Ticket | undefined> {
    const incident = await this.findExisting(dedupeKey(findingId));
    return incident && this.ticket(incident, false);
  }

  annotate(ticket: Ticket, text: string): Promise<void> {
    if (!ticket.sysId) throw new Error(`servicenow: incident ${ticket.key} has no sys_id to add a work note to`);
    return this.comment(ticket.sysId, text);
  }

  /** Adds a work note (internal, not shown to the caller) to an incident by its sys_id. */
  async comment(sysId: string, text: string): Promise<void> {
    if (text.trim() === '') throw new Error('servicenow: a work note needs text');
    await this.http.send('PATCH', `${this.base}/api/now/table/incident/${encodeURIComponent(sysId)}`, { body: { work_notes: text }, read: () => undefined });
  }

  /** What create sends when the finding has no incident yet, for the simulator: the body only, no headers. */
  requestsFor(req: TicketRequest): TicketRequestRecord[] {
    return [{ service: 'servicenow', operation: 'CreateIncident', input: this.createBody(req) }];
  }

  private ticket(incident: { sysId: string; number: string }, created: boolean): Ticket {
    return {
      system: 'servicenow',
      key: incident.number,
      sysId: incident.sysId,
      url: `${this.base}/nav_to.do?uri=incident.do?sys_id=${incident.sysId}`,
      created,
    };
  }
}
