// Registers a server running on 127.0.0.1 with kube-apiserver's aggregator. The aggregator refuses
// loopback Endpoints, so the APIService points at an ExternalName Service whose name is `localhost`;
// kube-apiserver then dials localhost:<port> and verifies the serving certificate for
// <service>.<namespace>.svc against the APIService's caBundle, exactly as in a cluster.
import type { V1APIService } from '@kubernetes/client-node';
import { waitFor } from '../control-plane/processes.js';
import type { kubeClients } from './kube.js';

type Clients = ReturnType<typeof kubeClients>;

export interface LoopbackAPIService {
  group: string;
  version: string;
  port: number;
  caBundlePem: string;
  namespace?: string;
  serviceName?: string;
}

export const serviceHost = (s: Required<Pick<LoopbackAPIService, 'namespace' | 'serviceName'>>) =>
  `${s.serviceName}.${s.namespace}.svc`;

export async function ensureNamespace(clients: Clients, name: string): Promise<void> {
  await clients.core.createNamespace({ body: { metadata: { name } } }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
}

async function apply<T>(create: () => Promise<T>, replace: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw err;
    return replace();
  }
}

export async function registerLoopbackAPIService(
  clients: Clients,
  spec: LoopbackAPIService,
): Promise<V1APIService> {
  const namespace = spec.namespace ?? 'kcnm-system';
  const serviceName = spec.serviceName ?? 'k8s-cloud-node-manager';
  const name = `${spec.version}.${spec.group}`;
  await ensureNamespace(clients, namespace);
  const service = {
    metadata: { name: serviceName, namespace },
    spec: { type: 'ExternalName', externalName: 'localhost', ports: [{ name: 'https', port: spec.port }] },
  };
  await apply(
    () => clients.core.createNamespacedService({ namespace, body: service }),
    async () => {
      const cur = await clients.core.readNamespacedService({ name: serviceName, namespace });
      return clients.core.replaceNamespacedService({
        name: serviceName,
        namespace,
        body: { ...cur, spec: service.spec },
      });
    },
  );
  const apiService: V1APIService = {
    metadata: { name },
    spec: {
      group: spec.group,
      version: spec.version,
      groupPriorityMinimum: 1000,
      versionPriority: 100,
      service: { namespace, name: serviceName, port: spec.port },
      caBundle: Buffer.from(spec.caBundlePem).toString('base64'),
    },
  };
  await apply(
    () => clients.apiregistration.createAPIService({ body: apiService }),
    async () => {
      const cur = await clients.apiregistration.readAPIService({ name });
      return clients.apiregistration.replaceAPIService({ name, body: { ...cur, spec: apiService.spec } });
    },
  );
  return waitForAvailable(clients, name);
}

/** Waits for the aggregator's availability check to pass; the error carries its last verdict. */
export async function waitForAvailable(
  clients: Clients,
  name: string,
  timeoutMs = 60_000,
): Promise<V1APIService> {
  let last = '';
  try {
    return await waitFor(
      `APIService ${name} Available=True`,
      async () => {
        const svc = await clients.apiregistration.readAPIService({ name });
        const cond = svc.status?.conditions?.find((c) => c.type === 'Available');
        last = cond ? `${cond.status} ${cond.reason}: ${cond.message}` : 'no condition yet';
        return cond?.status === 'True' ? svc : undefined;
      },
      timeoutMs,
      250,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message} (last: ${last})`);
  }
}

export async function deleteAPIService(clients: Clients, name: string): Promise<void> {
  await clients.apiregistration.deleteAPIService({ name }).catch(() => undefined);
}
