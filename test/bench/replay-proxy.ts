// A loopback TLS proxy in front of kube-apiserver for our server alone (127.0.0.1, kube-apiserver's own serving
// certificate, so the ServiceAccount kubeconfig only names another port). Every request passes through to
// kube-apiserver, our server's bearer token with it, but once `takeOver` is called our server's Node watch (the
// informer's `watch=true` on /api/v1/nodes, not the streamed initial state) is served by the proxy: the events
// `write` is given, at the rate the caller writes them. So a small machine can deliver kubelet heartbeats to our
// server faster than its own control plane could make them.
import { Agent, createServer, request } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';
import { freePort } from '../control-plane/processes.js';

/** Bytes written to a replayed watch and not yet taken by the kernel past which the writer waits for a drain. */
const BACKLOG_BYTES = 1 << 20;

export interface ReplayProxy {
  url: string;
  /** Ends the Node watches passed through, as kube-apiserver ends one at its timeout; resolves once our server
   * watches again, from the proxy. */
  takeOver(): Promise<void>;
  /** Writes one event line to the replayed Node watches; false once a watcher falls behind (see `drained`). */
  write(bytes: Buffer): boolean;
  drained(): Promise<void>;
  close(): Promise<void>;
}

/** The informer's watch of every Node: not the initial state streamed (`sendInitialEvents`), no selector. */
export function isNodeWatch(method: string | undefined, path: string): boolean {
  const url = new URL(path, 'https://127.0.0.1');
  const q = url.searchParams;
  return (
    method === 'GET' &&
    url.pathname === '/api/v1/nodes' &&
    (q.get('watch') === 'true' || q.get('watch') === '1') &&
    !q.has('sendInitialEvents') &&
    !q.has('labelSelector') &&
    !q.has('fieldSelector')
  );
}

export async function startReplayProxy(cp: ControlPlaneInfo): Promise<ReplayProxy> {
  const upstream = new URL(cp.apiserverUrl);
  const agent = new Agent({ keepAlive: true, ca: await readFile(cp.pki.clusterCaCert) });
  const passedWatches = new Set<ServerResponse>();
  const replayed = new Set<ServerResponse>();
  let takenOver = false;
  let subscribed: () => void = () => {};

  const serveReplay = (res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    replayed.add(res);
    res.on('close', () => replayed.delete(res));
    subscribed();
  };

  const passThrough = (req: IncomingMessage, res: ServerResponse, nodeWatch: boolean) => {
    const up = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
        agent,
      },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        // A watch's client waits for the headers, which kube-apiserver sends before any event.
        res.flushHeaders();
        upRes.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    res.on('close', () => {
      passedWatches.delete(res);
      if (!res.writableFinished) up.destroy();
    });
    if (nodeWatch) passedWatches.add(res);
    req.pipe(up);
  };

  const port = await freePort();
  const server = createServer(
    { cert: await readFile(cp.pki.apiserverCert), key: await readFile(cp.pki.apiserverKey) },
    (req, res) => {
      const nodeWatch = isNodeWatch(req.method, req.url ?? '/');
      if (nodeWatch && takenOver) serveReplay(res);
      else passThrough(req, res, nodeWatch);
    },
  );
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');

  return {
    url: `https://127.0.0.1:${port}`,
    takeOver: async () => {
      takenOver = true;
      const watching = new Promise<void>((resolve) => (subscribed = resolve));
      for (const res of passedWatches) res.end();
      await watching;
    },
    write: (bytes) => {
      let ok = true;
      for (const res of replayed) {
        res.write(bytes);
        ok &&= res.writableLength < BACKLOG_BYTES;
      }
      return ok;
    },
    drained: async () => {
      await Promise.all(
        [...replayed]
          .filter((res) => res.writableNeedDrain)
          .map(
            (res) =>
              new Promise<void>((resolve) => {
                const done = () => {
                  res.off('drain', done).off('close', done);
                  resolve();
                };
                res.on('drain', done).on('close', done);
              }),
          ),
      );
    },
    close: async () => {
      for (const res of [...replayed, ...passedWatches]) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
    },
  };
}
