// Kubernetes clients and the real kubectl, pointed at a control plane with a chosen kubeconfig.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import {
  ApiregistrationV1Api,
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  PolicyV1Api,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';

export function kubeClients(kubeconfig: string) {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
    policy: kc.makeApiClient(PolicyV1Api),
    coordination: kc.makeApiClient(CoordinationV1Api),
    apiregistration: kc.makeApiClient(ApiregistrationV1Api),
  };
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the control plane's own kubectl (same release as kube-apiserver); never throws on a non-zero exit. */
export function kubectl(
  cp: ControlPlaneInfo,
  args: string[],
  opts: { kubeconfig?: string; input?: string; timeoutMs?: number } = {},
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      join(cp.binDir, 'kubectl'),
      ['--kubeconfig', opts.kubeconfig ?? cp.kubeconfig, ...args],
      { timeout: opts.timeoutMs ?? 30_000, maxBuffer: 64 << 20, env: { ...process.env, HOME: cp.dir } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}
