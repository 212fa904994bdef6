// A minimal HTTPS GET with a client certificate, for probing servers before any kubeconfig is usable.
import { request } from 'node:https';
import { readFileSync } from 'node:fs';

export interface HttpsGetOptions {
  ca?: Buffer | string;
  certFile?: string;
  keyFile?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export function httpsGet(url: string, opts: HttpsGetOptions = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: opts.ca,
        cert: opts.certFile ? readFileSync(opts.certFile) : undefined,
        key: opts.keyFile ? readFileSync(opts.keyFile) : undefined,
        headers: opts.headers,
        timeout: opts.timeoutMs ?? 5000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${opts.timeoutMs ?? 5000} ms`)));
    req.on('error', reject);
    req.end();
  });
}
