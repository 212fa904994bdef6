// The e2e RBAC suite (`npm run e2e`) run as CI runs it: the compiled script against the local control plane with
// our server, through the real kube-apiserver. It passes in dry run and with --really-restart, fails (exit 1) when
// the allowed restart fails, and leaves nothing behind either way.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../control-plane/paths.js';
import { assertStatus, postAction } from '../support/actions.js';
import { GROUP } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';

const NODES = ['rbac-sim-1', 'rbac-sim-2', 'rbac-aws-1', 'rbac-cp-1'];
const e2e = await e2eSuite();
const { cp, clients } = e2e;

before(async () => {
  await e2e.nodes([
    { name: NODES[0]!, providerID: 'simulated:///sim-east-1/sim-east-1a/sim-rbac-1' },
    { name: NODES[1]!, providerID: 'simulated:///sim-east-1/sim-east-1a/sim-rbac-2' },
    // AWS is not enabled on this server: a restart of this node fails.
    { name: NODES[2]!, providerID: 'aws:///us-east-1a/i-0123456789abcdef0' },
    // Listed before rbac-sim-1 and restartable, but refused to anyone without allowControlPlane.
    {
      name: NODES[3]!,
      providerID: 'simulated:///sim-east-1/sim-east-1a/sim-rbac-cp',
      labels: { 'node-role.kubernetes.io/control-plane': '' },
    },
  ]);
  await e2e.server({ env: { SIMULATED_CLOUD: 'true', AWS_CLOUD: 'false' } });
});

function suite(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'dist/scripts/e2e-rbac.js'), '--kubeconfig', cp.kubeconfig, ...args],
      { timeout: 60_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

async function assertNothingLeft(): Promise<void> {
  const [namespaces, roles, bindings] = await Promise.all([
    clients.core.listNamespace(),
    clients.rbac.listClusterRole(),
    clients.rbac.listClusterRoleBinding(),
  ]);
  const left = [...namespaces.items, ...roles.items, ...bindings.items]
    .map((o) => o.metadata?.name ?? '')
    .filter((n) => n.startsWith('kcnm-e2e-rbac-'));
  // A deleted namespace may still be terminating; it must be on its way out.
  for (const name of left) {
    const ns = namespaces.items.find((n) => n.metadata?.name === name);
    assert.ok(ns?.status?.phase === 'Terminating', `left behind: ${name}`);
  }
}

test('dry run of every action: 200 for the allowed node, the exact Forbidden for another, 404 for a name with no node', async () => {
  // No --node: the suite picks a node every action can succeed on (not the control-plane node, not AWS here).
  const res = await suite([]);
  assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
  assert.match(res.stdout, /dry run: nothing is restarted/);
  assert.match(
    res.stdout,
    new RegExp(`^PASS  restart: allowed node ${NODES[0]} → 200\n\\s+200 NodeRestart, phase DryRun$`, 'm'),
  );
  // The VM runs: a start is the cloud's 409, after RBAC let it through.
  assert.match(
    res.stdout,
    new RegExp(
      `^PASS  start: allowed node ${NODES[0]} → 200, or 409 while the VM runs\n\\s+Error from server \\(Conflict\\): .*it is RUNNING`,
      'm',
    ),
  );
  for (const [subresource, kind] of [
    ['reset', 'NodeRestart'],
    ['stop', 'NodePowerAction'],
  ]) {
    assert.match(
      res.stdout,
      new RegExp(`^PASS  ${subresource}: allowed node ${NODES[0]} → 200\n\\s+200 ${kind}`, 'm'),
    );
    assert.match(
      res.stdout,
      new RegExp(
        `^PASS  ${subresource}: other node .* → 403 Forbidden\n.*cannot create resource "nodes/${subresource}"`,
        'm',
      ),
    );
  }
  assert.match(
    res.stdout,
    new RegExp(
      `^PASS  restart: other node (rbac-[\\w-]+) → 403 Forbidden\n\\s+Error from server \\(Forbidden\\): nodes\\.infraops\\.michael\\.io "\\1" is forbidden: ` +
        'User "system:serviceaccount:kcnm-e2e-rbac-[0-9a-f]{6}:restarter" cannot create resource "nodes/restart" in API group "infraops\\.michael\\.io" at the cluster scope$',
      'm',
    ),
  );
  assert.match(
    res.stdout,
    /^PASS {2}restart: allowed name e2e-rbac-missing-[0-9a-f]{6}, no such node → 404 NotFound$/m,
  );
  assert.match(res.stdout, /^12 passed, 0 failed$/m);
  await assertNothingLeft();
});

test('--really-restart: 202 for the allowed node', async () => {
  const res = await suite(['--node', NODES[1]!, '--really-restart']);
  assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
  assert.match(res.stdout, /REALLY RESTARTING/);
  assert.match(
    res.stdout,
    /^PASS {2}restart: allowed node rbac-sim-2 → 202\n\s+202 NodeRestart, phase RebootRequested$/m,
  );
  await assertNothingLeft();
});

test('a failing check exits 1 and still cleans up', async () => {
  const res = await suite(['--node', NODES[2]!]);
  assert.equal(res.code, 1, res.stdout);
  assert.match(res.stdout, /^FAIL {2}restart: allowed node rbac-aws-1 → 200$/m);
  assert.match(res.stdout, /^cleaned up: /m);
  await assertNothingLeft();
});

test('usage: --kubeconfig is required; --really-restart needs --node', async () => {
  const none = await new Promise<number>((resolve) =>
    execFile(process.execPath, [join(repoRoot, 'dist/scripts/e2e-rbac.js')], (err) =>
      resolve(typeof err?.code === 'number' ? err.code : 0),
    ),
  );
  assert.equal(none, 2);
  assert.equal((await suite(['--really-restart'])).code, 2);
});

test('a restart on a node whose cloud is not enabled: 422 naming the node in its details, the field in its cause', async () => {
  const res = await postAction(cp, NODES[2]!, 'restart', { body: {}, query: '?dryRun=All' });
  const status = assertStatus(
    res,
    422,
    'Invalid',
    /^restart of node rbac-aws-1: cloud aws \(AWS EC2\) is not enabled/,
  );
  const { details } = res.json() as { details: { causes?: { field?: string }[] } };
  assert.deepEqual(
    [status.details?.kind, status.details?.name, status.details?.group],
    ['nodes', 'rbac-aws-1', GROUP],
  );
  assert.equal(details.causes?.[0]?.field, 'spec.providerID');
});
