import type { Finding } from '../finding';
import { findingFromAsff } from './asff';
import { createUserFromCloudTrail, type CreateUserEvent } from './cloudtrail';
import { parseEnvelope, type Envelope } from './envelope';
import { EventError, FindingError } from './errors';
import { findingFromOcsf } from './ocsf';
import { parseSweepDetail, SWEEP_DETAIL_TYPE, SWEEP_SOURCE, type SweepRequest } from '../sweep/event';
import { EVIDENCE_REPLAY_DETAIL_TYPE, EVIDENCE_REPLAY_SOURCE, parseReplayDetail, type ReplayRequest } from '../evidence/replay-event';

export { EventError, FindingError } from './errors';
export type { CreateUserEvent } from './cloudtrail';
export type { Envelope } from './envelope';

export type EventKind =
  'securityhub-finding' | 'securityhub-custom-action' | 'securityhub-finding-v2' | 'iam-create-user' | 'sweep' | 'evidence-replay' | 'unsupported';

export type ParsedEvent =
  | { kind: 'securityhub-finding' | 'securityhub-finding-v2'; envelope: Envelope; findings: Finding[]; problems: FindingError[] }
  | { kind: 'securityhub-custom-action'; envelope: Envelope; findings: Finding[]; problems: FindingError[]; action: CustomAction }
  | { kind: 'iam-create-user'; envelope: Envelope; createUser: CreateUserEvent }
  | { kind: 'sweep'; envelope: Envelope; sweep: SweepRequest }
  | { kind: 'evidence-replay'; envelope: Envelope; replay: ReplayRequest }
  | { kind: 'unsupported'; envelope: Envelope };

/** What a custom action event says about the analyst's choice. */
export interface CustomAction {
  name: string;
  description: string;
  /** The action target ARN (resources[0]). */
  arn: string;
}

/** The kind of an event from its envelope alone. */
export function kindOf(envelope: Envelope): EventKind {
  if (envelope.source === 'aws.securityhub') {
    if (envelope.detailType === 'Security Hub Findings - Imported') return 'securityhub-finding';
    if (envelope.detailType === 'Security Hub Findings - Custom Action') return 'securityhub-custom-action';
    if (envelope.detailType === 'Findings Imported V2') return 'securityhub-finding-v2';
  }
  // Only a direct Invoke can carry it: no rule of ours matches this source, and PutEvents cannot
  // reach the function without one.
  if (envelope.source === SWEEP_SOURCE && envelope.detailType === SWEEP_DETAIL_TYPE) return 'sweep';
  if (envelope.source === EVIDENCE_REPLAY_SOURCE && envelope.detailType === EVIDENCE_REPLAY_DETAIL_TYPE) return 'evidence-replay';
  if (
    envelope.source === 'aws.iam' &&
    envelope.detailType === 'AWS API Call via CloudTrail' &&
    envelope.detail.eventSource === 'iam.amazonaws.com' &&
    envelope.detail.eventName === 'CreateUser'
  ) {
    return 'iam-create-user';
  }
  return 'unsupported';
}

/**
 * Parses an EventBridge event. Throws EventError when the envelope is unusable or a recognised
 * kind misses its top-level fields; a malformed finding inside a batch becomes a problem and the
 * other findings are still returned.
 */
export function parseEvent(input: unknown): ParsedEvent {
  const envelope = parseEnvelope(input);
  const kind = kindOf(envelope);
  switch (kind) {
    case 'iam-create-user':
      return { kind, envelope, createUser: createUserFromCloudTrail(envelope) };
    case 'sweep':
      return { kind, envelope, sweep: parseSweepDetail(envelope.detail) };
    case 'evidence-replay':
      return { kind, envelope, replay: parseReplayDetail(envelope.detail) };
    case 'unsupported':
      return { kind, envelope };
    default: {
      const raw = envelope.detail.findings;
      if (!Array.isArray(raw)) throw new EventError('detail.findings is missing or not a list');
      const parse = kind === 'securityhub-finding-v2' ? findingFromOcsf : findingFromAsff;
      const findings: Finding[] = [];
      const problems: FindingError[] = [];
      raw.forEach((r, i) => {
        try {
          findings.push(parse(r, i));
        } catch (error) {
          // Whatever a malformed finding makes the parser trip on, it is that finding's problem only.
          problems.push(
            error instanceof FindingError
              ? error
              : new FindingError(`detail.findings[${i}] could not be read: ${error instanceof Error ? error.message : 'unknown error'}`, i),
          );
        }
      });
      if (kind === 'securityhub-custom-action') {
        const action: CustomAction = {
          name: typeof envelope.detail.actionName === 'string' ? envelope.detail.actionName : '',
          description: typeof envelope.detail.actionDescription === 'string' ? envelope.detail.actionDescription : '',
          arn: envelope.resources[0] ?? '',
        };
        if (!action.name) throw new EventError('detail.actionName is missing');
        return { kind, envelope, findings, problems, action };
      }
      return { kind, envelope, findings, problems };
    }
  }
}
