// The kubectl-restart plugin as kubectl finds it: an executable named kubectl-restart in a directory on PATH. The
// wrapper runs the compiled plugin with this process's Node (24), whatever `node` on PATH is.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../control-plane/paths.js';

export const PLUGIN_ENTRY = join(repoRoot, 'dist/src/kubectl-plugin/kubectl-restart.js');
const COMPLETION_ENTRY = join(repoRoot, 'dist/src/kubectl-plugin/kubectl-complete-restart.js');

/** Quotes a word for sh when it needs it. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Writes <binDir>/kubectl-restart, its completion kubectl_complete-restart, and kubectl-reset, -stop and -start;
 * returns the restart plugin's path.
 */
export async function installPlugin(binDir: string): Promise<string> {
  await mkdir(binDir, { recursive: true });
  const write = async (name: string, entry: string) => {
    const path = join(binDir, name);
    await writeFile(path, `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(entry)} "$@"\n`);
    await chmod(path, 0o755);
    return path;
  };
  await write('kubectl_complete-restart', COMPLETION_ENTRY);
  for (const action of ['reset', 'stop', 'start']) {
    await write(`kubectl-${action}`, join(repoRoot, `dist/src/kubectl-plugin/kubectl-${action}.js`));
  }
  return write('kubectl-restart', PLUGIN_ENTRY);
}
