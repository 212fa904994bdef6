// A gzipped POSIX ustar archive of a few files, with no dates, owners or order taken from the machine that builds
// it: the same files make the same archive, so a release archive's sha256 follows from its content.
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  /** The path in the archive; a directory's ends with `/`. */
  path: string;
  /** File content; none for a directory. */
  content?: Buffer;
  mode: number;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(entry: TarEntry): Buffer {
  if (Buffer.byteLength(entry.path) > 100) throw new Error(`${entry.path}: longer than a ustar name`);
  const h = Buffer.alloc(BLOCK);
  const directory = entry.path.endsWith('/');
  h.write(entry.path, 0, 100, 'utf8');
  h.write(octal(entry.mode, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii'); // uid
  h.write(octal(0, 8), 116, 'ascii'); // gid
  h.write(octal(entry.content?.length ?? 0, 12), 124, 'ascii');
  h.write(octal(0, 12), 136, 'ascii'); // mtime
  h.write(' '.repeat(8), 148, 'ascii'); // the checksum counts its own field as spaces
  h.write(directory ? '5' : '0', 156, 'ascii');
  h.write('ustar\0' + '00', 257, 'ascii');
  h.write('root', 265, 'ascii');
  h.write('root', 297, 'ascii');
  const sum = h.reduce((s, b) => s + b, 0);
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

/** The entries, in the order given, as a .tar.gz. */
export function tarGz(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    blocks.push(header(entry));
    if (entry.content) {
      blocks.push(entry.content);
      const pad = (BLOCK - (entry.content.length % BLOCK)) % BLOCK;
      if (pad) blocks.push(Buffer.alloc(pad));
    }
  }
  blocks.push(Buffer.alloc(2 * BLOCK));
  return gzipSync(Buffer.concat(blocks), { level: 9 });
}
