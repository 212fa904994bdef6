// /metrics against the real kube-apiserver: authorized as the non-resource URL it is (403 without the shipped
// metrics-reader role), and counting what really happened: requests through the aggregator with Go's labels,
// SubjectAccessReview and TokenReview cache hits, and the EC2 emulator calls of a restart dry run.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudEmulators } from '../support/clouds.js';
import { direct, viaApiserver, type DirectResponse } from '../support/direct.js';
import { kubectl } from '../support/kube.js';
import { waitFor } from '../control-plane/processes.js';
import { GROUP, NAMESPACE, type RunningServer } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';
import { parseMetrics, sampleValue, type Sample } from '../support/metrics.js';

const NODE = 'metrics-aws-1';
const INSTANCE = 'i-0a1b2c3d4e5f6a001';
const SCRAPER = 'e2e-metrics-scraper';
const STRANGER = 'e2e-metrics-stranger';
const READER_ROLE = 'k8s-cloud-node-manager:metrics-reader';

const suite = await e2eSuite();
const { cp, clients } = suite;
let clouds: CloudEmulators;
let server: RunningServer;
let scraperToken: string;
let strangerToken: string;

async function serviceAccountToken(name: string): Promise<string> {
  await clients.core.createNamespacedServiceAccount({ namespace: NAMESPACE, body: { metadata: { name } } });
  const token = await kubectl(cp, ['create', 'token', name, '-n', NAMESPACE, '--duration=1h']);
  assert.equal(token.code, 0, token.stderr);
  return token.stdout.trim();
}

before(async () => {
  suite.defer(async () => {
    await clients.rbac.deleteClusterRoleBinding({ name: SCRAPER }).catch(() => undefined);
    for (const name of [SCRAPER, STRANGER])
      await clients.core
        .deleteNamespacedServiceAccount({ name, namespace: NAMESPACE })
        .catch(() => undefined);
  });
  clouds = await suite.clouds({
    ec2: [{ instanceId: INSTANCE, region: 'us-east-1', availabilityZone: 'us-east-1a' }],
  });
  await suite.nodes([{ name: NODE, providerID: `aws:///us-east-1a/${INSTANCE}` }]);
  server = await suite.server({ env: clouds.serverEnv });
  scraperToken = await serviceAccountToken(SCRAPER);
  strangerToken = await serviceAccountToken(STRANGER);
  await clients.rbac.createClusterRoleBinding({
    body: {
      metadata: { name: SCRAPER },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: READER_ROLE },
      subjects: [{ kind: 'ServiceAccount', name: SCRAPER, namespace: NAMESPACE }],
    },
  });
});

const get = (path: string, token?: string) =>
  direct(server.url, server.servingCa.certPem, {
    path,
    headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
  });

/** A scrape by the ServiceAccount bound to the shipped role, parsed. */
async function scrape(): Promise<Sample[]> {
  const res = await get('/metrics', scraperToken);
  assert.equal(res.status, 200, res.body);
  return parseMetrics(res.body);
}

function assertForbidden(res: DirectResponse, user: string) {
  assert.equal(res.status, 403, res.body);
  const status = res.json();
  assert.deepEqual([status.kind, status.code, status.reason], ['Status', 403, 'Forbidden']);
  assert.equal(status.message, `forbidden: User "${user}" cannot get path "/metrics"`);
}

test('/metrics is refused (403 Status) to anonymous and to a ServiceAccount without the metrics-reader role', async () => {
  assertForbidden(await get('/metrics'), 'system:anonymous');
  assertForbidden(await get('/metrics', strangerToken), `system:serviceaccount:${NAMESPACE}:${STRANGER}`);
});

test('with the metrics-reader role: the Prometheus text format, process metrics included', async () => {
  const res = await get('/metrics', scraperToken);
  assert.equal(res.status, 200, res.body);
  assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  assert.match(res.body, /^# TYPE apiserver_request_total counter$/m);
  assert.match(res.body, /^# TYPE apiserver_request_duration_seconds histogram$/m);
  for (const name of [
    'process_cpu_seconds_total',
    'process_resident_memory_bytes',
    'nodejs_heap_size_used_bytes',
  ])
    assert.match(res.body, new RegExp(`^${name} \\d`, 'm'), name);
  for (const phase of ['Accepted', 'Draining', 'RebootRequested', 'NotReady', 'Succeeded', 'Failed'])
    assert.ok(
      sampleValue(parseMetrics(res.body), 'cloud_node_manager_restart_operations', { phase }) !== undefined,
    );
});

test('requests through the aggregator and a restart dry run are counted with k8s.io/apiserver labels', async () => {
  const list = await viaApiserver(cp, { path: `/apis/${GROUP}/v1/nodes` });
  assert.equal(list.status, 200, list.body);
  const ec2Before = clouds.ec2.callsTo('RebootInstances').length;
  const dryRun = await viaApiserver(cp, {
    method: 'POST',
    path: `/apis/${GROUP}/v1/nodes/${NODE}/restart?dryRun=All`,
    body: '{}',
    headers: { 'Content-Type': 'application/json' },
  });
  assert.equal(dryRun.status, 200, dryRun.body);
  assert.equal(
    clouds.ec2.callsTo('RebootInstances').length,
    ec2Before + 1,
    'the dry run reached the emulator',
  );

  const samples = await scrape();
  const ours = { group: GROUP, version: 'v1', resource: 'nodes', component: 'apiserver' };
  assert.equal(
    sampleValue(samples, 'apiserver_request_total', {
      ...ours,
      verb: 'LIST',
      dry_run: '',
      subresource: '',
      scope: 'cluster',
      code: '200',
    }),
    1,
  );
  const restart = { ...ours, verb: 'POST', dry_run: 'All', subresource: 'restart', scope: 'resource' };
  assert.equal(sampleValue(samples, 'apiserver_request_total', { ...restart, code: '200' }), 1);
  assert.equal(sampleValue(samples, 'apiserver_request_duration_seconds_count', restart), 1);
  assert.equal(
    sampleValue(samples, 'apiserver_request_total', {
      verb: 'GET',
      group: '',
      resource: '',
      subresource: '/metrics',
      scope: '',
      code: '403',
    }),
    2,
  );
  // An EC2 dry run is RebootInstances with DryRun=true (answered DryRunOperation) and a DescribeInstances.
  for (const action of ['RebootInstances', 'DescribeInstances']) {
    assert.equal(
      sampleValue(samples, 'cloud_node_manager_cloud_api_requests_total', {
        cloud: 'aws',
        action,
        outcome: 'success',
      }),
      1,
      action,
    );
    assert.equal(
      sampleValue(samples, 'cloud_node_manager_cloud_api_request_duration_seconds_count', {
        cloud: 'aws',
        action,
      }),
      1,
    );
  }
  assert.ok(
    samples.every((s) => !Object.values(s.labels).some((v) => v.includes(NODE) || v.includes(INSTANCE))),
    'no node or instance names in labels',
  );
});

test('an open watch is an apiserver_longrunning_requests; its duration is observed as WATCH when it ends, not as LIST', async () => {
  const ours = { group: GROUP, version: 'v1', resource: 'nodes', subresource: '', scope: 'cluster' };
  const list = { ...ours, verb: 'LIST', dry_run: '', component: 'apiserver' };
  const watchLabels = { ...ours, verb: 'WATCH', component: 'apiserver' };
  const before = await scrape();
  const listsBefore = sampleValue(before, 'apiserver_request_duration_seconds_count', list) ?? 0;
  assert.equal(sampleValue(before, 'apiserver_longrunning_requests', watchLabels), undefined);
  const watch = viaApiserver(cp, { path: `/apis/${GROUP}/v1/nodes?watch=1&timeoutSeconds=3` });
  const open = await waitFor('the watch to be counted', async () => {
    const samples = await scrape();
    return sampleValue(samples, 'apiserver_longrunning_requests', watchLabels) === 1 ? samples : undefined;
  });
  assert.equal(
    sampleValue(open, 'apiserver_request_duration_seconds_count', { ...list, verb: 'WATCH' }),
    undefined,
  );
  assert.equal((await watch).status, 200);
  const after = await waitFor('the watch to end', async () => {
    const samples = await scrape();
    return sampleValue(samples, 'apiserver_longrunning_requests', watchLabels) === undefined
      ? samples
      : undefined;
  });
  const watched = { ...list, verb: 'WATCH' };
  assert.equal(sampleValue(after, 'apiserver_request_duration_seconds_count', watched), 1);
  assert.ok(sampleValue(after, 'apiserver_request_duration_seconds_sum', watched)! >= 2.5, 'the whole watch');
  assert.equal(sampleValue(after, 'apiserver_request_duration_seconds_count', list) ?? 0, listsBefore);
});

test('repeated identical requests are answered from the SubjectAccessReview and TokenReview caches', async () => {
  const before = await scrape();
  await scrape();
  const after = await scrape();
  const delta = (name: string, labels: Record<string, string>) =>
    (sampleValue(after, name, labels) ?? 0) - (sampleValue(before, name, labels) ?? 0);
  // Each scrape after `before` is a cache hit, counted before its own metrics are collected. Only the scrapes
  // carry tokens; the aggregator's discovery requests may also look in the SubjectAccessReview cache meanwhile.
  assert.ok(delta('cloud_node_manager_authorization_cache_requests_total', { result: 'hit' }) >= 2);
  assert.equal(delta('cloud_node_manager_token_cache_requests_total', { result: 'hit' }), 2);
  assert.equal(delta('cloud_node_manager_token_cache_requests_total', { result: 'miss' }), 0);
  assert.equal(delta('cloud_node_manager_token_reviews_total', { result: 'authenticated' }), 0);
  // RBAC never denies: the stranger and anonymous were refused for want of an allow.
  assert.ok(
    (sampleValue(after, 'cloud_node_manager_subject_access_reviews_total', { decision: 'no-opinion' }) ??
      0) >= 2,
  );
});
