// The client's certificate chain, parsed once per TLS connection: a keep-alive connection from the
// aggregator carries thousands of requests, and X.509 parsing is the costly part of authenticating them.
import { X509Certificate } from 'node:crypto';
import type { TLSSocket, DetailedPeerCertificate } from 'node:tls';

const chains = new WeakMap<TLSSocket, X509Certificate[]>();

export function peerChain(socket: TLSSocket): X509Certificate[] {
  let chain = chains.get(socket);
  if (!chain) {
    chain = [];
    const seen = new Set<string>();
    let c: DetailedPeerCertificate | undefined =
      typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate(true) : undefined;
    while (c?.raw && !seen.has(c.fingerprint256)) {
      seen.add(c.fingerprint256);
      chain.push(new X509Certificate(c.raw));
      c = c.issuerCertificate;
    }
    chains.set(socket, chain);
  }
  return chain;
}

/** Per-connection memo of a verification, valid while the trust it was made against is unchanged. */
export function memoPerConnection<T>(
  memo: WeakMap<TLSSocket, { version: number; value: T }>,
  socket: TLSSocket,
  version: number,
  compute: () => T,
): T {
  const hit = memo.get(socket);
  if (hit && hit.version === version) return hit.value;
  const value = compute();
  memo.set(socket, { version, value });
  return value;
}
