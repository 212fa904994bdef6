// Which requests the read fast path takes: only the canonical GETs of the declared read routes (discovery and
// our nodes); every other form goes on to Express (test/e2e/fast-path.test.ts checks both answer alike).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ReadFastPath } from '../../../src/apiserver/read-fast-path.js';
import { ReadRouteTable, type ApiRequest } from '../../../src/apiserver/read-routes.js';
import { DISCOVERY_ROUTES } from '../../../src/api-discovery/discovery-routes.js';
import { NODE_ROUTES } from '../../../src/nodes/node-reads.js';

const G = 'infraops.michael.io';

/** What each declared route was asked, as a line. */
const RECORDED: Record<string, (r: ApiRequest) => string> = {
  apis: () => 'apis',
  'apis/:group': ({ params }) => `group ${params.group}`,
  'apis/:group/:version': ({ params }) => `resources ${params.group} ${params.version}`,
  'apis/:group/:version/nodes': ({ params, query }) =>
    `list ${params.group} ${params.version} ${JSON.stringify(query)}`,
  'apis/:group/:version/nodes/:name': ({ params, query }) =>
    `get ${params.group} ${params.version} ${params.name} ${String(query.includeObject)}`,
};

/** The declared routes, each recording what it was asked; authentication and authorization always pass. */
function fastPath() {
  const calls: string[] = [];
  const paths = [...DISCOVERY_ROUTES, ...NODE_ROUTES].map((r) => r.path);
  const answers = paths.map((path) => (req: ApiRequest) => {
    calls.push(RECORDED[path]!(req));
    return { statusCode: 200, headers: {}, body: '{}' };
  });
  const fast = new ReadFastPath({
    authenticator: { authenticate: async () => undefined },
    authorizer: { authorize: async () => undefined },
    routes: new ReadRouteTable(answers, paths),
  });
  return { fast, calls };
}

function request(url: string, method = 'GET', headers: Record<string, string> = {}) {
  const req = { method, url, headers } as unknown as IncomingMessage;
  let end = () => {};
  const ended = new Promise<void>((resolve) => (end = resolve));
  const res = {
    setHeader: () => undefined,
    headersSent: false,
    end: () => end(),
  } as unknown as ServerResponse;
  return { req, res, ended: () => ended };
}

async function taken(url: string, method?: string, headers?: Record<string, string>) {
  const { fast, calls } = fastPath();
  const r = request(url, method, headers);
  if (!fast.handle(r.req, r.res)) return undefined;
  await r.ended();
  return calls[0];
}

test('the canonical discovery and node reads are taken, with their parameters', async () => {
  assert.equal(await taken('/apis'), 'apis');
  assert.equal(await taken(`/apis/${G}`), `group ${G}`);
  assert.equal(await taken(`/apis/${G}/v1`), `resources ${G} v1`);
  assert.equal(
    await taken(`/apis/${G}/v1/nodes?limit=2&labelSelector=a%3Db`),
    `list ${G} v1 {"limit":"2","labelSelector":"a=b"}`,
  );
  assert.equal(await taken(`/apis/${G}/v1/nodes/n-1?includeObject=None`), `get ${G} v1 n-1 None`);
  assert.equal(await taken(`/apis/other.example.com/v2/nodes/n-1`), 'get other.example.com v2 n-1 undefined');
});

test('anything else goes on to Express', async () => {
  for (const url of [
    '/apis/',
    `/apis/${G}/`,
    `/apis/${G}/v1/nodes/`,
    `/apis/${G}/v1/nodes/n%2D1`,
    `/apis/${G}//v1`,
    `/apis/${G}/v1/nodes/n-1/restart`,
    `/apis/${G}/v1/restartbatches`,
    `/apis/${G}/v1/Nodes`,
    '/APIS',
    '/apisx',
    '/api',
    '/openapi/v2',
    '/readyz',
    `https://example.com/apis/${G}/v1`,
  ])
    assert.equal(await taken(url), undefined, url);
  assert.equal(await taken(`/apis/${G}/v1/nodes/n-1`, 'POST'), undefined);
  assert.equal(await taken(`/apis/${G}/v1/nodes/n-1`, 'HEAD'), undefined);
  assert.equal(await taken(`/apis/${G}/v1/nodes`, 'GET', { 'content-length': '2' }), undefined);
  assert.equal(await taken(`/apis/${G}/v1/nodes`, 'GET', { 'transfer-encoding': 'chunked' }), undefined);
  assert.equal(await taken(`/apis/${G}/v1/nodes`, 'GET', { 'content-length': '0' }), `list ${G} v1 {}`);
});
