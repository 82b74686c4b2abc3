import { operatorEvent } from '../events/envelope';
import { EventError, isObject, type Json } from '../events/errors';
import type { ResponderSettings } from '../settings';

/**
 * The event `npm run sweep` invokes the deployed `respond` function with: the ids of a few old
 * findings, never their contents. `respond` reads each finding from its own Security Hub
 * (GetFindings), so a sweep decides on what Security Hub holds now, exactly as an Imported event
 * would, and whoever may invoke the function cannot hand it a finding Security Hub does not have.
 */
export const SWEEP_SOURCE = 'security-response.sweep';
export const SWEEP_DETAIL_TYPE = 'Security Hub Findings - Sweep';

/**
 * Findings per invocation. GetFindings takes at most 20 values per filter field (API reference);
 * ten keeps one invocation's remediations well inside the function's timeout.
 */
export const MAX_SWEEP_FINDINGS = 10;

/** A finding as BatchUpdateFindings names it. */
export interface FindingRef {
  id: string;
  productArn: string;
}

export interface SweepRequest {
  /** The run's id, in every log line and decision of the invocation. */
  sweepId: string;
  /**
   * The operator passed `--i-know`: the function may act in enforce mode where its settings say so.
   * Without it, a function whose settings enforce anything refuses the whole sweep.
   */
  enforce: boolean;
  findings: FindingRef[];
}

/** The EventBridge-shaped event for one invocation of `respond` by the sweep. */
export function sweepEvent(request: SweepRequest, where: { accountId: string; region: string }, now: Date): Json {
  return operatorEvent({ source: SWEEP_SOURCE, detailType: SWEEP_DETAIL_TYPE }, request.sweepId, where, now, {
    sweepId: request.sweepId,
    enforce: request.enforce,
    findings: request.findings.map((f) => ({ Id: f.id, ProductArn: f.productArn })),
  });
}

/** The sweep request in an event's detail; throws EventError naming the bad field. */
export function parseSweepDetail(detail: Json): SweepRequest {
  const { sweepId, enforce, findings } = detail;
  if (typeof sweepId !== 'string' || sweepId === '') throw new EventError('detail.sweepId is missing or not a string');
  if (typeof enforce !== 'boolean') throw new EventError('detail.enforce is missing or not true/false');
  if (!Array.isArray(findings) || findings.length === 0) throw new EventError('detail.findings is missing or empty');
  if (findings.length > MAX_SWEEP_FINDINGS)
    throw new EventError(`detail.findings has ${findings.length} findings; a sweep names at most ${MAX_SWEEP_FINDINGS}`);
  const refs = new Map<string, FindingRef>();
  findings.forEach((f, i) => {
    if (!isObject(f) || typeof f.Id !== 'string' || f.Id === '' || typeof f.ProductArn !== 'string' || f.ProductArn === '')
      throw new EventError(`detail.findings[${i}] needs Id and ProductArn strings`);
    // A finding named twice is handled once (the same remediation and alert twice in one batch otherwise).
    refs.set(`${f.ProductArn} ${f.Id}`, { id: f.Id, productArn: f.ProductArn });
  });
  return { sweepId, enforce, findings: [...refs.values()] };
}

/** The actions this responder's settings would enforce (empty: the sweep can change nothing). */
export function enforcedActions(settings: Pick<ResponderSettings, 'actions'>): string[] {
  return Object.entries(settings.actions)
    .filter(([, mode]) => mode === 'enforce')
    .map(([action]) => action);
}

/**
 * Why a function must refuse this sweep as a whole, or undefined: another account's or region's
 * sweep, or one started without `--i-know` where the function would change resources. The CLI
 * refuses first from accounts.json; this check is the deployed function's own, in case the
 * deployed settings differ from the operator's checkout.
 */
export function sweepRefusal(request: SweepRequest, envelope: { account: string; region: string }, settings: ResponderSettings): string | undefined {
  if (envelope.account !== settings.accountId || envelope.region !== settings.region)
    return `a sweep of ${envelope.account} ${envelope.region} reached the responder of ${settings.accountId} ${settings.region}`;
  if (settings.findingsFeed === 'ocsf') return 'this responder takes the OCSF feed; the sweep reads ASFF findings (GetFindings) only';
  const enforced = enforcedActions(settings);
  if (!request.enforce && enforced.length > 0) return `this responder enforces ${enforced.join(', ')}; a sweep that may change resources needs --i-know`;
  return undefined;
}
