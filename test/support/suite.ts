// What an e2e file starts with: the run's control plane and clients for it, and what the file starts on top
// (cloud emulators, Nodes, our server, anything else), each undone by one after() hook in reverse order.
import { after } from 'node:test';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';
import { startCloudEmulators, type CloudEmulators } from './clouds.js';
import { useControlPlane } from './control-plane.js';
import { kubeClients } from './kube.js';
import { createNode, deleteNodes, type NodeSpec } from './nodes.js';
import { startServer, type RunningServer, type ServerOptions } from './server.js';

export type KubeClients = ReturnType<typeof kubeClients>;

export interface E2eSuite {
  cp: ControlPlaneInfo;
  clients: KubeClients;
  /** Both cloud emulators, stopped after the file's tests. */
  clouds: (seeds: Parameters<typeof startCloudEmulators>[0]) => Promise<CloudEmulators>;
  /** Creates the Nodes one by one, deleted after the file's tests. */
  nodes: (specs: NodeSpec[]) => Promise<void>;
  /** Our server on the control plane, stopped after the file's tests. */
  server: (opts?: ServerOptions) => Promise<RunningServer>;
  /** Runs `cleanup` after the file's tests, before what was deferred earlier. */
  defer: (cleanup: () => unknown) => void;
}

/**
 * Call at the top level of an e2e file (`const suite = await e2eSuite();`). Only what was started is undone:
 * a setup that failed half-way leaves nothing behind, and a cleanup that throws does not keep the others from
 * running (the first error fails the hook once all have run).
 */
export async function e2eSuite(): Promise<E2eSuite> {
  const cleanups: (() => unknown)[] = [];
  after(async () => {
    let failure: unknown;
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        failure ??= err;
      }
    }
    if (failure) throw failure;
  });
  const defer = (cleanup: () => unknown) => void cleanups.push(cleanup);
  const cp = await useControlPlane();
  const clients = kubeClients(cp.kubeconfig);
  return {
    cp,
    clients,
    defer,
    async clouds(seeds) {
      const clouds = await startCloudEmulators(seeds);
      defer(clouds.stop);
      return clouds;
    },
    async nodes(specs) {
      defer(() =>
        deleteNodes(
          clients.core,
          specs.map((s) => s.name),
        ),
      );
      for (const spec of specs) await createNode(clients.core, spec);
    },
    async server(opts) {
      const server = await startServer(cp, opts);
      defer(server.stop);
      return server;
    },
  };
}
