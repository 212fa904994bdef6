import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeRestart } from '../../../src/kubectl-plugin/resources.js';
import { apiError } from '../../../src/kubectl-plugin/api-error.js';
import type { KubeClient } from '../../../src/kubectl-plugin/kube-client.js';
import { stateOf, waitForRestart } from '../../../src/kubectl-plugin/wait.js';

const restart = (operationID: string | undefined, phase: string, message = 'm'): NodeRestart => ({
  apiVersion: 'infraops.michael.io/v1',
  kind: 'NodeRestart',
  metadata: { name: 'n1' },
  status: { operationID, phase, message },
});

test('the followed operation shows PHASE: message until it Succeeded or Failed', () => {
  assert.deepEqual(stateOf('op1', restart('op1', 'Draining', 'draining node n1: 2 pods left')), {
    line: 'Draining: draining node n1: 2 pods left',
  });
  assert.deepEqual(stateOf('op1', restart('op1', 'Succeeded')), {
    line: 'Succeeded: m',
    result: { name: 'n1', ok: true },
  });
  assert.deepEqual(stateOf('op1', restart('op1', 'Failed', 'cloud said no')), {
    line: 'Failed: cloud said no',
    result: { name: 'n1', ok: false, why: 'Failed' },
  });
});

test('a newer restart of the node ends the wait for this one, as a failure that names it', () => {
  const state = stateOf('op1', restart('op2', 'Succeeded'));
  assert.deepEqual(state.result, { name: 'n1', ok: false, why: 'superseded by restart op2' });
  assert.match(state.line, /^another restart \(op2\) is now the node's latest.*: Succeeded: m$/);
});

test('a 401 or 403 while following ends the wait at once, with the server’s message', async () => {
  const forbidden = apiError(
    403,
    {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'nodes.infraops.michael.io "n1" is forbidden: User "jane" cannot get resource "nodes/restart"',
      reason: 'Forbidden',
      code: 403,
    },
    '',
  );
  let reads = 0;
  const client = {
    request: () => {
      reads++;
      return Promise.reject(forbidden);
    },
  } as unknown as KubeClient;
  const states: string[] = [];
  const started = Date.now();
  const result = await waitForRestart(client, restart('op1', 'RebootRequested'), {
    timeoutMs: 60_000,
    pollMs: 1,
    onState: (_, state) => states.push(state),
  });
  assert.deepEqual(result, { name: 'n1', ok: false, why: 'Forbidden' });
  assert.equal(reads, 1);
  assert.ok(Date.now() - started < 5_000);
  assert.match(states.at(-1)!, /^cannot be followed: Error from server \(Forbidden\): .*cannot get resource/);
});
