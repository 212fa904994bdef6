// POST nodes/NAME/stop, start and reset through the real kube-apiserver, with our server's real AWS and Tencent
// SDKs talking to the emulators: what reaches the cloud, what the Node records, and who RBAC lets do it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../control-plane/processes.js';
import { actionPath, assertStatus, postAction } from '../support/actions.js';
import type { CloudEmulators } from '../support/clouds.js';
import { direct, viaApiserver } from '../support/direct.js';
import { bootAgain } from '../support/nodes.js';
import { GROUP, type RunningServer } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';
import { grant, userKubeconfig } from '../support/users.js';

const I = { aws: 'i-0b1b2c3d4e5f60001', gz: 'ins-p0wer001', sh: 'ins-p0wer002' };
const NODES: Record<string, string> = {
  'p-aws': `aws:///us-east-1a/${I.aws}`,
  'p-tencent': `qcloud:///100003/${I.gz}`,
  'p-tencent-sh': `qcloud:///200002/${I.sh}`,
  'p-sim': 'simulated:///sim-east-1/sim-east-1a/sim-power-1',
  'p-optout': 'simulated:///sim-east-1/sim-east-1a/sim-power-2',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const G = GROUP.replaceAll('.', '\\.');

const suite = await e2eSuite();
const { cp, clients } = suite;
let clouds: CloudEmulators;
let server: RunningServer;

before(async () => {
  clouds = await suite.clouds({
    ec2: [{ instanceId: I.aws, region: 'us-east-1', availabilityZone: 'us-east-1a' }],
    cvm: [
      { instanceId: I.gz, region: 'ap-guangzhou', zone: 'ap-guangzhou-3' },
      { instanceId: I.sh, region: 'ap-shanghai', zone: 'ap-shanghai-2' },
    ],
  });
  await suite.nodes(
    Object.entries(NODES).map(([name, providerID]) => {
      const labels = name === 'p-optout' ? { 'infraops.michael.io/restart': 'disabled' } : undefined;
      return { name, providerID, bootID: `boot-${name}`, labels };
    }),
  );
  server = await suite.server({ env: clouds.serverEnv, args: ['--restart-timeout=20s'] });
});

interface PowerStatus {
  dryRun: boolean;
  cloud: string;
  region: string;
  instanceID: string;
  requestID?: string;
  requestedBy: string;
  checks?: { name: string }[];
  message: string;
}

function accepted(res: Awaited<ReturnType<typeof postAction>>, code = 202): PowerStatus {
  assert.equal(res.status, code, res.body);
  const answer = res.json() as { kind: string; spec: { action: string }; status: PowerStatus };
  assert.equal(answer.kind, 'NodePowerAction');
  return answer.status;
}

const ec2Calls = (action: string) =>
  clouds.ec2.callsTo(action).filter((c) => c.params['DryRun'] !== 'true' && c.status === 200);

async function nodeStatus(name: string) {
  const res = await viaApiserver(cp, { path: `/apis/${GROUP}/v1/nodes/${name}` });
  assert.equal(res.status, 200, res.body);
  return (res.json() as { status: { powerState?: string; lastPowerAction?: Record<string, string> } }).status;
}

/** The latest restart of the node has succeeded once the node is back with a new bootID. */
async function comesBack(name: string): Promise<void> {
  await bootAgain(clients.core, name);
  await waitFor(`restart of ${name} to succeed`, async () => {
    const res = await viaApiserver(cp, { path: actionPath(name, 'restart') });
    return (res.json() as { status: { phase: string } }).status.phase === 'Succeeded' ? true : undefined;
  });
}

test('an AWS stop and start reach EC2 once each; the Node records the stop, shown as powerState', async () => {
  const stopped = accepted(await postAction(cp, 'p-aws', 'stop', { body: { mode: 'Hard', reason: 'e2e' } }));
  const stops = ec2Calls('StopInstances');
  assert.equal(stops.length, 1);
  assert.deepEqual(stops[0]!.params['InstanceId'], [I.aws]);
  assert.deepEqual([stops[0]!.params['SkipOsShutdown'], stops[0]!.region], ['true', 'us-east-1']);
  assert.match(stopped.requestID ?? '', UUID);
  assert.deepEqual(
    [stopped.cloud, stopped.region, stopped.instanceID, stopped.requestedBy, stopped.dryRun],
    ['aws', 'us-east-1', I.aws, 'kubernetes-admin', false],
  );
  assert.ok(stopped.message.includes(stopped.requestID!), stopped.message);
  const view = await waitFor('powerState Stopped', async () => {
    const status = await nodeStatus('p-aws');
    return status.powerState === 'Stopped' ? status : undefined;
  });
  assert.deepEqual(
    [view.lastPowerAction?.['action'], view.lastPowerAction?.['requestID']],
    ['Stop', stopped.requestID],
  );
  const events = await clients.core.listNamespacedEvent({
    namespace: 'default',
    fieldSelector: 'involvedObject.name=p-aws,reason=StopRequested',
  });
  assert.equal(events.items.length, 1);
  assert.match(events.items[0]!.message ?? '', /by kubernetes-admin \(reason: e2e\).*request id/);

  clouds.ec2.finishTransitions();
  const started = accepted(await postAction(cp, 'p-aws', 'start'));
  assert.deepEqual(
    ec2Calls('StartInstances').map((c) => c.params['InstanceId']),
    [[I.aws]],
  );
  assert.match(started.requestID ?? '', UUID);
  await waitFor('powerState cleared', async () =>
    (await nodeStatus('p-aws')).lastPowerAction?.['action'] === 'Start' ? true : undefined,
  );
  assert.equal((await nodeStatus('p-aws')).powerState, undefined);
});

test('a Tencent stop and start carry the request id CVM recorded; a dry run is 200 and stops nothing', async () => {
  const dry = accepted(await postAction(cp, 'p-tencent', 'stop', { query: '?dryRun=All' }), 200);
  assert.equal(dry.dryRun, true);
  assert.deepEqual(
    dry.checks?.map((c) => c.name),
    ['Credentials', 'InstanceState', 'Authorization', 'Mode'],
  );
  assert.equal(clouds.cvm.callsTo('StopInstances').length, 0);

  const stopped = accepted(await postAction(cp, 'p-tencent', 'stop'));
  const stops = clouds.cvm.callsTo('StopInstances');
  assert.equal(stops.length, 1);
  assert.deepEqual(stops[0]!.params, {
    InstanceIds: [I.gz],
    StopType: 'SOFT_FIRST',
    StoppedMode: 'KEEP_CHARGING',
  });
  assert.equal(stops[0]!.region, 'ap-guangzhou');
  assert.equal(stopped.requestID, clouds.cvm.instance(I.gz)?.latestOperationRequestId);
  // Starting while the instance is still stopping is CVM's refusal, a 409.
  clouds.cvm.setInstanceState(I.gz, 'STOPPING');
  assertStatus(
    await postAction(cp, 'p-tencent', 'start'),
    409,
    'Conflict',
    /^start of node p-tencent: .*UnsupportedOperation\.InstanceStateStopping/,
  );
  clouds.cvm.setInstanceState(I.gz, 'STOPPED');
  const started = accepted(await postAction(cp, 'p-tencent', 'start'));
  assert.deepEqual(
    clouds.cvm.callsTo('StartInstances').map((c) => c.params),
    [{ InstanceIds: [I.gz] }, { InstanceIds: [I.gz] }],
  );
  assert.equal(started.requestID, clouds.cvm.instance(I.gz)?.latestOperationRequestId);
  clouds.cvm.finishTransitions();
});

test('RBAC: only create on nodes/restart is Forbidden on reset, stop, start and a Hard restart', async () => {
  const user = 'graceful-erin';
  await userKubeconfig(cp, user);
  const revoke = await grant(clients, user, 'e2e-graceful-restarter', [
    { apiGroups: [GROUP], resources: ['nodes/restart'], verbs: ['create'] },
  ]);
  after(revoke);
  const forbidden = (subresource: string) =>
    `nodes.${GROUP} "p-sim" is forbidden: User "${user}" cannot create resource "nodes/${subresource}" in API group "${GROUP}" at the cluster scope`;
  for (const subresource of ['reset', 'stop', 'start']) {
    assertStatus(
      await postAction(cp, 'p-sim', subresource, { user }),
      403,
      'Forbidden',
      forbidden(subresource),
    );
  }
  // kube-apiserver lets the restart through; our server asks for create on nodes/reset for mode Hard.
  const hard = await postAction(cp, 'p-sim', 'restart', { user, body: { mode: 'Hard' } });
  assertStatus(hard, 403, 'Forbidden', forbidden('reset'));
  const graceful = await postAction(cp, 'p-sim', 'restart', {
    user,
    body: { mode: 'Soft', dryRun: ['All'] },
  });
  assert.equal(graceful.status, 200, graceful.body);

  const reset = await postAction(cp, 'p-sim', 'reset', { body: { reason: 'hung' } });
  assert.equal(reset.status, 202, reset.body);
  const restart = reset.json() as { kind: string; status: { mode: string; phase: string } };
  assert.deepEqual([restart.kind, restart.status.mode], ['NodeRestart', 'Hard']);
  await comesBack('p-sim');
  assertStatus(
    await postAction(cp, 'p-sim', 'reset', { body: { mode: 'Soft' } }),
    422,
    'Invalid',
    `RestartOptions.${GROUP} "p-sim" is invalid: mode: Unsupported value: "Soft": supported values: "Hard"`,
  );
});

test('a stop while a restart of the node runs is a 409 naming it, and reaches no cloud', async () => {
  const restart = await postAction(cp, 'p-tencent-sh', 'restart');
  assert.equal(restart.status, 202, restart.body);
  const id = (restart.json() as { status: { operationID: string } }).status.operationID;
  assertStatus(
    await postAction(cp, 'p-tencent-sh', 'stop', { body: { mode: 'Hard' } }),
    409,
    'Conflict',
    new RegExp(`^Operation cannot be fulfilled on nodes\\.${G} "p-tencent-sh": restart ${id} \\(`),
  );
  assert.equal(
    clouds.cvm.callsTo('StopInstances').filter((c) => (c.params['InstanceIds'] as string[])[0] === I.sh)
      .length,
    0,
  );
  await comesBack('p-tencent-sh');
});

test('while a stop waits on the cloud the node is held: a restart or a start is a 409 naming the stop', async () => {
  clouds.cvm.finishTransitions();
  const reboots = () =>
    clouds.cvm.callsTo('RebootInstances').filter((c) => (c.params['InstanceIds'] as string[])[0] === I.sh)
      .length;
  const before = reboots();
  clouds.cvm.inject({ fault: 'delay', ms: 3000, action: 'StopInstances' });
  const stopping = postAction(cp, 'p-tencent-sh', 'stop', { body: { mode: 'Hard' } });
  await waitFor('the stop to reach the cloud', async () =>
    clouds.cvm.callsTo('StopInstances').some((c) => c.status === undefined) ? true : undefined,
  );
  const held = new RegExp(
    `^Operation cannot be fulfilled on nodes\\.${G} "p-tencent-sh": stop [0-9a-f-]+ \\(requested by kubernetes-admin at `,
  );
  assertStatus(await postAction(cp, 'p-tencent-sh', 'restart'), 409, 'Conflict', held);
  assertStatus(await postAction(cp, 'p-tencent-sh', 'start'), 409, 'Conflict', held);
  accepted(await stopping);
  assert.equal(reboots(), before, 'the VM was not rebooted');
  // Answered: the node is free again.
  clouds.cvm.finishTransitions();
  accepted(await postAction(cp, 'p-tencent-sh', 'start'));
  clouds.cvm.finishTransitions();
});

test('protections and bad options: opt-out 403, a mode on a start 400, an unknown mode 422', async () => {
  assertStatus(
    await postAction(cp, 'p-optout', 'stop'),
    403,
    'Forbidden',
    /^nodes\.infraops\.michael\.io "p-optout" is forbidden: .*infraops\.michael\.io\/restart=disabled/,
  );
  assertStatus(
    await postAction(cp, 'p-sim', 'start', { body: { mode: 'Hard' }, query: '?fieldValidation=Strict' }),
    400,
    'BadRequest',
    'strict decoding error: unknown field "mode"',
  );
  assertStatus(
    await postAction(cp, 'p-sim', 'stop', { body: { mode: 'Gentle' } }),
    422,
    'Invalid',
    /^StopOptions\.infraops\.michael\.io "p-sim" is invalid: mode: Unsupported value: "Gentle"/,
  );
  const get = await viaApiserver(cp, { path: actionPath('p-sim', 'stop') });
  assert.equal(get.status, 405, get.body);
});

test('a node subresource nobody serves is a 404, answered after the guards like every route of ours', async () => {
  assertStatus(
    await postAction(cp, 'p-sim', 'frobnicate'),
    404,
    'NotFound',
    'the server could not find the requested resource',
  );
  // Straight to our server without credentials: refused by the guards, as a served subresource is, not a 404.
  const anonymous = (subresource: string) =>
    direct(server.url, server.servingCa.certPem, { method: 'POST', path: actionPath('p-sim', subresource) });
  const unknown = await anonymous('frobnicate');
  const served = await anonymous('stop');
  assert.notEqual(unknown.status, 404, unknown.body);
  const refusal = (res: typeof served) => [res.status, res.json()['reason']];
  assert.deepEqual(refusal(unknown), refusal(served));
});
