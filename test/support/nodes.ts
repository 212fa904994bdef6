// There are no kubelets: tests create Nodes and play the kubelet's part by writing their status.
import { randomUUID } from 'node:crypto';
import type { CoreV1Api, V1Node, V1NodeAddress } from '@kubernetes/client-node';

export interface NodeSpec {
  name: string;
  providerID?: string;
  labels?: Record<string, string>;
  ready?: boolean;
  addresses?: V1NodeAddress[];
  bootID?: string;
  unschedulable?: boolean;
}

function status(spec: NodeSpec, previous?: V1Node['status']): V1Node['status'] {
  const now = new Date();
  return {
    ...previous,
    conditions: [
      {
        type: 'Ready',
        status: spec.ready === false ? 'False' : 'True',
        reason: spec.ready === false ? 'KubeletNotReady' : 'KubeletReady',
        message:
          spec.ready === false ? 'test kubelet says not ready' : 'test kubelet is posting ready status',
        lastHeartbeatTime: now,
        lastTransitionTime: now,
      },
    ],
    addresses: spec.addresses ?? previous?.addresses ?? [{ type: 'InternalIP', address: '10.0.0.10' }],
    nodeInfo: {
      ...(previous?.nodeInfo ?? {
        machineID: randomUUID().replaceAll('-', ''),
        systemUUID: randomUUID(),
        kernelVersion: '6.1.0',
        osImage: 'Debian GNU/Linux 12',
        containerRuntimeVersion: 'containerd://1.7.0',
        kubeletVersion: 'v1.36.3',
        kubeProxyVersion: 'v1.36.3',
        operatingSystem: 'linux',
        architecture: 'amd64',
      }),
      bootID: spec.bootID ?? previous?.nodeInfo?.bootID ?? randomUUID(),
    },
  };
}

/** One request: a Node keeps the status it is created with, as when a kubelet registers it. */
export async function createNode(core: CoreV1Api, spec: NodeSpec): Promise<V1Node> {
  return core.createNode({
    body: {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: spec.name, labels: spec.labels },
      spec: { providerID: spec.providerID, unschedulable: spec.unschedulable },
      status: status(spec),
    },
  });
}

/** Writes the node's status as its kubelet would (Ready, and a new bootID after a reboot). */
export async function updateNodeStatus(
  core: CoreV1Api,
  name: string,
  change: Pick<NodeSpec, 'ready' | 'bootID' | 'addresses'>,
): Promise<V1Node> {
  // Read, change, write — again on a conflict, as the kubelet does: the server annotates Nodes meanwhile.
  for (let attempt = 1; ; attempt++) {
    const node = await core.readNode({ name });
    try {
      return await core.replaceNodeStatus({
        name,
        body: { ...node, status: status({ name, ...change }, node.status) },
      });
    } catch (err) {
      if ((err as { code?: number }).code !== 409 || attempt >= 5) throw err;
    }
  }
}

export async function deleteNodes(core: CoreV1Api, names: string[]): Promise<void> {
  await Promise.all(names.map((name) => core.deleteNode({ name }).catch(() => undefined)));
}

/** The kubelet after a reboot: Ready again, with a new bootID. Returns the new bootID. */
export async function bootAgain(core: CoreV1Api, name: string): Promise<string> {
  const bootID = randomUUID();
  await updateNodeStatus(core, name, { ready: true, bootID });
  return bootID;
}
