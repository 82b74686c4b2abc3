import { parse, validate, type ARN } from '@aws-sdk/util-arn-parser';

/**
 * ARNs from findings and CloudTrail events, which the actor under investigation can shape.
 * `@aws-sdk/util-arn-parser` only splits on `:` (any partition, service, region or account
 * passes), so every ARN here goes through `parseArn` and the shape checks below.
 */

/** An AWS partition: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso-b`… */
const PARTITION = /^aws(-[a-z]+)*$/;
/** A region name: `us-east-1`, `us-gov-west-1`, `ap-southeast-2`. */
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** A 12-digit account id. */
export const ACCOUNT_ID = /^\d{12}$/;

/** The parts of an ARN with a real partition and a service name, or undefined. */
export function parseArn(value: string): ARN | undefined {
  if (!validate(value)) return undefined;
  const arn = parse(value);
  return PARTITION.test(arn.partition) && /^[\w-]+$/.test(arn.service) ? arn : undefined;
}
