// One deployed Lambda handler kept loaded, as one Lambda execution environment keeps it: imports the
// handler's module from the unpacked zip once (the init phase), then answers invocations one at a
// time over IPC from emulator/lambda-standin.ts, with the same Lambda-like context as
// invoke-handler.mjs. The environment is the parent's (functions.ts functionEnvironment).
// Usage: node lambda-host.mjs <module file> <export name> <function ARN>
//
// Messages in:  { type: 'invoke', requestId, event, invokedFunctionArn?, clientContext? }
// Messages out: { type: 'ready' } | { type: 'init-error', error }
//               { type: 'result', requestId, payload (JSON text), stdout, stderr }
//               { type: 'error', requestId, error: { name, message, stack }, stdout, stderr }
import { pathToFileURL } from 'node:url';

const [moduleFile, exportName, functionArn] = process.argv.slice(2);
const timeoutMs = Number(process.env.AWS_LAMBDA_FUNCTION_TIMEOUT ?? 60) * 1000;

// What the handler writes to stdout and stderr during an invocation is also kept for its reply
// (Powertools log lines): invocations are one at a time, so everything written between a request
// and its reply is that invocation's.
let capture;
for (const [name, stream] of [
  ['stdout', process.stdout],
  ['stderr', process.stderr],
]) {
  const write = stream.write.bind(stream);
  stream.write = (chunk, encoding, callback) => {
    if (capture) capture[name] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return write(chunk, encoding, callback);
  };
}

const errorOf = (error) => ({ name: error?.name, message: error?.message ?? String(error), stack: error?.stack });

let handler;
try {
  const module = await import(pathToFileURL(moduleFile).href);
  handler = module[exportName];
  if (typeof handler !== 'function') {
    const error = new Error(`${moduleFile} exports no function ${exportName}`);
    error.name = 'Runtime.HandlerNotFound';
    throw error;
  }
  process.send({ type: 'ready' });
} catch (error) {
  const reported = errorOf(error);
  if (!String(reported.name).startsWith('Runtime.')) reported.name = 'Runtime.ImportModuleError';
  process.send({ type: 'init-error', error: reported });
}

process.on('message', async (message) => {
  if (message?.type !== 'invoke' || !handler) return;
  const { requestId } = message;
  const started = Date.now();
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    invokedFunctionArn: message.invokedFunctionArn ?? functionArn,
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    ...(message.clientContext ? { clientContext: message.clientContext } : {}),
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
  };
  capture = { stdout: '', stderr: '' };
  let reply;
  try {
    const result = await handler(message.event, context);
    reply = { type: 'result', requestId, payload: JSON.stringify(result === undefined ? null : result) };
  } catch (error) {
    reply = { type: 'error', requestId, error: errorOf(error) };
  }
  const output = capture;
  capture = undefined;
  process.send({ ...reply, ...output });
});

// The stand-in went away: so does this environment.
process.on('disconnect', () => process.exit(0));
