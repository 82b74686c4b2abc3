import { baseUrl, JsonHttp, type Fetch, type HttpSettings, type Sleep } from './http';
import { dedupeKey, ticketSummary, ticketText, type Ticket, type TicketClient, type TicketRequest, type TicketRequestRecord } from './ticket';

/** Jira's summary field takes one line of at most 255 characters. */
export const JIRA_SUMMARY_CHARS = 255;
/** Jira Cloud's rich-text fields hold at most 32,767 characters; kept under it, the e-mail has the whole text. */
export const JIRA_DESCRIPTION_CHARS = 30_000;
/** Every ticket carries it, so the team can find the automation's tickets. */
export const JIRA_LABEL = 'security-response';

/** Atlassian Document Format, as much as the clients write: paragraphs of plain text. */
export interface AdfDoc {
  readonly type: 'doc';
  readonly version: 1;
  readonly content: { readonly type: 'paragraph'; readonly content: { readonly type: 'text'; readonly text: string }[] }[];
}

/** Tabs and line breaks stay; other control characters go (they are no text to show). */
function printable(text: string): string {
  return Array.from(text.replace(/\r\n?/g, '\n'))
    .filter((c) => c === '\t' || c === '\n' || (c >= ' ' && c !== '\u007f'))
    .join('');
}

/** Plain text as ADF: a paragraph per non-blank line (ADF refuses empty text nodes; blank lines only separate paragraphs). */
export function adf(text: string): AdfDoc {
  const paragraphs = printable(text)
    .split('\n')
    .filter((line) => line.trim() !== '');
  return { type: 'doc', version: 1, content: paragraphs.map((line) => ({ type: 'paragraph', content: [{ type: 'text', text: line }] })) };
}

function cut(text: string, max: number): string {
  const note = '\n(cut; the e-mail has the whole text)';
  return text.length <= max ? text : `${text.slice(0, max - note.length)}${note}`;
}

/** A JQL string literal: quotes and backslashes escaped. */
function jqlString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readKey(json: unknown): string {
  if (!isRecord(json) || typeof json.key !== 'string' || json.key === '') throw new Error('no issue key in the answer');
  return json.key;
}

export interface JiraSettings {
  /** https://<site>.atlassian.net */
  readonly baseUrl: string;
  readonly projectKey: string;
  /** The issue type's name in the project, e.g. "Task"; it must have summary, description and labels on its create screen. */
  readonly issueType: string;
  /** An Atlassian account's e-mail and API token (Basic auth; passwords no longer work). */
  readonly credentials: { readonly email: string; readonly apiToken: string };
  readonly fetch?: Fetch;
  readonly sleep?: Sleep;
  readonly http?: Partial<Pick<HttpSettings, 'timeoutMs' | 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs'>>;
}

/** The create-issue body (POST /rest/api/3/issue): the client sends it, the simulator shows it. */
export function jiraCreateBody(settings: Pick<JiraSettings, 'projectKey' | 'issueType'>, req: TicketRequest): Record<string, unknown> {
  return {
    fields: {
      project: { key: settings.projectKey },
      issuetype: { name: settings.issueType },
      summary: ticketSummary(req, JIRA_SUMMARY_CHARS),
      description: adf(cut(ticketText(req), JIRA_DESCRIPTION_CHARS)),
      labels: [JIRA_LABEL, dedupeKey(req.findingId)],
    },
  };
}

/** Jira Cloud, REST API v3: one issue per finding, found again by its dedupe label. */
export class JiraClient implements TicketClient {
  readonly system = 'jira';
  private readonly base: string;
  private readonly http: JsonHttp;

  constructor(private readonly settings: JiraSettings) {
    this.base = baseUrl('jira', settings.baseUrl);
    const { email, apiToken } = settings.credentials;
    this.http = new JsonHttp({
      ...settings.http,
      system: 'jira',
      authorization: `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}`,
      secrets: [apiToken],
      fetch: settings.fetch,
      sleep: settings.sleep,
    });
  }

  /**
   * The issue already opened for this dedupe key. The enhanced search (/search/jql, which replaced
   * /search) returns only ids unless asked for fields. It is eventually consistent: an issue
   * created a moment ago may not show yet.
   */
  async findExisting(key: string): Promise<string | undefined> {
    const jql = `project = ${jqlString(this.settings.projectKey)} AND labels = ${jqlString(key)}`;
    return this.http.send('POST', `${this.base}/rest/api/3/search/jql`, {
      body: { jql, fields: ['key'], maxResults: 1 },
      read: (json) => {
        const first: unknown = isRecord(json) && Array.isArray(json.issues) ? json.issues[0] : undefined;
        return first === undefined ? undefined : readKey(first);
      },
    });
  }

  private createBody(req: TicketRequest): Record<string, unknown> {
    return jiraCreateBody(this.settings, req);
  }

  /** Opens the finding's issue, or returns the one it has: never two issues for one finding. */
  async create(req: TicketRequest): Promise<Ticket> {
    const key = dedupeKey(req.findingId);
    const existing = await this.findExisting(key);
    if (existing) return this.ticket(existing, false);
    // After an answer that leaves it open whether the issue was created (a timeout, a 5xx), the create
    // is not sent again at once: Jira's search may not show the new issue for a while, and a second
    // create would open a second issue. The router retries from its job queue a minute later, and
    // searches first. A 429 (refused before any work) is retried here.
    const made = await this.http.send('POST', `${this.base}/rest/api/3/issue`, {
      body: this.createBody(req),
      read: (json) => ({ key: readKey(json), created: true }),
      onceWhenMaybeDone: true,
    });
    return this.ticket(made.key, made.created);
  }

  async find(findingId: string): Promise<Ticket | undefined> {
    const key = await this.findExisting(dedupeKey(findingId));
    return key === undefined ? undefined : this.ticket(key, false);
  }

  annotate(ticket: Ticket, text: string): Promise<void> {
    return this.comment(ticket.key, text);
  }

  /** Adds a comment to an issue (its key or id). */
  async comment(ticketKey: string, text: string): Promise<void> {
    if (text.trim() === '') throw new Error('jira: a comment needs text');
    await this.http.send('POST', `${this.base}/rest/api/3/issue/${encodeURIComponent(ticketKey)}/comment`, {
      body: { body: adf(cut(text, JIRA_DESCRIPTION_CHARS)) },
      read: () => undefined,
    });
  }

  /** What create sends when the finding has no issue yet, for the simulator: the body only, no headers. */
  requestsFor(req: TicketRequest): TicketRequestRecord[] {
    return [{ service: 'jira', operation: 'CreateIssue', input: this.createBody(req) }];
  }

  private ticket(key: string, created: boolean): Ticket {
    return { system: 'jira', key, url: `${this.base}/browse/${key}`, created };
  }
}
