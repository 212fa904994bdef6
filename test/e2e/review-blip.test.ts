// TokenReviews and SubjectAccessReviews ride out a short kube-apiserver outage, as k8s.io/apiserver's webhook
// authenticator and authorizer do with their backoff (500 ms ×1.5, five attempts): the server reaches
// kube-apiserver through a loopback proxy that resets and refuses every connection for two seconds, while
// requests that need a fresh review arrive.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { writeKubeconfig } from '../control-plane/kubeconfig.js';
import { kubeClients, kubectl } from '../support/kube.js';
import { direct, type DirectResponse } from '../support/direct.js';
import { applyShippedRbac, GROUP, NAMESPACE, SERVICE, type RunningServer } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const NODES = `/apis/${GROUP}/v1/nodes`;
const OUTAGE_MS = 2_000;

const suite = await e2eSuite();
const { cp } = suite;
let proxy: TcpProxy;
let server: RunningServer;
let frontProxy: { cert: string; key: string };

async function token(namespace: string, serviceAccount: string): Promise<string> {
  const res = await kubectl(cp, ['create', 'token', serviceAccount, '-n', namespace, '--duration=1h']);
  assert.equal(res.code, 0, res.stderr);
  return res.stdout.trim();
}

before(async () => {
  proxy = await startTcpProxy(new URL(cp.apiserverUrl));
  suite.defer(() => proxy.close());
  await applyShippedRbac(cp);
  const reviews = join(tmpdir(), `kcnm-reviews-${process.pid}.kubeconfig`);
  await writeKubeconfig(reviews, {
    server: proxy.url,
    caFile: cp.pki.clusterCaCert,
    user: SERVICE,
    token: await token(NAMESPACE, SERVICE),
  });
  frontProxy = {
    cert: await readFile(cp.pki.frontProxyClientCert, 'utf8'),
    key: await readFile(cp.pki.frontProxyClientKey, 'utf8'),
  };
  server = await suite.server({
    register: false,
    args: [`--authentication-kubeconfig=${reviews}`, `--authorization-kubeconfig=${reviews}`],
  });
});

const send = (headers: Record<string, string>, pair?: { cert: string; key: string }) =>
  direct(server.url, server.servingCa.certPem, { path: NODES, headers, ...pair });

/** `requests` sent while kube-apiserver is unreachable for OUTAGE_MS, from 100 ms into the outage. */
async function duringOutage(requests: () => Promise<DirectResponse>[]): Promise<DirectResponse[]> {
  const outage = proxy.blip(OUTAGE_MS);
  await new Promise((r) => setTimeout(r, 100));
  const answers = await Promise.all(requests());
  await outage;
  return answers;
}

test('SubjectAccessReviews are retried through a 2 s outage: 20 new users get their 403, not a 500', async () => {
  const answers = await duringOutage(() =>
    Array.from({ length: 20 }, (_, i) => send({ 'X-Remote-User': `blip-user-${i}` }, frontProxy)),
  );
  assert.deepEqual(
    answers.map((a) => `${a.status} ${a.json().reason}`),
    Array(20).fill('403 Forbidden'),
  );
});

test('a TokenReview is retried through a 2 s outage: the token is believed, not a 401', async () => {
  await kubeClients(cp.kubeconfig)
    .core.createNamespacedServiceAccount({
      namespace: 'default',
      body: { metadata: { name: 'blip-reader' } },
    })
    .catch(() => undefined); // left by an earlier run
  const bearer = await token('default', 'blip-reader');
  const [answer] = await duringOutage(() => [send({ authorization: `Bearer ${bearer}` })]);
  assert.equal(answer!.status, 403, answer!.body);
  assert.match(
    String(answer!.json().message),
    /User "system:serviceaccount:default:blip-reader" cannot list/,
  );
});
