import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deploymentMemoryLimit, ownMemoryCgroupDir, quantityBytes } from '../../bench/memory-cgroup.js';
import { repoRoot } from '../../control-plane/paths.js';

test('memory quantities in bytes; others refused', () => {
  assert.equal(quantityBytes('256Mi'), 256 * 2 ** 20);
  assert.equal(quantityBytes('1G'), 1e9);
  assert.equal(quantityBytes('512000'), 512000);
  assert.throws(() => quantityBytes('256MB'), /unsupported/);
});

test('the shipped Deployment has a memory limit on its server container', async () => {
  const manifest = await readFile(join(repoRoot, 'kustomize/base/deployment.yaml'), 'utf8');
  const limit = deploymentMemoryLimit(manifest, 'server');
  assert.ok(limit && quantityBytes(limit) > 0, `limit ${limit}`);
  assert.equal(deploymentMemoryLimit(manifest, 'no-such-container'), undefined);
});

test("a process's memory cgroup, v1 or v2", () => {
  assert.deepEqual(ownMemoryCgroupDir('5:devices:/\n4:memory:/a/b\n0::/\n'), {
    dir: '/sys/fs/cgroup/memory/a/b',
    version: 1,
  });
  assert.deepEqual(ownMemoryCgroupDir('0::/user.slice/x.scope\n'), {
    dir: '/sys/fs/cgroup/user.slice/x.scope',
    version: 2,
  });
  assert.equal(ownMemoryCgroupDir('1:cpu:/\n'), undefined);
});
