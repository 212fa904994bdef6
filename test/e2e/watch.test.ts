// Watches of our resources through the real kube-apiserver: a raw JSON watch (initial ADDED, MODIFIED, DELETED,
// resuming after a resourceVersion, 410 Expired for one too old, the streaming list's bookmark), the real
// `kubectl get -w` (Table events), Table and PartialObjectMetadata lists of restartbatches with limit/continue, and
// kube-apiserver's resourceVersion rules on lists.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';
import { waitFor } from '../control-plane/processes.js';
import { useControlPlane } from '../support/control-plane.js';
import { viaApiserver } from '../support/direct.js';
import { kubeClients, kubectl } from '../support/kube.js';
import { createNode, deleteNodes } from '../support/nodes.js';
import { startServer, GROUP, type RunningServer } from '../support/server.js';

const LABEL = 'e2e-watch';
const CACHE_SIZE = 20;
const NODES = ['watch-1', 'watch-2', 'watch-3', 'watch-4'];
const providerID = (name: string) => `simulated:///sim-east-1/sim-east-1a/sim-${name}`;
const nodesPath = `/apis/${GROUP}/v1/nodes`;
const batchesPath = `/apis/${GROUP}/v1/restartbatches`;

let cp: ControlPlaneInfo;
let server: RunningServer;
let clients: ReturnType<typeof kubeClients>;

before(async () => {
  cp = await useControlPlane();
  clients = kubeClients(cp.kubeconfig);
  await deleteNodes(clients.core, NODES);
  await createNode(clients.core, {
    name: 'watch-1',
    providerID: providerID('watch-1'),
    labels: { [LABEL]: 'yes' },
  });
  // A small watch cache, so that a few changes push a revision out of it.
  server = await startServer(cp, {
    env: { SIMULATED_CLOUD: 'true', SIMULATED_REBOOT_DURATION: '1h', WATCH_CACHE_SIZE: String(CACHE_SIZE) },
  });
});

after(async () => {
  await server?.stop();
  if (clients) await deleteNodes(clients.core, NODES);
});

interface WatchEvent {
  type: string;
  object: {
    kind?: string;
    code?: number;
    reason?: string;
    metadata?: { name?: string; resourceVersion?: string; annotations?: Record<string, string> };
    columnDefinitions?: { name: string }[] | null;
    rows?: { cells: unknown[] }[];
  };
}

/** A watch through kube-apiserver as the cluster admin: the events as they arrive, until close(). */
async function openWatch(path: string, accept = 'application/json') {
  const [ca, cert, key] = await Promise.all([
    readFile(cp.pki.clusterCaCert, 'utf8'),
    readFile(cp.pki.adminCert, 'utf8'),
    readFile(cp.pki.adminKey, 'utf8'),
  ]);
  const events: WatchEvent[] = [];
  let status = 0;
  let contentType = '';
  let ended = false;
  let buffer = '';
  const req = request(`${cp.apiserverUrl}${path}`, {
    ca,
    cert,
    key,
    headers: { Accept: accept },
    agent: false,
  });
  req.on('response', (res) => {
    status = res.statusCode ?? 0;
    contentType = String(res.headers['content-type']);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) events.push(JSON.parse(line) as WatchEvent);
      }
    });
    res.on('end', () => (ended = true));
  });
  req.on('error', () => (ended = true));
  req.end();
  return {
    events,
    get status() {
      return status;
    },
    get contentType() {
      return contentType;
    },
    get ended() {
      return ended;
    },
    until: (what: string, ok: (e: WatchEvent[]) => boolean, ms = 15_000) =>
      waitFor(what, async () => (ok(events) ? true : undefined), ms),
    close: () => req.destroy(),
  };
}

interface BatchList {
  items: { metadata: { name: string } }[];
  metadata: { continue?: string; remainingItemCount?: number };
}

const summary = (events: WatchEvent[]) =>
  events.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`.trim());

test('a raw JSON watch of nodes: the state, then each change; resuming after a resourceVersion; 410 when too old', async () => {
  const watch = await openWatch(`${nodesPath}?watch=1&labelSelector=${LABEL}%3Dyes`);
  await watch.until('the initial ADDED', (e) => e.length >= 1);
  assert.equal(watch.status, 200);
  assert.match(watch.contentType, /^application\/json/);
  assert.deepEqual(summary(watch.events), ['ADDED watch-1']);
  assert.equal(watch.events[0]!.object.kind, 'Node');

  await createNode(clients.core, {
    name: 'watch-2',
    providerID: providerID('watch-2'),
    labels: { [LABEL]: 'yes' },
  });
  await createNode(clients.core, {
    name: 'watch-3',
    providerID: providerID('watch-3'),
    labels: { [LABEL]: 'no' },
  });
  const patched = await viaApiserver(cp, {
    method: 'PATCH',
    path: '/api/v1/nodes/watch-1',
    headers: { 'Content-Type': 'application/merge-patch+json' },
    body: JSON.stringify({ metadata: { annotations: { touched: 'yes' } } }),
  });
  assert.equal(patched.status, 200, patched.body);
  await clients.core.deleteNode({ name: 'watch-2' });
  await watch.until('ADDED, MODIFIED, DELETED', (e) => e.length >= 4);
  assert.deepEqual(summary(watch.events), [
    'ADDED watch-1',
    'ADDED watch-2',
    'MODIFIED watch-1',
    'DELETED watch-2',
  ]);
  const rvs = watch.events.map((e) => Number(e.object.metadata!.resourceVersion));
  assert.deepEqual(
    [...rvs].sort((a, b) => a - b),
    rvs,
    'resourceVersions only grow',
  );
  watch.close();

  // Resuming: exactly the events after the version given, no initial state. (watch-1's own resourceVersion is
  // older than the list the server's informer started from: resuming from it would be 410 Expired, as below.)
  const startRv = watch.events[1]!.object.metadata!.resourceVersion!;
  const resumed = await openWatch(
    `${nodesPath}?watch=true&resourceVersion=${startRv}&labelSelector=${LABEL}%3Dyes`,
  );
  await resumed.until('the two changes since', (e) => e.length >= 2);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(summary(resumed.events), ['MODIFIED watch-1', 'DELETED watch-2']);
  resumed.close();

  // Older than the server has kept: one ERROR event with 410 Expired, and the stream ends.
  const expired = await openWatch(`${nodesPath}?watch=1&resourceVersion=1`);
  await expired.until('the ERROR event', (e) => e.length >= 1);
  assert.equal(expired.events[0]!.type, 'ERROR');
  assert.deepEqual([expired.events[0]!.object.code, expired.events[0]!.object.reason], [410, 'Expired']);
  await waitFor('the stream to end', async () => (expired.ended ? true : undefined), 5000);
});

test('the streaming list: initial events, the initial-events-end BOOKMARK, timeoutSeconds ends the watch', async () => {
  const query = `watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=3&labelSelector=${LABEL}%3Dyes`;
  const watch = await openWatch(`${nodesPath}?${query}`);
  await watch.until('the bookmark', (e) => e.some((x) => x.type === 'BOOKMARK'));
  assert.deepEqual(summary(watch.events), ['ADDED watch-1', 'BOOKMARK']);
  const bookmark = watch.events[1]!.object;
  assert.equal(bookmark.kind, 'Node');
  assert.equal(bookmark.metadata?.annotations?.['k8s.io/initial-events-end'], 'true');
  assert.ok(
    Number(bookmark.metadata?.resourceVersion) >= Number(watch.events[0]!.object.metadata!.resourceVersion),
  );
  await waitFor('timeoutSeconds to end the watch', async () => (watch.ended ? true : undefined), 10_000);

  const refused = await viaApiserver(cp, { path: `${nodesPath}?watch=1&sendInitialEvents=true` });
  assert.equal(refused.status, 422, refused.body);
  assert.match(
    String(refused.json().message),
    /sendInitialEvents requires setting resourceVersionMatch to NotOlderThan/,
  );
});

test('kubectl get -w: Table events, rows printed as nodes change', async () => {
  const child = spawn(
    join(cp.binDir, 'kubectl'),
    ['--kubeconfig', cp.kubeconfig, 'get', `nodes.${GROUP}`, '-l', `${LABEL}=yes`, '-w'],
    { env: { ...process.env, HOME: cp.dir } },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  try {
    await waitFor('the first rows', async () => (out.includes('watch-1') ? true : undefined), 15_000);
    assert.match(out, /^NAME\s+CLOUD\s+REGION\s+INSTANCE\s+READY\s+AGE/);
    await createNode(clients.core, {
      name: 'watch-4',
      providerID: providerID('watch-4'),
      labels: { [LABEL]: 'yes' },
    });
    await waitFor('the new node row', async () => (out.includes('watch-4') ? true : undefined), 15_000);
    assert.match(out, /watch-4\s+simulated\s+sim-east-1\s+sim-watch-4\s+True/);
    assert.equal(out.match(/^NAME/gm)?.length, 1, 'headers once');
    assert.doesNotMatch(err, /MethodNotAllowed|error/i);
  } finally {
    child.kill();
    await clients.core.deleteNode({ name: 'watch-4' }).catch(() => {});
  }
});

test('restartbatches: Table with its columns, PartialObjectMetadataList, limit/continue, watch, 406', async () => {
  const watch = await openWatch(`${batchesPath}?watch=1`, 'application/json;as=Table;v=v1;g=meta.k8s.io');
  for (const name of ['wb-a', 'wb-b']) {
    const created = await viaApiserver(cp, {
      method: 'POST',
      path: batchesPath,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        apiVersion: `${GROUP}/v1`,
        kind: 'RestartBatch',
        metadata: { name },
        spec: { labelSelector: `${LABEL}=yes`, maxUnavailable: 1 },
      }),
    });
    assert.equal(created.status, 201, created.body);
  }
  await watch.until('two batch rows', (e) => e.filter((x) => x.type === 'ADDED').length >= 2);
  assert.equal(watch.events[0]!.object.kind, 'Table');
  assert.deepEqual(watch.events[0]!.object.columnDefinitions!.map((c) => c.name).slice(0, 9), [
    'Name',
    'Selector',
    'Max-Unavailable',
    'Done',
    'Failed',
    'Total',
    'Phase',
    'Suspended',
    'Age',
  ]);
  assert.equal(
    watch.events[1]!.object.columnDefinitions,
    null,
    'column definitions with the first event only',
  );
  watch.close();

  const table = await kubectl(cp, ['get', `restartbatches.${GROUP}`]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(
    table.stdout,
    /^NAME\s+SELECTOR\s+MAX-UNAVAILABLE\s+DONE\s+FAILED\s+TOTAL\s+PHASE\s+SUSPENDED\s+AGE/,
  );
  assert.match(table.stdout, /\nwb-a\s+e2e-watch=yes\s+1\s+0\s+0\s+\d+\s+Running\s+false\s+\d+s\n/);

  // Every batch, one a page: each page names the rest, and the pages together are the whole list in name order.
  const all = (await viaApiserver(cp, { path: batchesPath })).json() as unknown as BatchList;
  const paged: string[] = [];
  let token = '';
  do {
    const res = await viaApiserver(cp, {
      path: `${batchesPath}?limit=1${token ? `&continue=${token}` : ''}`,
    });
    const page = res.json() as unknown as BatchList;
    assert.equal(page.items.length, 1, res.body);
    paged.push(page.items[0]!.metadata.name);
    token = page.metadata.continue ?? '';
    assert.equal(page.metadata.remainingItemCount, token ? all.items.length - paged.length : undefined);
  } while (token);
  assert.deepEqual(
    paged,
    all.items.map((i) => i.metadata.name),
  );
  assert.ok(paged.indexOf('wb-b') === paged.indexOf('wb-a') + 1);

  const metadata = await viaApiserver(cp, {
    path: batchesPath,
    headers: { Accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io' },
  });
  assert.equal(metadata.json().kind, 'PartialObjectMetadataList');

  for (const path of [batchesPath, `${batchesPath}/wb-a`, `${nodesPath}/watch-1/restart`]) {
    const html = await viaApiserver(cp, { path, headers: { Accept: 'text/html' } });
    assert.deepEqual([html.status, html.json().reason], [406, 'NotAcceptable'], path);
  }
  const one = await viaApiserver(cp, {
    path: `${batchesPath}/wb-a`,
    headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
  });
  const row = (one.json() as { rows: { cells: unknown[] }[] }).rows[0]!.cells;
  assert.deepEqual(row.slice(0, 4), ['wb-a', `${LABEL}=yes`, 1, 0]);

  const exact = await viaApiserver(cp, {
    path: `${batchesPath}?resourceVersion=1&resourceVersionMatch=Exact`,
  });
  assert.deepEqual([exact.status, exact.json().reason], [410, 'Expired']);

  const named = await viaApiserver(cp, { path: `${batchesPath}?fieldSelector=metadata.name%3Dwb-b` });
  assert.deepEqual(
    (named.json() as unknown as BatchList).items.map((i) => i.metadata.name),
    ['wb-b'],
  );
  const batchWatch = await kubectl(cp, ['get', `restartbatches.${GROUP}`, '-w', '--request-timeout=3s']);
  assert.doesNotMatch(batchWatch.stderr, /RestartBatchList|InternalError/);
  assert.match(batchWatch.stdout, /wb-a/);
});

test('a resumed watch under a label selector is told DELETED of a node relabelled out of it since', async () => {
  const list = await viaApiserver(cp, { path: `${nodesPath}?labelSelector=${LABEL}%3Dyes` });
  const since = (list.json() as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  const relabel = (value: string) =>
    viaApiserver(cp, {
      method: 'PATCH',
      path: '/api/v1/nodes/watch-1',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ metadata: { labels: { [LABEL]: value } } }),
    });
  assert.equal((await relabel('no')).status, 200);
  try {
    await waitFor('the server to see the relabel', async () => {
      const now = await viaApiserver(cp, { path: `${nodesPath}?labelSelector=${LABEL}%3Dyes` });
      return (now.json() as unknown as BatchList).items.length === 0 ? true : undefined;
    });
    const resumed = await openWatch(
      `${nodesPath}?watch=1&resourceVersion=${since}&labelSelector=${LABEL}%3Dyes`,
    );
    await resumed.until('the DELETED', (e) => e.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(summary(resumed.events), ['DELETED watch-1']);
    assert.ok(Number(resumed.events[0]!.object.metadata!.resourceVersion) > Number(since));
    resumed.close();
  } finally {
    await relabel('yes');
  }
});

interface NodeList {
  items: { metadata: { name: string } }[];
  metadata: { resourceVersion: string; continue?: string };
}

async function listNodes(query: string): Promise<{ status: number; list: NodeList; body: string }> {
  const res = await viaApiserver(cp, { path: `${nodesPath}?labelSelector=${LABEL}%3Dyes&${query}` });
  return { status: res.status, list: res.json() as unknown as NodeList, body: res.body };
}

const names = (list: NodeList) => list.items.map((i) => i.metadata.name);

/** Changes to a node no list here selects, to move the watch cache on. */
async function churn(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const res = await viaApiserver(cp, {
      method: 'PATCH',
      path: '/api/v1/nodes/watch-3',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ metadata: { annotations: { churn: String(i) } } }),
    });
    assert.equal(res.status, 200, res.body);
  }
}

test('resourceVersionMatch=Exact lists the state as it was at a version still held; 410 once it is not', async () => {
  const before = await listNodes('');
  assert.deepEqual(names(before.list), ['watch-1']);
  await createNode(clients.core, {
    name: 'watch-4',
    providerID: providerID('watch-4'),
    labels: { [LABEL]: 'yes' },
  });
  await waitFor('the server to see watch-4', async () =>
    names((await listNodes('')).list).includes('watch-4') ? true : undefined,
  );
  const rv = before.list.metadata.resourceVersion;
  const exact = await listNodes(`resourceVersion=${rv}&resourceVersionMatch=Exact`);
  assert.equal(exact.status, 200, exact.body);
  assert.deepEqual(names(exact.list), ['watch-1'], 'watch-4 did not exist yet');
  assert.equal(exact.list.metadata.resourceVersion, rv);

  await churn(CACHE_SIZE + 1);
  const gone = await viaApiserver(cp, {
    path: `${nodesPath}?resourceVersion=${rv}&resourceVersionMatch=Exact`,
  });
  assert.equal(gone.status, 410, gone.body);
  assert.deepEqual(
    [gone.json().reason, gone.json().message],
    ['Expired', 'The resourceVersion for the provided list is too old.'],
  );
});

test('a continue token expires once its version leaves the watch cache: 410 with a token for the rest', async () => {
  const first = await listNodes('limit=1');
  assert.deepEqual(names(first.list), ['watch-1']);
  const token = first.list.metadata.continue!;
  assert.ok(token);
  await churn(CACHE_SIZE + 1);
  const expired = await viaApiserver(cp, {
    path: `${nodesPath}?labelSelector=${LABEL}%3Dyes&limit=1&continue=${token}`,
  });
  assert.equal(expired.status, 410, expired.body);
  const status = expired.json() as {
    kind: string;
    metadata: { continue?: string };
    reason: string;
    message: string;
    code: number;
  };
  assert.deepEqual([status.kind, status.reason, status.code], ['Status', 'Expired', 410]);
  assert.match(
    status.message,
    /^The provided continue parameter is too old to display a consistent list result\. /,
  );
  assert.ok(status.metadata.continue, expired.body);
  const rest = await listNodes(`limit=1&continue=${status.metadata.continue}`);
  assert.equal(rest.status, 200, rest.body);
  assert.deepEqual(names(rest.list), ['watch-4']);
});

test('SIGTERM: open watches end quietly and the server exits 0 after its graceful shutdown', async () => {
  const watch = await openWatch(`${nodesPath}?watch=1`);
  await watch.until('the initial events', (e) => e.length >= 1);
  await server.stop();
  await waitFor('the watch to end', async () => (watch.ended ? true : undefined), 5000);
  const logs = server.logs();
  assert.deepEqual(server.exitStatus(), { code: 0, signal: null });
  assert.doesNotMatch(logs, /failed|error/i, logs);
});
