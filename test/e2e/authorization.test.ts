// Delegated authorization against the real kube-apiserver: SubjectAccessReview answers are cached (counted
// in kube-apiserver's audit log), system:masters needs no review, and when kube-apiserver cannot answer the
// request fails closed with a Status, before any handler runs, and without hanging.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../control-plane/processes.js';
import { writeKubeconfig } from '../control-plane/kubeconfig.js';
import { kubectl } from '../support/kube.js';
import { direct, type DirectResponse } from '../support/direct.js';
import { AuditLog, settledCount } from '../support/audit.js';
import { startServer, GROUP, NAMESPACE, SERVICE, type RunningServer } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';
import { grant, userKubeconfig } from '../support/users.js';
import { createCertificateAuthority, issueCertificate, type KeyPairPem } from '../../src/tls/pki.js';

const NODES = `/apis/${GROUP}/v1/nodes`;
const OUR_SA = `system:serviceaccount:${NAMESPACE}:${SERVICE}`;
const NODE = 'authz-node-1';

const suite = await e2eSuite();
const { cp, clients } = suite;
let server: RunningServer;
let frontProxyClient: KeyPairPem;

before(async () => {
  frontProxyClient = {
    certPem: await readFile(cp.pki.frontProxyClientCert, 'utf8'),
    keyPem: await readFile(cp.pki.frontProxyClientKey, 'utf8'),
  };
  await suite.nodes([{ name: NODE, providerID: 'simulated:///sim-region-1/sim-zone-a/sim-0042' }]);
  server = await suite.server();
});

/** A request as the aggregator sends it: the front-proxy certificate and the user in X-Remote-* headers. */
function proxied(s: RunningServer, path: string, user: string, groups: string[] = []) {
  return direct(s.url, s.servingCa.certPem, {
    path,
    cert: frontProxyClient.certPem,
    key: frontProxyClient.keyPem,
    headers: { 'X-Remote-User': user, ...(groups.length && { 'X-Remote-Group': groups }) },
  });
}

function assertStatus(res: DirectResponse, code: number, reason: string, message: RegExp) {
  assert.equal(res.status, code, res.body);
  const status = res.json();
  assert.deepEqual([status.kind, status.code, status.reason], ['Status', code, reason], res.body);
  assert.match(String(status.message), message);
  assert.equal(status.items, undefined, 'no list leaked');
}

const sarCount = (audit: AuditLog, user: string) => async () =>
  (await audit.subjectAccessReviews(OUR_SA, user)).length;

test('identical requests through kube-apiserver: one SubjectAccessReview while the answer is cached', async () => {
  const revoke = await grant(clients, 'sar-cache-carol', 'e2e-sar-cache-carol', [
    { apiGroups: [GROUP], resources: ['nodes'], verbs: ['get', 'list'] },
  ]);
  after(revoke);
  const carol = await userKubeconfig(cp, 'sar-cache-carol');
  const audit = await AuditLog.mark(cp.auditLog);
  for (let i = 0; i < 4; i++) {
    const res = await kubectl(cp, ['get', '--raw', NODES], { kubeconfig: carol });
    assert.equal(res.code, 0, res.stderr);
    assert.equal((JSON.parse(res.stdout) as { kind: string }).kind, 'NodeList');
  }
  assert.equal(await settledCount(sarCount(audit, 'sar-cache-carol'), 1), 1);
  const [review] = await audit.subjectAccessReviews(OUR_SA, 'sar-cache-carol');
  assert.deepEqual(review!.resourceAttributes, {
    verb: 'list',
    group: GROUP,
    version: 'v1',
    resource: 'nodes',
  });
  // Another request is another question: its own review, then cached too.
  for (let i = 0; i < 2; i++) {
    const res = await kubectl(cp, ['get', '--raw', `${NODES}/${NODE}`], { kubeconfig: carol });
    assert.equal(res.code, 0, res.stderr);
  }
  assert.equal(await settledCount(sarCount(audit, 'sar-cache-carol'), 2), 2);
});

test('denials are cached too, and each one is the Forbidden Status', async () => {
  const audit = await AuditLog.mark(cp.auditLog);
  for (let i = 0; i < 3; i++) {
    assertStatus(
      await proxied(server, NODES, 'sar-cache-dan', ['team-d']),
      403,
      'Forbidden',
      new RegExp(
        `User "sar-cache-dan" cannot list resource "nodes" in API group "${GROUP.replaceAll('.', '\\.')}"`,
      ),
    );
  }
  assert.equal(await settledCount(sarCount(audit, 'sar-cache-dan'), 1), 1);
});

test('system:masters and the always-allow paths need no SubjectAccessReview', async () => {
  const audit = await AuditLog.mark(cp.auditLog);
  for (let i = 0; i < 2; i++) {
    const res = await proxied(server, NODES, 'masters-mia', ['system:masters']);
    assert.equal(res.status, 200, res.body);
  }
  for (const path of ['/healthz', '/livez', '/readyz']) {
    const res = await proxied(server, path, 'health-hal');
    assert.equal(res.status, 200, `${path}: ${res.body}`);
  }
  assert.equal(await settledCount(sarCount(audit, 'masters-mia'), 0), 0);
  assert.equal(await settledCount(sarCount(audit, 'health-hal'), 0), 0);
});

/** A TLS endpoint that completes handshakes and never answers: a kube-apiserver that hangs. */
async function hangingApiserver(dir: string): Promise<{ url: string; caFile: string; close: () => void }> {
  const ca = await createCertificateAuthority('hanging-ca');
  const pair = await issueCertificate({ commonName: 'hanging', usage: 'server', hosts: ['127.0.0.1'] }, ca);
  const caFile = join(dir, 'hanging-ca.crt');
  await writeFile(caFile, ca.certPem);
  const sockets = new Set<Socket>();
  const tls: TlsServer = createTlsServer({ key: pair.keyPem, cert: pair.certPem }, (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => tls.listen(port, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${port}`,
    caFile,
    close: () => {
      for (const s of sockets) s.destroy();
      tls.close();
    },
  };
}

test('kube-apiserver unreachable for reviews: fail closed, with a Status, within the review timeout', async () => {
  const hanging = await hangingApiserver(cp.dir);
  after(hanging.close);
  const authzKubeconfig = join(cp.dir, 'authz-hanging.kubeconfig');
  await writeKubeconfig(authzKubeconfig, {
    server: hanging.url,
    caFile: hanging.caFile,
    user: 'x',
    token: 'unused',
  });
  const authnKubeconfig = join(cp.dir, 'authn-refused.kubeconfig');
  await writeKubeconfig(authnKubeconfig, {
    server: `https://127.0.0.1:${await freePort()}`,
    caFile: cp.pki.clusterCaCert,
    user: 'x',
    token: 'unused',
  });
  // The CAs from flags: the ConfigMap cannot be read through the unreachable authentication kubeconfig.
  const isolated = await startServer(cp, {
    register: false,
    args: [
      `--authorization-kubeconfig=${authzKubeconfig}`,
      `--authentication-kubeconfig=${authnKubeconfig}`,
      `--client-ca-file=${cp.pki.clusterCaCert}`,
      `--requestheader-client-ca-file=${cp.pki.frontProxyCaCert}`,
      '--requestheader-allowed-names=front-proxy-client',
    ],
  });
  after(() => isolated.stop());

  // The Nodes still come from --kubeconfig, and system:masters needs no review: the server works.
  const masters = await proxied(isolated, NODES, 'masters-mia', ['system:masters']);
  assert.equal(masters.status, 200, masters.body);
  assert.ok(masters.body.includes(NODE));

  // A user who needs a review: kube-apiserver hangs, the review times out, the request fails closed.
  const started = Date.now();
  const res = await proxied(isolated, NODES, 'stranded-sam');
  const took = Date.now() - started;
  assertStatus(res, 500, 'InternalError', /authorization could not be checked/);
  assert.ok(!res.body.includes(NODE), 'no Node data in the answer');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.ok(took >= 9_000 && took < 14_000, `failed after ${took} ms, expected the 10 s review timeout`);

  // A bearer token cannot be reviewed (connection refused): a 401, as Go's union authenticator gives.
  const token = await direct(isolated.url, isolated.servingCa.certPem, {
    path: NODES,
    headers: { Authorization: 'Bearer some-token' },
  });
  assertStatus(token, 401, 'Unauthorized', /^Unauthorized$/);
  assert.ok(!(await isolated.flushedLogs()).includes('some-token'), 'the token was logged');

  // Still alive and answering.
  assert.equal((await proxied(isolated, '/readyz', 'x')).status, 200);
});
