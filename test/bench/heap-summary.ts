// `node dist/test/bench/heap-summary.js FILE.heapsnapshot [TOP]`: where a V8 heap snapshot's bytes are, by
// object kind (constructor, or V8's type for strings, code and arrays), largest first. Self sizes only: a list
// of what is allocated, not of who holds it (open the snapshot in Chrome DevTools' Memory panel for that).
import { readFile } from 'node:fs/promises';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapKind {
  kind: string;
  count: number;
  bytes: number;
}

/** Self sizes summed by kind: `type:name` for objects, the bare V8 type for everything else. */
export function heapKinds(s: Snapshot): HeapKind[] {
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const kinds = new Map<string, HeapKind>();
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + typeAt!]!]!;
    const kind =
      type === 'object' || type === 'closure' ? `${type}:${s.strings[s.nodes[i + nameAt!]!]}` : type;
    const entry = kinds.get(kind) ?? kinds.set(kind, { kind, count: 0, bytes: 0 }).get(kind)!;
    entry.count++;
    entry.bytes += s.nodes[i + sizeAt!]!;
  }
  return [...kinds.values()].sort((a, b) => b.bytes - a.bytes);
}

async function main(): Promise<void> {
  const [file, top = '25'] = process.argv.slice(2);
  if (!file) throw new Error('usage: heap-summary FILE.heapsnapshot [TOP]');
  const kinds = heapKinds(JSON.parse(await readFile(file, 'utf8')) as Snapshot);
  const total = kinds.reduce((sum, k) => sum + k.bytes, 0);
  const mib = (b: number) => (b / 2 ** 20).toFixed(1);
  console.log(`${file}: ${mib(total)} MiB in the heap\n\n| kind | count | MiB |\n|---|---:|---:|`);
  for (const k of kinds.slice(0, Number(top))) console.log(`| ${k.kind} | ${k.count} | ${mib(k.bytes)} |`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
