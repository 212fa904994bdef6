// Keeps the listener's TLS context current: a rotated serving certificate or a changed client/front-proxy
// CA takes effect for new connections without a restart (existing keep-alive connections keep theirs).
import type { Server } from 'node:https';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import type { KeyPairPem } from './pki.js';

export const TLS_MIN_VERSIONS = { VersionTLS12: 'TLSv1.2', VersionTLS13: 'TLSv1.3' } as const;

export interface TlsMaterial {
  serving: KeyPairPem;
  /** CAs whose names we send in the CertificateRequest; verification itself happens per request. */
  clientCas: string[];
  minVersion: keyof typeof TLS_MIN_VERSIONS;
}

export function tlsOptions(m: TlsMaterial): SecureContextOptions & TlsOptions {
  return {
    key: m.serving.keyPem,
    cert: m.serving.certPem,
    ca: m.clientCas.length ? m.clientCas : undefined,
    minVersion: TLS_MIN_VERSIONS[m.minVersion],
    // Ask for a client certificate but never require one: bearer-token clients and probes connect too,
    // and which CA a certificate must chain to depends on how it is used (see auth/).
    requestCert: true,
    rejectUnauthorized: false,
  };
}

export class TlsContext {
  constructor(
    private readonly server: Server,
    private material: TlsMaterial,
  ) {}

  update(change: Partial<TlsMaterial>): void {
    this.material = { ...this.material, ...change };
    this.server.setSecureContext(tlsOptions(this.material));
  }
}
