// Requests sent straight to our server, bypassing kube-apiserver: what an attacker inside the cluster
// network (or kube-apiserver's front proxy, when we give the test its certificate) can send.
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';

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

/**
 * A request through kube-apiserver (so through the aggregator, RBAC and our guards) as the cluster admin, or
 * as the user of a client certificate pair; unlike kubectl it never retries, so tests see every answer.
 */
export async function viaApiserver(
  cp: ControlPlaneInfo,
  req: DirectRequest,
  user: { cert: string; key: string } = { cert: cp.pki.adminCert, key: cp.pki.adminKey },
): Promise<DirectResponse> {
  const [ca, cert, key] = await Promise.all([
    readFile(cp.pki.clusterCaCert, 'utf8'),
    readFile(user.cert, 'utf8'),
    readFile(user.key, 'utf8'),
  ]);
  return direct(cp.apiserverUrl, ca, { ...req, cert, key });
}
