// Our `nodes` resource: a core Node seen through its cloud. A view is made from the Node cache's projection and
// encoded once (encoded-node.ts); only its bytes are kept.
import type { V1Node } from '@kubernetes/client-node';
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
  return view;
}
