import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUNCTION_NAMES } from '../../functions/shared/naming';
import { bundleFunctions, NEVER_LOADED_IN_LAMBDA, readBundleMetafile, staticallyLoaded, type FunctionBundles } from '../../stacks/bundles';
import { ROOT, testBundles } from '../helpers/fleet';

interface ZipEntry {
  name: string;
  /** DOS date and time fields as stored. */
  date: number;
  time: number;
  /** Host OS (high byte of "version made by"): 3 is Unix. */
  os: number;
  /** Unix mode from the external attributes. */
  mode: number;
}

/** The central directory of a zip file (enough of it to check what the bundler promises). */
function zipEntries(zip: Buffer): ZipEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      os: zip.readUInt8(at + 5),
      time: zip.readUInt16LE(at + 12),
      date: zip.readUInt16LE(at + 14),
      mode: zip.readUInt32LE(at + 38) >>> 16,
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

describe('function bundles', () => {
  const first = testBundles();
  let elsewhere: FunctionBundles;
  beforeAll(() => {
    // Another output folder, deeper, built in another time zone: none of it may change a byte.
    const tz = process.env.TZ;
    process.env.TZ = 'Pacific/Kiritimati';
    try {
      elsewhere = bundleFunctions({ rootDir: ROOT, outDir: join(mkdtempSync(join(tmpdir(), 'bundles-b-')), 'deeper', 'still') });
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it.each(FUNCTION_NAMES)('%s: imports the modules left out of the zip only dynamically, so loading the handler never needs one', (name) => {
    const dir = first[name].zipPath.replace(/\.zip$/, '');
    const code = (readdirSync(dir, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    for (const module of NEVER_LOADED_IN_LAMBDA) {
      const quoted = JSON.stringify(module).replace(/[/.]/g, (c) => `\\${c}`);
      expect({ module, staticImport: new RegExp(`(from|import)\\s*${quoted}`).test(code) }).toEqual({ module, staticImport: false });
    }
  });

  it('route: the S3 client (its ticket records) is in chunks only a dynamic import reaches, so an alert without a ticket never loads it', () => {
    const meta = readBundleMetafile(first.route);
    const loaded = staticallyLoaded(meta);
    const inputsOf = (outputs: string[]) => outputs.flatMap((o) => Object.keys(meta.outputs[o].inputs));
    const s3 = (inputs: string[]) => inputs.filter((i) => i.includes('node_modules/@aws-sdk/client-s3/'));
    expect(s3(inputsOf(Object.keys(meta.outputs))).length).toBeGreaterThan(0);
    expect(s3(inputsOf(loaded))).toEqual([]);
  });

  it.each(FUNCTION_NAMES)('%s: the same zip bytes wherever and in whatever time zone it is built', (name) => {
    expect(elsewhere[name].sha256Hex).toBe(first[name].sha256Hex);
    expect(readFileSync(elsewhere[name].zipPath).equals(readFileSync(first[name].zipPath))).toBe(true);
  });

  it.each(FUNCTION_NAMES)('%s: sorted entries, fixed 1980-01-01 timestamps, rw-r--r-- files, no source maps', (name) => {
    const entries = zipEntries(readFileSync(first[name].zipPath));
    const names = entries.map((e) => e.name);
    expect(names).toContain('index.mjs');
    expect(names).toEqual([...names].sort());
    expect(names.filter((n) => n.endsWith('.map'))).toEqual([]);
    for (const entry of entries) {
      expect({ name: entry.name, date: entry.date, time: entry.time, os: entry.os, mode: entry.mode.toString(8) }).toEqual({
        name: entry.name,
        date: (0 << 9) | (1 << 5) | 1, // 1980-01-01
        time: 0,
        os: 3,
        mode: '100644',
      });
    }
  });

  it.each(FUNCTION_NAMES)("%s: source_code_hash is the base64 SHA-256 of the zip's bytes", (name) => {
    const zip = readFileSync(first[name].zipPath);
    expect(first[name].sha256Base64).toBe(createHash('sha256').update(zip).digest('base64'));
    expect(first[name].sha256Hex).toBe(createHash('sha256').update(zip).digest('hex'));
    expect(first[name].zipBytes).toBe(zip.byteLength);
  });
});
