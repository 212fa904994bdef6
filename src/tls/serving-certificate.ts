// The serving certificate: from --tls-cert-file/--tls-private-key-file (re-read when they change), or,
// as k8s.io/apiserver does without them, a self-signed one made in memory at start.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { issueCertificate, type KeyPairPem } from './pki.js';

export async function loadServingCertificate(certFile: string, keyFile: string): Promise<KeyPairPem> {
  const [certPem, keyPem] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  checkPair({ certPem, keyPem });
  return { certPem, keyPem };
}

/** Fails with a clear message for a file that is not a certificate, or a key that does not match it. */
export function checkPair(pair: KeyPairPem): void {
  const cert = new X509Certificate(pair.certPem);
  const key = createPrivateKey(pair.keyPem);
  if (!cert.checkPrivateKey(key)) throw new Error('the private key does not match the serving certificate');
}

export function selfSignedServingCertificate(bindAddress: string): Promise<KeyPairPem> {
  const hosts = ['localhost', '127.0.0.1', hostname()];
  if (bindAddress !== '0.0.0.0' && bindAddress !== '::' && !hosts.includes(bindAddress))
    hosts.push(bindAddress);
  return issueCertificate({
    commonName: `localhost@${Math.floor(Date.now() / 1000)}`,
    usage: 'server',
    hosts,
  });
}
