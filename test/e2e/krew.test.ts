// The kubectl plugin's krew release (`npm run krew`, scripts/krew/release.ts) checked by krew itself, built from
// its Go module (test/krew): the manifest validator a krew index runs passes the filled manifest; `kubectl krew
// install` installs the plugin from the archive — checking its sha256, copying `files`, linking `bin` — and kubectl
// then runs `kubectl restart`; an archive that is not the one the manifest's sha256 names is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFile, copyFile, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';
import { repoRoot } from '../control-plane/paths.js';
import { useControlPlane } from '../support/control-plane.js';
import { archiveName, buildKrewRelease, type KrewRelease } from '../../scripts/krew/release.js';

let cp: ControlPlaneInfo;
let dir: string;
let krewBin: string;
let release: KrewRelease;

function run(
  file: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, ...env }, timeout: 300_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

before(async () => {
  cp = await useControlPlane();
  dir = await mkdtemp(join(tmpdir(), 'kcnm-krew-'));
  const built = await run('bash', [join(repoRoot, 'test/krew/build.sh')]);
  assert.equal(built.code, 0, built.stderr);
  krewBin = built.stdout.trim();
  // kubectl finds krew as a plugin: kubectl-krew on PATH.
  await symlink(join(krewBin, 'krew'), join(dir, 'kubectl-krew'));
  release = await buildKrewRelease(repoRoot, join(repoRoot, 'dist'), join(dir, 'release'));
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** `kubectl krew install` of the manifest from `archive`, into a krew root of its own. */
async function install(archive: string, root: string) {
  const path = [dir, cp.binDir, dirname(process.execPath), process.env.PATH].join(':');
  const res = await run(
    join(cp.binDir, 'kubectl'),
    ['krew', 'install', `--manifest=${release.manifest}`, `--archive=${archive}`],
    { KREW_ROOT: root, PATH: path },
  );
  return { ...res, path };
}

test("krew's manifest validator passes the filled manifest: structure, sha256, platforms", async () => {
  const res = await run(join(krewBin, 'validate-krew-manifest'), [
    '-manifest',
    release.manifest,
    '-skip-install',
  ]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stderr, /structural validation OK/);
  assert.match(res.stderr, /all spec\.platform\[\] items are used/);
  assert.match(release.archive, new RegExp(`/${archiveName('v\\d+\\.\\d+\\.\\d+')}$`));
  assert.deepEqual(release.files, [
    'kubectl-restart/',
    'kubectl-restart/kubectl-restart',
    'kubectl-restart/kubectl_complete-restart',
    'kubectl-restart/LICENSE',
  ]);
});

test('kubectl krew installs the plugin from the archive, and kubectl runs kubectl restart', async () => {
  const root = join(dir, 'root');
  const installed = await install(release.archive, root);
  assert.equal(installed.code, 0, installed.stderr);
  assert.deepEqual(await readdir(join(root, 'bin')), ['kubectl-restart']);
  const [version] = await readdir(join(root, 'store/restart'));
  assert.deepEqual((await readdir(join(root, 'store/restart', version!))).sort(), [
    'LICENSE',
    'kubectl-restart',
    'kubectl_complete-restart',
  ]);
  const help = await run(join(cp.binDir, 'kubectl'), ['restart', '--help'], {
    PATH: `${join(root, 'bin')}:${installed.path}`,
    KUBECONFIG: cp.kubeconfig,
  });
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Restart the cloud VM behind one or more nodes/);
});

test("an archive other than the one the manifest's sha256 names is refused", async () => {
  const other = join(dir, 'other.tar.gz');
  await copyFile(release.archive, other);
  await appendFile(other, Buffer.alloc(1));
  const refused = await install(other, join(dir, 'root-other'));
  assert.notEqual(refused.code, 0);
  assert.match(
    refused.stderr,
    new RegExp(`checksum does not match, want: ${release.sha256}, got [0-9a-f]{64}`),
  );
});
