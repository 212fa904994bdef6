// Pods on test Nodes. There is no scheduler, kubelet or controller manager: pods are bound by spec.nodeName,
// the test writes their Running/Ready status and PodDisruptionBudget status as those would, and finishes the
// deletion of evicted pods as a kubelet does once their containers stopped.
import type { CoreV1Api, PolicyV1Api, V1OwnerReference } from '@kubernetes/client-node';

export interface PodSpec {
  name: string;
  node: string;
  labels?: Record<string, string>;
  owner?: Pick<V1OwnerReference, 'kind' | 'name'>;
  annotations?: Record<string, string>;
}

/** Namespaces get their "default" ServiceAccount from the controller manager, which does not run here. */
export async function createNamespace(core: CoreV1Api, name: string): Promise<void> {
  await core.createNamespace({ body: { metadata: { name } } });
  await core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: 'default' } } });
}

/** A pod bound to its node and reported Running and Ready (Pending pods are evicted whatever their budget). */
export async function createRunningPod(core: CoreV1Api, namespace: string, spec: PodSpec): Promise<void> {
  const ownerReferences = spec.owner && [
    { apiVersion: 'apps/v1', ...spec.owner, uid: `uid-${spec.owner.name}`, controller: true },
  ];
  const pod = await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name: spec.name, labels: spec.labels, annotations: spec.annotations, ownerReferences },
      spec: {
        nodeName: spec.node,
        automountServiceAccountToken: false,
        containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }],
      },
    },
  });
  const now = new Date();
  await core.replaceNamespacedPodStatus({
    name: spec.name,
    namespace,
    body: {
      ...pod,
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
        startTime: now,
      },
    },
  });
}

/** A budget as the disruption controller would have computed it for `healthy` ready pods. */
export async function createBudget(
  policy: PolicyV1Api,
  namespace: string,
  budget: { name: string; minAvailable: number; selector: Record<string, string>; healthy: number },
): Promise<void> {
  const pdb = await policy.createNamespacedPodDisruptionBudget({
    namespace,
    body: {
      metadata: { name: budget.name },
      spec: { minAvailable: budget.minAvailable, selector: { matchLabels: budget.selector } },
    },
  });
  await policy.replaceNamespacedPodDisruptionBudgetStatus({
    name: budget.name,
    namespace,
    body: {
      ...pdb,
      status: {
        observedGeneration: pdb.metadata?.generation,
        currentHealthy: budget.healthy,
        desiredHealthy: budget.minAvailable,
        expectedPods: budget.healthy,
        disruptionsAllowed: Math.max(0, budget.healthy - budget.minAvailable),
      },
    },
  });
}

export async function podNames(core: CoreV1Api, namespace: string, node: string): Promise<string[]> {
  const list = await core.listNamespacedPod({ namespace, fieldSelector: `spec.nodeName=${node}` });
  return list.items.map((p) => p.metadata!.name!).sort();
}

/** Removes pods that are being deleted, as their kubelet would once they stopped. */
export function playPodTermination(core: CoreV1Api, namespace: string, pollMs = 200): { stop(): void } {
  const timer = setInterval(() => {
    void core
      .listNamespacedPod({ namespace })
      .then((list) =>
        Promise.all(
          list.items
            .filter((p) => p.metadata?.deletionTimestamp)
            .map((p) =>
              core.deleteNamespacedPod({ name: p.metadata!.name!, namespace, gracePeriodSeconds: 0 }),
            ),
        ),
      )
      .catch(() => undefined);
  }, pollMs);
  return { stop: () => clearInterval(timer) };
}
