import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { buildSync } from 'esbuild';
import { zipSync, type Zippable } from 'fflate';
import { FUNCTION_NAMES, type FunctionName } from '../functions/shared/naming';

/** One deployable function package: a zip on disk and the hashes Terraform needs. */
export interface FunctionBundle {
  name: FunctionName;
  /** Absolute path of the zip (outside cdktf.out; TerraformAsset copies it into each stack). */
  zipPath: string;
  /** Hex SHA-256 of the zip, used as the asset hash (no per-stack re-hashing). */
  sha256Hex: string;
  /** Base64 SHA-256 of the zip: Lambda's `source_code_hash`, so an unchanged function never diffs. */
  sha256Base64: string;
  zipBytes: number;
}

export type FunctionBundles = Record<FunctionName, FunctionBundle>;

/** Where bundles and zips go by default, relative to the repository root. */
const DEFAULT_OUT_DIR = join('.build', 'functions');

export interface BundleOptions {
  /** Repository root (holds functions/). */
  rootDir: string;
  /**
   * Where bundles and zips are written. Default `<rootDir>/.build/functions`. The bytes never depend
   * on it; source maps written elsewhere resolve their `sources` as if they sat in the default place.
   */
  outDir?: string;
}

/**
 * Modules the SDK imports only dynamically, and only off Lambda: the credential providers after
 * `fromEnv` in the default chain (Lambda always sets the environment credentials, so the chain
 * stops there) with the STS/SSO clients they use, the container and instance metadata providers
 * (the chain's last resort, after `fromEnv`), and the browser user-agent parser. Leaving them out
 * keeps `respond` under its 400 KB budget (~42 KB zipped less; the metadata providers are 8 KB of
 * it). No bundle imports any of them statically (bundles.test.ts), and the emulator tier runs each
 * zip with a Lambda environment, where loading one would fail the invocation.
 */
export const NEVER_LOADED_IN_LAMBDA = [
  'bowser',
  '@aws-sdk/nested-clients',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/token-providers',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
];

/**
 * A fixed timestamp, built from local-time fields because the zip (DOS) format stores local
 * time: `new Date(1980, 0, 1)` gives the same bytes in every time zone.
 */
const ZIP_MTIME = new Date(1980, 0, 1, 0, 0, 0);
/** Regular file, rw-r--r--, so Lambda can read every file however the zip was made. */
const ZIP_FILE_ATTRS = (0o100644 << 16) >>> 0;

/** The parts of esbuild's metafile read here. */
export interface BundleMetafile {
  outputs: Record<string, { bytes: number; imports: { path: string; kind: string }[]; inputs: Record<string, unknown> }>;
}

/**
 * The outputs a cold start loads: index.mjs and the chunks it imports statically, recursively.
 * Chunks reached only by a dynamic import() load when the code first needs them.
 */
export function staticallyLoaded(meta: BundleMetafile): string[] {
  const entry = Object.keys(meta.outputs).find((o) => o.endsWith('/index.mjs'));
  if (!entry) throw new Error('no index.mjs in the metafile');
  const loaded = new Set<string>();
  const visit = (output: string) => {
    if (loaded.has(output)) return;
    loaded.add(output);
    for (const i of meta.outputs[output].imports) if (i.kind === 'import-statement' && i.path in meta.outputs) visit(i.path);
  };
  visit(entry);
  return [...loaded];
}

/** The metafile `bundleFunctions` wrote beside a function's zip. */
export function readBundleMetafile(bundle: Pick<FunctionBundle, 'zipPath'>): BundleMetafile {
  return JSON.parse(readFileSync(bundle.zipPath.replace(/\.zip$/, '.meta.json'), 'utf8')) as BundleMetafile;
}

/**
 * Bundles every `functions/<name>/index.ts` with esbuild (ESM, node22, minified, source maps) and
 * zips each one deterministically: sorted entries, fixed timestamps and attributes, so the same
 * tree gives byte-identical zips on every run and machine. Runs once per synthesis.
 */
export function bundleFunctions(options: BundleOptions): FunctionBundles {
  const outDir = options.outDir ?? join(options.rootDir, DEFAULT_OUT_DIR);
  const bundles = {} as FunctionBundles;
  for (const name of FUNCTION_NAMES) {
    const dir = join(outDir, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // esbuild names chunks by a hash that covers their source maps, whose `sources` are relative to
    // the output folder. Building always for the same place inside the repository (and writing the
    // files ourselves) keeps names and bytes independent of where the zips go and of where the
    // checkout lives, so tests, `cdktf synth` and a git worktree of another commit agree.
    const virtualDir = join(options.rootDir, DEFAULT_OUT_DIR, name);
    const result = buildSync({
      absWorkingDir: options.rootDir,
      entryPoints: { index: join(options.rootDir, 'functions', name, 'index.ts') },
      outdir: virtualDir,
      write: false,
      // A node_modules that is a symlink (a worktree sharing the checkout's) must not put the
      // link's target into the source maps, and so into the chunk hashes.
      preserveSymlinks: true,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      // Dynamic imports become chunks: a function loads the EC2 client only when a finding needs it.
      splitting: true,
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunks/[name]-[hash]',
      mainFields: ['module', 'main'],
      minify: true,
      // Recorded calls name the SDK client and command by class name.
      keepNames: true,
      // Source maps stay beside the bundle in .build/functions/<name>/, out of the zip: the mappings
      // of minified SDK code would double the package. Builds are deterministic, so the maps of a
      // deployed hash can be rebuilt from its commit to decode a stack trace.
      sourcemap: 'external',
      sourcesContent: false,
      metafile: true,
      // Source map paths relative to the bundle, never this machine's absolute paths.
      sourceRoot: '',
      legalComments: 'none',
      external: NEVER_LOADED_IN_LAMBDA,
      logLevel: 'silent',
      banner: {
        // Some CommonJS dependencies call require() on Node built-ins; ESM output needs a shim.
        js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
      },
    });
    writeFileSync(join(outDir, `${name}.meta.json`), JSON.stringify(result.metafile));
    const files: Zippable = {};
    const outputs = result.outputFiles
      .map((output) => ({ file: relative(virtualDir, output.path).split(sep).join('/'), contents: output.contents }))
      .sort((a, b) => (a.file < b.file ? -1 : 1));
    for (const { file, contents } of outputs) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), contents);
      // Entries in sorted order (fflate keeps insertion order), source maps left out.
      if (!file.endsWith('.map')) files[file] = [contents, { mtime: ZIP_MTIME, attrs: ZIP_FILE_ATTRS, os: 3 }];
    }
    const zip = zipSync(files, { level: 9 });
    const zipPath = join(outDir, `${name}.zip`);
    writeFileSync(zipPath, zip);
    const hash = createHash('sha256').update(zip);
    const digest = hash.digest();
    bundles[name] = {
      name,
      zipPath,
      sha256Hex: digest.toString('hex'),
      sha256Base64: digest.toString('base64'),
      zipBytes: zip.byteLength,
    };
  }
  return bundles;
}
