// Requests sent straight to our server, bypassing kube-apiserver, as anyone on the cluster network could:
// forged X-Remote-* headers are believed only behind a verified front-proxy certificate with an allowed CN;
// every other certificate either authenticates as its own CN (client CA) or fails the request with a 401, as
// k8s.io/apiserver's union authenticator does; bearer tokens are checked with a (cached) TokenReview.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { kubectl } from '../support/kube.js';
import { ensureNamespace } from '../support/aggregation.js';
import { direct, type DirectResponse } from '../support/direct.js';
import { AuditLog, settledCount } from '../support/audit.js';
import { GROUP, NAMESPACE, SERVICE, type RunningServer } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';
import { grant } from '../support/users.js';
import {
  createCertificateAuthority,
  issueCertificate,
  loadCertificateAuthority,
  type CertificateAuthority,
  type KeyPairPem,
} from '../../src/tls/pki.js';

const NODES = `/apis/${GROUP}/v1/nodes`;
const FORGED = { 'X-Remote-User': 'system:admin', 'X-Remote-Group': 'system:masters' };
const SA_NAMESPACE = 'e2e-authn';
const OUR_SA = `system:serviceaccount:${NAMESPACE}:${SERVICE}`;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const suite = await e2eSuite();
const { cp, clients } = suite;
let server: RunningServer;
let frontProxyCa: CertificateAuthority;
let frontProxyClient: KeyPairPem;
let clusterCa: CertificateAuthority;

before(async () => {
  frontProxyCa = await loadCertificateAuthority(
    await readFile(cp.pki.frontProxyCaCert, 'utf8'),
    await readFile(cp.pki.frontProxyCaKey, 'utf8'),
  );
  clusterCa = await loadCertificateAuthority(
    await readFile(cp.pki.clusterCaCert, 'utf8'),
    await readFile(cp.pki.clusterCaKey, 'utf8'),
  );
  frontProxyClient = {
    certPem: await readFile(cp.pki.frontProxyClientCert, 'utf8'),
    keyPem: await readFile(cp.pki.frontProxyClientKey, 'utf8'),
  };
  server = await suite.server({ register: false });
});

function send(path: string, opts: { headers?: Record<string, string>; pair?: KeyPairPem } = {}) {
  return direct(server.url, server.servingCa.certPem, {
    path,
    headers: opts.headers,
    cert: opts.pair?.certPem,
    key: opts.pair?.keyPem,
  });
}

function assertStatus(res: DirectResponse, code: number, reason: string, message: string | RegExp) {
  assert.equal(res.status, code, res.body);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const status = res.json();
  assert.equal(status.kind, 'Status');
  assert.equal(status.apiVersion, 'v1');
  assert.equal(status.status, 'Failure');
  assert.equal(status.code, code);
  assert.equal(status.reason, reason);
  if (typeof message === 'string') assert.equal(status.message, message);
  else assert.match(String(status.message), message);
}

const forbiddenList = (user: string) =>
  `nodes.${GROUP} is forbidden: User "${user}" cannot list resource "nodes" in API group "${GROUP}" at the cluster scope`;

const assertUnauthorized = (res: DirectResponse) => assertStatus(res, 401, 'Unauthorized', 'Unauthorized');

/** The server is alive and still authenticates the real front proxy. */
async function assertStillServing() {
  const ready = await send('/readyz');
  assert.equal(ready.status, 200, ready.body);
  const list = await send(NODES, { pair: frontProxyClient, headers: FORGED });
  assert.equal(list.status, 200, list.body);
  assert.equal(list.json().kind, 'NodeList');
}

test('the real front-proxy certificate with X-Remote-* headers is believed (the control case)', async () => {
  await assertStillServing();
  const res = await send(NODES, {
    pair: frontProxyClient,
    headers: { 'X-Remote-User': 'proxied-erin', 'X-Remote-Group': 'team-a' },
  });
  assertStatus(res, 403, 'Forbidden', forbiddenList('proxied-erin'));
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
});

test('forged X-Remote-User/X-Remote-Group without a client certificate are ignored: anonymous', async () => {
  assertStatus(await send(NODES, { headers: FORGED }), 403, 'Forbidden', forbiddenList('system:anonymous'));
  assertStatus(
    await send('/apis', { headers: FORGED }),
    403,
    'Forbidden',
    'forbidden: User "system:anonymous" cannot get path "/apis"',
  );
  await assertStillServing();
});

test('a client certificate from another CA fails authentication: 401', async () => {
  const otherCa = await createCertificateAuthority('front-proxy-ca');
  const pair = await issueCertificate({ commonName: 'front-proxy-client', usage: 'client' }, otherCa);
  assertUnauthorized(await send(NODES, { pair, headers: FORGED }));
  const selfSigned = await issueCertificate({ commonName: 'front-proxy-client', usage: 'client' });
  assertUnauthorized(await send(NODES, { pair: selfSigned, headers: FORGED }));
  await assertStillServing();
});

test('a front-proxy-CA certificate whose CN is not allowed fails authentication: 401', async () => {
  const pair = await issueCertificate({ commonName: 'evil-proxy', usage: 'client' }, frontProxyCa);
  assertUnauthorized(await send(NODES, { pair, headers: FORGED }));
  // Even without any X-Remote-* header: the certificate is presented, and no authenticator accepts it.
  assertUnauthorized(await send('/apis', { pair }));
  await assertStillServing();
});

test('an expired front-proxy certificate with an allowed CN fails authentication: 401', async () => {
  const day = 24 * 3600 * 1000;
  const pair = await issueCertificate(
    {
      commonName: 'front-proxy-client',
      usage: 'client',
      notBefore: new Date(Date.now() - 10 * day),
      notAfter: new Date(Date.now() - day),
    },
    frontProxyCa,
  );
  assertUnauthorized(await send(NODES, { pair, headers: FORGED }));
  const notYetValid = await issueCertificate(
    {
      commonName: 'front-proxy-client',
      usage: 'client',
      notBefore: new Date(Date.now() + day),
      notAfter: new Date(Date.now() + 10 * day),
    },
    frontProxyCa,
  );
  assertUnauthorized(await send(NODES, { pair: notYetValid, headers: FORGED }));
  await assertStillServing();
});

test('a front-proxy certificate meant for serving, not client auth, fails authentication: 401', async () => {
  const pair = await issueCertificate({ commonName: 'front-proxy-client', usage: 'server' }, frontProxyCa);
  assertUnauthorized(await send(NODES, { pair, headers: FORGED }));
});

test('the real front-proxy certificate without X-Remote-User is not a user: 401, as in Go', async () => {
  assertUnauthorized(await send(NODES, { pair: frontProxyClient, headers: { 'X-Remote-Group': 'x' } }));
});

test('a cluster-CA client certificate authenticates as its CN; X-Remote-* headers are ignored', async () => {
  const pair = await issueCertificate(
    { commonName: 'cert-user-frank', organizations: ['team-b'], usage: 'client' },
    clusterCa,
  );
  assertStatus(
    await send(NODES, { pair, headers: FORGED }),
    403,
    'Forbidden',
    forbiddenList('cert-user-frank'),
  );
});

async function serviceAccountToken(name: string): Promise<string> {
  await ensureNamespace(clients, SA_NAMESPACE);
  await clients.core
    .createNamespacedServiceAccount({ namespace: SA_NAMESPACE, body: { metadata: { name } } })
    .catch((err: { code?: number }) => {
      if (err.code !== 409) throw err;
    });
  const token = await kubectl(cp, ['create', 'token', name, '-n', SA_NAMESPACE, '--duration=1h']);
  assert.equal(token.code, 0, token.stderr);
  return token.stdout.trim();
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

test('a ServiceAccount token authenticates as that ServiceAccount (TokenReview), cached', async () => {
  const [plain, viewer] = await Promise.all([
    serviceAccountToken('token-user-plain'),
    serviceAccountToken('token-user-viewer'),
  ]);
  const revoke = await grant(
    clients,
    `system:serviceaccount:${SA_NAMESPACE}:token-user-viewer`,
    'e2e-authn-viewer',
    [{ apiGroups: [GROUP], resources: ['nodes'], verbs: ['list'] }],
  );
  after(revoke);
  const audit = await AuditLog.mark(cp.auditLog);
  for (let i = 0; i < 3; i++) {
    assertStatus(
      await send(NODES, { headers: { ...bearer(plain), ...FORGED } }),
      403,
      'Forbidden',
      forbiddenList(`system:serviceaccount:${SA_NAMESPACE}:token-user-plain`),
    );
  }
  const allowed = await send(NODES, { headers: bearer(viewer) });
  assert.equal(allowed.status, 200, allowed.body);
  assert.equal(allowed.json().kind, 'NodeList');
  // Three requests with one token and one with another: two reviews, the rest from the cache.
  assert.equal(await settledCount(async () => (await audit.tokenReviews(OUR_SA)).length, 2), 2);
});

test('concurrent requests with one new token share a single TokenReview', async () => {
  const token = await serviceAccountToken('token-user-burst');
  const audit = await AuditLog.mark(cp.auditLog);
  const answers = await Promise.all(Array.from({ length: 5 }, () => send(NODES, { headers: bearer(token) })));
  for (const res of answers)
    assertStatus(
      res,
      403,
      'Forbidden',
      forbiddenList(`system:serviceaccount:${SA_NAMESPACE}:token-user-burst`),
    );
  assert.equal(await settledCount(async () => (await audit.tokenReviews(OUR_SA)).length, 1), 1);
});

test('a wrong bearer token is a 401 Unauthorized Status, reviewed every time as in Go', async () => {
  // A ServiceAccount JWT with a forged signature, and a token that is no JWT at all.
  const [h, p] = (await serviceAccountToken('token-user-plain')).split('.');
  const forged = `${h}.${p}.${Buffer.from('not the signature').toString('base64url')}`;
  const audit = await AuditLog.mark(cp.auditLog);
  for (let i = 0; i < 3; i++) assertUnauthorized(await send(NODES, { headers: bearer('not-a-valid-token') }));
  assertUnauthorized(await send(NODES, { headers: { ...bearer('not-a-valid-token'), ...FORGED } }));
  for (let i = 0; i < 2; i++) assertUnauthorized(await send(NODES, { headers: bearer(forged) }));
  // kube-apiserver answers every unauthenticated review with an error ("invalid bearer token"), and Go's
  // token cache (cacheErrs=false) keeps no answer with an error: six requests, six reviews.
  assert.equal(await settledCount(async () => (await audit.tokenReviews(OUR_SA)).length, 6), 6);
  await assertStillServing();
});

test('the server never logged a token', async () => {
  const token = await serviceAccountToken('token-user-plain');
  await send(NODES, { headers: bearer(token) });
  const logs = await server.flushedLogs();
  assert.ok(!logs.includes(token), 'a bearer token appears in the server output');
  assert.doesNotMatch(logs, new RegExp(escape('not-a-valid-token')));
});
