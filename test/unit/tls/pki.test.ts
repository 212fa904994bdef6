import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import {
  createCertificateAuthority,
  issueCertificate,
  loadCertificateAuthority,
} from '../../../src/tls/pki.js';

test('a CA issues a client certificate that verifies against it and not against another CA', async () => {
  const ca = await createCertificateAuthority('front-proxy-ca');
  const other = await createCertificateAuthority('other-ca');
  const leaf = await issueCertificate(
    { commonName: 'front-proxy-client', organizations: ['g1', 'g2'], usage: 'client' },
    ca,
  );
  const cert = new X509Certificate(leaf.certPem);
  const caCert = new X509Certificate(ca.certPem);
  assert.equal(
    cert.subject.split('\n').find((l) => l.startsWith('CN=')),
    'CN=front-proxy-client',
  );
  assert.deepEqual(
    cert.subject.split('\n').filter((l) => l.startsWith('O=')),
    ['O=g1', 'O=g2'],
  );
  assert.ok(cert.checkIssued(caCert) && cert.verify(caCert.publicKey));
  assert.equal(cert.verify(new X509Certificate(other.certPem).publicKey), false);
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
});

test('a serving certificate carries DNS and IP subject alternative names', async () => {
  const ca = await loadCertificateAuthority(
    ...(await createCertificateAuthority('ca').then((c) => [c.certPem, c.keyPem] as const)),
  );
  const leaf = await issueCertificate(
    { commonName: 'svc', usage: 'server', hosts: ['svc.ns.svc', '127.0.0.1'] },
    ca,
  );
  const cert = new X509Certificate(leaf.certPem);
  assert.equal(cert.subjectAltName, 'DNS:svc.ns.svc, IP Address:127.0.0.1');
  assert.ok(cert.checkHost('svc.ns.svc'));
  assert.ok(cert.verify(new X509Certificate(ca.certPem).publicKey));
});

test('without a CA the certificate is self-signed', async () => {
  const leaf = await issueCertificate({ commonName: 'localhost', usage: 'server', hosts: ['localhost'] });
  const cert = new X509Certificate(leaf.certPem);
  assert.equal(cert.issuer, cert.subject);
  assert.ok(cert.verify(cert.publicKey));
});
