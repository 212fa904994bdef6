import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { parseCertificate } from '../../../src/auth/x509-certificate.js';
import { makeCertificate } from './test-certificates.js';

test('a certificate is parsed once, whichever object brings it (each connection brings new ones)', async () => {
  const a = await makeCertificate({ commonName: 'front-proxy-client', organizations: ['o'] });
  const b = await makeCertificate({ commonName: 'other-client' });
  const first = parseCertificate(new X509Certificate(a.cert.raw));
  const again = parseCertificate(new X509Certificate(a.cert.raw));
  assert.equal(again, first, 'the same parse for the same bytes');
  assert.deepEqual([first.commonName, first.organizations], ['front-proxy-client', ['o']]);
  const other = parseCertificate(new X509Certificate(b.cert.raw));
  assert.notEqual(other, first);
  assert.equal(other.commonName, 'other-client');
});
