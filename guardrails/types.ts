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
  json: any;
}

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
export function resources(stack: SynthesizedStack): [string, string, any][] {
  const out: [string, string, any][] = [];
  for (const [type, byId] of Object.entries(stack.json.resource ?? {})) {
    for (const [id, attrs] of Object.entries(byId as Record<string, any>)) out.push([type, id, attrs]);
  }
  return out;
}

export function violation(rule: GuardRail | string, stack: SynthesizedStack, type: string, id: string, message: string): Violation {
  return { rule: typeof rule === 'string' ? rule : rule.id, stack: stack.name, resource: `${type}.${id}`, message };
}

export function asArray<T>(x: T | T[] | undefined): T[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

/** `${aws_x.logical_id.attr}` → logical id, for following references inside one stack. */
export function referencedId(expression: unknown, type: string): string | undefined {
  if (typeof expression !== 'string') return undefined;
  return new RegExp(`^\\$\\{${type}\\.([^.}]+)\\.[a-z_]+\\}$`).exec(expression)?.[1];
}
