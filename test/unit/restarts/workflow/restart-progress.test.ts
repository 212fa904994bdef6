import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Node } from '@kubernetes/client-node';
import { nextTransition } from '../../../../src/restarts/workflow/restart-progress.js';
import type { RestartOperation } from '../../../../src/restarts/operations/restart-operation.js';

const T0 = Date.parse('2026-11-22T10:00:00Z');
const op = (
  phase: RestartOperation['phase'],
  previousBootID: string | null = 'boot-1',
): RestartOperation => ({
  id: 'op-1',
  node: 'n1',
  phase,
  mode: 'SoftFirst',
  requestedBy: 'alice',
  cloud: 'aws',
  region: 'us-east-1',
  instanceID: 'i-0123456789abcdef0',
  ...(previousBootID ? { previousBootID } : {}),
  startedAt: '2026-11-22T10:00:00Z',
  updatedAt: '2026-11-22T10:00:00Z',
  deadline: '2026-11-22T10:10:00Z',
  message: '',
});
const node = (ready: boolean, bootID: string): V1Node => ({
  status: {
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    nodeInfo: { bootID } as NonNullable<V1Node['status']>['nodeInfo'],
  },
});
const phase = (o: RestartOperation, n: V1Node | undefined, at = T0 + 60_000) =>
  nextTransition(o, n, at)?.phase;

test('RebootRequested: waits while the node is still up on its old boot, NotReady when it goes down', () => {
  assert.equal(phase(op('RebootRequested'), node(true, 'boot-1')), undefined);
  assert.equal(phase(op('RebootRequested'), node(false, 'boot-1')), 'NotReady');
});

test('Succeeded only with Ready and a new bootID, even when NotReady was never seen', () => {
  assert.equal(phase(op('NotReady'), node(false, 'boot-2')), undefined);
  assert.equal(phase(op('NotReady'), node(true, 'boot-1')), undefined);
  assert.equal(phase(op('NotReady'), node(true, 'boot-2')), 'Succeeded');
  assert.equal(phase(op('RebootRequested'), node(true, 'boot-2')), 'Succeeded');
});

test('without a previous bootID, Ready after NotReady is success', () => {
  assert.equal(phase(op('RebootRequested', null), node(true, 'x')), undefined);
  assert.equal(phase(op('NotReady', null), node(true, 'x')), 'Succeeded');
});

test('deadline, deleted node, and an Accepted operation whose server is gone', () => {
  const late = T0 + 11 * 60_000;
  assert.equal(phase(op('NotReady'), node(false, 'boot-1'), late), 'Failed');
  assert.match(
    nextTransition(op('RebootRequested'), node(true, 'boot-1'), late)!.message,
    /did not come back \(Ready, but no new bootID\)/,
  );
  assert.equal(phase(op('RebootRequested'), undefined), 'Failed');
  assert.equal(phase(op('Accepted'), node(true, 'boot-1')), undefined);
  assert.equal(phase(op('Accepted'), node(true, 'boot-1'), late), 'Failed');
  assert.equal(phase(op('Succeeded'), node(false, 'boot-1'), late), undefined);
});

test('a restart that cordoned the node is Ready (to be uncordoned) rather than Succeeded when it is back', () => {
  const cordoned = { ...op('NotReady'), cordoned: true };
  assert.equal(phase(cordoned, node(true, 'boot-2')), 'Ready');
  assert.equal(phase(op('Ready'), node(true, 'boot-2')), undefined);
});

test('drain phases are the runners’ until the deadline; then Failed, the reboot unknown only once claimed', () => {
  const late = T0 + 11 * 60_000;
  assert.equal(phase(op('Draining'), node(true, 'boot-1')), undefined);
  assert.equal(phase(op('Cordoned'), node(true, 'boot-1')), undefined);
  assert.match(nextTransition(op('Draining'), node(true, 'boot-1'), late)!.message, /nothing was restarted/);
  const claimed = { ...op('Draining'), rebootingSince: '2026-11-22T10:01:00Z' };
  assert.match(nextTransition(claimed, node(true, 'boot-1'), late)!.message, /unknown/);
});
