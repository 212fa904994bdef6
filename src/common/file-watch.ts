// Notices when files change on disk (certificates rotated by cert-manager, a Secret's ..data swap)
// by comparing their contents every few seconds: cheap for a few small files and immune to inotify quirks.
import { readFile } from 'node:fs/promises';

export function watchFiles(
  paths: string[],
  intervalMs: number,
  onChange: (contents: Buffer[]) => void,
  onError: (err: Error) => void,
): () => void {
  let last: string | undefined;
  let busy = false;
  const check = async () => {
    if (busy) return;
    busy = true;
    try {
      const contents = await Promise.all(paths.map((p) => readFile(p)));
      const key = contents.map((c) => c.toString('base64')).join('|');
      if (last !== undefined && key !== last) onChange(contents);
      last = key;
    } catch (err) {
      onError(err as Error);
    } finally {
      busy = false;
    }
  };
  void check();
  const timer = setInterval(check, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
