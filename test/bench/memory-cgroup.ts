// Our server runs under the memory limit of the Deployment we ship (kustomize/base/deployment.yaml), as in a
// pod: Node sizes V8's heap from that limit. Unconstrained on a 24 GiB machine, V8's young generation alone
// grows to 64 MiB; under a 256 MiB limit to about 3 MiB. Needs a memory cgroup this process may create
// children in (root; cgroup v1 or v2); without one, ours runs unconstrained and the report says so.
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface MemoryCgroup {
  procs: string;
  limitBytes: number;
  remove: () => Promise<void>;
}

const UNITS: Record<string, number> = {
  '': 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  k: 1e3,
  M: 1e6,
  G: 1e9,
};

/** A Kubernetes memory quantity ("256Mi", "1G", "512000") in bytes. */
export function quantityBytes(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|k|M|G|)$/.exec(q.trim());
  if (!m) throw new Error(`unsupported memory quantity: ${q}`);
  return Math.round(Number(m[1]) * UNITS[m[2]!]!);
}

/** resources.limits.memory of the named container of the Deployment in a manifest. */
export function deploymentMemoryLimit(manifest: string, container: string): string | undefined {
  for (const doc of parseAllDocuments(manifest)) {
    const d = doc.toJS() as {
      kind?: string;
      spec?: {
        template?: {
          spec?: { containers?: { name: string; resources?: { limits?: { memory?: string } } }[] };
        };
      };
    };
    if (d?.kind !== 'Deployment') continue;
    const c = d.spec?.template?.spec?.containers?.find((x) => x.name === container);
    if (c?.resources?.limits?.memory) return c.resources.limits.memory;
  }
  return undefined;
}

/** This process's cgroup directory for memory: v1's memory hierarchy, else the v2 unified one. */
export function ownMemoryCgroupDir(procSelfCgroup: string): { dir: string; version: 1 | 2 } | undefined {
  const lines = procSelfCgroup.trim().split('\n');
  const v1 = lines
    .map((l) => l.split(':'))
    .find(([, controllers]) => controllers?.split(',').includes('memory'));
  if (v1) return { dir: join('/sys/fs/cgroup/memory', v1.slice(2).join(':')), version: 1 };
  const v2 = lines.find((l) => l.startsWith('0::'));
  if (v2) return { dir: join('/sys/fs/cgroup', v2.slice(3)), version: 2 };
  return undefined;
}

/** A child memory cgroup limited to `limitBytes`, or why there is none. */
export async function createMemoryCgroup(name: string, limitBytes: number): Promise<MemoryCgroup | string> {
  const own = ownMemoryCgroupDir(await readFile('/proc/self/cgroup', 'utf8'));
  if (!own) return 'no memory cgroup in /proc/self/cgroup';
  const dir = join(own.dir, name);
  try {
    await mkdir(dir);
    await writeFile(
      join(dir, own.version === 1 ? 'memory.limit_in_bytes' : 'memory.max'),
      String(limitBytes),
    );
  } catch (err) {
    await rmdir(dir).catch(() => {});
    return `cannot create a memory cgroup under ${own.dir}: ${(err as Error).message}`;
  }
  return {
    procs: join(dir, 'cgroup.procs'),
    limitBytes,
    // The kernel refuses while a process is left in it; the server is stopped first.
    remove: () => rmdir(dir).catch(() => {}),
  };
}
