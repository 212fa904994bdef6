// Kubelet heartbeats as cheaply as a client can send them, so the control plane, not the client, bounds the rate
// on a small machine: raw HTTPS on keep-alive connections (as many as requests in flight), the strategic merge
// patch of nodes/status a kubelet sends (heartbeatPatch), the answer asked as protobuf as the kubelet asks it
// (kube-apiserver encodes it faster than JSON) and drained unread.
import { Agent, request } from 'node:https';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';
import { readFile } from 'node:fs/promises';
import { heartbeatPatch } from '../support/nodes.js';

export interface Heartbeats {
  /** Resolves with the HTTP status (0: no answer). */
  send(name: string): Promise<number>;
  close(): void;
}

export async function heartbeats(cp: ControlPlaneInfo, connections: number): Promise<Heartbeats> {
  const agent = new Agent({
    keepAlive: true,
    maxSockets: connections,
    ca: await readFile(cp.pki.clusterCaCert),
    cert: await readFile(cp.pki.adminCert),
    key: await readFile(cp.pki.adminKey),
  });
  const send = (name: string) =>
    new Promise<number>((resolve) => {
      const req = request(
        `${cp.apiserverUrl}/api/v1/nodes/${name}/status?fieldManager=kubelet`,
        {
          method: 'PATCH',
          agent,
          timeout: 30_000,
          headers: {
            'content-type': 'application/strategic-merge-patch+json',
            accept: 'application/vnd.kubernetes.protobuf, application/json',
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve(0));
      req.end(JSON.stringify(heartbeatPatch()));
    });
  return { send, close: () => agent.destroy() };
}
