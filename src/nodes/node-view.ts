// Our `nodes` resource: a core Node seen through its cloud. Views are cached per Node object (the informer
// replaces the object on every change), so listing thousands of nodes re-derives nothing.
import type { V1Node } from '@kubernetes/client-node';
import { encode } from '../apiserver/encoded-json.js';
import { VERSION } from '../apiserver/resource-catalog.js';
import { nodeTarget } from './node-target.js';
import { powerState, readPowerMark, type PowerMark } from './power/power-annotation.js';
import { readRestartMark, type RestartMark } from '../restarts/operations/restart-annotation.js';

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
    /** Stopped when the last power action through this server stopped the VM (see power-annotation.ts). */
    powerState?: 'Stopped';
    lastPowerAction?: PowerMark;
    /** The latest restart and its phase (see restart/restart-annotation.ts); GET nodes/NAME/restart has all of it. */
    restart?: RestartMark;
  };
}

const cache = new WeakMap<V1Node, NodeView>();
const encoded = new WeakMap<NodeView, Buffer>();

function timestamp(t: Date | string | undefined): string | undefined {
  if (t === undefined) return undefined;
  return (t instanceof Date ? t.toISOString() : t).replace(/\.\d+Z$/, 'Z');
}

/**
 * Without the clouds' own lookups (e.g. Tencent DescribeZones): a list must never wait on a cloud, so a zone id only
 * that lookup knows shows as not restartable here, while a restart still resolves it.
 */
async function cloudStatus(node: V1Node): Promise<Partial<NodeView['status']> & { restartable: boolean }> {
  const found = await nodeTarget(node);
  if (found.kind === 'unusable') {
    const { cloud, identity, reason } = found;
    return {
      cloud,
      zone: identity?.zone,
      instanceID: identity?.instanceId,
      restartable: false,
      message: reason,
    };
  }
  const { cloud, zone, region, instanceId } = found.target;
  return { cloud, zone, region, instanceID: instanceId, restartable: true };
}

export async function nodeView(node: V1Node, group: string): Promise<NodeView> {
  const hit = cache.get(node);
  if (hit) return hit;
  const m = node.metadata ?? {};
  const mark = readPowerMark(node);
  const state = powerState(node, mark);
  const restart = readRestartMark(node);
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
      ...(state && { powerState: state }),
      ...(mark && { lastPowerAction: mark }),
      ...(restart && { restart }),
    },
  };
  cache.set(node, view);
  return view;
}

/** The view as JSON, encoded once: lists and GETs send these bytes (src/apiserver/encoded-json.ts). */
export function encodedView(view: NodeView): Buffer {
  let bytes = encoded.get(view);
  if (!bytes) encoded.set(view, (bytes = encode(view)));
  return bytes;
}

const metadataBytes = new WeakMap<NodeView, Buffer>();

/**
 * The view's metadata as JSON: a slice of encodedView's bytes, not a copy, so a Table row's object (its
 * PartialObjectMetadata) costs no second encoding of the labels. JSON.stringify writes the view's keys in the
 * order it was built, metadata third.
 */
export function encodedMetadata(view: NodeView): Buffer {
  let bytes = metadataBytes.get(view);
  if (!bytes) {
    const start = Buffer.byteLength(
      JSON.stringify({ apiVersion: view.apiVersion, kind: view.kind }).slice(0, -1),
    );
    const length = Buffer.byteLength(JSON.stringify(view.metadata));
    const offset = start + ',"metadata":'.length;
    metadataBytes.set(view, (bytes = encodedView(view).subarray(offset, offset + length)));
  }
  return bytes;
}
