// The kubectl plugin as krew installs it: a release archive holding `kubectl-restart/` — the plugin and its
// completion program, each one file bundled with everything it imports (esbuild, CommonJS, run by the `node` on
// PATH), and the LICENSE — and the manifest of docs/krew/restart.yaml with the archive's sha256 filled in. The
// manifest's version, uri and `bin` are checked against the archive, as krew would fail on them at install time.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tarGz, type TarEntry } from './tar.js';

/** The archive's top directory, which the manifest's `files` copy from (`kubectl-restart/*`). */
const TOP = 'kubectl-restart';
/** The manifest's placeholder for the archive's digest. */
const UNSET_SHA256 = `'${'0'.repeat(64)}'`;

export interface KrewRelease {
  archive: string;
  manifest: string;
  sha256: string;
  /** The paths in the archive. */
  files: string[];
}

/** One program of the plugin as a single executable file (its `#!/usr/bin/env node` line kept). */
async function bundled(entry: string): Promise<Buffer> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node24',
    mainFields: ['module', 'main'],
    minifyWhitespace: true,
    minifySyntax: true,
    charset: 'ascii',
    write: false,
    logLevel: 'warning',
  });
  return Buffer.from(result.outputFiles[0]!.contents);
}

/** The archive's file name for `version` (v0.1.0): what the manifest's uri must end with. */
export const archiveName = (version: string) => `${TOP}-${version}.tar.gz`;

/**
 * Builds the archive and the filled manifest into `outDir` from the compiled plugin in `dist` and the repository's
 * LICENSE and manifest template.
 */
export async function buildKrewRelease(repo: string, dist: string, outDir: string): Promise<KrewRelease> {
  const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { version: string };
  const version = `v${pkg.version}`;
  const plugin = join(dist, 'src/kubectl-plugin');
  const entries: TarEntry[] = [
    { path: `${TOP}/`, mode: 0o755 },
    {
      path: `${TOP}/kubectl-restart`,
      content: await bundled(join(plugin, 'kubectl-restart.js')),
      mode: 0o755,
    },
    {
      path: `${TOP}/kubectl_complete-restart`,
      content: await bundled(join(plugin, 'kubectl-complete-restart.js')),
      mode: 0o755,
    },
    { path: `${TOP}/LICENSE`, content: await readFile(join(repo, 'LICENSE')), mode: 0o644 },
  ];
  const archive = tarGz(entries);
  const sha256 = createHash('sha256').update(archive).digest('hex');

  const template = await readFile(join(repo, 'docs/krew/restart.yaml'), 'utf8');
  const problems = [
    !template.includes(`  version: ${version}\n`) && `spec.version is not ${version} (package.json)`,
    !template.includes(`/${archiveName(version)}\n`) && `the uri does not end with /${archiveName(version)}`,
    !template.includes(`sha256: ${UNSET_SHA256}`) && 'no sha256 placeholder to fill',
    !template.includes(`bin: kubectl-restart\n`) && 'bin is not kubectl-restart',
  ].filter((p) => p !== false);
  if (problems.length > 0) throw new Error(`docs/krew/restart.yaml: ${problems.join('; ')}`);

  await mkdir(outDir, { recursive: true });
  const archivePath = join(outDir, archiveName(version));
  const manifestPath = join(outDir, 'restart.yaml');
  await writeFile(archivePath, archive);
  await writeFile(manifestPath, template.replace(`sha256: ${UNSET_SHA256}`, `sha256: '${sha256}'`));
  return {
    archive: archivePath,
    manifest: manifestPath,
    sha256,
    files: entries.map((e) => e.path),
  };
}
