// `node dist/test/bench/heap-buffers.js FILE.heapsnapshot [SIZE]`: the ArrayBuffer memory a V8 heap snapshot holds
// (external to the heap: Buffers), by backing-store size, and for the stores of SIZE bytes (default 65536, Node's
// Buffer pool slab) which Buffers view them and what holds those Buffers, two steps up. A slab stays alive as long
// as any slice of it does, so one small Buffer kept for long keeps 64 KiB.
import { readFile } from 'node:fs/promises';

interface Snapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** Backing-store bytes by store size, largest total first. */
export interface StoreSizes {
  size: number;
  count: number;
}

export function bufferHolders(
  s: Snapshot,
  slab: number,
): { stores: StoreSizes[]; holders: [string, number][] } {
  const { node_fields: nf, edge_fields: ef, node_types: nt, edge_types: et } = s.snapshot.meta;
  const [W, EW] = [nf.length, ef.length];
  const [T, N, SZ, EC] = ['type', 'name', 'self_size', 'edge_count'].map((f) => nf.indexOf(f)) as number[];
  const [ET, EN, TO] = ['type', 'name_or_index', 'to_node'].map((f) => ef.indexOf(f)) as number[];
  const count = s.nodes.length / W;
  const name = (i: number) => s.strings[s.nodes[i * W + N!]!]!;
  const label = (i: number) => `${nt[0][s.nodes[i * W + T!]!]}:${name(i)}`;
  const retainers = new Map<number, [number, string][]>();
  for (let i = 0, e = 0; i < count; i++)
    for (const end = e + s.nodes[i * W + EC!]! * EW; e < end; e += EW) {
      const type = et[0][s.edges[e + ET!]!];
      if (type === 'weak') continue;
      const edge =
        type === 'element' || type === 'hidden' ? String(s.edges[e + EN!]) : s.strings[s.edges[e + EN!]!]!;
      const to = s.edges[e + TO!]! / W;
      (retainers.get(to) ?? retainers.set(to, []).get(to)!).push([i, edge]);
    }
  const sizes = new Map<number, number>();
  const holders = new Map<string, number>();
  const up = (i: number) =>
    (retainers.get(i) ?? [])
      .slice(0, 2)
      .map(([r, edge]) => `${label(r)}.${edge}`)
      .join(' | ');
  for (let i = 0; i < count; i++) {
    if (name(i) !== 'system / JSArrayBufferData') continue;
    const size = s.nodes[i * W + SZ!]!;
    sizes.set(size, (sizes.get(size) ?? 0) + 1);
    if (size !== slab) continue;
    const arrayBuffer = retainers.get(i)?.find(([r]) => name(r) === 'ArrayBuffer')?.[0];
    for (const [view] of retainers.get(arrayBuffer ?? -1) ?? []) {
      if (name(view) === 'ArrayBuffer') continue;
      const path = `${label(view)} <- ${(retainers.get(view) ?? [])
        .slice(0, 2)
        .map(([r, edge]) => `${label(r)}.${edge} <- ${up(r)}`)
        .join(' ; ')}`;
      holders.set(path, (holders.get(path) ?? 0) + 1);
    }
  }
  return {
    stores: [...sizes]
      .map(([size, n]) => ({ size, count: n }))
      .sort((a, b) => b.size * b.count - a.size * a.count),
    holders: [...holders].sort((a, b) => b[1] - a[1]),
  };
}

async function main(): Promise<void> {
  const [file, slab = '65536'] = process.argv.slice(2);
  if (!file) throw new Error('usage: heap-buffers FILE.heapsnapshot [SIZE]');
  const { stores, holders } = bufferHolders(
    JSON.parse(await readFile(file, 'utf8')) as Snapshot,
    Number(slab),
  );
  const total = stores.reduce((sum, s) => sum + s.size * s.count, 0);
  console.log(
    `${file}: ${(total / 2 ** 20).toFixed(1)} MiB in ArrayBuffers\n\n| store bytes | count |\n|---:|---:|`,
  );
  for (const s of stores.slice(0, 10)) console.log(`| ${s.size} | ${s.count} |`);
  console.log(`\nBuffers on ${slab}-byte stores, by what holds them:`);
  for (const [path, n] of holders.slice(0, 20)) console.log(`${n}\t${path}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
