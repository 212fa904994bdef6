// Trust and identity change without a restart: a rotated serving certificate is presented on new
// connections, and a front-proxy CA added to (then removed from) kube-system/extension-apiserver-authentication
// is trusted (then refused) by the running server.
//
// kube-apiserver's ClusterAuthenticationTrustController owns that ConfigMap: on start, on add/delete events and
// every minute it merges what is there with its own flags (CA bundles concatenated and de-duplicated, expired
// certificates dropped) and writes the result only when it differs. A CA the test *adds* next to kube-apiserver's
// own therefore stays, and removing that extra CA again leaves exactly kube-apiserver's bundle, which the
// controller keeps as it is: both steps are stable whatever the controller does meanwhile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { connect } from 'node:tls';
import { waitFor } from '../control-plane/processes.js';
import { kubectl } from '../support/kube.js';
import { direct } from '../support/direct.js';
import { GROUP, type RunningServer } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';
import { createCertificateAuthority, issueCertificate, type KeyPairPem } from '../../src/tls/pki.js';

const NODES = `/apis/${GROUP}/v1/nodes`;
const CM = { namespace: 'kube-system', name: 'extension-apiserver-authentication' };
const CA_KEY = 'requestheader-client-ca-file';

const suite = await e2eSuite();
const { cp, clients } = suite;
let server: RunningServer;

before(async () => {
  server = await suite.server();
});

/** The certificate a new TLS connection to our server is served with. */
function servedCertificate(): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: '127.0.0.1', port: server.port, ca: server.servingCa.certPem, servername: 'localhost' },
      () => {
        const raw = socket.getPeerCertificate().raw;
        socket.end();
        resolve(new X509Certificate(raw));
      },
    );
    socket.on('error', reject);
  });
}

/** Replaces a file the way a Secret volume update does: a new file renamed over the old one. */
async function replaceFile(path: string, content: string): Promise<void> {
  await writeFile(`${path}.new`, content, { mode: 0o600 });
  await rename(`${path}.new`, path);
}

test('a rotated serving certificate is served on new connections, without a restart', async () => {
  const before = await servedCertificate();
  assert.equal(before.fingerprint256, new X509Certificate(await readFile(server.certFile)).fingerprint256);
  const rotated = await issueCertificate(
    {
      commonName: 'k8s-cloud-node-manager-rotated',
      usage: 'server',
      hosts: ['k8s-cloud-node-manager.k8s-cloud-node-manager.svc', 'localhost', '127.0.0.1'],
    },
    server.servingCa,
  );
  const expected = new X509Certificate(rotated.certPem);
  assert.notEqual(expected.serialNumber, before.serialNumber);
  await replaceFile(server.keyFile, rotated.keyPem);
  await replaceFile(server.certFile, rotated.certPem);
  const served = await waitFor(
    'the rotated serving certificate',
    async () => {
      const c = await servedCertificate();
      return c.fingerprint256 === before.fingerprint256 ? undefined : c;
    },
    20_000,
    250,
  );
  assert.equal(served.fingerprint256, expected.fingerprint256);
  assert.equal(served.serialNumber, expected.serialNumber);
  assert.ok(!served.publicKey.equals(before.publicKey), 'a new key');
  // kube-apiserver still reaches us (it verifies the new certificate against the APIService caBundle).
  const res = await kubectl(cp, ['get', '--raw', `/apis/${GROUP}/v1`]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /"APIResourceList"/);
});

async function readRequestHeaderCa(): Promise<string> {
  const cm = await clients.core.readNamespacedConfigMap(CM);
  return cm.data?.[CA_KEY] ?? '';
}

/** Read-modify-write of the CA bundle, retried when kube-apiserver's controller wrote in between. */
async function writeRequestHeaderCa(pem: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const cm = await clients.core.readNamespacedConfigMap(CM);
    try {
      await clients.core.replaceNamespacedConfigMap({
        ...CM,
        body: { ...cm, data: { ...cm.data, [CA_KEY]: pem } },
      });
      return;
    } catch (err) {
      if ((err as { code?: number }).code !== 409 || attempt >= 5) throw err;
    }
  }
}

test('a front-proxy CA added to the ConfigMap is trusted, and refused once removed, without a restart', async () => {
  const original = await readRequestHeaderCa();
  assert.match(original, /BEGIN CERTIFICATE/);
  const newCa = await createCertificateAuthority('front-proxy-ca-next');
  after(async () => {
    if ((await readRequestHeaderCa()).includes(newCa.certPem.trim())) await writeRequestHeaderCa(original);
  });
  const nextProxy = await issueCertificate({ commonName: 'front-proxy-client', usage: 'client' }, newCa);
  const currentProxy: KeyPairPem = {
    certPem: await readFile(cp.pki.frontProxyClientCert, 'utf8'),
    keyPem: await readFile(cp.pki.frontProxyClientKey, 'utf8'),
  };
  const asMasters = (pair: KeyPairPem) =>
    direct(server.url, server.servingCa.certPem, {
      path: NODES,
      cert: pair.certPem,
      key: pair.keyPem,
      headers: { 'X-Remote-User': 'rotation-rita', 'X-Remote-Group': 'system:masters' },
    });
  const statusOf = async (pair: KeyPairPem) => (await asMasters(pair)).status;

  assert.equal(await statusOf(nextProxy), 401, 'not trusted before the CA is added');
  assert.equal(await statusOf(currentProxy), 200);

  await writeRequestHeaderCa(`${original.trimEnd()}\n${newCa.certPem}`);
  await waitFor(
    'the added CA trusted',
    async () => ((await statusOf(nextProxy)) === 200 ? true : undefined),
    20_000,
    250,
  );
  const list = await asMasters(nextProxy);
  assert.equal(list.json().kind, 'NodeList');
  assert.equal(await statusOf(currentProxy), 200, 'the original CA is still trusted');
  // kube-apiserver's controller keeps the added CA: the bundle now holds both.
  assert.ok((await readRequestHeaderCa()).includes(newCa.certPem.trim()));

  await writeRequestHeaderCa(original);
  await waitFor(
    'the removed CA refused',
    async () => ((await statusOf(nextProxy)) === 401 ? true : undefined),
    20_000,
    250,
  );
  const refused = await asMasters(nextProxy);
  assert.deepEqual([refused.json().kind, refused.json().reason], ['Status', 'Unauthorized']);
  assert.equal(await statusOf(currentProxy), 200, 'the original CA is still trusted');
  // And kube-apiserver still proxies to us with its own front-proxy certificate.
  const through = await kubectl(cp, ['get', '--raw', NODES]);
  assert.equal(through.code, 0, through.stderr);
});
