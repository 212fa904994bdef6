// A client nobody here wrote: client-go at the control plane's release (test/client-go, built and cached by its
// build.sh) runs discovery, the RESTMapper, dynamic list/get/watch, dynamic informers, a dynamic Create on the
// restart subresource (dry run) and a Table request against our API through the real kube-apiserver.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';
import { repoRoot } from '../control-plane/paths.js';
import { useControlPlane } from '../support/control-plane.js';
import { kubeClients } from '../support/kube.js';
import { createNode, deleteNodes } from '../support/nodes.js';
import { startServer, GROUP, type RunningServer } from '../support/server.js';

const run = promisify(execFile);
const NODE = 'client-go-1';
const LABEL = 'e2e-client-go';

let cp: ControlPlaneInfo;
let server: RunningServer;
let clients: ReturnType<typeof kubeClients>;
let binary: string;

before(async () => {
  const build = run('bash', [join(repoRoot, 'test', 'client-go', 'build.sh')], { timeout: 900_000 });
  cp = await useControlPlane();
  clients = kubeClients(cp.kubeconfig);
  await deleteNodes(clients.core, [NODE]);
  await createNode(clients.core, {
    name: NODE,
    providerID: 'simulated:///sim-east-1/sim-east-1a/sim-client-go-1',
    labels: { [LABEL]: 'yes' },
  });
  server = await startServer(cp, { env: { SIMULATED_CLOUD: 'true' } });
  binary = join((await build).stdout.trim().split('\n').pop()!, 'conformance');
});

after(async () => {
  await server?.stop();
  if (clients) await deleteNodes(clients.core, [NODE]);
});

interface Check {
  check: string;
  ok: boolean;
  detail: string;
}

test('client-go: discovery, RESTMapper, dynamic list/get/watch, informers, Create on a subresource, Table', async () => {
  const { stdout } = await run(
    binary,
    ['--kubeconfig', cp.kubeconfig, '--group', GROUP, '--node', NODE, '--selector', `${LABEL}=yes`],
    { timeout: 120_000 },
  );
  const checks = new Map(
    stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Check)
      .map((c) => [c.check, c]),
  );
  const passed = (name: string) => {
    const c = checks.get(name);
    assert.ok(c, `${name} ran`);
    assert.ok(c.ok, `${name}: ${c.detail}`);
    return c.detail;
  };
  passed('discovery');
  passed('restmapper');
  assert.equal(passed('restmapper-kind'), 'RestartBatch');
  assert.match(passed('dynamic-list'), /^1 items, resourceVersion \d+$/);
  assert.equal(passed('dynamic-get'), `Node ${NODE}`);
  passed('dynamic-watch');
  passed('dynamic-informer');
  passed('dynamic-informer-batches');
  // client-go's dynamic Create names the object in metadata.name (it builds the URL from it); the answer is the
  // restart as discovery advertises its kind.
  assert.equal(passed('dynamic-create-restart-dryrun'), 'NodeRestart');
  assert.match(
    passed('table'),
    /^Table \[Name Selector Max-Unavailable Done Failed Total Phase Suspended Age Requested-By Message\]$/,
  );
});
