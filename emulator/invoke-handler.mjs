// Runs one deployed Lambda handler once, as the nodejs runtime would: imports the handler's module
// from the unpacked zip, calls the exported function with the event and a Lambda context, and
// writes `{ result }` or `{ error }` as JSON to the result file. The environment is the caller's.
// Usage: node invoke-handler.mjs <module file> <export name> <event file> <result file> <function ARN>
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [moduleFile, exportName, eventFile, resultFile, functionArn] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const started = Date.now();
const timeoutMs = Number(process.env.AWS_LAMBDA_FUNCTION_TIMEOUT ?? 60) * 1000;
const context = {
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  invokedFunctionArn: functionArn,
  awsRequestId: 'emulator-' + started,
  logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
};

try {
  const module = await import(pathToFileURL(moduleFile).href);
  const handler = module[exportName];
  if (typeof handler !== 'function') throw new Error(`${moduleFile} exports no function ${exportName}`);
  const result = await handler(event, context);
  writeFileSync(resultFile, JSON.stringify({ result: result ?? null }));
} catch (error) {
  writeFileSync(resultFile, JSON.stringify({ error: { name: error?.name, message: error?.message, stack: error?.stack } }));
  process.exitCode = 1;
}
