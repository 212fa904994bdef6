// The production bundle (`npm run build:bundle`, dist/bundle) run as the server, copied away from the repository
// so that nothing can be resolved from node_modules: ready, discovered through kube-apiserver, and restarting
// (dry run) through each cloud SDK's chunk; without a cloud it starts with those chunks deleted.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cp as copy, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { httpsGet } from '../control-plane/https-get.js';
import { repoRoot } from '../control-plane/paths.js';
import { lockKeyOf } from '../../scripts/supply-chain/bundle-packages.js';
import { postAction } from '../support/actions.js';
import type { CloudEmulators } from '../support/clouds.js';
import { viaApiserver } from '../support/direct.js';
import { ENTRY, GROUP, startServer, type RunningServer } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';

const I = { aws: 'i-0b1a2c3d4e5f60001', tencent: 'ins-b1ndl3aa' };
const NODES: Record<string, string> = {
  'bundle-aws': `aws:///us-east-1a/${I.aws}`,
  'bundle-tencent': `qcloud:///100003/${I.tencent}`,
};
// The chunks esbuild names after the modules the cloud providers' dynamic imports load.
const CLOUD_CHUNK = /^(aws|tencent)-provider-.*\.mjs$/;

const suite = await e2eSuite();
const { cp } = suite;
let clouds: CloudEmulators;
let server: RunningServer;
let dir: string;

/** A copy of dist/bundle in a directory of its own, less the chunks `drop` matches; returns its entry. */
async function bundleCopy(name: string, drop?: RegExp): Promise<string> {
  const to = join(dir, name);
  await copy(join(repoRoot, 'dist/bundle'), to, {
    recursive: true,
    filter: (file) => !drop?.test(basename(file)),
  });
  return join(to, basename(ENTRY.bundle));
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kcnm-bundle-'));
  suite.defer(() => rm(dir, { recursive: true, force: true }));
  clouds = await suite.clouds({
    ec2: [{ instanceId: I.aws, region: 'us-east-1', availabilityZone: 'us-east-1a' }],
    cvm: [{ instanceId: I.tencent, region: 'ap-guangzhou', zone: 'ap-guangzhou-3' }],
  });
  await suite.nodes(Object.entries(NODES).map(([name, providerID]) => ({ name, providerID })));
  server = await suite.server({ entry: await bundleCopy('full'), env: clouds.serverEnv });
});

test('the bundle is one entry file and its chunks, each cloud SDK in a chunk of its own', async () => {
  const chunks = await readdir(join(repoRoot, 'dist/bundle/chunks'));
  assert.deepEqual(
    chunks
      .filter((c) => CLOUD_CHUNK.test(c))
      .map((c) => c.split('-')[0])
      .sort(),
    ['aws', 'tencent'],
  );
});

test("no dev dependency ships in the bundle (debug's optional supports-color is left out)", async () => {
  const meta = JSON.parse(await readFile(join(repoRoot, 'dist/bundle-meta.json'), 'utf8')) as {
    inputs: Record<string, unknown>;
  };
  const lock = JSON.parse(await readFile(join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const dev = [
    ...new Set(
      Object.keys(meta.inputs)
        .map(lockKeyOf)
        .filter((key) => key !== undefined && lock.packages[key]?.dev === true),
    ),
  ];
  assert.deepEqual(dev, []);
});

test('/readyz answers ok', async () => {
  const res = await httpsGet(`${server.url}/readyz`, { ca: server.servingCa.certPem });
  assert.equal(res.status, 200, res.body);
  assert.equal(res.body, 'ok');
});

test('discovery through kube-apiserver lists nodes and their subresources', async () => {
  const res = await viaApiserver(cp, { method: 'GET', path: `/apis/${GROUP}/v1` });
  assert.equal(res.status, 200, res.body);
  const names = (res.json() as { resources: { name: string }[] }).resources.map((r) => r.name);
  for (const name of ['nodes', 'nodes/restart', 'nodes/reset', 'nodes/stop', 'nodes/start'])
    assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
});

test('a restart dry run reaches EC2 (its DryRun preflight) and Tencent through the bundled SDKs', async () => {
  const preflights = () => clouds.ec2.callsTo('RebootInstances').filter((c) => c.params['DryRun'] === 'true');
  const before = preflights().length;
  for (const node of Object.keys(NODES)) {
    const res = await postAction(cp, node, 'restart', { query: '?dryRun=All' });
    assert.equal(res.status, 200, res.body);
    const { status } = res.json() as { status: { phase: string; dryRun: boolean } };
    assert.deepEqual([status.phase, status.dryRun], ['DryRun', true]);
  }
  const calls = preflights().slice(before);
  assert.deepEqual(
    calls.map((c) => [c.params['InstanceId'], c.errorCode, c.signatureValid]),
    [[[I.aws], 'DryRunOperation', true]],
  );
});

test('without a cloud the bundle starts with the cloud SDK chunks deleted: they are never loaded', async () => {
  const bare = await startServer(cp, { entry: await bundleCopy('no-clouds', CLOUD_CHUNK), register: false });
  try {
    const res = await httpsGet(`${bare.url}/readyz`, { ca: bare.servingCa.certPem });
    assert.equal(res.status, 200, res.body);
  } finally {
    await bare.stop();
  }
});
