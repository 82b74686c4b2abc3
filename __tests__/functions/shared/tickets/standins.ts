import { StandIn, type Answer, type Recorded, type Route } from './standin-server';

/**
 * Loopback stand-ins of Jira Cloud REST v3 and ServiceNow's Table API: each checks a request's
 * shape as the vendor documents it (method, path, query, required body fields, ADF) and answers as
 * the vendor does (Jira's `{id,key,self}` and ErrorCollection, ServiceNow's `{result}` and
 * `{error:{message,detail},status:'failure'}`).
 */
export { type Recorded } from './standin-server';

const isRecord = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const oneLine = (v: unknown, max: number) => typeof v === 'string' && v.trim() !== '' && v.length <= max && !/[\r\n]/.test(v);

/** ADF as Atlassian's schema has it, for what the clients write: a doc of paragraphs of non-empty text nodes. */
export function adfProblems(doc: unknown): string[] {
  if (!isRecord(doc) || doc.type !== 'doc' || doc.version !== 1 || !Array.isArray(doc.content))
    return ['ADF: the root must be {type:"doc", version:1, content:[]}'];
  const problems: string[] = [];
  for (const p of doc.content as unknown[]) {
    if (!isRecord(p) || p.type !== 'paragraph' || 'version' in p || !Array.isArray(p.content)) problems.push(`ADF: not a paragraph: ${JSON.stringify(p)}`);
    else
      for (const t of p.content as unknown[])
        if (!isRecord(t) || t.type !== 'text' || typeof t.text !== 'string' || t.text === '') problems.push(`ADF: bad text node ${JSON.stringify(t)}`);
  }
  return problems;
}

export class JiraStandIn extends StandIn {
  readonly issues: { id: string; key: string; fields: any; comments: unknown[] }[] = [];
  constructor(
    email: string,
    apiToken: string,
    readonly projectKey = 'SEC',
  ) {
    super(`${email}:${apiToken}`);
  }

  protected refusal(status: number, problems: string[]): Answer {
    return { status, body: { errorMessages: problems, errors: {} } };
  }

  protected route(r: Recorded): Route {
    const b = r.body;
    if (r.method === 'POST' && r.path === '/rest/api/3/search/jql') {
      // Only the bounded query the client writes; Jira refuses unbounded JQL with a 400.
      const m = /^project = "([^"]+)" AND labels = "([^"\s]+)"$/.exec(isRecord(b) ? String(b.jql) : '');
      const problems = [
        ...(m ? [] : [`jql: not a bounded project-and-label query: ${JSON.stringify(b?.jql)}`]),
        ...(Array.isArray(b?.fields) && b.fields.includes('key') ? [] : ['fields: must ask for key']),
        ...(Number.isInteger(b?.maxResults) && b.maxResults >= 1 ? [] : ['maxResults: not a positive integer']),
      ];
      const hits = () => this.issues.filter((i) => m && i.fields.project.key === m[1] && i.fields.labels.includes(m[2]));
      return {
        name: 'search',
        problems,
        run: () => ({
          status: 200,
          body: {
            issues: hits()
              .slice(0, b.maxResults)
              .map(({ id, key }) => ({ id, key })),
            isLast: true,
          },
        }),
      };
    }
    if (r.method === 'POST' && r.path === '/rest/api/3/issue') {
      const f = isRecord(b) && isRecord(b.fields) ? b.fields : {};
      const problems = [
        ...(f.project?.key === this.projectKey ? [] : [`project: valid project is required`]),
        ...(typeof f.issuetype?.name === 'string' && f.issuetype.name ? [] : ['issuetype: specify an issue type']),
        ...(oneLine(f.summary, 255) ? [] : ['summary: one line of 1-255 characters']),
        ...adfProblems(f.description),
        ...(Array.isArray(f.labels) && f.labels.every((l: unknown) => typeof l === 'string' && /^\S{1,255}$/.test(l)) ? [] : ['labels: no spaces']),
      ];
      const run = (): Answer => {
        const issue = { id: String(10000 + this.issues.length), key: `${this.projectKey}-${this.issues.length + 1}`, fields: f, comments: [] };
        this.issues.push(issue);
        return { status: 201, body: { id: issue.id, key: issue.key, self: `${this.url}/rest/api/3/issue/${issue.id}` } };
      };
      return { name: 'create', problems, run };
    }
    const c = /^\/rest\/api\/3\/issue\/([^/]+)\/comment$/.exec(r.path);
    if (r.method === 'POST' && c) {
      const issue = () => this.issues.find((i) => i.key === decodeURIComponent(c[1]) || i.id === c[1]);
      const problems = adfProblems(b?.body).concat(b?.body?.content?.length ? [] : ['body: Comment body can not be empty!']);
      const run = (): Answer => {
        const found = issue();
        if (!found) return { status: 404, body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} } };
        found.comments.push(b.body);
        return { status: 201, body: { id: String(found.comments.length), body: b.body } };
      };
      return { name: 'comment', problems, run };
    }
    return { name: 'unknown', problems: [`no such resource: ${r.method} ${r.path}`], run: () => ({ status: 404 }) };
  }
}

const SN_FIELDS = ['short_description', 'description', 'assignment_group', 'urgency', 'impact', 'correlation_id', 'correlation_display'];
const noRecord = {
  status: 404,
  body: { error: { message: 'No Record found', detail: "Record doesn't exist or ACL restricts the record retrieval" }, status: 'failure' },
};

export class ServiceNowStandIn extends StandIn {
  readonly incidents: Record<string, any>[] = [];
  /** sys_user_group rows the instance has (name → sys_id). */
  readonly groups: { name: string; sys_id: string }[] = [{ name: 'SecOps', sys_id: '5f0f5a1b1b2c3d4e5f60718293a4b5c6' }];
  constructor(username: string, password: string) {
    super(`${username}:${password}`);
  }

  protected refusal(status: number, problems: string[]): Answer {
    const message = status === 401 ? 'User Not Authenticated' : 'Invalid request';
    return { status, body: { error: { message, detail: status === 401 ? 'Required to provide Auth information' : problems.join('; ') }, status: 'failure' } };
  }

  protected route(r: Recorded): Route {
    const b = r.body;
    if (r.method === 'GET' && r.path === '/api/now/table/incident') {
      const m = /^correlation_id=(\S{1,100})$/.exec(r.query.get('sysparm_query') ?? '');
      const fields = (r.query.get('sysparm_fields') ?? '').split(',');
      const limit = Number(r.query.get('sysparm_limit'));
      const problems = [
        ...(m ? [] : [`sysparm_query: not correlation_id=<id>: ${r.query.get('sysparm_query')}`]),
        ...(Number.isInteger(limit) && limit >= 1 ? [] : ['sysparm_limit: not a positive integer']),
        ...(fields.includes('sys_id') && fields.includes('number') ? [] : ['sysparm_fields: must name sys_id and number']),
      ];
      const hits = () => this.incidents.filter((i) => i.correlation_id === m?.[1]).slice(0, limit);
      return { name: 'find', problems, run: () => ({ status: 200, body: { result: hits().map((i) => Object.fromEntries(fields.map((f) => [f, i[f]]))) } }) };
    }
    if (r.method === 'GET' && r.path === '/api/now/table/sys_user_group') {
      const m = /^name=([^^]{1,100})$/.exec(r.query.get('sysparm_query') ?? '');
      const problems = [
        ...(m ? [] : [`sysparm_query: not name=<group>: ${r.query.get('sysparm_query')}`]),
        ...((r.query.get('sysparm_fields') ?? '').split(',').includes('sys_id') ? [] : ['sysparm_fields: must name sys_id']),
      ];
      const run = (): Answer => ({ status: 200, body: { result: this.groups.filter((g) => g.name === m?.[1]).map((g) => ({ sys_id: g.sys_id })) } });
      return { name: 'group', problems, run };
    }
    if (r.method === 'POST' && r.path === '/api/now/table/incident') {
      // ServiceNow ignores a field it does not know; the stand-in refuses it, so a misspelt field fails the test.
      const keys = isRecord(b) ? Object.keys(b) : [];
      const problems = [
        ...keys.filter((k) => !SN_FIELDS.includes(k)).map((k) => `${k}: not an incident field the client should set`),
        ...SN_FIELDS.filter((k) => typeof b?.[k] !== 'string' || b[k] === '').map((k) => `${k}: missing`),
        ...(oneLine(b?.short_description, 160) ? [] : ['short_description: one line of 1-160 characters']),
        ...['urgency', 'impact'].filter((k) => !['1', '2', '3'].includes(b?.[k])).map((k) => `${k}: not 1, 2 or 3`),
        ...(typeof b?.correlation_id === 'string' && b.correlation_id.length <= 100 ? [] : ['correlation_id: over 100 characters']),
      ];
      const run = (): Answer => {
        const sysId = Buffer.from(`incident-${this.incidents.length + 1}`)
          .toString('hex')
          .padEnd(32, '0')
          .slice(0, 32);
        const incident = { ...b, sys_id: sysId, number: `INC${String(10001 + this.incidents.length).padStart(7, '0')}`, work_notes: [] };
        this.incidents.push(incident);
        return { status: 201, body: { result: { ...incident, work_notes: '' } }, headers: { Location: `${this.url}/api/now/table/incident/${sysId}` } };
      };
      return { name: 'create', problems, run };
    }
    const p = /^\/api\/now\/table\/incident\/([0-9a-f]{32})$/.exec(r.path);
    if (r.method === 'PATCH' && p) {
      const problems =
        isRecord(b) && Object.keys(b).join() === 'work_notes' && oneLine(String(b.work_notes).replace(/\n/g, ' '), 32_000)
          ? []
          : ['body: only a non-empty work_notes'];
      const run = (): Answer => {
        const incident = this.incidents.find((i) => i.sys_id === p[1]);
        if (!incident) return noRecord;
        incident.work_notes.push(b.work_notes);
        return { status: 200, body: { result: { sys_id: incident.sys_id, number: incident.number } } };
      };
      return { name: 'comment', problems, run };
    }
    return { name: 'unknown', problems: [`no such resource: ${r.method} ${r.path}`], run: () => noRecord };
  }
}
