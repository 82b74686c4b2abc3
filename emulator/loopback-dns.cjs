/**
 * Preloaded (`node --require`) into the processes the emulator tier runs: a name under `localhost`
 * resolves to 127.0.0.1, as RFC 6761 (section 6.3) says it should. Needed because the S3 Control
 * client puts the account id in front of its endpoint's host (`<account>.localhost:<port>`), which
 * the machine's resolver does not answer. Only names ending in `.localhost` are touched; nothing
 * here can send a request anywhere but loopback.
 */
const dns = require('node:dns');

const original = dns.lookup;
function lookup(hostname, options, callback) {
  if (typeof hostname === 'string' && hostname.toLowerCase().endsWith('.localhost')) {
    const cb = typeof options === 'function' ? options : callback;
    const all = typeof options === 'object' && options !== null && options.all;
    return process.nextTick(() => (all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)));
  }
  return original.call(dns, hostname, options, callback);
}
dns.lookup = lookup;
