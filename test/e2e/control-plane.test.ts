// The control plane our tests stand on is a real one: kube-apiserver + etcd, configured for aggregation.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { kubectl } from '../support/kube.js';
import { createNode, deleteNodes } from '../support/nodes.js';
import { deleteAPIService, registerLoopbackAPIService } from '../support/aggregation.js';
import { e2eSuite } from '../support/suite.js';
import { createCertificateAuthority, issueCertificate } from '../../src/tls/pki.js';

const { cp, clients } = await e2eSuite();

test('tests run on Node 24', () => {
  console.log(`# node ${process.version}`);
  assert.match(process.version, /^v24\./);
});

test('kube-apiserver is ready and answers the real kubectl', async () => {
  const ready = await kubectl(cp, ['get', '--raw', '/readyz']);
  assert.equal(ready.code, 0, ready.stderr);
  assert.equal(ready.stdout.trim(), 'ok');
  const version = await kubectl(cp, ['version', '-o', 'json']);
  assert.equal(JSON.parse(version.stdout).serverVersion.gitVersion, 'v1.36.3');
});

test('a Node created with an AWS providerID is listed by kubectl get node', async () => {
  const name = 'cp-test-aws-node';
  after(() => deleteNodes(clients.core, [name]));
  await createNode(clients.core, { name, providerID: 'aws:///us-east-1a/i-0123456789abcdef0' });
  const got = await kubectl(cp, [
    'get',
    'node',
    name,
    '-o',
    'jsonpath={.spec.providerID} {.status.conditions[0].status}',
  ]);
  assert.equal(got.code, 0, got.stderr);
  assert.equal(got.stdout, 'aws:///us-east-1a/i-0123456789abcdef0 True');
  const table = await kubectl(cp, ['get', 'node', name]);
  assert.match(table.stdout, new RegExp(`^${name}\\s+Ready`, 'm'));
});

test('kube-apiserver itself publishes the front-proxy trust in extension-apiserver-authentication', async () => {
  const cm = await clients.core.readNamespacedConfigMap({
    name: 'extension-apiserver-authentication',
    namespace: 'kube-system',
  });
  const data = cm.data ?? {};
  assert.deepEqual(JSON.parse(data['requestheader-allowed-names']!), ['front-proxy-client']);
  assert.deepEqual(JSON.parse(data['requestheader-username-headers']!), ['X-Remote-User']);
  assert.deepEqual(JSON.parse(data['requestheader-group-headers']!), ['X-Remote-Group']);
  const frontProxyCa = await readFile(cp.pki.frontProxyCaCert, 'utf8');
  assert.equal(
    new X509Certificate(data['requestheader-client-ca-file']!).fingerprint256,
    new X509Certificate(frontProxyCa).fingerprint256,
  );
  assert.equal(
    new X509Certificate(data['client-ca-file']!).fingerprint256,
    new X509Certificate(await readFile(cp.pki.clusterCaCert)).fingerprint256,
  );
});

test('the aggregator marks a loopback backend Available and proxies to it with a front-proxy client certificate', async () => {
  const group = 'probe.test.infraops.michael.io';
  const namespace = 'kcnm-probe';
  const serviceName = 'probe';
  const ca = await createCertificateAuthority('probe-ca');
  const serving = await issueCertificate(
    { commonName: 'probe', usage: 'server', hosts: [`${serviceName}.${namespace}.svc`] },
    ca,
  );
  const frontProxyCa = await readFile(cp.pki.frontProxyCaCert);
  const seen: {
    path: string;
    user?: string;
    groups: string[];
    authorized: boolean;
    issuer: string;
    cn: string;
  }[] = [];
  const server: Server = createServer(
    {
      key: serving.keyPem,
      cert: serving.certPem,
      ca: frontProxyCa,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const sock = req.socket as TLSSocket;
      const peer = sock.getPeerCertificate();
      seen.push({
        path: req.url ?? '',
        user: req.headersDistinct['x-remote-user']?.[0],
        groups: req.headersDistinct['x-remote-group'] ?? [],
        authorized: sock.authorized,
        issuer: String(peer?.issuer?.CN ?? ''),
        cn: String(peer?.subject?.CN ?? ''),
      });
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion: `${group}/v1`,
          resources: [
            { name: 'things', singularName: 'thing', namespaced: false, kind: 'Thing', verbs: ['get'] },
          ],
        }),
      );
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  after(async () => {
    await deleteAPIService(clients, `v1.${group}`);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const svc = await registerLoopbackAPIService(clients, {
    group,
    version: 'v1',
    port,
    caBundlePem: ca.certPem,
    namespace,
    serviceName,
  });
  assert.equal(svc.status?.conditions?.find((c) => c.type === 'Available')?.status, 'True');

  const res = await kubectl(cp, ['get', '--raw', `/apis/${group}/v1`]);
  assert.equal(res.code, 0, res.stderr);
  assert.equal(JSON.parse(res.stdout).groupVersion, `${group}/v1`);
  const proxied = seen.filter((s) => s.user === 'kubernetes-admin');
  assert.ok(proxied.length >= 1, `no proxied request from kubernetes-admin among ${JSON.stringify(seen)}`);
  for (const s of proxied) {
    assert.equal(s.authorized, true, 'the proxy client certificate verifies against the front-proxy CA');
    assert.equal(s.cn, 'front-proxy-client');
    assert.equal(s.issuer, 'front-proxy-ca');
    assert.ok(s.groups.includes('system:masters'), `groups ${s.groups}`);
  }
  const probe = seen.find((s) => s.user === 'system:kube-aggregator');
  assert.ok(probe, 'the availability check reached the backend as system:kube-aggregator');
});
