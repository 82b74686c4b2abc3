import type { SynthesizedStack } from '../../guardrails/types';

/** A minimal synthesized stack holding the given resources, for one guard-rail test. */
export function stackWith(resource: Record<string, Record<string, any>>): SynthesizedStack {
  return { name: 'acme-prod-eu-west-1', accountId: '333333333333', region: 'eu-west-1', json: { resource } };
}

export const policy = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
