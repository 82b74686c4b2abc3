/**
 * `npm run smoke`: an end-to-end check of one deployed stack with real credentials. The logic
 * lives in scripts/smoke/ (one small module per step); scripts/smoke-cli.ts is the command line.
 */
export { runSmoke, type SmokeDeps, type SmokeReport } from './smoke/run';
export { parseSmokeArgs, USAGE, DEFAULT_POLL_SECONDS, DEFAULT_TIMEOUT_SECONDS, type SmokeOptions } from './smoke/options';
export { CleanupLedger } from './smoke/ledger';
export { cleanUp } from './smoke/cleanup';
export { formatTable } from './smoke/table';
export { abortableSleep, waitForResponder, quarantineLogOutcome } from './smoke/wait';
export { buildFindings, findingsEvent, createUserEvent, INTENDED_ACTION, productArn, type FindingKind, type SmokeTargets } from './smoke/findings';
export { expectedResponses, enforceRefusal } from './smoke/expect';
export { newRunId, smokeNames, smokeSeverity, findStack } from './smoke/plan';
export { Refusal, Interrupted } from './smoke/errors';
export type { Row } from './smoke/check';
