// Gauges from our server's own /metrics (prom-client's default Node.js metrics among them), asked as the front
// proxy for a system:masters user.
import { readFile } from 'node:fs/promises';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';
import { direct } from '../support/direct.js';
import type { RunningServer } from '../support/server.js';

/** V8's heap used and committed, and external (Buffer) memory. */
export const MEMORY_GAUGES = [
  'nodejs_heap_size_used_bytes',
  'nodejs_heap_size_total_bytes',
  'nodejs_external_memory_bytes',
];

export async function ourGauges(
  server: RunningServer,
  cp: ControlPlaneInfo,
  names: string[],
): Promise<number[]> {
  const res = await direct(server.url, server.servingCa.certPem, {
    path: '/metrics',
    cert: await readFile(cp.pki.frontProxyClientCert, 'utf8'),
    key: await readFile(cp.pki.frontProxyClientKey, 'utf8'),
    headers: { 'X-Remote-User': 'bench-admin', 'X-Remote-Group': 'system:masters' },
  });
  return names.map((name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(res.body)?.[1] ?? NaN));
}

/** Least-squares slope of `ys` against `xs`; 0 when the xs do not vary. */
export function leastSquaresSlope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, x) => a + x, 0) / n;
  const my = ys.reduce((a, y) => a + y, 0) / n;
  const num = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
  const den = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}
