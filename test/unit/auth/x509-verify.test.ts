import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { verifyClientCertificate } from '../../../src/auth/request-header.js';
import { createCertificateAuthority, issueCertificate } from '../../../src/tls/pki.js';
import { EKU, makeCertificate, type CertificateSpec, type TestCertificate } from './test-certificates.js';

const NOW = new Date('2030-06-01T12:00:00.500Z');
const year = (n: number) => new Date(Date.UTC(2030 + n, 0, 1));
const valid = { notBefore: year(-5), notAfter: year(5) };
const unknownAuthority = 'x509: certificate signed by unknown authority';
const hint = (error: string, name: string) =>
  `${unknownAuthority} (possibly because of "${error}" while trying to verify candidate authority certificate "${name}")`;
const cannotSign = 'x509: invalid signature: parent certificate cannot sign this kind of certificate';
const incompatible = 'x509: certificate specifies an incompatible key usage';

test('client certificate chains verify as crypto/x509 Verify with KeyUsages [clientAuth]', async () => {
  const root = await makeCertificate({ commonName: 'front-proxy-ca', ca: true, ...valid });
  const ca = (spec: CertificateSpec) => makeCertificate({ ca: true, ...valid, ...spec });
  const leaf = (spec: CertificateSpec = {}) =>
    makeCertificate({
      commonName: 'front-proxy-client',
      issuer: root,
      notBefore: year(-1),
      notAfter: year(1),
      extKeyUsages: [EKU.clientAuth],
      ...spec,
    });
  const twin = await ca({ commonName: 'front-proxy-ca' });
  const other = await ca({ commonName: 'other-ca' });
  const rsaRoot = await ca({ commonName: 'rsa-ca', rsa: true });
  const rsaTwin = await ca({ commonName: 'rsa-ca', rsa: true });
  const orgOnly = await ca({ organizations: ['Org CA'] });
  const orgOnlyTwin = await ca({ organizations: ['Org CA'] });
  const unnamed = await ca({ serialNumber: '1234' });
  const unnamedTwin = await ca({ serialNumber: '1234' });
  const inter = await ca({ commonName: 'inter', issuer: root });
  const interNotCA = await makeCertificate({ commonName: 'inter-nca', issuer: root, ...valid });
  const interNoBC = await makeCertificate({
    commonName: 'inter-nobc',
    noBasicConstraints: true,
    issuer: root,
    ...valid,
  });
  const interNoCertSign = await ca({
    commonName: 'inter-ku',
    keyUsage: x509.KeyUsageFlags.digitalSignature,
    issuer: root,
  });
  const interServer = await ca({ commonName: 'inter-srv', extKeyUsages: [EKU.serverAuth], issuer: root });
  const interAny = await ca({ commonName: 'inter-any', extKeyUsages: [EKU.any], issuer: root });
  const interExpired = await ca({
    commonName: 'inter-exp',
    issuer: root,
    notBefore: year(-3),
    notAfter: year(-1),
  });
  const rootPathLen0 = await ca({ commonName: 'root-p0', ca: 0 });
  const interUnderPathLen0 = await ca({ commonName: 'inter-p0', issuer: rootPathLen0 });
  const rootServer = await ca({ commonName: 'root-srv', extKeyUsages: [EKU.serverAuth] });
  const rootExpired = await ca({ commonName: 'root-exp', notBefore: year(-5), notAfter: year(-1) });
  const rootNoBC = await makeCertificate({ commonName: 'root-nobc', noBasicConstraints: true, ...valid });
  const selfSigned = await makeCertificate({ commonName: 'self', extKeyUsages: [EKU.clientAuth], ...valid });
  const selfServer = await makeCertificate({
    commonName: 'self-srv',
    extKeyUsages: [EKU.serverAuth],
    ...valid,
  });
  const criticalUnknown = new x509.Extension('1.2.3.4.5', true, new Uint8Array([5, 0]));

  const rows: [string, TestCertificate[], TestCertificate[], string | undefined][] = [
    ['a client certificate', [await leaf()], [root], undefined],
    ['no extended key usage at all', [await leaf({ extKeyUsages: undefined })], [root], undefined],
    ['anyExtendedKeyUsage', [await leaf({ extKeyUsages: [EKU.any] })], [root], undefined],
    [
      'serverAuth and clientAuth',
      [await leaf({ extKeyUsages: [EKU.serverAuth, EKU.clientAuth] })],
      [root],
      undefined,
    ],
    ['serverAuth only', [await leaf({ extKeyUsages: [EKU.serverAuth] })], [root], incompatible],
    ['an unknown usage only', [await leaf({ extKeyUsages: ['1.2.3.4'] })], [root], incompatible],
    [
      'expired',
      [await leaf({ notBefore: year(-3), notAfter: year(-1) })],
      [root],
      'x509: certificate has expired or is not yet valid: current time 2030-06-01T12:00:00Z is after 2029-01-01T00:00:00Z',
    ],
    [
      'not yet valid',
      [await leaf({ notBefore: year(1), notAfter: year(2) })],
      [root],
      'x509: certificate has expired or is not yet valid: current time 2030-06-01T12:00:00Z is before 2031-01-01T00:00:00Z',
    ],
    ['another CA', [await leaf()], [other], unknownAuthority],
    ['no CA at all', [await leaf()], [], unknownAuthority],
    [
      'a CA of the same name with another key',
      [await leaf()],
      [twin],
      hint('x509: ECDSA verification failure', 'front-proxy-ca'),
    ],
    ['the right CA next to its twin', [await leaf()], [twin, root], undefined],
    [
      'RSA, same name, other key',
      [await leaf({ issuer: rsaRoot })],
      [rsaTwin],
      hint('crypto/rsa: verification error', 'rsa-ca'),
    ],
    ['RSA', [await leaf({ issuer: rsaRoot })], [rsaRoot], undefined],
    [
      'a CA named by O only',
      [await leaf({ issuer: orgOnly })],
      [orgOnlyTwin],
      hint('x509: ECDSA verification failure', 'Org CA'),
    ],
    [
      'a CA without a name',
      [await leaf({ issuer: unnamed })],
      [unnamedTwin],
      hint('x509: ECDSA verification failure', 'serial:4660'),
    ],
    ['through an intermediate', [await leaf({ issuer: inter }), inter], [root], undefined],
    ['intermediate not sent', [await leaf({ issuer: inter })], [root], unknownAuthority],
    [
      'intermediate that is not a CA',
      [await leaf({ issuer: interNotCA }), interNotCA],
      [root],
      hint(cannotSign, 'inter-nca'),
    ],
    [
      'intermediate without basic constraints',
      [await leaf({ issuer: interNoBC }), interNoBC],
      [root],
      hint(cannotSign, 'inter-nobc'),
    ],
    [
      'intermediate without keyCertSign',
      [await leaf({ issuer: interNoCertSign }), interNoCertSign],
      [root],
      hint(cannotSign, 'inter-ku'),
    ],
    [
      'intermediate for serverAuth only',
      [await leaf({ issuer: interServer }), interServer],
      [root],
      incompatible,
    ],
    ['intermediate for any usage', [await leaf({ issuer: interAny }), interAny], [root], undefined],
    [
      'expired intermediate',
      [await leaf({ issuer: interExpired }), interExpired],
      [root],
      'x509: certificate has expired or is not yet valid: current time 2030-06-01T12:00:00Z is after 2029-01-01T00:00:00Z',
    ],
    [
      'path length 0 with an intermediate',
      [await leaf({ issuer: interUnderPathLen0 }), interUnderPathLen0],
      [rootPathLen0],
      'x509: too many intermediates for path length constraint',
    ],
    ['root for serverAuth only', [await leaf({ issuer: rootServer })], [rootServer], incompatible],
    [
      'expired root',
      [await leaf({ issuer: rootExpired })],
      [rootExpired],
      'x509: certificate has expired or is not yet valid: current time 2030-06-01T12:00:00Z is after 2029-01-01T00:00:00Z',
    ],
    [
      'root without basic constraints',
      [await leaf({ issuer: rootNoBC })],
      [rootNoBC],
      hint(cannotSign, 'root-nobc'),
    ],
    [
      'unknown critical extension',
      [await leaf({ extensions: [criticalUnknown] })],
      [root],
      'x509: unhandled critical extension',
    ],
    ['self-signed and trusted', [selfSigned], [selfSigned], undefined],
    ['self-signed, trusted, serverAuth only', [selfServer], [selfServer], incompatible],
    ['self-signed, not trusted', [selfSigned], [root], unknownAuthority],
    ['unrelated certificates sent along', [await leaf(), other, inter], [root], undefined],
    ['the root sent along', [await leaf({ issuer: inter }), inter, root], [root], undefined],
    [
      'a SHA-1 signature',
      [await leaf({ sha1: true })],
      [root],
      hint('x509: cannot verify signature: insecure algorithm ECDSA-SHA1', 'front-proxy-ca'),
    ],
  ];
  for (const [name, chain, roots, error] of rows) {
    const result = verifyClientCertificate(
      chain.map((c) => c.cert),
      roots.map((c) => c.cert),
      { now: NOW, usage: 'clientAuth' },
    );
    assert.deepEqual(result, error === undefined ? { ok: true } : { ok: false, error }, name);
  }
  const server = await leaf({ extKeyUsages: [EKU.serverAuth] });
  assert.deepEqual(verifyClientCertificate([server.cert], [root.cert], { now: NOW, usage: 'any' }), {
    ok: true,
  });
  assert.deepEqual(verifyClientCertificate([], [root.cert], { now: NOW, usage: 'clientAuth' }), {
    ok: false,
    error: 'x509: no certificate presented',
  });
});

test('certificates from src/tls/pki.ts verify for client auth as their usage says', async () => {
  const ca = await createCertificateAuthority('front-proxy-ca');
  const caCert = new X509Certificate(ca.certPem);
  const now = new Date();
  const verify = async (usage: 'client' | 'server' | 'server+client') =>
    verifyClientCertificate(
      [new X509Certificate((await issueCertificate({ commonName: 'x', usage }, ca)).certPem)],
      [caCert],
      {
        now,
        usage: 'clientAuth',
      },
    );
  assert.deepEqual(await verify('client'), { ok: true });
  assert.deepEqual(await verify('server+client'), { ok: true });
  assert.deepEqual(await verify('server'), { ok: false, error: incompatible });
});
