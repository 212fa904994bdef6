import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ControlPlaneInfo } from '../../control-plane/control-plane.js';
import { isNodeWatch, startReplayProxy } from '../../bench/replay-proxy.js';
import { createCertificateAuthority, issueCertificate } from '../../../src/tls/pki.js';

test('the informer Node watch is told from the streamed initial state and from other watches', () => {
  assert.ok(isNodeWatch('GET', '/api/v1/nodes?watch=true&resourceVersion=12'));
  assert.ok(isNodeWatch('GET', '/api/v1/nodes?resourceVersion=12&watch=1'));
  assert.ok(!isNodeWatch('GET', '/api/v1/nodes?watch=true&sendInitialEvents=true&allowWatchBookmarks=true'));
  assert.ok(!isNodeWatch('GET', '/api/v1/nodes?limit=500'));
  assert.ok(!isNodeWatch('GET', '/api/v1/nodes?watch=true&fieldSelector=metadata.name%3Dn1'));
  assert.ok(!isNodeWatch('GET', '/apis/coordination.k8s.io/v1/namespaces/x/leases?watch=true'));
  assert.ok(!isNodeWatch('PATCH', '/api/v1/nodes?watch=true'));
});

/** A stand-in for kube-apiserver: records each request; a watch gets its headers at once and one event. */
async function upstream(dir: string) {
  const ca = await createCertificateAuthority('cluster-ca');
  const serving = await issueCertificate(
    { commonName: 'kube-apiserver', usage: 'server', hosts: ['127.0.0.1'] },
    ca,
  );
  const files = {
    clusterCaCert: join(dir, 'ca.crt'),
    apiserverCert: join(dir, 'apiserver.crt'),
    apiserverKey: join(dir, 'apiserver.key'),
  };
  await writeFile(files.clusterCaCert, ca.certPem);
  await writeFile(files.apiserverCert, serving.certPem);
  await writeFile(files.apiserverKey, serving.keyPem);
  const seen: { url: string; authorization?: string }[] = [];
  const server: Server = createServer(
    { cert: serving.certPem, key: serving.keyPem },
    (req: IncomingMessage, res: ServerResponse) => {
      seen.push({ url: req.url!, authorization: req.headers.authorization });
      if (req.url!.includes('watch=true')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"type":"MODIFIED","object":{"metadata":{"resourceVersion":"6"}}}\n');
      } else res.end(JSON.stringify({ gitVersion: 'v1.36.3' }));
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const cp = { apiserverUrl: `https://127.0.0.1:${port}`, pki: files } as unknown as ControlPlaneInfo;
  return { cp, ca: ca.certPem, seen, server };
}

function get(url: string, ca: string) {
  const req = request(url, { ca, headers: { Authorization: 'Bearer sa-token' } });
  req.end();
  return once(req, 'response').then(([res]) => res as IncomingMessage);
}

const nextLine = (res: IncomingMessage) =>
  new Promise<string>((resolve) => createInterface(res).once('line', resolve));

test('the proxy passes requests through, then serves the Node watch itself once it takes over', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'replay-proxy-'));
  const up = await upstream(dir);
  const proxy = await startReplayProxy(up.cp);
  try {
    const version = await get(`${proxy.url}/version`, up.ca);
    assert.equal(version.statusCode, 200);
    version.resume();
    const passed = await get(`${proxy.url}/api/v1/nodes?watch=true&resourceVersion=5`, up.ca);
    assert.match(await nextLine(passed), /"resourceVersion":"6"/, "kube-apiserver's event, passed through");
    assert.deepEqual(
      up.seen.map((s) => s.authorization),
      ['Bearer sa-token', 'Bearer sa-token'],
      'the bearer token goes through',
    );

    const ended = once(passed, 'end');
    passed.resume();
    const takenOver = proxy.takeOver();
    await ended; // the informer then watches again
    const replayed = await get(`${proxy.url}/api/v1/nodes?watch=true&resourceVersion=6`, up.ca);
    await takenOver;
    const line = nextLine(replayed);
    assert.equal(
      proxy.write(Buffer.from('{"type":"MODIFIED","object":{"metadata":{"resourceVersion":"7"}}}\n')),
      true,
    );
    assert.match(await line, /"resourceVersion":"7"/);
    assert.equal(up.seen.length, 2, 'the replayed watch never reached kube-apiserver');

    const initial = await get(`${proxy.url}/api/v1/nodes?watch=true&sendInitialEvents=true`, up.ca);
    assert.match(await nextLine(initial), /"resourceVersion":"6"/, 'the initial state still comes from it');
    replayed.destroy();
    initial.destroy();
  } finally {
    await proxy.close();
    up.server.closeAllConnections();
    up.server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
