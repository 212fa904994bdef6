// k8s.io/sample-apiserver, the Go reference for an aggregated API server, run against the control plane:
// its objects in the control plane's etcd under their own prefix, the same delegated authentication and
// authorization as ours (requestheader CA and client CA read from kube-system/extension-apiserver-authentication,
// TokenReviews and SubjectAccessReviews sent to kube-apiserver), and registered through an APIService.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';
import { freePort, startProcess, stopPids, waitFor } from '../control-plane/processes.js';
import { httpsGet } from '../control-plane/https-get.js';
import { issueCertificate, type CertificateAuthority } from '../../src/tls/pki.js';
import { registerLoopbackAPIService } from '../support/aggregation.js';
import { kubeClients } from '../support/kube.js';

export const WARDLE_GROUP = 'wardle.example.com';
export const WARDLE_VERSION = 'v1alpha1';

export interface SampleApiserver {
  url: string;
  pid: number;
  /** Milliseconds from spawning the process to its first successful /readyz. */
  readyMs: number;
  /** The user it authenticates to kube-apiserver as (for counting its reviews in the audit log). */
  user: string;
  stop: () => Promise<void>;
}

export async function startSampleApiserver(
  cp: ControlPlaneInfo,
  binDir: string,
  dir: string,
  servingCa: CertificateAuthority,
): Promise<SampleApiserver> {
  const serving = await issueCertificate(
    { commonName: 'api', usage: 'server', hosts: ['api.wardle.svc', 'localhost', '127.0.0.1'] },
    servingCa,
  );
  const certFile = join(dir, 'sample-apiserver.crt');
  const keyFile = join(dir, 'sample-apiserver.key');
  await writeFile(certFile, serving.certPem);
  await writeFile(keyFile, serving.keyPem, { mode: 0o600 });
  const port = await freePort();
  const started = performance.now();
  const proc = startProcess(
    join(binDir, 'sample-apiserver'),
    [
      `--secure-port=${port}`,
      '--bind-address=127.0.0.1',
      `--tls-cert-file=${certFile}`,
      `--tls-private-key-file=${keyFile}`,
      `--etcd-servers=${cp.etcdUrl}`,
      '--etcd-prefix=/registry/bench-wardle.example.com',
      // The admin kubeconfig; its reviews are told apart from ours by user in the audit log.
      `--kubeconfig=${cp.kubeconfig}`,
      `--authentication-kubeconfig=${cp.kubeconfig}`,
      `--authorization-kubeconfig=${cp.kubeconfig}`,
    ],
    join(dir, 'sample-apiserver.log'),
  );
  const url = `https://127.0.0.1:${port}`;
  let readyMs = 0;
  const stop = () => stopPids([proc.pid]);
  try {
    await waitFor(
      'sample-apiserver /readyz',
      async () => {
        if (proc.child.exitCode !== null)
          throw new Error(`sample-apiserver exited with ${proc.child.exitCode}`);
        return (await httpsGet(`${url}/readyz`, { ca: servingCa.certPem })).status === 200 ? true : undefined;
      },
      60_000,
      20,
    );
    readyMs = performance.now() - started;
    await registerLoopbackAPIService(kubeClients(cp.kubeconfig), {
      group: WARDLE_GROUP,
      version: WARDLE_VERSION,
      port,
      caBundlePem: servingCa.certPem,
      namespace: 'wardle',
      serviceName: 'api',
    });
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message} (log: ${proc.logFile})`);
  }
  return { url, pid: proc.pid, readyMs, user: 'kubernetes-admin', stop };
}
