// `npm run build:bundle`: the server as one ESM file plus lazily loaded chunks in dist/bundle, bundled from tsc's
// output (tsc emits the decorator metadata Nest's dependency injection reads; esbuild cannot). A start then reads a
// few files instead of resolving thousands of modules. Each dynamic import() stays a chunk of its own, so a server
// without a cloud still never loads that cloud's SDK.
import { build, type Plugin } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chown, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const dist = join(import.meta.dirname, '..');
const outdir = join(dist, 'bundle');

/**
 * Packages Nest imports only when an application uses them (microservices, websockets), which we do not install:
 * left as imports that are never reached, instead of failing the build.
 */
const NOT_INSTALLED = ['@nestjs/microservices', '@nestjs/websockets'];

// CommonJS packages call require() for Node's built-in modules; an ES module has no require of its own.
const REQUIRE_SHIM =
  "import { createRequire as bundleCreateRequire } from 'node:module'; const require = bundleCreateRequire(import.meta.url);";

/**
 * Large JSON files (mime-db, tr46's mapping table) as JSON.parse of a string: V8 parses JSON several times faster
 * than the object literal esbuild would write, and mime-db is read on every start.
 */
const jsonAsParse: Plugin = {
  name: 'json-as-parse',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      if (text.length < 10_000) return undefined;
      return {
        contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(text)))});`,
        loader: 'js',
      };
    });
  },
};

/**
 * Optional packages a dependency tries to load and does without: debug (under Express and others) asks for
 * supports-color, which asks for has-flag, to colour output we never print (pino writes the logs). Bundled as a
 * module that fails to load, as when the package is not installed, so they do not ship with the server.
 */
const OPTIONAL_ABSENT = ['supports-color'];
const optionalAbsent: Plugin = {
  name: 'optional-absent',
  setup(b) {
    const filter = new RegExp(`^(${OPTIONAL_ABSENT.join('|')})$`);
    b.onResolve({ filter }, ({ path }) => ({ path, namespace: 'optional-absent' }));
    b.onLoad({ filter: /.*/, namespace: 'optional-absent' }, ({ path }) => ({
      contents: `throw Object.assign(new Error("Cannot find module '${path}'"), { code: 'MODULE_NOT_FOUND' });`,
      loader: 'js',
    }));
  },
};

await rm(outdir, { recursive: true, force: true });
const { metafile } = await build({
  entryPoints: { main: join(dist, 'src/main.js') },
  outdir,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  // A package's ES module build first: esbuild can drop what is never imported from it. The EC2 client's CommonJS
  // build is one file of all ~700 operations; its ES build lets the bundle keep only the few we call, which
  // measured 40 MiB less memory for the AWS provider.
  mainFields: ['module', 'main'],
  // Class names appear in Nest's logs and errors; without this, scope hoisting renames clashing ones.
  keepNames: true,
  // Without comments and blanks, and with every character ASCII (esbuild escapes the rest), so V8 holds each
  // chunk's source as one byte per character: a single ’ in a comment made it keep the 7 MB server chunk as
  // UTF-16. Identifiers stay, so stack traces keep their function names.
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii',
  external: NOT_INSTALLED,
  banner: { js: REQUIRE_SHIM },
  metafile: true,
  plugins: [jsonAsParse, optionalAbsent],
  logLevel: 'warning',
});

// What each chunk holds (esbuild's metafile: https://esbuild.github.io/analyze/ reads it), beside the bundle, not in it.
await writeFile(join(dist, 'bundle-meta.json'), JSON.stringify(metafile));
const outputs = Object.values(metafile.outputs);
const mib = outputs.reduce((sum, o) => sum + o.bytes, 0) / 2 ** 20;
console.log(
  `${join(outdir, 'main.mjs')}: ${Object.keys(metafile.inputs).length} modules in ${outputs.length} files, ${mib.toFixed(1)} MiB`,
);

/**
 * dist/bundle/compile-cache: V8's code for every chunk, made by importing each one, so that a first start (a new
 * pod, whose temporary directory is empty) reads compiled code instead of compiling 8 MiB of JavaScript; main.ts
 * uses it when it is there. Node names the cache's directory after the user id, so the image fills it as the user
 * it runs as (`--compile-cache-user=UID`), then gives it to root, readable by all: read-only to the server, like
 * the rest.
 */
async function fillCompileCache(uid: number | undefined): Promise<string> {
  const dir = join(outdir, 'compile-cache');
  await mkdir(dir);
  if (uid !== undefined) await chown(dir, uid, uid);
  const chunks = (await readdir(join(outdir, 'chunks'))).filter((f) => f.endsWith('.mjs'));
  const imports = chunks.map((f) => `await import(${JSON.stringify(join(outdir, 'chunks', f))});`).join('');
  execFileSync(process.execPath, ['--no-deprecation', '--input-type=module', '-e', imports], {
    env: { PATH: process.env.PATH, NODE_COMPILE_CACHE: dir },
    stdio: 'inherit',
    ...(uid !== undefined && { uid, gid: uid }),
  });
  // Node writes the entries readable by their owner alone.
  if (uid !== undefined) execFileSync('sh', ['-c', 'chown -R 0:0 "$0" && chmod -R go+rX "$0"', dir]);
  return dir;
}

const cacheUser = process.argv.find((a) => /^--compile-cache-user=\d+$/.test(a))?.split('=')[1];
console.log(`${await fillCompileCache(cacheUser === undefined ? undefined : Number(cacheUser))}: filled`);
