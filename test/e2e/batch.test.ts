// RestartBatch against the real control plane: one request restarts every node a selector matches, at most
// maxUnavailable at a time, each reboot reaching the EC2 emulator once (the test plays the kubelet), the reboots
// started together sharing calls; creating one needs create on nodes/restart for each node it selects; a dry run
// stores nothing. Nodes down for any reason count against maxUnavailable, and a failure halts a batch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { waitFor } from '../control-plane/processes.js';
import type { CloudEmulators } from '../support/clouds.js';
import { viaApiserver, type DirectResponse } from '../support/direct.js';
import { playKubelet, rebootedInstances } from '../support/kubelet.js';
import { bootAgain, updateNodeStatus } from '../support/nodes.js';
import { GROUP } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';
import { grant, userKubeconfig } from '../support/users.js';

const POOL = { 'e2e-pool': 'batch' };
const INSTANCES = [
  'i-0b0000000000000b1',
  'i-0b0000000000000b2',
  'i-0b0000000000000b3',
  'i-0b0000000000000b4',
];
const NODES = new Map(INSTANCES.map((id, i) => [`batch-${i + 1}`, id]));

const suite = await e2eSuite();
const { cp, clients } = suite;
let clouds: CloudEmulators;
/** Nodes whose machines go down when rebooted and do not come back. */
const stayDown = new Set<string>();

before(async () => {
  clouds = await suite.clouds({
    ec2: INSTANCES.map((instanceId) => ({ instanceId, region: 'us-east-1', availabilityZone: 'us-east-1a' })),
  });
  await suite.nodes(
    [...NODES].map(([name, id]) => {
      const labels = { ...POOL, 'batch-node': name.slice('batch-'.length) };
      return { name, providerID: `aws:///us-east-1a/${id}`, labels };
    }),
  );
  const kubelet = playKubelet(clients.core, {
    nodesByInstance: new Map([...NODES].map(([node, id]) => [id, node])),
    sources: [clouds.ec2],
    downMs: 1500,
    stayDown,
  });
  suite.defer(() => kubelet.stop());
  await suite.server({ env: clouds.serverEnv, args: ['--restart-timeout=12s'] });
});

const batchesPath = `/apis/${GROUP}/v1/restartbatches`;

function create(body: object, query = '', user?: { cert: string; key: string }): Promise<DirectResponse> {
  const req = {
    method: 'POST',
    path: `${batchesPath}${query}`,
    body: JSON.stringify({ apiVersion: `${GROUP}/v1`, kind: 'RestartBatch', ...body }),
    headers: { 'Content-Type': 'application/json' },
  };
  return user ? viaApiserver(cp, req, user) : viaApiserver(cp, req);
}

interface Batch {
  metadata: { name: string };
  spec: { maxFailures: number };
  status: {
    phase: string;
    message: string;
    halted?: string;
    nodes: { name: string; phase: string; operationID?: string }[];
  };
}

async function read(name: string): Promise<Batch> {
  const res = await viaApiserver(cp, { path: `${batchesPath}/${name}` });
  assert.equal(res.status, 200, res.body);
  return res.json() as unknown as Batch;
}

test('one request restarts every selected node, at most maxUnavailable at a time, each once', async () => {
  const res = await create({
    metadata: { generateName: 'pool-batch-' },
    spec: { labelSelector: 'e2e-pool=batch', maxUnavailable: 2, options: { reason: 'kernel update' } },
  });
  assert.equal(res.status, 201, res.body);
  const { name } = (res.json() as unknown as Batch).metadata;
  assert.match(name, /^pool-batch-[a-z0-9]{5}$/);
  let most = 0;
  const done = await waitFor('the batch to finish', async () => {
    const batch = await read(name);
    most = Math.max(most, batch.status.nodes.filter((n) => n.phase === 'Restarting').length);
    return batch.status.phase === 'Running' ? undefined : batch;
  });
  assert.equal(done.status.phase, 'Succeeded', done.status.message);
  assert.deepEqual(
    done.status.nodes.map((n) => [n.name, n.phase]),
    [...NODES.keys()].map((node) => [node, 'Succeeded']),
  );
  assert.ok(
    done.status.nodes.every((n) => n.operationID),
    'each node has its operation',
  );
  assert.equal(most, 2, 'two at a time, never more');
  const rebooted = clouds.ec2.calls.flatMap(rebootedInstances).sort();
  assert.deepEqual(rebooted, [...INSTANCES].sort());
  const list = await viaApiserver(cp, { path: batchesPath });
  assert.ok((list.json() as { items: Batch[] }).items.some((b) => b.metadata.name === name));
});

test('with maxUnavailable 4 the four reboots reach the cloud in fewer than four calls', async () => {
  const before = clouds.ec2.calls.length;
  const res = await create({
    metadata: { generateName: 'together-' },
    spec: { labelSelector: 'e2e-pool=batch', maxUnavailable: 4 },
  });
  assert.equal(res.status, 201, res.body);
  const { name } = (res.json() as unknown as Batch).metadata;
  const done = await waitFor('the batch to finish', async () => {
    const batch = await read(name);
    return batch.status.phase === 'Running' ? undefined : batch;
  });
  assert.equal(done.status.phase, 'Succeeded', done.status.message);
  const reboots = clouds.ec2.calls.slice(before).filter((call) => rebootedInstances(call).length > 0);
  assert.deepEqual(reboots.flatMap(rebootedInstances).sort(), [...INSTANCES].sort());
  assert.ok(reboots.length < 4, `the reboots took ${reboots.length} RebootInstances calls`);
});

test('a dry run stores nothing; bad specs are 422s naming the field', async () => {
  const dry = await create(
    { metadata: { name: 'dry' }, spec: { labelSelector: 'e2e-pool=batch' } },
    '?dryRun=All',
  );
  assert.equal(dry.status, 201, dry.body);
  assert.equal((await viaApiserver(cp, { path: `${batchesPath}/dry` })).status, 404);
  const none = await create({ metadata: { name: 'none' }, spec: { labelSelector: 'e2e-pool=nothing' } });
  assert.equal(none.status, 422, none.body);
  assert.match(
    (none.json() as { message: string }).message,
    /spec\.labelSelector: Invalid value: "e2e-pool=nothing": matches no nodes/,
  );
  const bad = await create({ metadata: { name: 'bad' }, spec: { maxUnavailable: 0 } });
  assert.equal(bad.status, 422, bad.body);
  assert.match(
    (bad.json() as { message: string }).message,
    /spec\.labelSelector: Required value.*spec\.maxUnavailable: Invalid value: 0/,
  );
  const unknown = await create(
    { metadata: { name: 'x' }, spec: { labelSelector: 'a=b', parallel: 3 } },
    '?fieldValidation=Strict',
  );
  assert.equal(unknown.status, 400, unknown.body);
  assert.match((unknown.json() as { message: string }).message, /unknown field "spec\.parallel"/);

  // As kube-apiserver decodes a body strictly: metadata is an ObjectMeta, so another key in it is an unknown
  // field; a key given twice is a duplicate field (JSON.parse would keep the last silently).
  const raw = (text: string, query: string) =>
    viaApiserver(cp, {
      method: 'POST',
      path: `${batchesPath}${query}`,
      body: text,
      headers: { 'Content-Type': 'application/json' },
    });
  const twice =
    `{"apiVersion":"${GROUP}/v1","kind":"RestartBatch","metadata":{"name":"twice","foo":1},` +
    '"spec":{"labelSelector":"e2e-pool=batch","maxUnavailable":1,"maxUnavailable":2}}';
  const strict = await raw(twice, '?dryRun=All&fieldValidation=Strict');
  assert.equal(strict.status, 400, strict.body);
  assert.equal(
    (strict.json() as { message: string }).message,
    'strict decoding error: unknown field "metadata.foo", duplicate field "spec.maxUnavailable"',
  );
  const warned = await raw(twice, '?dryRun=All');
  assert.equal(warned.status, 201, warned.body);
  assert.equal(
    warned.headers['warning'],
    '299 - "unknown field \\"metadata.foo\\"", 299 - "duplicate field \\"spec.maxUnavailable\\""',
  );
  const options = await raw(
    twice.replace('"maxUnavailable":2', '"options":{"reason":"a","reason":"b"}'),
    '?dryRun=All&fieldValidation=Strict',
  );
  assert.equal(options.status, 400, options.body);
  assert.match((options.json() as { message: string }).message, /, duplicate field "spec\.options\.reason"$/);
});

test('a merge patch of a batch: a key given twice is a Warning, and under Strict a 422 on the patch', async () => {
  const list = await viaApiserver(cp, { path: batchesPath });
  const name = (list.json() as { items: Batch[] }).items[0]!.metadata.name;
  const patch = (query: string) =>
    viaApiserver(cp, {
      method: 'PATCH',
      path: `${batchesPath}/${name}${query}`,
      body: '{"status":{"phase":"a","phase":"b"},"status":{}}',
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
  const warned = await patch('');
  assert.equal(warned.status, 200, warned.body);
  assert.equal(
    warned.headers['warning'],
    '299 - "duplicate field \\"status.phase\\"", 299 - "duplicate field \\"status\\""',
  );
  // kube-apiserver's answer to a merge patch's strict errors: 422 on the field `patch`, the patched object its value.
  const strict = await patch('?fieldValidation=Strict');
  assert.equal(strict.status, 422, strict.body);
  const status = strict.json() as {
    message: string;
    details: { causes: { field: string }[] };
  };
  assert.match(status.message, /^ "" is invalid: patch: Invalid value: "\{\\"apiVersion\\":/);
  assert.match(
    status.message,
    /": strict decoding error: duplicate field "status\.phase", duplicate field "status"$/,
  );
  // No kind and no name: Go's omitempty leaves them out.
  assert.deepEqual(Object.keys(status.details), ['causes']);
  assert.equal(status.details.causes[0]!.field, 'patch');
});

test('a batch needs create on nodes/restart for every node it selects', async () => {
  const user = 'batch-restarter-erin';
  await userKubeconfig(cp, user);
  const revoke = await grant(clients, user, 'e2e-batch-restarter', [
    { apiGroups: [GROUP], resources: ['restartbatches'], verbs: ['create'] },
    {
      apiGroups: [GROUP],
      resources: ['nodes/restart'],
      verbs: ['create'],
      resourceNames: ['batch-1', 'batch-2'],
    },
  ]);
  after(revoke);
  const base = join(cp.dir, `user-${user}`);
  const asErin = { cert: `${base}.crt`, key: `${base}.key` };
  const before = clouds.ec2.calls.length;
  const res = await create(
    { metadata: { name: 'too-wide' }, spec: { labelSelector: 'e2e-pool=batch' } },
    '',
    asErin,
  );
  assert.equal(res.status, 403, res.body);
  assert.match(
    (res.json() as { message: string }).message,
    new RegExp(
      `User "${user}" cannot create resource "nodes/restart" in API group "${GROUP}" at the cluster scope`,
    ),
  );
  assert.equal(clouds.ec2.calls.length, before);
  // Allowed by name for each selected node, one review per node.
  const mine = await create(
    { metadata: { name: 'mine' }, spec: { labelSelector: 'batch-node in (1,2)' } },
    '?dryRun=All',
    asErin,
  );
  assert.equal(mine.status, 201, mine.body);
  assert.deepEqual(
    (mine.json() as unknown as Batch).status.nodes.map((n) => n.name),
    ['batch-1', 'batch-2'],
  );
});

const rebootedNodes = (since: number) =>
  clouds.ec2.calls
    .slice(since)
    .flatMap(rebootedInstances)
    .map((id) => [...NODES].find(([, instance]) => instance === id)![0]);

async function finished(name: string): Promise<Batch> {
  return waitFor('the batch to finish', async () => {
    const batch = await read(name);
    return batch.status.phase === 'Running' ? undefined : batch;
  });
}

/**
 * A batch of two nodes, one at a time, whose machines go down when rebooted and stay down (until `stayDown` is
 * cleared). Returns the batch as created, and where the EC2 call log stood.
 */
async function batchOfDownNodes(name: string, pair: string, spec: object): Promise<[Batch, number]> {
  const since = clouds.ec2.calls.length;
  for (const n of pair.split(',')) stayDown.add(`batch-${n}`);
  after(() => stayDown.clear());
  const res = await create({
    metadata: { name },
    spec: { labelSelector: `batch-node in (${pair})`, maxUnavailable: 1, ...spec },
  });
  assert.equal(res.status, 201, res.body);
  return [res.json() as unknown as Batch, since];
}

test('a node that failed and is still down holds its place: the next waits until it is Ready', async () => {
  const [, since] = await batchOfDownNodes('down-holds', '1,2', { maxFailures: 1 });
  const failed = await waitFor('the first node to fail at its restart timeout', async () => {
    const batch = await read('down-holds');
    return batch.status.nodes.find((n) => n.phase === 'Failed');
  });
  const other = failed.name === 'batch-1' ? 'batch-2' : 'batch-1';
  await new Promise((resolve) => setTimeout(resolve, 3000)); // a pass of the runner, and more
  assert.deepEqual(rebootedNodes(since), [failed.name], 'nothing else rebooted while it is down');
  const waiting = await read('down-holds');
  assert.equal(waiting.status.phase, 'Running');
  assert.deepEqual(waiting.status.nodes.find((n) => n.name === other)?.phase, 'Pending');

  stayDown.clear();
  await bootAgain(clients.core, failed.name);
  const done = await finished('down-holds');
  assert.equal(done.status.phase, 'Failed', done.status.message);
  assert.equal(done.status.halted, undefined, 'one failure is within maxFailures 1');
  assert.deepEqual(done.status.nodes.find((n) => n.name === other)?.phase, 'Succeeded');
  assert.deepEqual(rebootedNodes(since), [failed.name, other]);
});

test('by default the first failure halts a batch: it starts no more nodes and says so', async () => {
  const [created, since] = await batchOfDownNodes('halts', '3,4', {});
  assert.equal(created.spec.maxFailures, 0);
  const done = await finished('halts');
  assert.equal(done.status.phase, 'Failed', done.status.message);
  assert.deepEqual(done.status.nodes.map((n) => n.phase).sort(), ['Failed', 'Pending']);
  assert.equal(done.status.halted, 'halted: 1 failed, more than maxFailures 0; no more nodes are started');
  const failed = done.status.nodes.find((n) => n.phase === 'Failed')!.name;
  assert.deepEqual(rebootedNodes(since), [failed], 'the other node was never rebooted');
  const events = await waitFor('the halt Event', async () => {
    const list = await clients.core.listNamespacedEvent({
      namespace: 'default',
      fieldSelector: `involvedObject.name=${failed},reason=RestartBatchHalted`,
    });
    return list.items.length > 0 ? list.items : undefined;
  });
  assert.equal(events.length, 1);
  assert.match(events[0]!.message ?? '', /^restart batch halts halted: 1 failed/);
  stayDown.clear();
  await bootAgain(clients.core, failed);
});

test('a node NotReady before the batch counts against maxUnavailable, and is restarted first', async () => {
  const since = clouds.ec2.calls.length;
  await updateNodeStatus(clients.core, 'batch-3', { ready: false });
  const res = await create({
    metadata: { name: 'down-first' },
    spec: { labelSelector: 'batch-node in (2,3)', maxUnavailable: 1 },
  });
  assert.equal(res.status, 201, res.body);
  let most = 0;
  const done = await waitFor('the batch to finish', async () => {
    const batch = await read('down-first');
    const down = await Promise.all(
      batch.status.nodes.map(async (n) => {
        const node = await clients.core.readNode({ name: n.name });
        const ready = node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
        return n.phase === 'Restarting' || !ready;
      }),
    );
    most = Math.max(most, down.filter(Boolean).length);
    return batch.status.phase === 'Running' ? undefined : batch;
  });
  assert.equal(done.status.phase, 'Succeeded', done.status.message);
  assert.deepEqual(rebootedNodes(since), ['batch-3', 'batch-2']);
  assert.equal(most, 1, 'never two of them down at once');
});

test('DELETE stops a batch from starting more nodes; the batch is gone once its running restart ended', async () => {
  const since = clouds.ec2.calls.length;
  const spec = { labelSelector: 'e2e-pool=batch', maxUnavailable: 1 };
  assert.equal((await create({ metadata: { name: 'deleted' }, spec })).status, 201);
  await waitFor('a node restarting', async () =>
    (await read('deleted')).status.nodes.some((n) => n.phase === 'Restarting') ? true : undefined,
  );
  const deleted = await viaApiserver(cp, { method: 'DELETE', path: `${batchesPath}/deleted` });
  assert.equal(deleted.status, 200, deleted.body);
  const answer = deleted.json() as unknown as Batch & { metadata: { deletionTimestamp?: string } };
  assert.ok(answer.metadata.deletionTimestamp, deleted.body);
  assert.match(answer.status.halted ?? '', /^deleted by kubernetes-admin at .*; no more nodes are started$/);
  await waitFor('the batch to be gone', async () =>
    (await viaApiserver(cp, { path: `${batchesPath}/deleted` })).status === 404 ? true : undefined,
  );
  assert.equal(rebootedNodes(since).length, 1, 'only the node restarting when it was deleted');
});

test('outside its maintenance window a batch starts no node', async () => {
  const since = clouds.ec2.calls.length;
  const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  const later = Date.now() + 12 * 3600_000; // twelve hours from now, for a minute
  const maintenanceWindow = { startTime: hhmm(later), endTime: hhmm(later + 60_000), timeZone: 'UTC' };
  const spec = { labelSelector: 'e2e-pool=batch', maintenanceWindow };
  const res = await create({ metadata: { name: 'windowed' }, spec });
  assert.equal(res.status, 201, res.body);
  assert.deepEqual((res.json() as { spec: object }).spec, {
    labelSelector: 'e2e-pool=batch',
    maxUnavailable: 1,
    maxFailures: 0,
    maintenanceWindow: { days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], ...maintenanceWindow },
    options: (res.json() as { spec: { options: object } }).spec.options,
    suspend: false,
  });
  await new Promise((resolve) => setTimeout(resolve, 3000)); // a pass of the runner, and more
  const waiting = await read('windowed');
  assert.equal(waiting.status.phase, 'Running');
  assert.ok(
    waiting.status.nodes.every((n) => n.phase === 'Pending'),
    waiting.status.message,
  );
  assert.deepEqual(rebootedNodes(since), []);
  const bad = await create({
    metadata: { name: 'bad-window' },
    spec: { ...spec, maintenanceWindow: { startTime: '9am' } },
  });
  assert.equal(bad.status, 422, bad.body);
  assert.match(
    (bad.json() as { message: string }).message,
    /spec\.maintenanceWindow\.startTime: Invalid value: "9am".*spec\.maintenanceWindow\.endTime: Required value/,
  );
  assert.equal((await viaApiserver(cp, { method: 'DELETE', path: `${batchesPath}/windowed` })).status, 200);
});
