import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * AWS's own service models, as botocore (the AWS SDK for Python, which moto depends on) ships
 * them: the same Smithy-generated shapes every AWS SDK is built from. The stand-ins validate
 * each request against them, so a wrong field name, a missing required member or a value
 * outside an enum fails here as it would at AWS.
 */
export interface Shape {
  type: string;
  members?: Record<string, { shape: string; location?: string; locationName?: string }>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  timestampFormat?: string;
}

export interface Operation {
  name: string;
  http: { method: string; requestUri: string };
  input?: { shape: string };
  output?: { shape: string };
}

export interface ServiceModel {
  metadata: { protocol: string; serviceId: string };
  operations: Record<string, Operation>;
  shapes: Partial<Record<string, Shape>>;
}

let botocoreDir: string | undefined;
function botocoreDataDir(): string {
  if (botocoreDir) return botocoreDir;
  const python = process.env.EMULATOR_PYTHON ?? 'python3';
  const probe = spawnSync(python, ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`botocore is not importable by ${python}: pip install "moto[server]==5.2.1"`);
  botocoreDir = join(probe.stdout.trim(), 'data');
  return botocoreDir;
}

/** Loads `botocore/data/<service>/<version>/service-2.json(.gz)`. */
export function loadServiceModel(service: string, apiVersion: string): ServiceModel {
  const base = join(botocoreDataDir(), service, apiVersion, 'service-2.json');
  let text: string;
  try {
    text = gunzipSync(readFileSync(`${base}.gz`)).toString('utf8');
  } catch {
    text = readFileSync(base, 'utf8');
  }
  return JSON.parse(text) as ServiceModel;
}

export interface MatchedOperation {
  operation: Operation;
  /** Members bound from the URI path. */
  labels: Partial<Record<string, string>>;
}

/** The rest-json operation a method and path address, with its URI labels. */
export function matchRestOperation(model: ServiceModel, method: string, path: string): MatchedOperation | undefined {
  const candidates = Object.values(model.operations).filter((op) => op.http.method === method);
  // Literal routes before labelled ones ("/findings/batchupdate" before "/findings/{Id}").
  candidates.sort((a, b) => literalLength(b.http.requestUri) - literalLength(a.http.requestUri));
  for (const operation of candidates) {
    const [uriPath] = operation.http.requestUri.split('?');
    const names: string[] = [];
    const pattern = uriPath
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const label = /^\{([^}+]+)(\+?)\}$/.exec(part);
        if (!label) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        names.push(label[1]);
        return label[2] ? '(.+)' : '([^/]+)';
      })
      .join('');
    const match = new RegExp(`^${pattern}/?$`).exec(path);
    if (!match) continue;
    const labels: Record<string, string> = {};
    names.forEach((name, i) => {
      labels[name] = decodeURIComponent(match[i + 1]);
    });
    return { operation, labels };
  }
  return undefined;
}

function literalLength(uri: string): number {
  return uri.split('?')[0].replace(/\{[^}]+\}/g, '').length;
}

/**
 * Every way `value` departs from `shapeName`: unknown members, missing required ones, wrong
 * types, enum values AWS does not define, lengths and counts out of range. Paths read like
 * `AutomationRules[0].Criteria.ComplianceStatus[0].Comparison`.
 */
export function validateShape(model: ServiceModel, shapeName: string, value: unknown, path = ''): string[] {
  const shape = model.shapes[shapeName];
  if (!shape) return [`${path || '(input)'}: unknown shape ${shapeName}`];
  const at = path || '(input)';
  const problems: string[] = [];
  switch (shape.type) {
    case 'structure': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${at}: expected an object`];
      const record = value as Record<string, unknown>;
      for (const required of shape.required ?? []) {
        if (record[required] === undefined) problems.push(`${join2(path, required)}: required member missing`);
      }
      for (const [key, member] of Object.entries(record)) {
        const def = shape.members?.[key];
        if (!def) {
          problems.push(`${join2(path, key)}: unknown member of ${shapeName}`);
          continue;
        }
        if (member === undefined || member === null) continue;
        problems.push(...validateShape(model, def.shape, member, join2(path, key)));
      }
      return problems;
    }
    case 'list': {
      if (!Array.isArray(value)) return [`${at}: expected a list`];
      if (shape.min !== undefined && value.length < shape.min) problems.push(`${at}: at least ${shape.min} items`);
      if (shape.max !== undefined && value.length > shape.max) problems.push(`${at}: at most ${shape.max} items`);
      value.forEach((item, i) => problems.push(...validateShape(model, shape.member!.shape, item, `${path}[${i}]`)));
      return problems;
    }
    case 'map': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${at}: expected a map`];
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        problems.push(...validateShape(model, shape.key!.shape, k, `${at}{key}`));
        problems.push(...validateShape(model, shape.value!.shape, v, `${path}.${k}`));
      }
      return problems;
    }
    case 'string': {
      if (typeof value !== 'string') return [`${at}: expected a string`];
      if (shape.enum && !shape.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not one of ${shape.enum.join(', ')}`);
      if (shape.min !== undefined && value.length < shape.min) problems.push(`${at}: shorter than ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) problems.push(`${at}: longer than ${shape.max}`);
      if (shape.pattern && !safeRegExp(shape.pattern)?.test(value)) problems.push(`${at}: does not match ${shape.pattern}`);
      return problems;
    }
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) return [`${at}: expected an integer`];
      if (shape.min !== undefined && value < shape.min) problems.push(`${at}: below ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) problems.push(`${at}: above ${shape.max}`);
      return problems;
    case 'double':
    case 'float':
      return typeof value === 'number' ? [] : [`${at}: expected a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: expected a boolean`];
    case 'timestamp':
      // A member that names its wire format must use it: the Go SDK refuses an epoch number
      // where the model says iso8601 (the Terraform provider fails to read it).
      if (shape.timestampFormat === 'iso8601') return typeof value === 'string' ? [] : [`${at}: expected an ISO 8601 timestamp string`];
      if (shape.timestampFormat === 'unixTimestamp') return typeof value === 'number' ? [] : [`${at}: expected epoch seconds`];
      return typeof value === 'string' || typeof value === 'number' ? [] : [`${at}: expected a timestamp`];
    case 'blob':
      return typeof value === 'string' ? [] : [`${at}: expected base64 text`];
    default:
      return [];
  }
}

function join2(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return undefined; // a Java-only construct: length and enum checks still apply
  }
}

/**
 * A JSON body between wire names and member names: some services (GuardDuty) put members on the
 * wire under a `locationName` (`adminAccountId` for `AdminAccountId`). `direction` 'in' renames
 * wire to member names, 'out' member to wire names; members outside the shape stay as they are
 * (validation reports them).
 */
export function renameMembers(model: ServiceModel, shapeName: string, value: unknown, direction: 'in' | 'out'): unknown {
  const shape = model.shapes[shapeName];
  if (!shape || value === null || typeof value !== 'object') return value;
  if (shape.type === 'list' && Array.isArray(value)) return value.map((item) => renameMembers(model, shape.member!.shape, item, direction));
  if (shape.type === 'map' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renameMembers(model, shape.value!.shape, v, direction)]));
  }
  if (shape.type !== 'structure' || Array.isArray(value)) return value;
  const renamed: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const entry = Object.entries(shape.members ?? {}).find(([name, m]) => (direction === 'in' ? (m.locationName ?? name) : name) === key);
    if (!entry || entry[1].location) {
      renamed[key] = v;
      continue;
    }
    const [name, member] = entry;
    renamed[direction === 'in' ? name : (member.locationName ?? name)] = renameMembers(model, member.shape, v, direction);
  }
  return renamed;
}
