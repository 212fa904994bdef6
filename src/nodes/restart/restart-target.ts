// Node → the VM to act on, with the cloud's own lookups for its region (e.g. Tencent DescribeZones), or a 422
// on the Node naming the field and why it cannot be used.
import type { V1Node } from '@kubernetes/client-node';
import type { CloudTarget } from '../../cloud/contract/provider.js';
import type { CloudRegistry } from '../../cloud/registry/cloud-registry.js';
import { StatusError, invalid } from '../../apiserver/status.js';
import { nodeTarget } from '../node-target.js';

export async function restartTarget(
  node: V1Node,
  group: string,
  registry: CloudRegistry,
): Promise<CloudTarget> {
  const found = await nodeTarget(node, (cloud) => registry.lookups(cloud));
  if (found.kind === 'resolved') return found.target;
  throw new StatusError(invalid({ group, kind: 'Node', name: node.metadata!.name! }, [found.error]));
}
