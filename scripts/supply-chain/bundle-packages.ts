// The npm packages the bundle contains: every package directory one of esbuild's inputs (the metafile that
// build-bundle.ts writes) lies in, with its version, licence and integrity from package-lock.json. What the
// lockfile installs but esbuild left out (unused parts, dev tools) is not shipped, so it is not listed; a dev
// dependency that an optional require() found at build time (debug's supports-color) is shipped, so it is.

export interface LockEntry {
  version?: string;
  license?: string;
  integrity?: string;
  dev?: boolean;
}

export interface BundledPackage {
  name: string;
  version: string;
  /** An SPDX expression; package.json's old `licenses` array is read when the lockfile has none. */
  license: string;
  integrity?: string;
  /** Its key in package-lock.json: node_modules/a, or node_modules/a/node_modules/b for a nested copy. */
  lockKey: string;
  /** How many of the bundle's input files come from it. */
  files: number;
}

/** The package directory of a file below node_modules, as package-lock.json keys it; undefined for our own. */
export function lockKeyOf(input: string): string | undefined {
  const start = input.indexOf('node_modules/');
  if (start < 0) return undefined;
  const parts = input.slice(start).split('/');
  const key: string[] = [];
  let i = 0;
  while (parts[i] === 'node_modules' && i + 1 < parts.length) {
    const scoped = parts[i + 1]!.startsWith('@');
    key.push('node_modules', ...parts.slice(i + 1, i + (scoped ? 3 : 2)));
    i += scoped ? 3 : 2;
  }
  return key.join('/');
}

/** The package's name from its lock key: the last node_modules/ segment. */
const nameOf = (lockKey: string) =>
  lockKey.slice(lockKey.lastIndexOf('node_modules/') + 'node_modules/'.length);

export function bundledPackages(
  inputs: string[],
  lock: Record<string, LockEntry>,
  manifestLicense: (lockKey: string) => string | undefined,
): BundledPackage[] {
  const files = new Map<string, number>();
  for (const input of inputs) {
    const key = lockKeyOf(input);
    if (key !== undefined) files.set(key, (files.get(key) ?? 0) + 1);
  }
  return [...files]
    .map(([lockKey, count]) => {
      const entry = lock[lockKey];
      if (!entry?.version) throw new Error(`${lockKey} is in the bundle but not in package-lock.json`);
      return {
        name: nameOf(lockKey),
        version: entry.version,
        license: entry.license ?? manifestLicense(lockKey) ?? 'UNKNOWN',
        ...(entry.integrity && { integrity: entry.integrity }),
        lockKey,
        files: count,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** A package.json's licence: `license`, or the types of the deprecated `licenses` array joined with OR. */
export function manifestLicense(manifest: {
  license?: string | { type?: string };
  licenses?: { type?: string }[];
}): string | undefined {
  if (typeof manifest.license === 'string') return manifest.license;
  if (manifest.license?.type) return manifest.license.type;
  const types = (manifest.licenses ?? []).map((l) => l.type).filter((t): t is string => !!t);
  return types.length === 0 ? undefined : types.length === 1 ? types[0] : `(${types.join(' OR ')})`;
}
