// Users of the control plane: client certificates signed by the cluster CA, written as kubeconfigs,
// and RBAC bindings for them.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';
import { writeKubeconfig } from '../control-plane/kubeconfig.js';
import { issueCertificate, loadCertificateAuthority } from '../../src/tls/pki.js';
import { writeFile } from 'node:fs/promises';
import type { kubeClients } from './kube.js';

export async function userKubeconfig(
  cp: ControlPlaneInfo,
  name: string,
  groups: string[] = [],
): Promise<string> {
  const ca = await loadCertificateAuthority(
    await readFile(cp.pki.clusterCaCert, 'utf8'),
    await readFile(cp.pki.clusterCaKey, 'utf8'),
  );
  const pair = await issueCertificate({ commonName: name, organizations: groups, usage: 'client' }, ca);
  const base = join(cp.dir, `user-${name.replace(/[^a-z0-9-]/gi, '_')}`);
  await writeFile(`${base}.crt`, pair.certPem);
  await writeFile(`${base}.key`, pair.keyPem, { mode: 0o600 });
  const kubeconfig = `${base}.kubeconfig`;
  await writeKubeconfig(kubeconfig, {
    server: cp.apiserverUrl,
    caFile: cp.pki.clusterCaCert,
    user: name,
    certFile: `${base}.crt`,
    keyFile: `${base}.key`,
  });
  return kubeconfig;
}

/** A ClusterRole with the given rules, bound to a user; returns a function that removes both. */
export async function grant(
  clients: ReturnType<typeof kubeClients>,
  user: string,
  name: string,
  rules: { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }[],
): Promise<() => Promise<void>> {
  await clients.rbac.createClusterRole({ body: { metadata: { name }, rules } });
  await clients.rbac.createClusterRoleBinding({
    body: {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    },
  });
  return async () => {
    await clients.rbac.deleteClusterRoleBinding({ name }).catch(() => undefined);
    await clients.rbac.deleteClusterRole({ name }).catch(() => undefined);
  };
}
