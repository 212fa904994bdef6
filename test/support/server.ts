// Runs our server as users will: the compiled `dist/src/main.js` (or the production bundle) in its own process,
// with its own ServiceAccount and the RBAC we ship (kustomize/base/registration), a real serving certificate for
// <service>.<namespace>.svc, and registered with kube-apiserver's aggregator through an APIService.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';
import { freePort, waitFor } from '../control-plane/processes.js';
import { repoRoot } from '../control-plane/paths.js';
import { httpsGet } from '../control-plane/https-get.js';
import { writeKubeconfig } from '../control-plane/kubeconfig.js';
import {
  createCertificateAuthority,
  issueCertificate,
  type CertificateAuthority,
} from '../../src/tls/pki.js';
import { kubeClients, kubectl } from './kube.js';
import { registerLoopbackAPIService } from './aggregation.js';

export const GROUP = 'infraops.michael.io';

/** Path of a node's restart subresource in our group, with an optional query (`?dryRun=All`). */
export const restartPath = (name: string, query = '') => `/apis/${GROUP}/v1/nodes/${name}/restart${query}`;
export const NAMESPACE = 'k8s-cloud-node-manager';
export const SERVICE = 'k8s-cloud-node-manager';

/** The entry points a test can start, relative to the repository: tsc's output and `npm run build:bundle`'s. */
export const ENTRY = { compiled: 'dist/src/main.js', bundle: 'dist/bundle/main.mjs' } as const;

/** Longer than the server's log flush period. */
const LOG_FLUSH_WAIT_MS = 1500;

export interface ServerOptions {
  env?: Record<string, string>;
  args?: string[];
  /** Register the APIService (default) or only start the process. */
  register?: boolean;
  /** The file node runs, absolute or relative to the repository (default: ENTRY.compiled). */
  entry?: string;
  /** Write the server's output to this file instead of keeping it in memory (for long runs). */
  logFile?: string;
  /** A cgroup's `cgroup.procs`: the server is started inside that cgroup, so its limits apply from the start. */
  cgroupProcs?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  /** The server process, for callers that check it is gone after stop(). */
  pid: number;
  dir: string;
  servingCa: CertificateAuthority;
  certFile: string;
  keyFile: string;
  /** The ServiceAccount kubeconfig the server runs with. */
  kubeconfig: string;
  /** Milliseconds from spawning the process to its first successful /readyz. */
  readyMs: number;
  logs: () => string;
  /**
   * The output once every line logged so far is written: the server writes its log in batches, at least every
   * second (src/logging/log-destination.ts).
   */
  flushedLogs: () => Promise<string>;
  /** Sends SIGTERM and waits for the process to exit (SIGKILL after 10 s). */
  stop: () => Promise<void>;
  /** How the process exited: its code, or the signal that ended it; undefined while it runs. */
  exitStatus: () => { code: number | null; signal: string | null } | undefined;
}

/** Applies the RBAC and ServiceAccount we ship, leaving out the Service and APIService (tests register their own). */
export async function applyShippedRbac(cp: ControlPlaneInfo): Promise<void> {
  const rendered = await kubectl(cp, ['kustomize', join(repoRoot, 'kustomize/base/registration')]);
  if (rendered.code !== 0) throw new Error(`kubectl kustomize failed: ${rendered.stderr}`);
  const docs = parseAllDocuments(rendered.stdout)
    .map((d) => d.toJS() as { kind: string })
    .filter((d) => d && !['Service', 'APIService'].includes(d.kind));
  const applied = await kubectl(cp, ['apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }),
  });
  if (applied.code !== 0) throw new Error(`kubectl apply failed: ${applied.stderr}`);
}

/** A token of the ServiceAccount we ship, such as the kubelet projects into the pod. */
export async function serviceAccountToken(cp: ControlPlaneInfo): Promise<string> {
  const token = await kubectl(cp, ['create', 'token', SERVICE, '-n', NAMESPACE, '--duration=2h']);
  if (token.code !== 0) throw new Error(`kubectl create token failed: ${token.stderr}`);
  return token.stdout.trim();
}

async function serviceAccountKubeconfig(cp: ControlPlaneInfo, dir: string): Promise<string> {
  const path = join(dir, 'server.kubeconfig');
  await writeKubeconfig(path, {
    server: cp.apiserverUrl,
    caFile: cp.pki.clusterCaCert,
    user: SERVICE,
    token: await serviceAccountToken(cp),
  });
  return path;
}

/** A new CA and the serving certificate it issues for the Service's name (how the aggregator dials us) and loopback. */
export async function servingCertificate(): Promise<{
  ca: CertificateAuthority;
  certPem: string;
  keyPem: string;
}> {
  const ca = await createCertificateAuthority('k8s-cloud-node-manager-ca');
  const serving = await issueCertificate(
    {
      commonName: SERVICE,
      usage: 'server',
      hosts: [`${SERVICE}.${NAMESPACE}.svc`, 'localhost', '127.0.0.1'],
    },
    ca,
  );
  return { ca, certPem: serving.certPem, keyPem: serving.keyPem };
}

/**
 * Waits for the server's /readyz (`exited` says why to stop waiting), then registers it as the APIService unless
 * `register` is false; returns when it was first ready (performance.now()).
 */
export async function awaitReadyAndRegister(
  cp: ControlPlaneInfo,
  server: {
    url: string;
    port: number;
    servingCa: CertificateAuthority;
    register?: boolean;
    exited: () => string | undefined;
  },
): Promise<number> {
  await waitFor(
    'our server /readyz',
    async () => {
      const exited = server.exited();
      if (exited !== undefined) throw new Error(exited);
      return (await httpsGet(`${server.url}/readyz`, { ca: server.servingCa.certPem })).status === 200
        ? true
        : undefined;
    },
    30_000,
    20,
  );
  const readyAt = performance.now();
  if (server.register !== false)
    await registerLoopbackAPIService(kubeClients(cp.kubeconfig), {
      group: GROUP,
      version: 'v1',
      port: server.port,
      caBundlePem: server.servingCa.certPem,
      namespace: NAMESPACE,
      serviceName: SERVICE,
    });
  return readyAt;
}

export async function startServer(cp: ControlPlaneInfo, opts: ServerOptions = {}): Promise<RunningServer> {
  const dir = await mkdtemp(join(tmpdir(), 'kcnm-server-'));
  await applyShippedRbac(cp);
  const kubeconfig = await serviceAccountKubeconfig(cp, dir);
  const { ca: servingCa, ...serving } = await servingCertificate();
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  await writeFile(certFile, serving.certPem);
  await writeFile(keyFile, serving.keyPem, { mode: 0o600 });
  const port = await freePort();
  const args = [
    resolve(repoRoot, opts.entry ?? ENTRY.compiled),
    `--secure-port=${port}`,
    '--bind-address=127.0.0.1',
    `--tls-cert-file=${certFile}`,
    `--tls-private-key-file=${keyFile}`,
    `--kubeconfig=${kubeconfig}`,
    ...(opts.args ?? []),
  ];
  let output = '';
  const logFd = opts.logFile === undefined ? undefined : openSync(opts.logFile, 'a');
  const spawnedAt = performance.now();
  // `sh` joins the cgroup and execs node (same pid), so Node sizes its heap under the cgroup's limit.
  const [command, commandArgs] = opts.cgroupProcs
    ? ['/bin/sh', ['-c', 'echo $$ > "$0" && exec "$@"', opts.cgroupProcs, process.execPath, ...args]]
    : [process.execPath, args];
  const child: ChildProcess = spawn(command, commandArgs, {
    env: { PATH: process.env.PATH, HOME: dir, LOG_LEVEL: 'warn', ...opts.env },
    stdio: ['ignore', logFd ?? 'pipe', logFd ?? 'pipe'],
  });
  if (logFd !== undefined) closeSync(logFd);
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const logs = () => (opts.logFile === undefined ? output : readFileSync(opts.logFile, 'utf8'));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `https://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  };
  let readyMs = 0;
  try {
    const readyAt = await awaitReadyAndRegister(cp, {
      url,
      port,
      servingCa,
      register: opts.register,
      exited: () =>
        child.exitCode === null && child.signalCode === null
          ? undefined
          : `server exited with ${child.exitCode ?? child.signalCode}`,
    });
    readyMs = readyAt - spawnedAt;
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- server output ---\n${logs().slice(-4000)}`);
  }
  const flushedLogs = async () => {
    await new Promise((r) => setTimeout(r, LOG_FLUSH_WAIT_MS));
    return logs();
  };
  return {
    url,
    port,
    dir,
    servingCa,
    certFile,
    keyFile,
    kubeconfig,
    pid: child.pid!,
    readyMs,
    logs,
    flushedLogs,
    stop,
    exitStatus: () =>
      child.exitCode === null && child.signalCode === null
        ? undefined
        : { code: child.exitCode, signal: child.signalCode },
  };
}
