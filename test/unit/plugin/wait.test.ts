import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeRestart } from '../../../src/plugin/resources.js';
import { stateOf } from '../../../src/plugin/wait.js';

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
