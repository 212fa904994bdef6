import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeBatch, restartBatch } from '../../../src/kubectl-plugin/batch.js';
import type { KubeClient } from '../../../src/kubectl-plugin/kube-client.js';
import { isBatch, parseOptions, type BatchOptions } from '../../../src/kubectl-plugin/options.js';
import { batchBody } from '../../../src/kubectl-plugin/requests.js';
import type { BatchNode, RestartBatch } from '../../../src/kubectl-plugin/resources.js';

const API = '/apis/infraops.michael.io/v1/restartbatches';

function batchOptions(...argv: string[]): BatchOptions {
  const options = { ...parseOptions(['-l', 'pool=a', '--max-unavailable=2', ...argv]), pollMs: 5 };
  assert.ok(isBatch(options));
  return options;
}

const batch = (phase: string, nodes: [string, string, string?][]): RestartBatch => ({
  apiVersion: 'infraops.michael.io/v1',
  kind: 'RestartBatch',
  metadata: { name: 'restart-x2k4v' },
  spec: { labelSelector: 'pool=a', maxUnavailable: 2 },
  status: {
    phase,
    message: `${nodes.length} nodes`,
    nodes: nodes.map(([name, phase, message]): BatchNode => ({ name, phase, message })),
  },
});

/** A client that answers the POST with the first batch and each GET with the next one (the last one again). */
function fakeClient(answers: RestartBatch[]) {
  const calls: { method: string; path: string; body?: unknown }[] = [];
  const client = {
    request: (method: string, path: string, body?: unknown) => {
      calls.push({ method, path, body });
      return Promise.resolve(answers[Math.min(calls.length - 1, answers.length - 1)]);
    },
  } as unknown as KubeClient;
  return { client, calls };
}

function capture() {
  const text = { stdout: '', stderr: '' };
  const io = {
    stdout: { write: (s: string) => (text.stdout += s) },
    stderr: { write: (s: string) => (text.stderr += s) },
  };
  return { io, text };
}

test('the batch carries the selector, --max-unavailable and the restart flags, with a generated name', () => {
  assert.deepEqual(
    batchBody(batchOptions('--mode=hard', '--reason=kernel', '--drain', '--drain-timeout=2m')),
    {
      apiVersion: 'infraops.michael.io/v1',
      kind: 'RestartBatch',
      metadata: { generateName: 'restart-' },
      spec: {
        labelSelector: 'pool=a',
        maxUnavailable: 2,
        options: { mode: 'Hard', reason: 'kernel', drain: { timeoutSeconds: 120 } },
      },
    },
  );
  // A dry run is the query parameter, never part of the object.
  assert.deepEqual(batchBody(batchOptions('--dry-run=server')).spec.options, {});
});

test('a dry run sends ?dryRun=All and lists the nodes it would restart', async () => {
  const { client, calls } = fakeClient([
    batch('Running', [
      ['n1', 'Pending'],
      ['n2', 'Pending'],
    ]),
  ]);
  const { io, text } = capture();
  assert.equal(await restartBatch(client, batchOptions('--dry-run=server', '--wait'), io, Date.now()), 0);
  assert.deepEqual(
    calls.map((c) => `${c.method} ${c.path}`),
    [`POST ${API}?dryRun=All`],
  );
  assert.equal(
    text.stdout,
    'restartbatch.infraops.michael.io/restart-x2k4v created (server dry run): would restart 2 nodes matching ' +
      'pool=a, at most 2 at a time\n  node.infraops.michael.io/n1\n  node.infraops.michael.io/n2\n',
  );
});

test('without --wait: the batch, its nodes and how to follow it; -o name: the batch’s name', async () => {
  const created = batch('Running', [['n1', 'Pending']]);
  const { io, text } = capture();
  assert.equal(await restartBatch(fakeClient([created]).client, batchOptions(), io, Date.now()), 0);
  assert.match(text.stdout, /^restartbatch\.infraops\.michael\.io\/restart-x2k4v created: restarts 1 node /);
  assert.match(
    text.stdout,
    /\n {2}node\.infraops\.michael\.io\/n1\nFollow it: kubectl get restartbatches\.infraops\.michael\.io restart-x2k4v -o yaml\n$/,
  );
  const named = capture();
  await restartBatch(fakeClient([created]).client, batchOptions('-o', 'name'), named.io, Date.now());
  assert.equal(named.text.stdout, 'restartbatch.infraops.michael.io/restart-x2k4v\n');
  assert.equal(describeBatch(created, false, false).split('\n').length, 2, 'one line when live lines follow');
});

test('--wait follows GET restartbatches/NAME with a live line a node until the batch Succeeded', async () => {
  const { client, calls } = fakeClient([
    batch('Running', [
      ['n1', 'Pending'],
      ['n2', 'Pending'],
    ]),
    batch('Running', [
      ['n1', 'Restarting', 'rebooting'],
      ['n2', 'Restarting', 'rebooting'],
    ]),
    batch('Succeeded', [
      ['n1', 'Succeeded', 'back'],
      ['n2', 'Succeeded', 'back'],
    ]),
  ]);
  const { io, text } = capture();
  assert.equal(await restartBatch(client, batchOptions('--wait'), io, Date.now()), 0);
  assert.deepEqual(
    calls.map((c) => `${c.method} ${c.path}`),
    [`POST ${API}`, `GET ${API}/restart-x2k4v`, `GET ${API}/restart-x2k4v`],
  );
  const lines = text.stdout.split('\n');
  for (const line of [
    'node.infraops.michael.io/n1 Pending',
    'node.infraops.michael.io/n1 Restarting: rebooting',
    'node.infraops.michael.io/n2 Succeeded: back',
    'restartbatch.infraops.michael.io/restart-x2k4v Succeeded: 2 nodes',
  ]) {
    assert.ok(lines.includes(line), `${line} in\n${text.stdout}`);
  }
  assert.match(text.stdout, /\n2 of 2 nodes restarted in \d+s\n$/);
});

test('--wait exits 1 naming the failed nodes, or at --timeout naming those not done', async () => {
  const failed = capture();
  const { client } = fakeClient([
    batch('Running', [
      ['n1', 'Pending'],
      ['n2', 'Pending'],
    ]),
    batch('Failed', [
      ['n1', 'Succeeded'],
      ['n2', 'Failed', '403 Forbidden: no'],
    ]),
  ]);
  assert.equal(await restartBatch(client, batchOptions('--wait', '-o', 'name'), failed.io, Date.now()), 1);
  assert.equal(failed.text.stdout, 'restartbatch.infraops.michael.io/restart-x2k4v\n');
  assert.match(failed.text.stderr, /^node\.infraops\.michael\.io\/n2 Failed: 403 Forbidden: no$/m);
  assert.match(failed.text.stderr, /^1 of 2 nodes restarted in \d+s; failed: n2 \(Failed\)$/m);

  const late = capture();
  const running = batch('Running', [
    ['n1', 'Succeeded'],
    ['n2', 'Restarting'],
  ]);
  const slow = fakeClient([running]);
  assert.equal(
    await restartBatch(slow.client, batchOptions('--wait', '--timeout=20ms'), late.io, Date.now()),
    1,
  );
  assert.match(
    late.text.stdout,
    /^restartbatch\.infraops\.michael\.io\/restart-x2k4v timed out after \d+s: Running: 2 nodes$/m,
  );
  assert.match(late.text.stdout, /^1 of 2 nodes restarted in \d+s; failed: n2 \(timed out\)$/m);
  assert.match(
    late.text.stdout,
    /^The batch goes on in the cluster: kubectl get restartbatches\.infraops\.michael\.io restart-x2k4v -o yaml$/m,
  );
});
