import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { commonNameOf, userFromClientCertificate } from '../../../src/auth/client-cert-user.js';
import { createCertificateAuthority, issueCertificate } from '../../../src/tls/pki.js';
import { makeCertificate } from './test-certificates.js';

const credentialId = (cert: X509Certificate) =>
  `X509SHA256=${createHash('sha256').update(cert.raw).digest('hex')}`;

test('CN is the name, every O a group, the SHA-256 of the certificate its credential id', async () => {
  const ca = await createCertificateAuthority('cluster-ca');
  const cert = new X509Certificate(
    (await issueCertificate({ commonName: 'alice', organizations: ['devs', 'admins'], usage: 'client' }, ca))
      .certPem,
  );
  assert.deepEqual(userFromClientCertificate(cert), {
    user: {
      name: 'alice',
      groups: ['devs', 'admins'],
      extra: { 'authentication.kubernetes.io/credential-id': [credentialId(cert)] },
    },
  });
  assert.equal(credentialId(cert), `X509SHA256=${cert.fingerprint256.replace(/:/g, '').toLowerCase()}`);
});

test('the Kubernetes UID attribute, the CN rules and their errors', async () => {
  const rows: [string, Parameters<typeof makeCertificate>[0], 'user' | 'none' | string][] = [
    ['one UID', { commonName: 'bob', uids: ['uid-1'] }, 'user'],
    ['no CN: not authenticated, no error', { organizations: ['devs'] }, 'none'],
    ['two UIDs', { commonName: 'bob', uids: ['u1', 'u2'] }, 'expected 1 UID, but found multiple: [u1 u2]'],
    ['an empty UID', { commonName: 'bob', uids: [''] }, 'UID cannot be an empty string'],
  ];
  for (const [name, spec, expected] of rows) {
    const { cert } = await makeCertificate(spec);
    const result = userFromClientCertificate(cert);
    if (expected === 'none') assert.equal(result, undefined, name);
    else if (expected === 'user') {
      assert.deepEqual(
        result,
        {
          user: {
            name: 'bob',
            uid: 'uid-1',
            groups: [],
            extra: { 'authentication.kubernetes.io/credential-id': [credentialId(cert)] },
          },
        },
        name,
      );
    } else assert.deepEqual(result, { error: expected }, name);
  }
});

test('commonNameOf gives the last CN of the subject', async () => {
  const { cert } = await makeCertificate({ commonName: 'front-proxy-client' });
  assert.equal(commonNameOf(cert), 'front-proxy-client');
});
