// The metrics module's parts, driven through the hooks the server calls, read back from the registry as a scrape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino } from 'pino';
import { Logger } from '@nestjs/common';
import type { AuthenticationV1Api, AuthorizationV1Api } from '@kubernetes/client-node';
import { Authorizer } from '../../../src/auth/authorizer.js';
import { newRequestInfo } from '../../../src/apiserver/request-info.js';
import { TokenAuthenticator } from '../../../src/auth/token-authenticator.js';
import { requestContext } from '../../../src/apiserver/request-context.js';
import type { ServerOptions } from '../../../src/config/server-options.js';
import { requestLog } from '../../../src/logging/request-log.js';
import { AuthMetrics } from '../../../src/metrics/auth-metrics.js';
import { MetricsRegistry } from '../../../src/metrics/metrics-registry.js';
import { OperationMetrics } from '../../../src/metrics/operation-metrics.js';
import { RequestMetrics } from '../../../src/metrics/request-metrics.js';
import type { OperationStore, StoredOperation } from '../../../src/restarts/operations/operation-store.js';
import type { OperationPhase } from '../../../src/restarts/operations/restart-operation.js';
import { parseMetrics, sampleValue } from '../../support/metrics.js';

Logger.overrideLogger(false); // the TokenAuthenticator logs the failed review this file provokes

const GROUP = 'infraops.michael.io';
const OPTIONS = {
  apiGroup: GROUP,
  authorizationAlwaysAllowPaths: ['/healthz'],
  authorizationWebhookCacheAuthorizedTtl: 10_000,
  authorizationWebhookCacheUnauthorizedTtl: 10_000,
  authenticationTokenWebhookCacheTtl: 10_000,
} as ServerOptions;

async function scrape(metrics: MetricsRegistry) {
  return parseMetrics(await metrics.registry.metrics());
}

/** Sends a request through the request log with the metrics hook, as server.ts wires them; `guard` plays the guards. */
function request(
  observe: RequestMetrics['observe'],
  method: string,
  url: string,
  status: number,
  guard?: (req: IncomingMessage) => void,
): void {
  const req = { method, url, headers: {} } as IncomingMessage;
  const res = Object.assign(new EventEmitter(), {
    statusCode: status,
    writableFinished: true,
    setHeader() {},
  });
  requestLog(pino({ level: 'silent' }), observe)(req, res as unknown as ServerResponse, () => guard?.(req));
  res.emit('finish');
}

test('every request is counted once at response end, with the guard’s RequestInfo, health and scrapes too', async () => {
  const metrics = new MetricsRegistry();
  const { observe } = new RequestMetrics(metrics, OPTIONS);
  const restart = `/apis/${GROUP}/v1/nodes/n1/restart?dryRun=All`;
  const guarded = (req: IncomingMessage) =>
    (requestContext(req).requestInfo = newRequestInfo(req.method!, req.url!));
  request(observe, 'POST', restart, 201, guarded);
  request(observe, 'POST', restart, 409, guarded);
  request(observe, 'GET', '/readyz', 200, guarded);
  request(observe, 'GET', `/apis/${GROUP}/v1/nodes`, 401); // refused before the authorization guard ran
  request(observe, 'GET', '/no/such/path', 404);

  const samples = await scrape(metrics);
  const post = { verb: 'POST', dry_run: 'All', resource: 'nodes', subresource: 'restart', scope: 'resource' };
  assert.equal(sampleValue(samples, 'apiserver_request_total', { ...post, code: '201' }), 1);
  assert.equal(sampleValue(samples, 'apiserver_request_total', { ...post, code: '409' }), 1);
  assert.equal(sampleValue(samples, 'apiserver_request_duration_seconds_count', post), 2);
  assert.equal(sampleValue(samples, 'apiserver_request_total', { subresource: '/readyz', component: '' }), 1);
  assert.equal(sampleValue(samples, 'apiserver_request_total', { verb: 'LIST', code: '401' }), 1);
  assert.equal(sampleValue(samples, 'apiserver_request_total', { subresource: 'other', code: '404' }), 1);
  assert.equal(sampleValue(samples, 'apiserver_request_total'), 5);
  assert.ok(
    samples.every((s) => !Object.values(s.labels).includes('n1')),
    'no node name in any label',
  );
});

test('the process and Node.js metrics are in the registry', async () => {
  const samples = await scrape(new MetricsRegistry());
  for (const name of [
    'process_cpu_seconds_total',
    'process_resident_memory_bytes',
    'nodejs_heap_size_used_bytes',
  ])
    assert.ok(sampleValue(samples, name) !== undefined, name);
});

test('SubjectAccessReview cache hits and misses, and review decisions, read from the Authorizer', async () => {
  const answers = [{ allowed: true }, {}, { allowed: true, denied: true }];
  const api = {
    createSubjectAccessReview: async () => {
      const status = answers.shift();
      if (status === undefined) throw new Error('kube-apiserver is down');
      return { status };
    },
  } as unknown as AuthorizationV1Api;
  const authorizer = new Authorizer(OPTIONS, api);
  const tokens = new TokenAuthenticator(OPTIONS, {} as AuthenticationV1Api);
  const metrics = new MetricsRegistry();
  new AuthMetrics(metrics, authorizer, tokens);
  const user = (name: string) => ({ name, groups: ['system:authenticated'] });
  const info = newRequestInfo('GET', '/metrics');

  await authorizer.authorize(user('alice'), info); // miss, allowed
  await authorizer.authorize(user('alice'), info); // hit
  await authorizer.authorize(user('bob'), info); // miss, no opinion
  await authorizer.authorize(user('carol'), info); // miss, both allowed and denied: an error
  await assert.rejects(authorizer.authorize(user('dave'), info)); // miss, the review failed
  await authorizer.authorize(user('erin'), newRequestInfo('GET', '/healthz')); // always allowed: no lookup

  const samples = await scrape(metrics);
  const cache = (result: string) =>
    sampleValue(samples, 'cloud_node_manager_authorization_cache_requests_total', { result });
  assert.deepEqual([cache('hit'), cache('miss')], [1, 4]);
  const decision = (d: string) =>
    sampleValue(samples, 'cloud_node_manager_subject_access_reviews_total', { decision: d });
  assert.deepEqual(
    [decision('allow'), decision('deny'), decision('no-opinion'), decision('error')],
    [1, 0, 1, 2],
  );
});

test('TokenReview cache hits and misses, and review results, read from the TokenAuthenticator', async () => {
  const api = {
    createTokenReview: async ({ body }: { body: { spec: { token: string } } }) => {
      if (body.spec.token === 'down') throw new Error('kube-apiserver is down');
      const authenticated = body.spec.token === 'good';
      return { status: { authenticated, ...(authenticated && { user: { username: 'prometheus' } }) } };
    },
  } as unknown as AuthenticationV1Api;
  const tokens = new TokenAuthenticator(OPTIONS, api);
  const metrics = new MetricsRegistry();
  new AuthMetrics(metrics, new Authorizer(OPTIONS, {} as AuthorizationV1Api), tokens);
  for (const token of ['good', 'good', 'good', 'bad', 'down']) await tokens.authenticate(token);

  const samples = await scrape(metrics);
  const cache = (result: string) =>
    sampleValue(samples, 'cloud_node_manager_token_cache_requests_total', { result });
  assert.deepEqual([cache('hit'), cache('miss')], [2, 3]);
  const result = (r: string) => sampleValue(samples, 'cloud_node_manager_token_reviews_total', { result: r });
  assert.deepEqual([result('authenticated'), result('unauthenticated'), result('failed')], [1, 1, 1]);
});

/** An OperationStore as OperationMetrics uses it: all(), synced, onChange. */
class FakeStore {
  synced = false;
  ops: StoredOperation[] = [];
  private listener = () => {};
  onChange(listener: () => void) {
    this.listener = listener;
  }
  all() {
    return this.ops;
  }
  set(ops: [string, OperationPhase][]) {
    this.ops = ops.map(([id, phase]) => ({
      op: { id, node: `node-${id}`, phase } as never,
      resourceVersion: '1',
    }));
    this.listener();
  }
}

test('operations by phase at scrape time; finished ones counted once each, not those finished before the watch', async () => {
  const store = new FakeStore();
  const metrics = new MetricsRegistry();
  new OperationMetrics(metrics, store as unknown as OperationStore);
  store.set([['old', 'Succeeded']]); // listed before the watch synced: finished before this replica
  store.synced = true;
  store.set([
    ['old', 'Succeeded'],
    ['a', 'Accepted'],
    ['b', 'RebootRequested'],
  ]);
  store.set([
    ['old', 'Succeeded'],
    ['a', 'Succeeded'],
    ['b', 'Failed'],
  ]);
  store.set([
    ['old', 'Succeeded'],
    ['a', 'Succeeded'],
    ['b', 'Failed'],
  ]); // the same again: not counted twice
  store.set([
    ['c', 'NotReady'],
    ['a', 'Succeeded'],
    ['b', 'Failed'],
  ]); // c replaced old's Lease
  store.set([
    ['c', 'NotReady'],
    ['a', 'Succeeded'],
    ['b', 'Failed'],
    ['d', 'Cancelled'],
  ]);

  const samples = await scrape(metrics);
  const phase = (p: string) => sampleValue(samples, 'cloud_node_manager_restart_operations', { phase: p });
  assert.deepEqual(
    ['Accepted', 'Cordoned', 'Draining', 'RebootRequested', 'NotReady', 'Ready', 'Uncordoned'].map(phase),
    [0, 0, 0, 0, 1, 0, 0],
  );
  assert.deepEqual(['Succeeded', 'Failed', 'Cancelled'].map(phase), [1, 1, 1]);
  const finished = (result: string) =>
    sampleValue(samples, 'cloud_node_manager_restart_operations_finished_total', { result });
  assert.deepEqual([finished('Succeeded'), finished('Failed'), finished('Cancelled')], [1, 1, 1]);
});
