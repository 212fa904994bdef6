// What a running sandbox writes to <dir>/sandbox.json for scripts and tests, and the commands it prints.
import { shellQuote } from '../test/support/kubectl-plugin.js';

export interface SandboxInfo {
  /** The sandbox process; SIGINT or SIGTERM stops it and all it started. */
  pid: number;
  dir: string;
  apiserverUrl: string;
  /** The kubectl built with the control plane (same release as kube-apiserver). */
  kubectl: string;
  /** Holds the kubectl-restart plugin; put it on PATH. */
  pluginDir: string;
  kubeconfigs: { admin: string; restricted: string };
  restrictedUser: string;
  /** Our server, reached directly (bypassing kube-apiserver). */
  server: { url: string; pid: number; servingCa: string };
  /** What kube-apiserver presents to our server, and the CA our server checks it against. */
  frontProxy: { clientCert: string; clientKey: string; ca: string };
  clusterCa: string;
  emulators: { ec2: { url: string }; tencent: { url: string } };
  nodes: { name: string; cloud: string; providerID: string }[];
  /** Every process the sandbox started besides itself. */
  pids: number[];
  /** The commands it printed, in order: the PATH/KUBECONFIG export, get, restart --wait, restart as the restricted user. */
  commands: string[];
}

export function sandboxCommands(info: SandboxInfo, node: string): string[] {
  const kubectl = shellQuote(info.kubectl);
  return [
    `export PATH=${shellQuote(info.pluginDir)}:"$PATH" KUBECONFIG=${shellQuote(info.kubeconfigs.admin)}`,
    `${kubectl} get nodes.infraops.michael.io`,
    `${kubectl} restart ${node} --wait`,
    `${kubectl} restart ${node} --kubeconfig ${shellQuote(info.kubeconfigs.restricted)}`,
  ];
}
