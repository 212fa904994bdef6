// The benchmark's Nodes: as a kubelet on EKS writes them (test/support/nodes.ts: ~15 KB each, 50 images,
// managedFields), or with `--small-nodes` the ~1 KB Nodes the benchmark had before. Node 0 is the EC2
// emulator's instance, so a restart of it reaches a cloud.
import { kubeClients } from '../support/kube.js';
import { createKubeletNode, createNode } from '../support/nodes.js';

export const SMALL_NODES = process.argv.includes('--small-nodes');
export const EC2_INSTANCE = 'i-0b0000000000be0c4';
export const nodeName = (i: number) => `bench-node-${String(i).padStart(5, '0')}`;
const instanceID = (i: number) => (i === 0 ? EC2_INSTANCE : `i-0${i.toString(16).padStart(16, '0')}`);

/** Runs `fn` over the items, `concurrency` at a time. */
export async function pool<T>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Creates Nodes from..to-1 and returns the seconds it took. */
export async function createBenchNodes(kubeconfig: string, from: number, to: number): Promise<number> {
  const started = performance.now();
  const { core } = kubeClients(kubeconfig);
  const indexes = Array.from({ length: to - from }, (_, i) => from + i);
  const zone = 'us-east-1a';
  await pool(indexes, 32, (i) =>
    SMALL_NODES
      ? createNode(core, {
          name: nodeName(i),
          providerID: `aws:///${zone}/${instanceID(i)}`,
          labels: { 'topology.kubernetes.io/region': 'us-east-1', 'topology.kubernetes.io/zone': zone },
        })
      : createKubeletNode(core, { name: nodeName(i), index: i, zone, instanceID: instanceID(i) }),
  );
  return (performance.now() - started) / 1000;
}
