// POST nodes/NAME/restart through the real kube-apiserver, with our server's real AWS and Tencent SDKs
// talking to the emulators: what reaches the cloud, dry runs, and every error as a Status.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertStatus } from '../support/actions.js';
import type { CloudEmulators } from '../support/clouds.js';
import type { FaultRule } from '../emulators/common/faults.js';
import { viaApiserver, type DirectResponse } from '../support/direct.js';
import { kubectl } from '../support/kube.js';
import { bootAgain } from '../support/nodes.js';
import { waitFor } from '../control-plane/processes.js';
import { GROUP, restartPath } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';
import { grant, userKubeconfig } from '../support/users.js';

const CLOUD_TIMEOUT_MS = 5000;
const MAX_ATTEMPTS = 3;
const RESTART_TIMEOUT_S = 10;
const I = {
  aws: 'i-0a1b2c3d4e5f60001',
  awsStopped: 'i-0a1b2c3d4e5f60002',
  awsGone: 'i-0a1b2c3d4e5f60003',
  awsActed: 'i-0a1b2c3d4e5f60004',
  awsRefused: 'i-0a1b2c3d4e5f60005',
  gz: 'ins-r8hr2upy',
  gzActed: 'ins-0utc0me1',
  sh: 'ins-3ven36lk',
};
const NODES: Record<string, string | undefined> = {
  'r-aws': `aws:///us-east-1a/${I.aws}`,
  'r-aws-stopped': `aws:///us-east-1b/${I.awsStopped}`,
  'r-aws-gone': `aws:///us-east-1a/${I.awsGone}`,
  'r-tencent': `qcloud:///100003/${I.gz}`,
  'r-tencent-sh': `qcloud:///200002/${I.sh}`,
  'r-aws-acted': `aws:///us-east-1a/${I.awsActed}`,
  'r-aws-refused': `aws:///us-east-1a/${I.awsRefused}`,
  'r-tencent-acted': `qcloud:///100003/${I.gzActed}`,
  'r-sim': 'simulated:///sim-east-1/sim-east-1a/sim-node-1',
  'r-fargate': 'aws:///us-east-1a/fargate-ip-10-0-0-1.ec2.internal',
  'r-gce': 'gce://my-project/us-central1-a/vm-1',
  'r-none': undefined,
  'r-cp': 'simulated:///sim-east-1/sim-east-1a/sim-cp-1',
  'r-optout': 'simulated:///sim-east-1/sim-east-1a/sim-optout-1',
};
const LABELS: Record<string, Record<string, string>> = {
  'r-cp': { 'node-role.kubernetes.io/control-plane': '' },
  'r-optout': { 'infraops.michael.io/restart': 'disabled' },
};

const suite = await e2eSuite();
const { cp, clients } = suite;
let clouds: CloudEmulators;

before(async () => {
  clouds = await suite.clouds({
    ec2: [
      { instanceId: I.aws, region: 'us-east-1', availabilityZone: 'us-east-1a' },
      { instanceId: I.awsStopped, region: 'us-east-1', availabilityZone: 'us-east-1b', state: 'stopped' },
      { instanceId: I.awsActed, region: 'us-east-1', availabilityZone: 'us-east-1a' },
      { instanceId: I.awsRefused, region: 'us-east-1', availabilityZone: 'us-east-1a' },
    ],
    cvm: [
      { instanceId: I.gz, region: 'ap-guangzhou', zone: 'ap-guangzhou-3' },
      { instanceId: I.gzActed, region: 'ap-guangzhou', zone: 'ap-guangzhou-3' },
      { instanceId: I.sh, region: 'ap-shanghai', zone: 'ap-shanghai-2' },
    ],
    rebootMs: 1500,
  });
  await suite.nodes(
    Object.entries(NODES).map(([name, providerID]) => ({
      name,
      providerID,
      bootID: `boot-${name}`,
      labels: LABELS[name],
    })),
  );
  await suite.server({
    env: {
      ...clouds.serverEnv,
      CLOUD_TIMEOUT: `${CLOUD_TIMEOUT_MS}ms`,
      CLOUD_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    },
    args: [`--restart-timeout=${RESTART_TIMEOUT_S}s`],
  });
});

function restart(
  name: string,
  opts: { body?: unknown; query?: string; contentType?: string; method?: string } = {},
): Promise<DirectResponse> {
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return viaApiserver(cp, {
    method: opts.method ?? 'POST',
    path: restartPath(name, opts.query),
    body,
    headers: body === undefined ? {} : { 'Content-Type': opts.contentType ?? 'application/json' },
  });
}

/** GET nodes/NAME/restart: the node's latest restart. */
async function latestRestart(
  name: string,
): Promise<{ operationID?: string; phase: string; message: string }> {
  const res = await viaApiserver(cp, { path: restartPath(name) });
  assert.equal(res.status, 200, res.body);
  return (res.json() as { status: { operationID?: string; phase: string; message: string } }).status;
}

/** Plays the kubelet coming back, and waits until the restart holding the node has succeeded. */
async function comesBack(name: string): Promise<void> {
  await bootAgain(clients.core, name);
  await waitFor(`restart of ${name} to succeed`, async () =>
    (await latestRestart(name)).phase === 'Succeeded' ? true : undefined,
  );
}

/** Runs `fn` while the emulator answers with the fault, and removes the fault afterwards. */
async function withFault(
  emulator: CloudEmulators['ec2'] | CloudEmulators['cvm'],
  rule: FaultRule,
  fn: () => Promise<void>,
) {
  const injected = emulator.inject(rule);
  try {
    await fn();
  } finally {
    injected.cancel();
  }
}

const reboots = () => clouds.ec2.callsTo('RebootInstances').filter((c) => c.params['DryRun'] !== 'true');
const cvmReboots = () => clouds.cvm.callsTo('RebootInstances');

test('kubectl create --raw restarts an AWS node: one signed RebootInstances for its instance and region', async () => {
  const before = reboots().length;
  const body = join(cp.dir, 'restart-aws.json');
  await writeFile(body, JSON.stringify({ apiVersion: `${GROUP}/v1`, kind: 'RestartOptions', reason: 'e2e' }));
  const res = await kubectl(cp, ['create', '--raw', restartPath('r-aws'), '-f', body]);
  assert.equal(res.code, 0, res.stderr);
  const answer = JSON.parse(res.stdout) as { kind: string; status: Record<string, unknown> };
  assert.equal(answer.kind, 'NodeRestart');
  const calls = reboots().slice(before);
  assert.equal(calls.length, 1);
  const [call] = calls;
  assert.deepEqual(call!.params['InstanceId'], [I.aws]);
  assert.equal(call!.region, 'us-east-1');
  assert.equal(call!.signatureValid, true);
  assert.equal(call!.status, 200);
  assert.match(String(answer.status['requestID']), /^[0-9a-f-]{36}$/);
  assert.deepEqual(
    [answer.status['phase'], answer.status['cloud'], answer.status['region'], answer.status['instanceID']],
    ['RebootRequested', 'aws', 'us-east-1', I.aws],
  );
  assert.equal(answer.status['mode'], 'SoftFirst');
  assert.equal(answer.status['previousBootID'], 'boot-r-aws');
  assert.equal(answer.status['requestedBy'], 'kubernetes-admin');
  await comesBack('r-aws');
});

test('a Tencent node is rebooted in the region of its numeric zone id, with the StopType asked for', async () => {
  for (const [mode, stopType] of [
    ['Hard', 'HARD'],
    [undefined, 'SOFT_FIRST'],
  ] as const) {
    const before = cvmReboots().length;
    await clouds.cvm.finishTransitions();
    const res = await restart('r-tencent', { body: mode ? { mode } : {} });
    assert.equal(res.status, 202, res.body);
    const calls = cvmReboots().slice(before);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]!.params['InstanceIds'], [I.gz]);
    assert.equal(calls[0]!.params['StopType'], stopType);
    assert.equal(calls[0]!.region, 'ap-guangzhou');
    assert.equal(calls[0]!.signatureValid, true);
    const answer = res.json() as { status: Record<string, unknown> };
    assert.equal(answer.status['region'], 'ap-guangzhou');
    assert.equal(answer.status['zone'], 'ap-guangzhou-3');
    assert.match(String(answer.status['requestID']), /^[0-9a-f-]{36}$/);
    await comesBack('r-tencent');
  }
});

test('one server restarts AWS, Tencent and simulated nodes side by side', async () => {
  await clouds.cvm.finishTransitions();
  const [aws, tencent, sim] = await Promise.all([
    restart('r-aws'),
    restart('r-tencent-sh', { body: { mode: 'Soft' } }),
    restart('r-sim'),
  ]);
  for (const res of [aws, tencent, sim]) assert.equal(res.status, 202, res.body);
  const clouds_ = [aws, tencent, sim].map((r) => (r.json() as { status: { cloud: string } }).status.cloud);
  assert.deepEqual(clouds_, ['aws', 'tencent', 'simulated']);
  assert.ok(
    cvmReboots().some((c) => (c.params['InstanceIds'] as string[])[0] === I.sh && c.region === 'ap-shanghai'),
  );
  await Promise.all(['r-aws', 'r-tencent-sh', 'r-sim'].map(comesBack));
});

test('dry run (?dryRun=All or dryRun: ["All"]) reboots nothing and answers 200 with the preflight', async () => {
  const awsBefore = reboots().length;
  const cvmBefore = cvmReboots().length;
  const dryRunCallsBefore = clouds.ec2.callsTo('RebootInstances').length;
  const aws = await restart('r-aws', { query: '?dryRun=All' });
  assert.equal(aws.status, 200, aws.body);
  const awsAnswer = aws.json() as { status: { phase: string; dryRun: boolean; checks: { name: string }[] } };
  assert.equal(awsAnswer.status.phase, 'DryRun');
  assert.equal(awsAnswer.status.dryRun, true);
  assert.ok(awsAnswer.status.checks.length > 0);
  // EC2's own preflight: RebootInstances with DryRun=true, answered DryRunOperation.
  const preflight = clouds.ec2.callsTo('RebootInstances').slice(dryRunCallsBefore);
  assert.deepEqual(
    preflight.map((c) => [c.params['DryRun'], c.errorCode]),
    [['true', 'DryRunOperation']],
  );
  await clouds.cvm.finishTransitions();
  const tencent = await restart('r-tencent', { body: { dryRun: ['All'], mode: 'Hard' } });
  assert.equal(tencent.status, 200, tencent.body);
  assert.equal(reboots().length, awsBefore);
  assert.equal(cvmReboots().length, cvmBefore);
  // kubectl's own server-side dry run sends the same query parameter.
  const kubectlDry = await kubectl(cp, ['create', '--raw', restartPath('r-aws', '?dryRun=All'), '-f', '-'], {
    input: '{}',
  });
  assert.equal(kubectlDry.code, 0, kubectlDry.stderr);
  assert.equal(reboots().length, awsBefore);
});

test('node errors: not found 404; providerID missing, Fargate or unsupported cloud 422 with the reason', async () => {
  assertStatus(await restart('r-nope'), 404, 'NotFound', `nodes.${GROUP} "r-nope" not found`);
  assertStatus(
    await restart('r-none'),
    422,
    'Invalid',
    new RegExp(
      `^Node\\.${GROUP.replaceAll('.', '\\.')} "r-none" is invalid: spec\\.providerID: Required value`,
    ),
  );
  assertStatus(await restart('r-fargate'), 422, 'Invalid', /spec\.providerID: Invalid value: .*[Ff]argate/);
  assertStatus(await restart('r-gce'), 422, 'Invalid', /spec\.providerID: Invalid value: .*not supported/);
});

test('cloud errors: instance gone 404, stopped or busy at the cloud 409, each with the cloud message', async () => {
  assertStatus(
    await restart('r-aws-gone'),
    404,
    'NotFound',
    new RegExp(`restart of node r-aws-gone: .*${I.awsGone}`),
  );
  assertStatus(
    await restart('r-aws-stopped'),
    409,
    'Conflict',
    /restart of node r-aws-stopped: .*not in a state from which it can be rebooted/,
  );
  await withFault(
    clouds.cvm,
    {
      fault: 'error',
      code: 'OperationDenied.InstanceOperationInProgress',
      message: 'An operation is in progress on the instance.',
      action: 'RebootInstances',
    },
    async () => {
      assertStatus(
        await restart('r-tencent-sh'),
        409,
        'Conflict',
        /restart of node r-tencent-sh: .*in progress/,
      );
    },
  );
  // A failed restart frees its node at once.
  assert.equal((await latestRestart('r-aws-gone')).phase, 'Failed');
});

test('one restart per node: a second request while the first runs is a 409 naming it, and reboots nothing', async () => {
  await clouds.cvm.finishTransitions();
  const first = await restart('r-tencent');
  assert.equal(first.status, 202, first.body);
  const id = (first.json() as { status: { operationID: string } }).status.operationID;
  const before = cvmReboots().length;
  const second = await restart('r-tencent', { body: { mode: 'Hard' } });
  assertStatus(
    second,
    409,
    'Conflict',
    new RegExp(
      `^Operation cannot be fulfilled on nodes\\.${GROUP.replaceAll('.', '\\.')} "r-tencent": restart ${id} \\(RebootRequested, requested by kubernetes-admin`,
    ),
  );
  assertStatus(await restart('r-tencent', { query: '?dryRun=All' }), 409, 'Conflict', new RegExp(id));
  assert.equal(cvmReboots().length, before);
  await comesBack('r-tencent');
  await clouds.cvm.finishTransitions();
  assert.equal((await restart('r-tencent', { query: '?dryRun=All' })).status, 200);
});

test('throttling is retried a bounded number of times, then 429 with Retry-After', async () => {
  const before = clouds.ec2.callsTo('RebootInstances').length;
  await withFault(clouds.ec2, { fault: 'throttle', action: 'RebootInstances', times: Infinity }, async () => {
    const res = await restart('r-aws');
    const status = assertStatus(res, 429, 'TooManyRequests', /RequestLimitExceeded|throttl/i);
    assert.ok(Number(res.headers['retry-after']) > 0, 'Retry-After is set: the cloud did not act');
    assert.equal(status.details?.retryAfterSeconds, Number(res.headers['retry-after']));
  });
  assert.equal(clouds.ec2.callsTo('RebootInstances').length - before, MAX_ATTEMPTS);
});

test('cloud 5xx on a reboot: 503, not repeated (it may have taken effect), and no Retry-After', async () => {
  await clouds.cvm.finishTransitions();
  const before = cvmReboots().length;
  await withFault(
    clouds.cvm,
    { fault: 'internal-error', action: 'RebootInstances', times: Infinity },
    async () => {
      const res = await restart('r-tencent-sh');
      assertStatus(
        res,
        503,
        'ServiceUnavailable',
        /restart of node r-tencent-sh: .*unknown, so it was not repeated/,
      );
      assert.equal(res.headers['retry-after'], undefined);
    },
  );
  // Tencent may have acted on a call that failed with InternalError: repeating it could reboot twice.
  assert.equal(cvmReboots().length - before, 1);
});

test('the cloud carries a reboot out once: throttled then accepted, or failed with a 500 after it rebooted', async () => {
  const executed = () => clouds.ec2.executed('RebootInstances', I.aws).length;
  const before = executed();
  await withFault(clouds.ec2, { fault: 'throttle', action: 'RebootInstances', times: 2 }, async () => {
    assert.equal((await restart('r-aws')).status, 202);
  });
  assert.equal(executed() - before, 1);
  await comesBack('r-aws');

  const sent = reboots().length;
  await withFault(
    clouds.ec2,
    { fault: 'internal-error', afterExecuting: true, action: 'RebootInstances' },
    async () => {
      const res = await restart('r-aws');
      assertStatus(
        res,
        503,
        'ServiceUnavailable',
        /restart of node r-aws: .*HTTP 500.*whether RebootInstances took effect is unknown, so it was not repeated/,
      );
    },
  );
  assert.deepEqual([reboots().length - sent, executed() - before], [1, 2]);
  assert.equal((await latestRestart('r-aws')).phase, 'Failed');
});

/** POST a drained restart of a node with no pods: cordoned, drained at once, and the cloud asked to reboot it. */
const drainedRestart = (name: string) => restart(name, { body: { drain: { timeoutSeconds: 30 } } });

const cordoned = async (name: string) => (await clients.core.readNode({ name })).spec?.unschedulable === true;

const saysOutcomeUnknown = (res: DirectResponse) =>
  (res.json() as { details?: { causes?: { reason?: string }[] } }).details?.causes?.some(
    (c) => c.reason === 'CloudOutcomeUnknown',
  ) === true;

test('a drained reboot the cloud carried out before answering 500 keeps its cordon: 503, the outcome unknown', async () => {
  const cases = [
    { node: 'r-aws-acted', emulator: clouds.ec2, instance: I.awsActed, said: /HTTP 500/ },
    { node: 'r-tencent-acted', emulator: clouds.cvm, instance: I.gzActed, said: /InternalError/ },
  ];
  for (const { node, emulator, instance, said } of cases) {
    await withFault(
      emulator,
      { fault: 'internal-error', afterExecuting: true, action: 'RebootInstances' },
      async () => {
        const res = await drainedRestart(node);
        assertStatus(res, 503, 'ServiceUnavailable', said);
        assert.ok(saysOutcomeUnknown(res), res.body);
        assert.equal(res.headers['retry-after'], undefined);
      },
    );
    assert.equal(emulator.executed('RebootInstances', instance).length, 1, 'the cloud rebooted it');
    const failed = await latestRestart(node);
    assert.equal(failed.phase, 'Failed');
    assert.match(
      failed.message,
      new RegExp(
        `unknown.*; node ${node} stays cordoned, as the cloud may have rebooted it: .*kubectl uncordon ${node}`,
      ),
    );
    assert.ok(await cordoned(node), `node ${node} is still unschedulable`);
    const events = await clients.core.listNamespacedEvent({
      namespace: 'default',
      fieldSelector: `involvedObject.name=${node},reason=RestartFailed`,
    });
    assert.match(events.items.at(-1)?.message ?? '', /stays cordoned, as the cloud may have rebooted it/);
  }
});

test('a drained reboot the cloud refused before acting lifts its cordon: throttled beyond retries, or a 4xx', async () => {
  const node = 'r-aws-refused';
  const executed = () => clouds.ec2.executed('RebootInstances', I.awsRefused).length;
  await withFault(clouds.ec2, { fault: 'throttle', action: 'RebootInstances', times: Infinity }, async () => {
    const res = await drainedRestart(node);
    assertStatus(res, 429, 'TooManyRequests', /did not act/);
    assert.ok(!saysOutcomeUnknown(res), res.body);
  });
  assert.match((await latestRestart(node)).message, /; node r-aws-refused uncordoned$/);
  assert.equal(await cordoned(node), false);

  await withFault(
    clouds.ec2,
    { fault: 'error', code: 'InvalidParameterValue', message: 'bad value', action: 'RebootInstances' },
    async () => {
      const res = await drainedRestart(node);
      assertStatus(res, 400, 'BadRequest', /rejected as invalid/);
      assert.ok(!saysOutcomeUnknown(res), res.body);
    },
  );
  assert.match((await latestRestart(node)).message, /; node r-aws-refused uncordoned$/);
  assert.equal(await cordoned(node), false);
  assert.equal(executed(), 0);
});

test('cloud credential and permission failures are 500s that tell the operator what to fix', async () => {
  await withFault(
    clouds.ec2,
    {
      fault: 'error',
      code: 'UnauthorizedOperation',
      message: 'You are not authorized to perform this operation.',
      httpStatus: 403,
      action: 'RebootInstances',
    },
    async () => {
      assertStatus(
        await restart('r-aws'),
        500,
        'InternalError',
        /not authorized.*grant the server's cloud identity/,
      );
    },
  );
  await clouds.cvm.finishTransitions();
  await withFault(
    clouds.cvm,
    {
      fault: 'error',
      code: 'AuthFailure.SecretIdNotFound',
      message: 'The SecretId is not found',
      action: 'RebootInstances',
    },
    async () => {
      assertStatus(await restart('r-tencent-sh'), 500, 'InternalError', /SecretId is not found.*credentials/);
    },
  );
});

test('a hung cloud endpoint yields 504 within the configured timeout, and the reboot is not repeated', async () => {
  const before = clouds.ec2.callsTo('RebootInstances').length;
  const started = Date.now();
  await withFault(clouds.ec2, { fault: 'hang', action: 'RebootInstances' }, async () => {
    const res = await restart('r-aws');
    const elapsed = Date.now() - started;
    assertStatus(res, 504, 'Timeout', /restart of node r-aws: .*no answer within|unknown/);
    assert.ok(elapsed < CLOUD_TIMEOUT_MS + 3000, `answered after ${elapsed} ms`);
    assert.equal(res.headers['retry-after'], undefined);
  });
  assert.equal(clouds.ec2.callsTo('RebootInstances').length - before, 1);
});

test('a connection EC2 drops under a reboot is told as such (503, not a timeout), and the reboot is not repeated', async () => {
  const before = clouds.ec2.callsTo('RebootInstances').length;
  await withFault(clouds.ec2, { fault: 'drop', action: 'RebootInstances' }, async () => {
    const res = await restart('r-aws');
    const status = assertStatus(
      res,
      503,
      'ServiceUnavailable',
      /restart of node r-aws: .*lost its connection to EC2 \(ECONNRESET: .*unknown, so it was not repeated/,
    );
    assert.doesNotMatch(String(status.message), /timed out/);
    assert.equal(res.headers['retry-after'], undefined);
  });
  assert.equal(clouds.ec2.callsTo('RebootInstances').length - before, 1);
});

test('bad options are 400/415/422 Status errors and reach no cloud', async () => {
  const before = clouds.ec2.calls.length;
  assertStatus(
    await restart('r-aws', { body: { mode: 'Soft', force: true }, query: '?fieldValidation=Strict' }),
    400,
    'BadRequest',
    'strict decoding error: unknown field "force"',
  );
  assertStatus(
    await restart('r-aws', { body: { reason: 42 } }),
    400,
    'BadRequest',
    'json: cannot unmarshal number into Go struct field RestartOptions.reason of type string',
  );
  assertStatus(
    await restart('r-aws', { body: { mode: 'Gentle' } }),
    422,
    'Invalid',
    `RestartOptions.${GROUP} "r-aws" is invalid: mode: Unsupported value: "Gentle": supported values: "Soft", "Hard", "SoftFirst"`,
  );
  assertStatus(
    await restart('r-aws', { query: '?dryRun=Some' }),
    422,
    'Invalid',
    /dryRun: Unsupported value/,
  );
  assertStatus(
    await restart('r-aws', { body: { kind: 'Eviction' } }),
    400,
    'BadRequest',
    /the kind in the data \(Eviction\) does not match/,
  );
  assertStatus(
    await restart('r-aws', { body: 'x', contentType: 'text/plain' }),
    415,
    'UnsupportedMediaType',
    /unknown format/,
  );
  const malformed = await viaApiserver(cp, {
    method: 'POST',
    path: restartPath('r-aws'),
    body: '{"mode":',
    headers: { 'Content-Type': 'application/json' },
  });
  assertStatus(malformed, 400, 'BadRequest', /not valid JSON/);
  assertStatus(
    await restart('r-aws', { method: 'PUT' }),
    405,
    'MethodNotAllowed',
    /does not allow this method/,
  );
  assert.equal(clouds.ec2.calls.length, before);
});

test('RBAC: restarting needs create on nodes/restart; the Forbidden Status names it', async () => {
  const viewer = 'restart-viewer-carol';
  await userKubeconfig(cp, viewer);
  const revoke = await grant(clients, viewer, 'e2e-restart-viewer', [
    { apiGroups: [GROUP], resources: ['nodes'], verbs: ['get', 'list'] },
  ]);
  after(revoke);
  const base = join(cp.dir, `user-${viewer}`);
  const before = clouds.ec2.calls.length;
  const res = await viaApiserver(
    cp,
    { method: 'POST', path: restartPath('r-aws') },
    { cert: `${base}.crt`, key: `${base}.key` },
  );
  assertStatus(
    res,
    403,
    'Forbidden',
    `nodes.${GROUP} "r-aws" is forbidden: User "${viewer}" cannot create resource "nodes/restart" in API group "${GROUP}" at the cluster scope`,
  );
  assert.equal(clouds.ec2.calls.length, before);
});

test('protected nodes: an opted-out node and a control-plane node are 403 unless explicitly allowed', async () => {
  assertStatus(
    await restart('r-optout'),
    403,
    'Forbidden',
    `nodes.${GROUP} "r-optout" is forbidden: restarts of node r-optout are disabled by its label infraops.michael.io/restart=disabled`,
  );
  assertStatus(await restart('r-cp'), 403, 'Forbidden', /r-cp is a control-plane node: .*allowControlPlane/);
  // A restarter of workers may not restart a control plane, even when asking for it.
  const user = 'worker-restarter-dave';
  await userKubeconfig(cp, user);
  const revoke = await grant(clients, user, 'e2e-worker-restarter', [
    { apiGroups: [GROUP], resources: ['nodes/restart'], verbs: ['create'] },
  ]);
  after(revoke);
  const base = join(cp.dir, `user-${user}`);
  const asDave = await viaApiserver(
    cp,
    {
      method: 'POST',
      path: restartPath('r-cp'),
      body: JSON.stringify({ allowControlPlane: true }),
      headers: { 'Content-Type': 'application/json' },
    },
    { cert: `${base}.crt`, key: `${base}.key` },
  );
  assertStatus(
    asDave,
    403,
    'Forbidden',
    `nodes.${GROUP} "r-cp" is forbidden: User "${user}" cannot create resource "nodes/restart-control-plane" in API group "${GROUP}" at the cluster scope`,
  );
  const admin = await restart('r-cp', { body: { allowControlPlane: true } });
  assert.equal(admin.status, 202, admin.body);
  await comesBack('r-cp');
});
