// The control plane's PKI, laid out as kubeadm lays out /etc/kubernetes/pki: a cluster CA, a separate
// front-proxy CA (sharing one breaks client-certificate users, see the aggregation docs), and a
// service-account signing key.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { createCertificateAuthority, issueCertificate } from '../../src/tls/pki.js';

export interface ControlPlanePki {
  clusterCaCert: string;
  clusterCaKey: string;
  frontProxyCaCert: string;
  frontProxyCaKey: string;
  frontProxyClientCert: string;
  frontProxyClientKey: string;
  apiserverCert: string;
  apiserverKey: string;
  adminCert: string;
  adminKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

async function write(dir: string, name: string, pem: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, pem, { mode: 0o600 });
  return path;
}

export async function createControlPlanePki(dir: string): Promise<ControlPlanePki> {
  const [clusterCa, frontProxyCa] = await Promise.all([
    createCertificateAuthority('kubernetes'),
    createCertificateAuthority('front-proxy-ca'),
  ]);
  const [apiserver, admin, frontProxyClient] = await Promise.all([
    issueCertificate(
      {
        commonName: 'kube-apiserver',
        usage: 'server',
        hosts: [
          '127.0.0.1',
          'localhost',
          'kubernetes',
          'kubernetes.default',
          'kubernetes.default.svc',
          '10.96.0.1',
        ],
      },
      clusterCa,
    ),
    issueCertificate(
      { commonName: 'kubernetes-admin', organizations: ['system:masters'], usage: 'client' },
      clusterCa,
    ),
    issueCertificate({ commonName: 'front-proxy-client', usage: 'client' }, frontProxyCa),
  ]);
  const sa = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
  const pem = (der: ArrayBuffer, label: string) =>
    `-----BEGIN ${label}-----\n${Buffer.from(der)
      .toString('base64')
      .replace(/(.{64})/g, '$1\n')
      .trimEnd()}\n-----END ${label}-----\n`;
  return {
    clusterCaCert: await write(dir, 'ca.crt', clusterCa.certPem),
    clusterCaKey: await write(dir, 'ca.key', clusterCa.keyPem),
    frontProxyCaCert: await write(dir, 'front-proxy-ca.crt', frontProxyCa.certPem),
    frontProxyCaKey: await write(dir, 'front-proxy-ca.key', frontProxyCa.keyPem),
    frontProxyClientCert: await write(dir, 'front-proxy-client.crt', frontProxyClient.certPem),
    frontProxyClientKey: await write(dir, 'front-proxy-client.key', frontProxyClient.keyPem),
    apiserverCert: await write(dir, 'apiserver.crt', apiserver.certPem),
    apiserverKey: await write(dir, 'apiserver.key', apiserver.keyPem),
    adminCert: await write(dir, 'admin.crt', admin.certPem),
    adminKey: await write(dir, 'admin.key', admin.keyPem),
    serviceAccountKey: await write(
      dir,
      'sa.key',
      pem(await webcrypto.subtle.exportKey('pkcs8', sa.privateKey), 'PRIVATE KEY'),
    ),
    serviceAccountPub: await write(
      dir,
      'sa.pub',
      pem(await webcrypto.subtle.exportKey('spki', sa.publicKey), 'PUBLIC KEY'),
    ),
  };
}
