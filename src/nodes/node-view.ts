// Our `nodes` resource: a core Node seen through its cloud. Views are cached per Node object (the informer
// replaces the object on every change), so listing thousands of nodes re-derives nothing.
import type { V1Node } from '@kubernetes/client-node';
import { parseProviderID } from '../cloud/provider-id.js';
import { resolveCloudLocation } from '../cloud/cloud-location.js';
import { VERSION } from '../discovery/resource-catalog.js';

export interface NodeView {
  apiVersion: string;
  kind: 'Node';
  metadata: {
    name: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
  };
  spec: { providerID?: string };
  status: {
    cloud?: string;
    region?: string;
    zone?: string;
    instanceID?: string;
    restartable: boolean;
    message?: string;
    ready: string;
    bootID?: string;
    addresses?: { type: string; address: string }[];
  };
}

const cache = new WeakMap<V1Node, NodeView>();

function timestamp(t: Date | string | undefined): string | undefined {
  if (t === undefined) return undefined;
  return (t instanceof Date ? t.toISOString() : t).replace(/\.\d+Z$/, 'Z');
}

async function cloudStatus(node: V1Node): Promise<Partial<NodeView['status']> & { restartable: boolean }> {
  const parsed = parseProviderID(node.spec?.providerID);
  if (parsed.kind !== 'ok') {
    const cloud = parsed.kind === 'invalid' || parsed.kind === 'unsupported' ? parsed.cloud : undefined;
    return { cloud, restartable: false, message: parsed.reason };
  }
  const id = parsed.identity;
  const base = { cloud: id.cloud, zone: id.zone, instanceID: id.instanceId };
  const located = await resolveCloudLocation(id, node.metadata?.labels);
  if (located.kind === 'unresolved') return { ...base, restartable: false, message: located.reason };
  return { ...base, zone: located.identity.zone, region: located.identity.region, restartable: true };
}

export async function nodeView(node: V1Node, group: string): Promise<NodeView> {
  const hit = cache.get(node);
  if (hit) return hit;
  const m = node.metadata ?? {};
  const view: NodeView = {
    apiVersion: `${group}/${VERSION}`,
    kind: 'Node',
    metadata: {
      name: m.name!,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: timestamp(m.creationTimestamp),
      labels: m.labels,
    },
    spec: { providerID: node.spec?.providerID },
    status: {
      ...(await cloudStatus(node)),
      ready: node.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown',
      bootID: node.status?.nodeInfo?.bootID || undefined,
      addresses: node.status?.addresses?.map(({ type, address }) => ({ type, address })),
    },
  };
  cache.set(node, view);
  return view;
}
