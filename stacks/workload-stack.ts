import { ResponderStack } from './responder-stack';

/**
 * A member account's stack in one region: exactly what every stack holds (local responder and,
 * in the primary region, the IAM quarantine pieces). Kept as its own kind so the fleet reads as
 * one line per kind of stack.
 */
export class WorkloadStack extends ResponderStack {}
