import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudTarget } from '../../../../src/cloud/contract/provider.js';
import { SimulatedProvider } from '../../../../src/cloud/simulated/simulated-provider.js';
import { cloudFailure } from './helpers.js';

function target(instanceId: string): CloudTarget {
  return {
    cloud: 'simulated',
    providerID: `simulated:///sim-east-1/sim-east-1a/${instanceId}`,
    instanceId,
    zone: 'sim-east-1a',
    region: 'sim-east-1',
    regionSource: 'providerID',
    regionEvidence: 'test',
    nodeName: 'node-1',
  };
}

const SIM_ID = /^sim-[0-9a-f-]{36}$/;

test('instances appear RUNNING on first use, and a reboot makes them REBOOTING for the configured time', async () => {
  let now = 1000;
  const sim = new SimulatedProvider({ rebootMs: 500, now: () => now });
  assert.equal(sim.instance('sim-node-1'), undefined);
  assert.equal((await sim.describe(target('sim-node-1'))).state, 'running');
  const result = await sim.reboot(target('sim-node-1'), { mode: 'Hard', dryRun: false });
  assert.equal(result.mode, 'Hard');
  assert.match(result.requestId ?? '', SIM_ID);
  assert.deepEqual(sim.instance('sim-node-1'), {
    instanceId: 'sim-node-1',
    region: 'sim-east-1',
    zone: 'sim-east-1a',
    state: 'REBOOTING',
    rebootCount: 1,
    lastMode: 'Hard',
    lastRequestId: result.requestId,
  });
  const during = await sim.describe(target('sim-node-1'));
  assert.deepEqual([during.state, during.cloudState], ['rebooting', 'REBOOTING']);
  await cloudFailure(
    sim.reboot(target('sim-node-1'), { mode: 'Soft', dryRun: false }),
    'OperationInProgress',
  );
  now = 1499;
  assert.equal(sim.instance('sim-node-1')?.state, 'REBOOTING');
  now = 1500;
  assert.equal((await sim.describe(target('sim-node-1'))).state, 'running');
  assert.equal(sim.instance('sim-node-1')?.rebootCount, 1);
});

test('a dry run checks the state and changes nothing; a stopped instance cannot be rebooted', async () => {
  const sim = new SimulatedProvider();
  const dry = await sim.reboot(target('sim-node-2'), { mode: 'SoftFirst', dryRun: true });
  assert.deepEqual(
    dry.dryRunReport?.checks.map((c) => c.name),
    ['InstanceState'],
  );
  assert.equal(sim.instance('sim-node-2')?.rebootCount, 0);
  sim.setState(target('sim-node-2'), 'STOPPED');
  await cloudFailure(sim.reboot(target('sim-node-2'), { mode: 'SoftFirst', dryRun: true }), 'InvalidState');
  await cloudFailure(sim.reboot(target('sim-node-2'), { mode: 'SoftFirst', dryRun: false }), 'InvalidState');
  assert.deepEqual(sim.rebootModes, ['Soft', 'Hard', 'SoftFirst']);
});

test('injected failures hit the matching calls, as often as asked, as CloudErrors with request ids', async () => {
  const sim = new SimulatedProvider();
  sim.injectFailure({ kind: 'Throttled', action: 'reboot', times: 2 });
  sim.injectFailure({
    kind: 'InstanceNotFound',
    instanceId: 'sim-gone',
    times: Infinity,
    message: 'no such VM',
  });
  assert.equal((await sim.describe(target('sim-node-3'))).state, 'running');
  for (let n = 0; n < 2; n++) {
    const error = await cloudFailure(
      sim.reboot(target('sim-node-3'), { mode: 'Soft', dryRun: false }),
      'Throttled',
    );
    assert.equal(error.retryAfterSeconds, 2);
    assert.match(error.requestId ?? '', SIM_ID);
  }
  await sim.reboot(target('sim-node-3'), { mode: 'Soft', dryRun: false });
  await cloudFailure(sim.describe(target('sim-gone')), 'InstanceNotFound', /no such VM/);
  await cloudFailure(sim.describe(target('sim-gone')), 'InstanceNotFound');
  sim.clearFailures();
  assert.equal((await sim.describe(target('sim-gone'))).state, 'running');
  assert.throws(() => sim.injectFailure({ kind: 'Internal', times: 0 }), RangeError);
});

test('a call whose signal has already aborted is cancelled', async () => {
  const sim = new SimulatedProvider();
  await cloudFailure(
    sim.reboot(target('sim-node-4'), { mode: 'Soft', dryRun: false, signal: AbortSignal.abort() }),
    'Timeout',
    /cancelled/,
  );
  assert.equal(sim.instance('sim-node-4'), undefined);
});

test('stop and start pass through STOPPING and STARTING; each is refused in the wrong state', async () => {
  let now = 0;
  const sim = new SimulatedProvider({ rebootMs: 100, now: () => now });
  const vm = target('sim-node-5');
  await cloudFailure(sim.start(vm, { dryRun: false }), 'InvalidState', /cannot be started: it is RUNNING/);
  const dry = await sim.stop(vm, { mode: 'Hard', dryRun: true });
  assert.deepEqual(
    dry.dryRunReport?.checks.map((c) => c.detail),
    ['simulated instance sim-node-5 is RUNNING'],
  );
  assert.equal(sim.instance('sim-node-5')?.state, 'RUNNING');
  assert.match((await sim.stop(vm, { mode: 'Hard', dryRun: false })).requestId ?? '', SIM_ID);
  assert.equal((await sim.describe(vm)).state, 'stopping');
  await cloudFailure(sim.start(vm, { dryRun: false }), 'OperationInProgress', /STOPPING/);
  now = 100;
  assert.equal(sim.instance('sim-node-5')?.state, 'STOPPED');
  await cloudFailure(sim.reboot(vm, { mode: 'Soft', dryRun: false }), 'InvalidState');
  await sim.start(vm, { dryRun: false });
  assert.equal(sim.instance('sim-node-5')?.state, 'STARTING');
  now = 200;
  assert.equal(sim.instance('sim-node-5')?.state, 'RUNNING');
  assert.equal(sim.instance('sim-node-5')?.rebootCount, 0);
});
