/**
 * Guard rails: checks over a synthesized stack (the JSON Terraform applies), one rule per file in
 * the shape of cdk-nag. A violation names the stack, the resource and the rule it broke.
 */
export interface SynthesizedStack {
  name: string;
  /** The account the stack deploys to. */
  accountId: string;
  region: string;
  /** Parsed cdk.tf.json of the stack. */
  json: SynthesizedJson;
}

/**
 * What the rules read of a cdk.tf.json: `resource.<terraform type>.<logical id>` holds each
 * resource's attributes. Attributes are whatever the stack wrote, so each is `unknown` until checked.
 */
export interface SynthesizedJson {
  resource: Record<string, Record<string, Attributes>>;
}

/**
 * A stack as parsed from its cdk.tf.json, what `checkStack` and `checkSynthesized` take: a stack
 * without resources (a retired account's) has no `resource` at all.
 */
export interface ParsedStack extends Omit<SynthesizedStack, 'json'> {
  json: Partial<SynthesizedJson>;
}

/** The stack as the rules read it: no `resource` is no resource. */
export function withResources(stack: ParsedStack): SynthesizedStack {
  return { ...stack, json: { ...stack.json, resource: stack.json.resource ?? {} } };
}

/** One resource's attributes as synthesized (strings, numbers, blocks, `${…}` references). */
export type Attributes = Record<string, unknown>;

export interface Violation {
  rule: string;
  stack: string;
  /** `<terraform type>.<logical id>` */
  resource: string;
  message: string;
}

export interface GuardRail {
  id: string;
  /** What the rule protects, in one sentence. */
  description: string;
  /** `error` stops synthesis; `warning` is printed and synthesis goes on. */
  severity: 'error' | 'warning';
  /** Why the rule exists: what goes wrong without it. */
  explanation: string;
  /** What to change so that the resource complies. */
  fix: string;
  check(stack: SynthesizedStack): Violation[];
}

/** Every resource of a stack as [type, logical id, attributes]. */
export function resources(stack: SynthesizedStack): [string, string, Attributes][] {
  const out: [string, string, Attributes][] = [];
  for (const [type, byId] of Object.entries(stack.json.resource)) {
    for (const [id, attrs] of Object.entries(byId)) out.push([type, id, attrs]);
  }
  return out;
}

export function violation(rule: GuardRail | string, stack: SynthesizedStack, type: string, id: string, message: string): Violation {
  return { rule: typeof rule === 'string' ? rule : rule.id, stack: stack.name, resource: `${type}.${id}`, message };
}

export function asArray<T>(x: T | T[] | undefined): T[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

/** A JSON object (not an array) whose properties can be read; undefined for any other value. */
export function asRecord(x: unknown): Record<string, unknown> | undefined {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;
}

/** `x.a.b…` of parsed JSON, as `x?.a?.b` reads it: undefined as soon as a step is not an object. */
export function at(x: unknown, ...keys: string[]): unknown {
  let value = x;
  for (const key of keys) value = asRecord(value)?.[key];
  return value;
}

/** One string or a list of strings (a statement's Action, say); anything else there is an error. */
export function asStrings(x: unknown, what: string): string[] {
  return asArray(x).map((value) => {
    if (typeof value !== 'string') throw new Error(`${what}: ${JSON.stringify(value)} is not a string`);
    return value;
  });
}

/**
 * A JSON document held in a string attribute (a policy, an event pattern) of `resource`
 * (`<type>.<logical id>`), parsed; `fallback` stands for an unset attribute.
 */
export function jsonAttribute(resource: string, attrs: Attributes, name: string, fallback?: string): unknown {
  const text = attrs[name] ?? fallback;
  if (typeof text !== 'string') throw new Error(`${resource}: ${name} is not a JSON string (${typeof text})`);
  return JSON.parse(text);
}

/** One statement of an IAM policy as written: any element may be missing or of another shape. */
export interface PolicyStatement {
  Sid?: unknown;
  Effect?: unknown;
  Principal?: unknown;
  Action?: unknown;
  Resource?: unknown;
  Condition?: unknown;
}

/** A statement's Sid as messages print it, `(no Sid)` when it has none. */
export function sidOf(st: PolicyStatement): string {
  const sid: unknown = st.Sid ?? '(no Sid)';
  return String(sid);
}

/**
 * The statements of a parsed policy document: `Statement` is one statement or a list. A statement
 * that is not an object has no Effect, so it allows nothing: it is left out.
 */
export function policyStatements(doc: unknown): PolicyStatement[] {
  return asArray(asRecord(doc)?.Statement).filter((st): st is PolicyStatement => asRecord(st) !== undefined);
}

/** `${aws_x.logical_id.attr}` → logical id, for following references inside one stack. */
export function referencedId(expression: unknown, type: string): string | undefined {
  if (typeof expression !== 'string') return undefined;
  return new RegExp(`^\\$\\{${type}\\.([^.}]+)\\.[a-z_]+\\}$`).exec(expression)?.[1];
}
