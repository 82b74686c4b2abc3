import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * An HTTPS front for moto on loopback, for an SDK request that goes to a URL's own host instead of
 * the configured endpoint. The SQS client sends a request naming a QueueUrl to the QueueUrl's
 * origin unless the client was built with an explicit `endpoint` (`AWS_ENDPOINT_URL` is not one:
 * middleware-sdk-sqs's queueUrlMiddleware), so route's SendMessage to its job queue
 * (`https://sqs.<region>.amazonaws.com/...`) would leave loopback. The functions test points
 * route's job queue URL at this front instead (`https://sqs.<region>.localhost:<port>/<account>/<queue>`,
 * resolved by the preloaded loopback-dns.cjs), which hands each request to moto unchanged. The
 * certificate is made for the run by openssl and trusted by the function's process through
 * NODE_EXTRA_CA_CERTS. Listed in emulator/moto-gaps.ts.
 */
export interface TlsFront {
  /** `https://<host>:<port>` */
  readonly url: string;
  /** The self-signed certificate, for NODE_EXTRA_CA_CERTS. */
  readonly caFile: string;
  /** Every request body that passed through, in order (a delayed SQS message can be read here before moto shows it). */
  readonly bodies: string[];
  stop(): Promise<void>;
}

/**
 * A file for a function process's `NODE_OPTIONS=--require <file>` that resolves one host name (an AWS
 * endpoint a function builds itself, such as `sqs.<region>.amazonaws.com`) to 127.0.0.1, where a TLS
 * front on port 443 stands in for it. Only that process is affected.
 */
export function loopbackResolution(host: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'emulator-dns-')), 'resolve-to-loopback.cjs');
  writeFileSync(
    file,
    `const dns = require('node:dns');
const original = dns.lookup;
dns.lookup = function (hostname, options, callback) {
  if (typeof hostname === 'string' && hostname.toLowerCase() === ${JSON.stringify(host)}) {
    const cb = typeof options === 'function' ? options : callback;
    const all = typeof options === 'object' && options !== null && options.all;
    return process.nextTick(() => (all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)));
  }
  return original.call(dns, hostname, options, callback);
};
`,
  );
  return file;
}

/** `port` 0 picks a free one; a fixed port (443 for a URL without one) needs the privilege to bind it. */
export async function startTlsFront(target: string, host: string, port = 0): Promise<TlsFront> {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-tls-front-'));
  const keyFile = join(dir, 'key.pem');
  const caFile = join(dir, 'cert.pem');
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      caFile,
      '-days',
      '1',
      '-subj',
      `/CN=${host}`,
      '-addext',
      `subjectAltName=DNS:${host}`,
    ],
    { encoding: 'utf8' },
  );
  if (made.error || made.status !== 0)
    throw new Error(`openssl could not make the loopback certificate for ${host}: ${made.error?.message ?? made.stderr.trim().split('\n').pop()}`);
  const upstream = new URL(target);
  const bodies: string[] = [];
  const server = createServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) }, (req, res) => {
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`emulator TLS front: ${error.message}`);
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => bodies.push(Buffer.concat(chunks).toString('utf8')));
    req.pipe(forward);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      reject(new Error(`emulator TLS front for ${host} cannot listen on 127.0.0.1:${port}: ${error.message}`));
    });
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `https://${host}:${(server.address() as AddressInfo).port}`,
    caFile,
    bodies,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
