// The infraops.michael.io objects the plugin reads: the answer to a restart and our view of a node.
export const GROUP = 'infraops.michael.io';
export const API = `/apis/${GROUP}/v1`;

export const nodePath = (name: string) => `${API}/nodes/${encodeURIComponent(name)}`;
/** How kubectl names the target (`kubectl get -o name` form). */
export const qualified = (name: string) => `node.${GROUP}/${name}`;

export interface NodeRestart {
  apiVersion: string;
  kind: 'NodeRestart';
  metadata: { name: string; creationTimestamp?: string };
  spec?: { mode?: string; reason?: string; dryRun?: string[] };
  status?: {
    phase?: string;
    dryRun?: boolean;
    cloud?: string;
    region?: string;
    zone?: string;
    instanceID?: string;
    mode?: string;
    requestID?: string;
    previousBootID?: string;
    message?: string;
    checks?: { name: string; detail?: string }[];
  };
}

export interface NodeObject {
  metadata: { name: string };
  status?: { ready?: boolean | string; bootID?: string };
}

export interface NodeList {
  items: NodeObject[];
}

/** Our nodes resource says ready as a boolean (older servers: "True"/"False"/"Unknown"). */
export const isReady = (node: NodeObject): boolean =>
  node.status?.ready === true || node.status?.ready === 'True';
