// Requests sent straight to our server, bypassing kube-apiserver: what an attacker inside the cluster
// network (or kube-apiserver's front proxy, when we give the test its certificate) can send.
import { request } from 'node:https';

export interface DirectRequest {
  method?: string;
  path: string;
  headers?: Record<string, string | string[]>;
  cert?: string;
  key?: string;
  body?: string;
}

export interface DirectResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: () => Record<string, unknown>;
}

export function direct(url: string, ca: string, req: DirectRequest): Promise<DirectResponse> {
  return new Promise((resolve, reject) => {
    const r = request(
      `${url}${req.path}`,
      {
        method: req.method ?? 'GET',
        ca,
        cert: req.cert,
        key: req.key,
        headers: req.headers,
        agent: false,
        timeout: 15_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body) as Record<string, unknown>,
          }),
        );
      },
    );
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', reject);
    r.end(req.body);
  });
}
