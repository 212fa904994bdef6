// Which of a node's pods a drain evicts, as `kubectl drain --ignore-daemonsets` decides: not DaemonSet pods
// (their controller ignores unschedulable and would put them back) and not mirror pods (the kubelet owns them).
import type { V1Pod } from '@kubernetes/client-node';

const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

const isDaemonSetPod = (pod: V1Pod) =>
  pod.metadata?.ownerReferences?.some((ref) => ref.controller && ref.kind === 'DaemonSet') ?? false;

const isMirrorPod = (pod: V1Pod) => MIRROR_ANNOTATION in (pod.metadata?.annotations ?? {});

export function podsToEvict(pods: readonly V1Pod[]): V1Pod[] {
  return pods.filter((pod) => !isDaemonSetPod(pod) && !isMirrorPod(pod));
}

export const podName = (pod: V1Pod) => `${pod.metadata?.namespace}/${pod.metadata?.name}`;

/** A pod the Eviction API refused, and the refusal as it explained it (e.g. a PodDisruptionBudget). */
export interface BlockedPod {
  pod: string;
  why: string;
}

/** Where a drain stands: the pods still on the node (evicted ones until they are gone), and those refused. */
export interface DrainProgress {
  left: string[];
  blocked: BlockedPod[];
}

const MAX_LISTED = 5;

function listed(names: readonly string[]): string {
  const more = names.length > MAX_LISTED ? ` and ${names.length - MAX_LISTED} more` : '';
  return names.slice(0, MAX_LISTED).join(', ') + more;
}

/** "2 pods left (a/b, a/c); eviction of a/b refused: The disruption budget web needs 2 healthy pods…". */
export function describeDrain(progress: DrainProgress): string {
  const n = progress.left.length;
  const left = `${n} pod${n === 1 ? '' : 's'} left (${listed(progress.left)})`;
  const blocked = progress.blocked.slice(0, MAX_LISTED).map((b) => `eviction of ${b.pod} refused: ${b.why}`);
  const more =
    progress.blocked.length > MAX_LISTED ? [`${progress.blocked.length - MAX_LISTED} more refused`] : [];
  return [left, ...blocked, ...more].join('; ');
}
