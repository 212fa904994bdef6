// The shape "Adding a cloud" (docs/architecture.md) promises: a cloud is a folder that exports its plugin from
// index.ts and is registered in registry/clouds.ts; the contract, pacing and the shared helpers name no cloud, and a
// cloud's folder reaches neither the registry nor another cloud.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { CLOUD_NAMES, CLOUD_PLUGINS } from '../../../src/cloud/registry/clouds.js';
import { repoRoot } from '../../control-plane/paths.js';

const CLOUD_DIR = join(repoRoot, 'src/cloud');
/** The folders of src/cloud that are not a cloud. */
const SHARED_FOLDERS = ['contract', 'pacing', 'registry'];

/** Every relative module a source file imports, statically or with import(), as a path under src/cloud. */
async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((spec) => relative(CLOUD_DIR, resolve(dirname(file), spec)));
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

async function cloudFolders(): Promise<string[]> {
  const entries = await readdir(CLOUD_DIR, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && !SHARED_FOLDERS.includes(e.name)).map((e) => e.name);
}

test('every cloud folder exports a registered plugin from index.ts, and every plugin has its folder', async () => {
  const folders = await cloudFolders();
  assert.deepEqual(folders.sort(), [...CLOUD_NAMES].sort());
  for (const folder of folders) {
    const module = (await import(`../../../src/cloud/${folder}/index.js`)) as object;
    const exported = Object.values(module);
    assert.equal(exported.length, 1, `${folder}/index.ts exports its plugin alone`);
    assert.ok(
      CLOUD_PLUGINS.some((plugin) => plugin === exported[0] && plugin.definition.name === folder),
      `${folder}'s plugin is in CLOUD_PLUGINS under its folder's name`,
    );
  }
});

test('the contract, pacing and the shared helpers import no cloud and not the registry', async () => {
  const clouds = await cloudFolders();
  const shared = [
    ...(await sourceFiles(join(CLOUD_DIR, 'contract'))),
    ...(await sourceFiles(join(CLOUD_DIR, 'pacing'))),
    ...(await readdir(CLOUD_DIR))
      .filter((name) => name.endsWith('.ts') && name !== 'cloud.module.ts')
      .map((name) => join(CLOUD_DIR, name)),
  ];
  assert.ok(shared.length > 10, `read ${shared.length} files`);
  for (const file of shared) {
    for (const target of await importsOf(file)) {
      const top = target.split('/')[0]!;
      assert.ok(
        !clouds.includes(top) && top !== 'registry',
        `${relative(CLOUD_DIR, file)} imports ${target}`,
      );
    }
  }
});

test("a cloud's folder imports neither the registry nor another cloud", async () => {
  const clouds = await cloudFolders();
  for (const cloud of clouds) {
    for (const file of await sourceFiles(join(CLOUD_DIR, cloud))) {
      for (const target of await importsOf(file)) {
        const top = target.split('/')[0]!;
        const allowed = top === cloud || !(clouds.includes(top) || top === 'registry');
        assert.ok(allowed, `${relative(CLOUD_DIR, file)} imports ${target}`);
      }
    }
  }
});
