// A real Kubernetes control plane for tests and the sandbox: etcd and kube-apiserver on 127.0.0.1,
// configured like a kubeadm cluster for API aggregation (front-proxy CA, proxy client certificate,
// requestheader flags, RBAC), with an admin kubeconfig. Binaries come from build.sh.
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { humanDuration } from '../../src/common/human-duration.js';
import { createControlPlanePki, type ControlPlanePki } from './pki-files.js';
import { freePort, startProcess, stopPids, waitFor } from './processes.js';
import { httpsGet } from './https-get.js';
import { writeKubeconfig } from './kubeconfig.js';
import { controlPlaneSourceDir } from './paths.js';

/** Everything a test, a script or another process needs to use a running control plane. */
export interface ControlPlaneInfo {
  dir: string;
  binDir: string;
  apiserverUrl: string;
  etcdUrl: string;
  /** Admin kubeconfig (client certificate in group system:masters). */
  kubeconfig: string;
  auditLog: string;
  pki: ControlPlanePki;
  pids: number[];
}

export interface StartOptions {
  /** Directory for data, PKI and logs; a fresh temp dir by default (removed on stop). */
  dir?: string;
  /** Leave the processes running after this process exits (for the CLI's start/stop). */
  detached?: boolean;
  log?: (line: string) => void;
}

/**
 * Builds (or finds cached) kube-apiserver, kubectl and etcd; returns their directory. build.sh's progress lines are
 * logged as they come, and while the slow first build runs a line says how long it has been going.
 */
export async function buildControlPlane(
  log: (line: string) => void = () => {},
  heartbeatMs = 30_000,
): Promise<string> {
  const started = Date.now();
  const child = spawn('bash', [join(controlPlaneSourceDir, 'build.sh')], {
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let heartbeat: NodeJS.Timeout | undefined;
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderr += `${line}\n`;
    log(line);
    if (line.startsWith('building') && heartbeat === undefined) {
      heartbeat = setInterval(
        () => log(`still building the control plane (${humanDuration(Date.now() - started)} so far)...`),
        heartbeatMs,
      );
    }
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  }).finally(() => clearInterval(heartbeat));
  if (code !== 0) throw new Error(`build.sh failed with exit code ${code}:\n${stderr.slice(-4000)}`);
  log(`control plane binaries ready after ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return stdout.trim().split('\n').pop()!;
}

const AUDIT_POLICY = {
  apiVersion: 'audit.k8s.io/v1',
  kind: 'Policy',
  omitStages: ['RequestReceived'],
  rules: [
    // Lets tests count the reviews our server sends (e.g. that its authorization cache works). A
    // SubjectAccessReview is logged with its spec (user, verb, resource: nothing secret) so a test can count
    // the reviews about one user; a TokenReview only as metadata, since its spec is the token.
    { level: 'Request', resources: [{ group: 'authorization.k8s.io' }] },
    { level: 'Metadata', resources: [{ group: 'authentication.k8s.io' }] },
    // Lets tests see how the Node cache lists (a page's limit and continue, or sendInitialEvents, in the URI).
    { level: 'Metadata', resources: [{ group: '', resources: ['nodes'] }], verbs: ['list', 'watch'] },
    { level: 'None' },
  ],
};

export async function startControlPlane(opts: StartOptions = {}): Promise<ControlPlaneInfo> {
  const log = opts.log ?? (() => {});
  const binDir = await buildControlPlane(log);
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'kcnm-control-plane-')));
  await mkdir(join(dir, 'pki'), { recursive: true });
  const pki = await createControlPlanePki(join(dir, 'pki'));
  const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const pids: number[] = [];
  try {
    const etcd = startProcess(
      join(binDir, 'etcd'),
      [
        '--name=default',
        `--data-dir=${join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=default=${peerUrl}`,
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      join(dir, 'etcd.log'),
      opts.detached,
    );
    pids.push(etcd.pid);
    await waitFor('etcd', async () => ((await fetch(`${etcdUrl}/health`)).ok ? true : undefined), 30_000);

    const auditPolicy = join(dir, 'audit-policy.json');
    await writeFile(auditPolicy, JSON.stringify(AUDIT_POLICY));
    const auditLog = join(dir, 'audit.log');
    const apiserver = startProcess(
      join(binDir, 'kube-apiserver'),
      [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${apiPort}`,
        `--tls-cert-file=${pki.apiserverCert}`,
        `--tls-private-key-file=${pki.apiserverKey}`,
        `--client-ca-file=${pki.clusterCaCert}`,
        `--requestheader-client-ca-file=${pki.frontProxyCaCert}`,
        '--requestheader-allowed-names=front-proxy-client',
        '--requestheader-username-headers=X-Remote-User',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
        `--proxy-client-cert-file=${pki.frontProxyClientCert}`,
        `--proxy-client-key-file=${pki.frontProxyClientKey}`,
        '--authorization-mode=Node,RBAC',
        `--service-account-key-file=${pki.serviceAccountPub}`,
        `--service-account-signing-key-file=${pki.serviceAccountKey}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        '--service-cluster-ip-range=10.96.0.0/12',
        `--audit-policy-file=${auditPolicy}`,
        `--audit-log-path=${auditLog}`,
        '--profiling=false',
      ],
      join(dir, 'kube-apiserver.log'),
      opts.detached,
    );
    pids.push(apiserver.pid);
    const apiserverUrl = `https://127.0.0.1:${apiPort}`;
    const kubeconfig = join(dir, 'admin.kubeconfig');
    await writeKubeconfig(kubeconfig, {
      server: apiserverUrl,
      caFile: pki.clusterCaCert,
      user: 'kubernetes-admin',
      certFile: pki.adminCert,
      keyFile: pki.adminKey,
    });
    const info: ControlPlaneInfo = { dir, binDir, apiserverUrl, etcdUrl, kubeconfig, auditLog, pki, pids };
    await waitUntilReady(info, apiserver.logFile);
    log(`control plane ready at ${apiserverUrl} (kubeconfig ${kubeconfig})`);
    return info;
  } catch (err) {
    await stopPids(pids);
    throw err;
  }
}

async function waitUntilReady(info: ControlPlaneInfo, apiserverLog: string): Promise<void> {
  const ca = await readFile(info.pki.clusterCaCert);
  const get = (path: string) =>
    httpsGet(`${info.apiserverUrl}${path}`, { ca, certFile: info.pki.adminCert, keyFile: info.pki.adminKey });
  try {
    await waitFor(
      'kube-apiserver /readyz',
      async () => ((await get('/readyz')).status === 200 ? true : undefined),
      90_000,
    );
    // Written by kube-apiserver's own controller shortly after start, as on any real cluster.
    await waitFor('the extension-apiserver-authentication ConfigMap', async () => {
      const res = await get('/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication');
      return res.status === 200 && res.body.includes('requestheader-client-ca-file') ? true : undefined;
    });
    await waitFor('the default namespace', async () =>
      (await get('/api/v1/namespaces/default')).status === 200 ? true : undefined,
    );
  } catch (err) {
    const tail = (await readFile(apiserverLog, 'utf8').catch(() => '')).split('\n').slice(-30).join('\n');
    throw new Error(`${(err as Error).message}\n--- kube-apiserver log (tail) ---\n${tail}`);
  }
}

/** Stops the processes this control plane started (by PID) and removes its directory. */
export async function stopControlPlane(info: ControlPlaneInfo, keepDir = false): Promise<void> {
  await stopPids([...info.pids].reverse());
  if (!keepDir) await rm(info.dir, { recursive: true, force: true });
}

export async function saveControlPlaneInfo(info: ControlPlaneInfo, file: string): Promise<void> {
  await writeFile(file, JSON.stringify(info, null, 2));
}

export async function loadControlPlaneInfo(file: string): Promise<ControlPlaneInfo> {
  return JSON.parse(await readFile(file, 'utf8')) as ControlPlaneInfo;
}
