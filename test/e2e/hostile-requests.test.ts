// Hostile and oversized input, as anyone on the cluster network or any user of kube-apiserver can send it, held
// the way k8s.io/apiserver's secure serving holds it (pkg/server/secure_serving.go): headers up to 1 MiB (so a
// user in hundreds of groups gets through kube-apiserver), JSON nested past apimachinery's depth a 400 and never a
// crash, an Accept header of thousands of ranges cheap, slow connections closed at Go's deadlines, open
// connections capped, and no TLS renegotiation.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { direct, viaApiserver, type DirectResponse } from '../support/direct.js';
import { startServer, GROUP, restartPath, type RunningServer } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';
import { userKubeconfig } from '../support/users.js';
import { cpuSeconds } from '../bench/proc.js';

const NODE = 'hostile-aws-1';
const NODES_PATH = `/apis/${GROUP}/v1/nodes`;
const BINDING = 'e2e-hostile-many-groups';
/** ~21 KiB of X-Remote-Group lines, as kube-apiserver forwards them for a user in 400 groups. */
const GROUPS = Array.from(
  { length: 400 },
  (_, i) => `oidc:enterprise-directory-group-${String(i).padStart(4, '0')}`,
);

const suite = await e2eSuite();
const { cp, clients } = suite;
let server: RunningServer;

/** Listing our nodes allowed through the last of GROUPS only: it succeeds only if every group arrived. */
async function allowLastGroup(): Promise<void> {
  await clients.rbac.createClusterRole({
    body: {
      metadata: { name: BINDING },
      rules: [{ apiGroups: [GROUP], resources: ['nodes'], verbs: ['get', 'list'] }],
    },
  });
  await clients.rbac.createClusterRoleBinding({
    body: {
      metadata: { name: BINDING },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: BINDING },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: GROUPS.at(-1)! }],
    },
  });
}

before(async () => {
  suite.defer(async () => {
    await clients.rbac.deleteClusterRoleBinding({ name: BINDING }).catch(() => undefined);
    await clients.rbac.deleteClusterRole({ name: BINDING }).catch(() => undefined);
  });
  await allowLastGroup();
  await suite.nodes([
    { name: NODE, providerID: 'aws:///us-east-1a/i-0b057113000000001', labels: { pool: 'p7' } },
  ]);
  server = await suite.server();
});

const send = (path: string, headers: Record<string, string | string[]> = {}) =>
  direct(server.url, server.servingCa.certPem, { path, headers });

function assertStatus(res: DirectResponse, code: number, reason: string, message: string | RegExp) {
  assert.equal(res.status, code, res.body);
  const status = res.json();
  assert.equal(status.kind, 'Status');
  assert.equal(status.code, code);
  assert.equal(status.reason, reason);
  if (typeof message === 'string') assert.equal(status.message, message);
  else assert.match(String(status.message), message);
}

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

test('a user in 400 groups, proxied by kube-apiserver (~21 KiB of X-Remote-Group), is served', async () => {
  const res = await viaApiserver(cp, {
    path: NODES_PATH,
    headers: { 'Impersonate-User': 'hostile-many-groups', 'Impersonate-Group': GROUPS },
  });
  assert.equal(res.status, 200, res.body.slice(0, 500));
  assert.equal(res.json().kind, 'NodeList');
});

test('a labelSelector with a long in (…) list passes through kube-apiserver and selects', async () => {
  const pools = Array.from({ length: 3_000 }, (_, i) => `p${i}`);
  const selector = encodeURIComponent(`pool in (${pools.join(',')})`);
  assert.ok(selector.length > 20_000);
  const res = await viaApiserver(cp, { path: `${NODES_PATH}?labelSelector=${selector}` });
  assert.equal(res.status, 200, res.body.slice(0, 500));
  const names = (res.json().items as { metadata: { name: string } }[]).map((n) => n.metadata.name);
  assert.ok(names.includes(NODE), names.join(','));
});

test('headers over 1 MiB in all are refused with 431, and the server goes on serving', async () => {
  const socket = await tlsSocket(server.port, server.servingCa.certPem);
  let answer = '';
  socket.on('data', (c: Buffer) => (answer += c.toString()));
  const closed = closedWithin(socket, 10_000);
  const filler = `X-Filler: ${'x'.repeat(8_000)}\r\n`.repeat(140);
  socket.write(`GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n${filler}\r\n`);
  assert.ok((await closed) < 10_000, 'the connection stayed open');
  assert.match(answer, /^HTTP\/1\.1 431 /);
  assert.equal((await send('/readyz')).status, 200);
});

test('JSON nested thousands of levels deep is a 400 Status (type error, or apimachinery’s max depth), never a 500', async () => {
  const post = (path: string, body: string) =>
    viaApiserver(cp, { method: 'POST', path, headers: { 'content-type': 'application/json' }, body });
  // Within Go's 10,000 levels: decoded, and refused for its type or (Strict) its unknown field, as a shallow one is.
  assertStatus(
    await post(restartPath(NODE, '?dryRun=All'), `{"reason":${nested(5_000)}}`),
    400,
    'BadRequest',
    'json: cannot unmarshal array into Go struct field RestartOptions.reason of type string',
  );
  assertStatus(
    await post(restartPath(NODE, '?dryRun=All&fieldValidation=Strict'), `{"drain":{"x":${nested(9_000)}}}`),
    400,
    'BadRequest',
    'strict decoding error: unknown field "drain.x"',
  );
  // Past it: refused before anything walks the body.
  for (const body of [`{"drain":${nested(30_000)}}`, `{"reason":${nested(10_001)}}`])
    assertStatus(
      await post(restartPath(NODE, '?dryRun=All'), body),
      400,
      'BadRequest',
      "the request body is not valid JSON: invalid character '[' exceeded max depth",
    );
  const batch = {
    apiVersion: `${GROUP}/v1`,
    kind: 'RestartBatch',
    metadata: { name: 'hostile-deep' },
    spec: { labelSelector: 'pool=p7', options: { drain: { x: 'X' } } },
  };
  assertStatus(
    await post(`/apis/${GROUP}/v1/restartbatches`, JSON.stringify(batch).replace('"X"', nested(20_000))),
    400,
    'BadRequest',
    "the request body is not valid JSON: invalid character '[' exceeded max depth",
  );
});

test('an Accept header of 3,800 ranges, from a user with no grants, costs the server little CPU', async () => {
  const nobody = await userKubeconfig(cp, 'hostile-nobody');
  const base = nobody.replace(/\.kubeconfig$/, '');
  // 15 KiB, within even Node's default header limit: wildcards and concrete types alternating, so that sorting by
  // insertion moves every concrete one past all the wildcards before it.
  const accept = Array.from({ length: 3_800 }, (_, i) => (i % 2 ? 'a/b' : '*/*')).join(',');
  const discovery = () =>
    viaApiserver(
      cp,
      { path: `/apis/${GROUP}/v1`, headers: { accept } },
      { cert: `${base}.crt`, key: `${base}.key` },
    );
  const first = await discovery();
  assert.equal(first.status, 200, first.body.slice(0, 500));
  assert.equal(first.json().kind, 'APIResourceList');
  const before = await cpuSeconds(server.pid);
  const answers = await Promise.all(Array.from({ length: 8 }, discovery));
  const spent = (await cpuSeconds(server.pid)) - before;
  assert.deepEqual(
    answers.map((a) => a.status),
    Array(8).fill(200),
  );
  // Sorted by insertion, 3,800 ranges took ~290 ms each.
  assert.ok(spent < 0.6, `8 requests took ${spent.toFixed(2)} s of the server's CPU`);
});

test('a Content-Type of 50,000 parameters on a dry-run restart is decoded as JSON, at little CPU', async () => {
  const contentType = `application/json;${'x=1;'.repeat(50_000)}charset=utf-8`;
  const post = () =>
    viaApiserver(cp, {
      method: 'POST',
      path: restartPath(NODE, '?dryRun=All'),
      headers: { 'content-type': contentType },
      body: '{"reason":5}', // refused for its type: proof that it was decoded
    });
  const before = await cpuSeconds(server.pid);
  const answers = await Promise.all(Array.from({ length: 4 }, post));
  const spent = (await cpuSeconds(server.pid)) - before;
  for (const a of answers)
    assertStatus(
      a,
      400,
      'BadRequest',
      'json: cannot unmarshal number into Go struct field RestartOptions.reason of type string',
    );
  assert.ok(spent < 0.6, `4 requests took ${spent.toFixed(2)} s of the server's CPU`);
});

/** Milliseconds until the server closes the socket, or `limitMs` if it has not by then. */
function closedWithin(socket: Socket, limitMs: number): Promise<number> {
  const start = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(limitMs);
    }, limitMs);
    socket.on('error', () => undefined);
    socket.resume(); // a paused socket would never see the server's end
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(performance.now() - start);
    });
  });
}

function tlsSocket(port: number, ca: string, maxVersion?: 'TLSv1.2'): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port, ca, maxVersion }, () => resolve(s));
    s.once('error', reject);
  });
}

test('slow connections are closed at Go’s deadlines: 32 s to a handshake and to headers, 60 s to a body', async () => {
  const ca = server.servingCa.certPem;
  const limit = 75_000;
  const silent = tcpConnect(server.port, '127.0.0.1');
  const idle = await tlsSocket(server.port, ca);
  const trickle = await tlsSocket(server.port, ca);
  const request = `GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'z'.repeat(20)}`;
  let sent = 0;
  const dripping = setInterval(() => trickle.write(request[sent++ % request.length]!), 10_000);
  const bodiless = await tlsSocket(server.port, ca);
  bodiless.write(
    `POST ${restartPath(NODE)} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
  );
  let answer = '';
  bodiless.on('data', (c: Buffer) => (answer += c.toString()));
  try {
    const [noHello, noRequest, oneByteEvery10s, noBody] = await Promise.all([
      closedWithin(silent, limit),
      closedWithin(idle, limit),
      closedWithin(trickle, limit),
      closedWithin(bodiless, limit),
    ]);
    // Before: 120 s, 60–90 s, 60–90 s and 300–330 s.
    assert.ok(noHello < 36_000, `no ClientHello: ${noHello} ms`);
    assert.ok(noRequest < 36_000, `no request: ${noRequest} ms`);
    assert.ok(oneByteEvery10s < 36_000, `one byte every 10 s: ${oneByteEvery10s} ms`);
    assert.ok(noBody > 55_000 && noBody < 66_000, `no body: ${noBody} ms`);
    assert.match(answer, /^HTTP\/1\.1 408 /);
  } finally {
    clearInterval(dripping);
  }
  assert.equal((await send('/readyz')).status, 200);
});

test('TLS renegotiation asked by the client is refused, as crypto/tls refuses it', async () => {
  const socket = await tlsSocket(server.port, server.servingCa.certPem, 'TLSv1.2');
  const closed = closedWithin(socket, 10_000);
  const renegotiated = await Promise.race([
    new Promise<Error | null>((resolve) => {
      if (!socket.renegotiate({ rejectUnauthorized: false }, (err) => resolve(err ?? null)))
        resolve(new Error('renegotiation could not start'));
    }),
    closed.then(() => new Error('the server closed the connection')),
  ]);
  // Allowed before (three times per connection); now the server ends the connection instead.
  assert.ok(renegotiated instanceof Error, 'the renegotiation succeeded');
  assert.ok((await closed) < 10_000, 'the connection stayed open');
  assert.equal((await send('/readyz')).status, 200);
});

test('open connections are capped (--max-connections): more are closed at once, and served again once freed', async () => {
  const capped = await startServer(cp, { register: false, args: ['--max-connections=20'] });
  const held: Socket[] = [];
  try {
    for (let i = 0; i < 20; i++) {
      const s = tcpConnect(capped.port, '127.0.0.1');
      s.on('error', () => undefined);
      await new Promise((r) => s.once('connect', r));
      held.push(s);
    }
    await sleep(200);
    const refused = await direct(capped.url, capped.servingCa.certPem, { path: '/readyz' }).catch(
      (err: Error) => err,
    );
    assert.ok(refused instanceof Error, `the 21st connection was served: ${JSON.stringify(refused)}`);
    for (const s of held) s.destroy();
    await sleep(500);
    const served = await direct(capped.url, capped.servingCa.certPem, { path: '/readyz' });
    assert.equal(served.status, 200);
  } finally {
    for (const s of held) s.destroy();
    await capped.stop();
  }
});
