// What kubectl and client-go send, as they send it, through the real kube-apiserver: a subresource body with the
// object metadata client-go's dynamic client adds, field validation and its Warning headers, kubectl create -f of
// a RestartBatch with generateName by a user who cannot list CRDs, our Events in both kubectl describes, and the
// reason of a 422 in kubectl's output.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';
import { waitFor } from '../control-plane/processes.js';
import { actionPath, assertStatus, postAction } from '../support/actions.js';
import { viaApiserver } from '../support/direct.js';
import { startCloudEmulators, type CloudEmulators } from '../support/clouds.js';
import { useControlPlane } from '../support/control-plane.js';
import { kubeClients, kubectl } from '../support/kube.js';
import { createNode, deleteNodes } from '../support/nodes.js';
import { installPlugin } from '../support/kubectl-plugin.js';
import { startServer, GROUP, type RunningServer } from '../support/server.js';
import { grant, userKubeconfig } from '../support/users.js';

const INSTANCE = 'i-0c11e47a7e0000001';
const AWS_NODE = 'cn-aws';
const SIM_NODE = 'cn-sim';
const BATCH_USER = 'cn-batch-creator';

let cp: ControlPlaneInfo;
let binDir: string;
let clouds: CloudEmulators;
let batchKubeconfig: string;
let clients: ReturnType<typeof kubeClients>;
let revoke: () => Promise<void>;
let server: RunningServer;

before(async () => {
  cp = await useControlPlane();
  clients = kubeClients(cp.kubeconfig);
  clouds = await startCloudEmulators({
    ec2: [{ instanceId: INSTANCE, region: 'us-east-1', availabilityZone: 'us-east-1a' }],
  });
  await createNode(clients.core, { name: AWS_NODE, providerID: `aws:///us-east-1a/${INSTANCE}` });
  await createNode(clients.core, {
    name: SIM_NODE,
    providerID: 'simulated:///sim-east-1/sim-east-1a/sim-client-native-1',
    labels: { 'client-native': 'yes' },
  });
  server = await startServer(cp, { env: clouds.serverEnv });
  binDir = await mkdtemp(join(tmpdir(), 'kcnm-client-native-'));
  await installPlugin(binDir);
  batchKubeconfig = await userKubeconfig(cp, BATCH_USER);
  revoke = await grant(clients, BATCH_USER, 'e2e-client-native-batches', [
    { apiGroups: [GROUP], resources: ['restartbatches'], verbs: ['create', 'get'] },
    { apiGroups: [GROUP], resources: ['nodes/restart'], verbs: ['create'] },
  ]);
});

after(async () => {
  await revoke?.();
  await server?.stop();
  await clouds?.stop();
  if (clients) await deleteNodes(clients.core, [AWS_NODE, SIM_NODE]);
  if (binDir) await rm(binDir, { recursive: true, force: true });
});

/** `kubectl restart ARGS`: the plugin found on PATH by the real kubectl. */
function kubectlRestart(
  args: string[],
  command = 'restart',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      join(cp.binDir, 'kubectl'),
      [command, ...args],
      { env: { PATH: `${binDir}:${process.env.PATH}`, HOME: binDir, KUBECONFIG: cp.kubeconfig } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test("a body as client-go's dynamic client sends it: metadata.name is the node's; another name is a 400", async () => {
  // dynamic.Resource(gvr).Create(ctx, obj, opts, "restart") builds the URL from obj's name and sends obj.
  const object = (name: string, kind: string) => ({
    apiVersion: `${GROUP}/v1`,
    kind,
    metadata: { name, creationTimestamp: null },
    dryRun: ['All'],
  });
  for (const kind of ['RestartOptions', 'NodeRestart']) {
    const res = await postAction(cp, SIM_NODE, 'restart', { body: object(SIM_NODE, kind) });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json()['kind'], 'NodeRestart');
  }
  const stop = await postAction(cp, SIM_NODE, 'stop', { body: object(SIM_NODE, 'NodePowerAction') });
  assert.equal(stop.status, 200, stop.body);
  assertStatus(
    await postAction(cp, SIM_NODE, 'restart', { body: object('some-other-node', 'RestartOptions') }),
    400,
    'BadRequest',
    'name in URL does not match name in RestartOptions object',
  );
});

test('unknown fields: a Warning header by default and with Warn, a 400 with Strict, nothing with Ignore', async () => {
  const body = { dryRun: ['All'], force: true, drain: { hurry: 1 } };
  const expected = '299 - "unknown field \\"force\\"", 299 - "unknown field \\"drain.hurry\\""';
  for (const query of ['', '?fieldValidation=Warn']) {
    const res = await postAction(cp, SIM_NODE, 'restart', { body, query });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers['warning'], expected);
  }
  const ignored = await postAction(cp, SIM_NODE, 'restart', { body, query: '?fieldValidation=Ignore' });
  assert.equal(ignored.status, 200, ignored.body);
  assert.equal(ignored.headers['warning'], undefined);
  assertStatus(
    await postAction(cp, SIM_NODE, 'restart', { body, query: '?fieldValidation=Strict' }),
    400,
    'BadRequest',
    'strict decoding error: unknown field "force", unknown field "drain.hurry"',
  );
  assertStatus(
    await postAction(cp, SIM_NODE, 'restart', { body, query: '?fieldValidation=strict' }),
    422,
    'Invalid',
    /^CreateOptions\.meta\.k8s\.io "" is invalid: fieldValidation: Unsupported value: "strict"/,
  );
});

test('a key given twice: a Warning by default, a 400 with Strict; inside an unknown field only that is reported', async () => {
  const body =
    '{"dryRun":["All"],"reason":"a","reason":"b","metadata":{"labels":{"x":"1","x":"2"}},"force":1,"force":2}';
  const post = (query: string) =>
    viaApiserver(cp, {
      method: 'POST',
      path: actionPath(SIM_NODE, 'restart', query),
      body,
      headers: { 'Content-Type': 'application/json' },
    });
  const warned = await post('');
  assert.equal(warned.status, 200, warned.body);
  assert.equal(
    warned.headers['warning'],
    '299 - "unknown field \\"force\\"", 299 - "duplicate field \\"reason\\"", ' +
      '299 - "duplicate field \\"metadata.labels.x\\""',
  );
  assertStatus(
    await post('?fieldValidation=Strict'),
    400,
    'BadRequest',
    'strict decoding error: unknown field "force", duplicate field "reason", duplicate field "metadata.labels.x"',
  );
});

test('kubectl create -f: a RestartBatch with generateName, by a user who cannot list CRDs', async () => {
  const manifest = [
    `apiVersion: ${GROUP}/v1`,
    'kind: RestartBatch',
    'metadata:',
    '  generateName: client-native-',
    'spec:',
    '  labelSelector: client-native=yes',
    '',
  ].join('\n');
  // kubectl reads our group's OpenAPI v3 document once the aggregator has it: whether the PATCH of the kind takes
  // fieldValidation decides where it validates.
  await waitFor('our group in /openapi/v3', async () => {
    const root = await kubectl(cp, ['get', '--raw', '/openapi/v3']);
    return root.stdout.includes(`apis/${GROUP}/v1`) ? true : undefined;
  });
  // Our metadata schemas are kube-apiserver's own, so its merged v2 document keeps one ObjectMeta.
  const v2 = await waitFor('our kinds in /openapi/v2', async () => {
    const doc = await kubectl(cp, ['get', '--raw', '/openapi/v2']);
    return doc.stdout.includes('"io.michael.infraops.v1.RestartBatch"') ? doc.stdout : undefined;
  });
  assert.ok(!v2.includes('ObjectMeta_v2'), 'no renamed ObjectMeta');
  const created = await kubectl(cp, ['create', '--dry-run=server', '-f', '-', '-o', 'name'], {
    kubeconfig: batchKubeconfig,
    input: manifest,
  });
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /^restartbatch\.infraops\.michael\.io\/client-native-[a-z0-9]{5}/);
  // kubectl validates on the server: an unknown field is refused there, by name.
  const typo = await kubectl(cp, ['create', '--dry-run=server', '-f', '-'], {
    kubeconfig: batchKubeconfig,
    input: `${manifest}  maxUnavaliable: 2\n`,
  });
  assert.notEqual(typo.code, 0);
  assert.match(
    typo.stderr,
    /Error from server \(BadRequest\).*strict decoding error: unknown field "spec\.maxUnavaliable"/,
  );
});

test('kubectl describe node and describe nodes.GROUP both show our Events', async () => {
  const res = await postAction(cp, SIM_NODE, 'stop', { body: { reason: 'client-native describe' } });
  assert.equal(res.status, 202, res.body);
  for (const resource of ['node', `nodes.${GROUP}`]) {
    await waitFor(`StopRequested in kubectl describe ${resource}`, async () => {
      const described = await kubectl(cp, ['describe', resource, SIM_NODE]);
      assert.equal(described.code, 0, described.stderr);
      return /StopRequested/.test(described.stdout) ? true : undefined;
    });
  }
});

test('a 422 from the cloud shows its reason in kubectl and in kubectl restart', async () => {
  const raw = await kubectl(
    cp,
    ['create', '--raw', `/apis/${GROUP}/v1/nodes/${AWS_NODE}/restart?dryRun=All`, '-f', '-'],
    { input: '{"mode":"Hard"}' },
  );
  assert.notEqual(raw.code, 0);
  assert.match(
    raw.stderr,
    new RegExp(`The nodes "${AWS_NODE}" is invalid: mode: EC2 cannot reboot .* in mode Hard`),
  );
  const plugin = await kubectlRestart([AWS_NODE, '--mode=Hard', '--dry-run=server']);
  assert.equal(plugin.code, 1);
  assert.match(plugin.stderr, /is invalid: mode: EC2 cannot reboot .*stop and start the instance/);
});

test("kubectl restart takes kubectl's impersonation and timeout flags", async () => {
  const impersonated = await kubectlRestart([
    SIM_NODE,
    '--dry-run=server',
    '--as=cn-nobody',
    '--as-group=cn-nobodies',
    '--request-timeout=20s',
  ]);
  assert.equal(impersonated.code, 1);
  assert.match(
    impersonated.stderr,
    /Error from server \(Forbidden\): .*User "cn-nobody" cannot create resource "nodes\/restart"/,
  );
});

test('kubectl completes kubectl restart through kubectl_complete-restart: flags, their values, node names', async () => {
  const complete = (...words: string[]) =>
    new Promise<string[]>((resolve) => {
      execFile(
        join(cp.binDir, 'kubectl'),
        ['__complete', 'restart', ...words],
        { env: { PATH: `${binDir}:${process.env.PATH}`, HOME: binDir, KUBECONFIG: cp.kubeconfig } },
        (_err, stdout) => resolve(stdout.trim().split('\n')),
      );
    });
  const nodes = await complete('cn-');
  assert.deepEqual(nodes.slice(0, 2).sort(), [AWS_NODE, SIM_NODE]);
  assert.equal(nodes[2], ':4');
  assert.deepEqual((await complete('--mode', 'S')).slice(0, 2), ['SoftFirst', 'Soft']);
  assert.ok((await complete('--as-')).includes('--as-group'));
});

test('kubectl stop, start and reset: the same plugin, each asking for its own subresource', async () => {
  const stop = await kubectlRestart([AWS_NODE, '--dry-run=server', '--mode=Hard'], 'stop');
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(
    stop.stdout,
    new RegExp(`^node\\.${GROUP.replaceAll('.', '\\.')}/${AWS_NODE} stop allowed \\(server dry run\\)`),
  );
  const forbidden = await kubectlRestart([AWS_NODE, '--dry-run=server', '--as=cn-nobody'], 'reset');
  assert.match(forbidden.stderr, /cannot create resource "nodes\/reset"/);
  const waitStart = await kubectlRestart([AWS_NODE, '--wait'], 'start');
  assert.equal(waitStart.code, 2);
  assert.match(waitStart.stderr, /--wait does not apply to kubectl start/);
});

test('shortNames and the infraops category reach our resources, not core ones', async () => {
  const byShortName = await kubectl(cp, ['get', 'cnode', SIM_NODE, '-o', 'name']);
  assert.equal(byShortName.stdout.trim(), `node.${GROUP}/${SIM_NODE}`, byShortName.stderr);
  const core = await kubectl(cp, ['get', 'no', SIM_NODE, '-o', 'name']);
  assert.equal(core.stdout.trim(), `node/${SIM_NODE}`, core.stderr);
  const category = await kubectl(cp, ['get', 'infraops', '-o', 'name']);
  assert.equal(category.code, 0, category.stderr);
  assert.ok(category.stdout.split('\n').includes(`node.${GROUP}/${AWS_NODE}`), category.stdout);
  const batches = await kubectl(cp, ['get', 'rbatch']);
  assert.equal(batches.code, 0, batches.stderr);
});

test('kubectl restart --wait follows a restart of the node that is already running', async () => {
  // Nobody plays the kubelet here: the restart stays at RebootRequested, so the wait times out following it.
  const first = await postAction(cp, AWS_NODE, 'restart', { body: { reason: 'already running' } });
  assert.equal(first.status, 202, first.body);
  const id = (first.json() as { status: { operationID: string } }).status.operationID;
  const again = await kubectlRestart([AWS_NODE, '--wait', '--timeout=2s']);
  assert.equal(again.code, 1);
  assert.match(
    again.stderr,
    new RegExp(`${AWS_NODE} is already restarting \\(operation ${id}\\): following that restart`),
  );
  assert.doesNotMatch(again.stderr, /Conflict/);
});

test('a merge patch of a RestartBatch may change nothing but spec.suspend (and its status, dropped)', async () => {
  // Last: the batch restarts SIM_NODE (or fails to: it was stopped); its outcome does not matter here.
  const name = 'client-native-patch';
  const created = await kubectl(cp, ['create', '-f', '-', '-o', 'name'], {
    input: JSON.stringify({
      apiVersion: `${GROUP}/v1`,
      kind: 'RestartBatch',
      metadata: { name },
      spec: { labelSelector: 'client-native=yes' },
    }),
  });
  assert.equal(created.code, 0, created.stderr);
  const patch = (body: object, type = 'merge') =>
    kubectl(cp, ['patch', `restartbatches.${GROUP}`, name, `--type=${type}`, '-p', JSON.stringify(body)]);
  const same = await patch({ spec: { maxUnavailable: 1 }, status: { phase: 'Succeeded' } });
  assert.equal(same.code, 0, same.stderr);
  const changed = await patch({ metadata: { labels: { a: 'b' } }, spec: { maxUnavailable: 3 } });
  assert.notEqual(changed.code, 0);
  assert.match(changed.stderr, /metadata\.labels: Invalid value: .*field is immutable/);
  assert.match(changed.stderr, /spec\.maxUnavailable: Invalid value: 3: field is immutable/);
  const jsonPatch = await patch([{ op: 'replace', path: '/spec/maxUnavailable', value: 2 }], 'json');
  assert.match(jsonPatch.stderr, /UnsupportedMediaType|unknown format/);

  // spec.suspend is the one field a patch changes: the batch then starts no more nodes, and says so.
  const suspend = await patch({ spec: { suspend: true } });
  assert.equal(suspend.code, 0, suspend.stderr);
  const read = await kubectl(cp, ['get', `restartbatches.${GROUP}`, name, '-o', 'json']);
  const batch = JSON.parse(read.stdout) as {
    spec: { suspend: boolean };
    status: { conditions?: { type: string; status: string; reason: string }[] };
  };
  assert.equal(batch.spec.suspend, true);
  assert.deepEqual(
    batch.status.conditions?.map((c) => [c.type, c.status, c.reason]),
    [['Suspended', 'True', 'Suspended']],
  );
  const table = await kubectl(cp, ['get', `restartbatches.${GROUP}`, name]);
  assert.match(table.stdout, /\bSUSPENDED\b/);
  assert.match(table.stdout.split('\n')[1] ?? '', /\btrue\b/);
  const notBoolean = await patch({ spec: { suspend: 'yes' } });
  assert.match(notBoolean.stderr, /spec\.suspend: Invalid value: "yes": must be true or false/);
});
