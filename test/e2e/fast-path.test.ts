// The read fast path (src/apiserver/read-fast-path.ts) against the route Nest serves for the same request: each read is sent in
// its canonical form (taken by the fast path) and with a trailing slash (which the fast path leaves to Express,
// whose routing accepts it); both must answer the same status, headers and body — successes, 304s, and every
// Status error from authentication, authorization, negotiation and the handlers. Sent as kube-apiserver's front
// proxy would, with X-Remote-* headers behind its client certificate.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { direct, type DirectResponse } from '../support/direct.js';
import { GROUP, type RunningServer } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';
import { grant } from '../support/users.js';

const NODES = ['fast-aws-1', 'fast-tencent-1'];
const READER = 'fast-path-reader';
const V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const NODES_PATH = `/apis/${GROUP}/v1/nodes`;

const suite = await e2eSuite();
const { cp, clients } = suite;
let server: RunningServer;
let proxy: { cert: string; key: string };

before(async () => {
  proxy = {
    cert: await readFile(cp.pki.frontProxyClientCert, 'utf8'),
    key: await readFile(cp.pki.frontProxyClientKey, 'utf8'),
  };
  await suite.nodes([
    { name: 'fast-aws-1', providerID: 'aws:///us-east-1a/i-0fa57a7a0000000001', labels: { pool: 'fast' } },
    { name: 'fast-tencent-1', providerID: 'qcloud:///100003/ins-fa57fa57' },
  ]);
  suite.defer(
    await grant(clients, READER, 'e2e-fast-path-reader', [
      { apiGroups: [GROUP], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
    ]),
  );
  server = await suite.server({ register: false, env: { LOG_LEVEL: 'info' } });
});

interface Read {
  path: string;
  user?: string;
  headers?: Record<string, string>;
  /** Send no certificate at all (anonymous), or one the server does not trust. */
  credentials?: 'none' | 'untrusted';
}

function send(read: Read, path: string): Promise<DirectResponse> {
  const remote: Record<string, string> =
    read.user === undefined ? {} : { 'X-Remote-User': read.user, 'X-Remote-Group': 'readers' };
  const certs = read.credentials === undefined ? proxy : read.credentials === 'untrusted' ? untrusted : {};
  return direct(server.url, server.servingCa.certPem, {
    path,
    headers: { 'Audit-Id': 'fast-path-e2e', ...remote, ...read.headers },
    ...certs,
  });
}

/** The serving certificate is trusted by no client CA: a client certificate the server must refuse. */
const untrusted = {
  get cert() {
    return server.servingCa.certPem;
  },
  get key() {
    return server.servingCa.keyPem;
  },
};

const withTrailingSlash = (path: string) => {
  const q = path.indexOf('?');
  return q === -1 ? `${path}/` : `${path.slice(0, q)}/${path.slice(q)}`;
};

function comparable(res: DirectResponse) {
  const { date, ...headers } = res.headers;
  assert.ok(date, 'a Date header');
  assert.equal(headers['audit-id'], 'fast-path-e2e');
  return { status: res.status, headers, body: res.body };
}

async function assertSameAnswers(read: Read, expectedStatus: number): Promise<DirectResponse> {
  const fast = await send(read, read.path);
  const nest = await send(read, withTrailingSlash(read.path));
  assert.equal(fast.status, expectedStatus, `${read.path}: ${fast.body}`);
  assert.deepEqual(comparable(fast), comparable(nest), read.path);
  return fast;
}

test('discovery: the same documents, content types, ETags and 304s as through Nest', async () => {
  const aggregated = await assertSameAnswers({ path: '/apis', user: READER, headers: { Accept: V2 } }, 200);
  assert.ok(aggregated.headers.etag);
  await assertSameAnswers(
    {
      path: '/apis',
      user: READER,
      headers: { Accept: V2, 'If-None-Match': String(aggregated.headers.etag) },
    },
    304,
  );
  await assertSameAnswers({ path: '/apis', user: READER }, 200);
  await assertSameAnswers({ path: `/apis/${GROUP}`, user: READER }, 200);
  const resources = await assertSameAnswers({ path: `/apis/${GROUP}/v1`, user: READER }, 200);
  assert.equal(resources.json().kind, 'APIResourceList');
  assert.equal(resources.headers['content-type'], 'application/json');
});

test('discovery errors: 406 for nothing acceptable, 404 for groups and versions not served', async () => {
  await assertSameAnswers({ path: '/apis', user: READER, headers: { Accept: 'application/yaml' } }, 406);
  await assertSameAnswers({ path: `/apis/${GROUP}/v1`, user: READER, headers: { Accept: 'text/html' } }, 406);
  await assertSameAnswers({ path: '/apis/other.example.com', user: READER }, 404);
  await assertSameAnswers({ path: `/apis/${GROUP}/v2`, user: READER }, 404);
});

test('nodes: one, a list, a selected list, a page and Tables, the same through both', async () => {
  const one = await assertSameAnswers({ path: `${NODES_PATH}/fast-aws-1`, user: READER }, 200);
  assert.equal(one.json().kind, 'Node');
  assert.equal(one.headers['content-type'], 'application/json; charset=utf-8');
  await assertSameAnswers(
    { path: `${NODES_PATH}/fast-aws-1`, user: READER, headers: { Accept: TABLE } },
    200,
  );
  const list = await assertSameAnswers({ path: NODES_PATH, user: READER }, 200);
  const names = (list.json().items as { metadata: { name: string } }[]).map((n) => n.metadata.name);
  assert.ok(NODES.every((n) => names.includes(n)));
  const selected = await assertSameAnswers(
    { path: `${NODES_PATH}?labelSelector=pool%3Dfast`, user: READER },
    200,
  );
  assert.deepEqual(
    (selected.json().items as { metadata: { name: string } }[]).map((n) => n.metadata.name),
    ['fast-aws-1'],
  );
  const page = await assertSameAnswers({ path: `${NODES_PATH}?limit=1`, user: READER }, 200);
  assert.ok((page.json().metadata as { continue?: string }).continue);
  await assertSameAnswers(
    { path: `${NODES_PATH}?includeObject=None`, user: READER, headers: { Accept: TABLE } },
    200,
  );
});

test('nodes errors: 404, 400 and 422 for bad parameters, 410 for a watch too old, 406, as through Nest', async () => {
  await assertSameAnswers({ path: `${NODES_PATH}/no-such-node`, user: READER }, 404);
  await assertSameAnswers({ path: `${NODES_PATH}?limit=many`, user: READER }, 400);
  await assertSameAnswers({ path: `${NODES_PATH}?labelSelector=a%20b%20c`, user: READER }, 400);
  await assertSameAnswers({ path: `${NODES_PATH}/fast-aws-1?includeObject=All`, user: READER }, 400);
  await assertSameAnswers({ path: `${NODES_PATH}?watch=true&sendInitialEvents=true`, user: READER }, 422);
  // A watch from a resourceVersion older than the server keeps: one ERROR event (410 Expired), and the end.
  const expired = await assertSameAnswers(
    { path: `${NODES_PATH}?watch=1&resourceVersion=1`, user: READER },
    200,
  );
  assert.match(
    expired.body,
    /^\{"type":"ERROR","object":\{"kind":"Status".*"reason":"Expired".*"code":410\}\}\n$/,
  );
  await assertSameAnswers({ path: NODES_PATH, user: READER, headers: { Accept: 'application/yaml' } }, 406);
  // Authorization comes first: the grant is for our group only.
  await assertSameAnswers({ path: `/apis/other.example.com/v1/nodes/fast-aws-1`, user: READER }, 403);
});

test('authentication and authorization: 403 for a user without the grant, 401 for an untrusted certificate', async () => {
  const denied = await assertSameAnswers(
    { path: `${NODES_PATH}/fast-aws-1`, user: 'fast-path-stranger' },
    403,
  );
  assert.equal(denied.json().reason, 'Forbidden');
  assert.equal(denied.headers['x-content-type-options'], 'nosniff');
  await assertSameAnswers({ path: NODES_PATH, credentials: 'none' }, 403);
  const refused = await assertSameAnswers({ path: NODES_PATH, credentials: 'untrusted' }, 401);
  assert.equal(refused.json().reason, 'Unauthorized');
});

test('the fast path logs each request with who asked and what was decided', async () => {
  const lines = (await server.flushedLogs())
    .split('\n')
    .filter((l) => l.includes(`"url":"${NODES_PATH}/fast-aws-1"`));
  const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.ok(
    logged.some((l) => l.user === READER && l.verb === 'get' && l.decision === 'allow'),
    lines.join('\n'),
  );
  assert.ok(logged.some((l) => l.user === 'fast-path-stranger' && l.decision === 'deny'));
});
