// The infraops.michael.io objects the plugin reads: a node's restart (the answer to one, or its latest), node names,
// and restart batches.
export const GROUP = 'infraops.michael.io';
export const API = `/apis/${GROUP}/v1`;

export const nodePath = (name: string) => `${API}/nodes/${encodeURIComponent(name)}`;
/** POST asks for a restart; GET reads the node's latest one. */
export const restartPath = (name: string) => `${nodePath(name)}/restart`;
/** How kubectl names the target (`kubectl get -o name` form). */
export const qualified = (name: string) => `node.${GROUP}/${name}`;

export interface NodeRestart {
  apiVersion: string;
  kind: 'NodeRestart';
  metadata: { name: string; creationTimestamp?: string };
  spec?: {
    mode?: string;
    reason?: string;
    dryRun?: string[];
    drain?: { gracePeriodSeconds?: number; timeoutSeconds: number; onTimeout: string };
  };
  status?: {
    /** The operation to follow; absent on a dry run, which starts none. */
    operationID?: string;
    phase?: string;
    dryRun?: boolean;
    cloud?: string;
    region?: string;
    zone?: string;
    instanceID?: string;
    mode?: string;
    requestID?: string;
    message?: string;
    checks?: { name: string; detail?: string }[];
  };
}

export interface NodeList {
  items: { metadata: { name: string } }[];
}

export const batchesPath = `${API}/restartbatches`;
export const batchPath = (name: string) => `${batchesPath}/${encodeURIComponent(name)}`;
export const qualifiedBatch = (name: string) => `restartbatch.${GROUP}/${name}`;

export interface BatchNode {
  name: string;
  /** Pending, Restarting, Succeeded or Failed. */
  phase: string;
  operationID?: string;
  message?: string;
}

export interface RestartBatch {
  apiVersion: string;
  kind: 'RestartBatch';
  metadata: { name: string; uid?: string; creationTimestamp?: string };
  spec: { labelSelector: string; maxUnavailable: number; options?: object };
  status?: {
    /** Running, Succeeded or Failed. */
    phase?: string;
    message?: string;
    nodes?: BatchNode[];
  };
}
