// A kube-apiserver stand-in on 127.0.0.1 for the watch-list clients' unit tests: each request is answered with
// `answer` and kept (its query and Accept header), and a kubeconfig points at it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

export interface SeenRequest {
  query: URLSearchParams;
  accept: string | undefined;
}

export async function withServer(
  answer: (res: ServerResponse, req: IncomingMessage) => void,
  run: (kc: KubeConfig, requests: SeenRequest[]) => Promise<void>,
): Promise<void> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ query: new URL(req.url!, 'http://x').searchParams, accept: req.headers.accept });
    answer(res, req);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    // Plain HTTP on loopback, which client-node allows only with skipTLSVerify.
    clusters: [
      {
        name: 'c',
        server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        skipTLSVerify: true,
      },
    ],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  try {
    await run(kc, requests);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
