// The kubectl-restart plugin as kubectl finds it: an executable named kubectl-restart in a directory on PATH. The
// wrapper runs the compiled plugin with this process's Node (24), whatever `node` on PATH is.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../control-plane/paths.js';

export const PLUGIN_ENTRY = join(repoRoot, 'dist/src/plugin/kubectl-restart.js');

/** Quotes a word for sh when it needs it. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Writes <binDir>/kubectl-restart; returns its path. */
export async function installPlugin(binDir: string): Promise<string> {
  await mkdir(binDir, { recursive: true });
  const plugin = join(binDir, 'kubectl-restart');
  await writeFile(
    plugin,
    `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(PLUGIN_ENTRY)} "$@"\n`,
  );
  await chmod(plugin, 0o755);
  return plugin;
}
