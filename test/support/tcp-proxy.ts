// A loopback TCP proxy in front of kube-apiserver (TLS passes through untouched), which a test can take down for a
// moment as a kube-apiserver restart would: open connections reset, new ones refused, then back on the same port.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from '../control-plane/processes.js';

export interface TcpProxy {
  url: string;
  /** Resets every connection and refuses new ones for `ms`, then accepts again. */
  blip: (ms: number) => Promise<void>;
  close: () => Promise<void>;
}

export async function startTcpProxy(target: URL): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  const listen = (): Promise<Server> =>
    new Promise((resolve, reject) => {
      const server = createServer((client) => {
        const upstream = connect(Number(target.port), target.hostname);
        for (const [a, b] of [
          [client, upstream],
          [upstream, client],
        ] as const) {
          sockets.add(a);
          a.pipe(b);
          a.on('error', () => b.destroy());
          a.on('close', () => {
            sockets.delete(a);
            b.destroy();
          });
        }
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  let server = await listen();
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.resetAndDestroy();
    });
  return {
    url: `https://127.0.0.1:${port}`,
    blip: async (ms) => {
      await stop();
      await new Promise((r) => setTimeout(r, ms));
      server = await listen();
    },
    close: stop,
  };
}
