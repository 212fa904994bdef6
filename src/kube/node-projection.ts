// What the Node cache keeps of a Node: the fields this server reads, copied out of the object kube-apiserver
// sent, as client-go informers do with a transform (SharedIndexInformer.SetTransform). A kubelet's Node is
// ~15 KB of JSON (50 images, managedFields, every condition's text, capacity, nodeInfo); the readers need a
// tenth of it:
//   views and the Table   name, uid, resourceVersion, creationTimestamp, labels, providerID, Ready, bootID,
//                         addresses, our annotations (power-annotation.ts, restart-annotation.ts)
//   region, protections,  labels (region labels, opt-out and control-plane labels, pools, batch selectors)
//   batches
//   power state           the Ready condition's status and lastTransitionTime
//   restart follower      bootID and Ready (restart-progress.ts)
// Cordon and uncordon read the live Node (node-drain.ts), never this copy.
import type { V1Node, V1NodeAddress, V1NodeCondition, V1NodeSystemInfo } from '@kubernetes/client-node';

/** Annotations of this server's own (power-action, restart); every other annotation is dropped. */
export const OUR_ANNOTATION_PREFIX = 'infraops.michael.io/';

function ourAnnotations(annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!annotations) return undefined;
  let kept: Record<string, string> | undefined;
  for (const key in annotations) {
    if (key.startsWith(OUR_ANNOTATION_PREFIX)) (kept ??= {})[key] = annotations[key]!;
  }
  return kept;
}

function readyCondition(conditions: V1NodeCondition[] | undefined): V1NodeCondition[] | undefined {
  const ready = conditions?.find((c) => c.type === 'Ready');
  if (!ready) return undefined;
  return [{ type: 'Ready', status: intern(ready.status), lastTransitionTime: ready.lastTransitionTime }];
}

/** The addresses; an address equal to one before it, or to the hostname label, is that same string. */
function addresses(list: V1NodeAddress[] | undefined, hostname: string | undefined) {
  const seen = hostname === undefined ? [] : [hostname];
  return list?.map(({ type, address }) => {
    const same = seen.find((s) => s === address);
    if (same === undefined) seen.push(address);
    return { type: intern(type), address: same ?? address };
  });
}

// Most label values repeat across a cluster's Nodes (zone, instance type, node group, AMI), as do address types
// and condition statuses: one copy of each is kept, as the keys already are (V8 internalizes property names).
// Bounded, in case values never repeat; the hostname label, unique to each Node, is not kept here.
const INTERNED_MAX = 100_000;
const interned = new Map<string, string>();
const HOSTNAME_LABEL = 'kubernetes.io/hostname';

function intern(value: string): string {
  const kept = interned.get(value);
  if (kept !== undefined) return kept;
  if (interned.size >= INTERNED_MAX) interned.clear();
  interned.set(value, value);
  return value;
}

function internedLabels(labels: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!labels) return undefined;
  for (const key in labels) if (key !== HOSTNAME_LABEL) labels[key] = intern(labels[key]!);
  return labels;
}

/** A new object with only what this server reads; the Node given is left as it was but for shared label values. */
export function projectNode(node: V1Node): V1Node {
  const m = node.metadata ?? {};
  const bootID = node.status?.nodeInfo?.bootID;
  const labels = internedLabels(m.labels);
  return {
    metadata: {
      name: m.name,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
      labels,
      annotations: ourAnnotations(m.annotations),
    },
    spec: { providerID: node.spec?.providerID },
    status: {
      conditions: readyCondition(node.status?.conditions),
      // nodeInfo's other fields are required by the type, but never read here.
      nodeInfo: bootID === undefined ? undefined : ({ bootID } as V1NodeSystemInfo),
      addresses: addresses(node.status?.addresses, labels?.[HOSTNAME_LABEL]),
    },
  };
}
