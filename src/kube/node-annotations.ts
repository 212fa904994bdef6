// Annotations this server keeps on Nodes (the last power action, the restart in progress): a merge patch of
// metadata only, so it never races the kubelet's status updates and needs no resourceVersion.
import { PatchStrategy, setHeaderOptions, type CoreV1Api } from '@kubernetes/client-node';

export function annotateNode(
  core: CoreV1Api,
  name: string,
  annotations: Record<string, string | null>,
): Promise<unknown> {
  return core.patchNode(
    { name, body: { metadata: { annotations } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}
