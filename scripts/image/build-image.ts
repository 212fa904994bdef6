// Builds the Dockerfile's image with docker or podman. The base is the official Node image where it is in the
// tool's store or asked for (`nodeImage`), otherwise one made from Debian's packages (local-base.ts). The
// machine's way to the npm registry (its proxy variables, and the CA of a TLS-intercepting proxy) reaches the
// build as build arguments and a build secret, which leave nothing in the shipped image.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inspectImage, tool, type ContainerTool, type ImageFacts } from './container-tool.js';
import { localBase } from './local-base.js';

const run = promisify(execFile);

export const OFFICIAL_BASE = 'node:24-bookworm-slim';
export const IMAGE = 'localhost/k8s-cloud-node-manager';

const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];

export interface BuildOptions {
  repo: string;
  tool: ContainerTool;
  /** A base to use (pulled by the tool if need be); default: the official one if present, else a local one. */
  nodeImage?: string;
  tag?: string;
  log?: (line: string) => void;
}

export interface BuiltImage extends ImageFacts {
  name: string;
  base: string;
  buildSeconds: number;
}

async function present(name: ContainerTool, image: string): Promise<boolean> {
  return tool(name, ['image', 'inspect', image]).then(
    () => true,
    () => false,
  );
}

/** The CA npm trusts beyond Node's own: NODE_EXTRA_CA_CERTS, else npm's `cafile`; empty when neither is set. */
async function npmCa(repo: string): Promise<string> {
  const file =
    process.env.NODE_EXTRA_CA_CERTS ||
    (await run('npm', ['config', 'get', 'cafile'], { cwd: repo }).then(
      ({ stdout }) => stdout.trim(),
      () => '',
    ));
  return file && file !== 'null' && file !== 'undefined' ? readFile(file, 'utf8') : '';
}

async function gitFacts(repo: string): Promise<{ revision: string; source?: string }> {
  const git = (args: string[]) =>
    run('git', args, { cwd: repo }).then(
      ({ stdout }) => stdout.trim(),
      () => '',
    );
  const revision = (await git(['rev-parse', 'HEAD'])) || 'unknown';
  const dirty = (await git(['status', '--porcelain', '--untracked-files=no'])) !== '';
  const remote = await git(['remote', 'get-url', 'origin']);
  const source = /^https:\/\//.test(remote) ? remote.replace(/\.git$/, '') : undefined;
  return { revision: dirty ? `${revision}-dirty` : revision, ...(source && { source }) };
}

export async function buildImage(opts: BuildOptions): Promise<BuiltImage> {
  const log = opts.log ?? (() => {});
  const name = opts.tag ?? IMAGE;
  const base =
    opts.nodeImage ??
    ((await present(opts.tool, OFFICIAL_BASE)) ? OFFICIAL_BASE : await localBase(opts.tool, opts.repo, log));
  const { version } = JSON.parse(await readFile(join(opts.repo, 'package.json'), 'utf8')) as {
    version: string;
  };
  const git = await gitFacts(opts.repo);
  const secrets = await mkdtemp(join(tmpdir(), 'kcnm-image-'));
  try {
    const ca = join(secrets, 'npm-ca.pem');
    await writeFile(ca, await npmCa(opts.repo), { mode: 0o600 });
    const proxies = PROXY_VARS.filter((v) => process.env[v]).flatMap((v) => [
      '--build-arg',
      `${v}=${process.env[v]}`,
    ]);
    const args = [
      'build',
      // The build reaches the registries as this machine does, through its own network namespace.
      '--network=host',
      '--secret',
      `id=npm-ca,src=${ca}`,
      ...proxies,
      '--build-arg',
      `NODE_IMAGE=${base}`,
      '--build-arg',
      `VERSION=${version}`,
      '--build-arg',
      `REVISION=${git.revision}`,
      ...(git.source ? ['--build-arg', `SOURCE=${git.source}`] : []),
      '--tag',
      name,
      opts.repo,
    ];
    log(`${opts.tool} build from ${base}`);
    const started = Date.now();
    await tool(opts.tool, args, { timeoutMs: 30 * 60_000 });
    const buildSeconds = (Date.now() - started) / 1000;
    return { name, base, buildSeconds, ...(await inspectImage(opts.tool, name)) };
  } finally {
    await rm(secrets, { recursive: true, force: true });
  }
}
