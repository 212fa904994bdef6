// Node → the VM behind it: its providerID parsed and its region resolved, or why that cannot be done, as the field
// error the action subresources answer (422) and the message our `nodes` resource shows.
import type { V1Node } from '@kubernetes/client-node';
import type { LocationLookups } from '../cloud/contract/definition.js';
import type { CloudIdentity } from '../cloud/contract/identity.js';
import { resolveCloudLocation } from '../cloud/registry/location.js';
import type { CloudTarget } from '../cloud/contract/provider.js';
import type { CloudRegistry } from '../cloud/registry/cloud-registry.js';
import { parseProviderID } from '../cloud/registry/provider-id.js';
import * as field from '../apiserver/field-errors.js';
import { StatusError, invalid } from '../apiserver/status.js';

const PROVIDER_ID = 'spec.providerID';

export type NodeTarget =
  | { kind: 'resolved'; target: CloudTarget }
  | {
      kind: 'unusable';
      /** The cloud the providerID names, when it names one. */
      cloud?: string;
      /** What the providerID says, when it parsed and only the region is missing. */
      identity?: CloudIdentity;
      error: field.FieldError;
      reason: string;
    };

/** `lookups` gives the cloud API lookups region resolution may use (none: built-in tables and labels only). */
export async function nodeTarget(
  node: V1Node,
  lookups: (cloud: string) => LocationLookups = () => ({}),
): Promise<NodeTarget> {
  const providerID = node.spec?.providerID;
  const parsed = parseProviderID(providerID);
  if (parsed.kind === 'missing') {
    return { kind: 'unusable', error: field.required(PROVIDER_ID, parsed.reason), reason: parsed.reason };
  }
  if (parsed.kind !== 'ok') {
    const cloud = parsed.kind === 'invalid' || parsed.kind === 'unsupported' ? parsed.cloud : undefined;
    const error = field.invalid(PROVIDER_ID, providerID, parsed.reason);
    return { kind: 'unusable', cloud, error, reason: parsed.reason };
  }
  const identity = parsed.identity;
  const located = await resolveCloudLocation(identity, node.metadata?.labels, lookups(identity.cloud));
  if (located.kind === 'unresolved') {
    const error = field.invalid(PROVIDER_ID, providerID, located.reason);
    return { kind: 'unusable', cloud: identity.cloud, identity, error, reason: located.reason };
  }
  return { kind: 'resolved', target: { ...located.identity, nodeName: node.metadata!.name! } };
}

/**
 * The VM an action (restart, stop, start) acts on, with the cloud's own lookups for its region (e.g. Tencent
 * DescribeZones), or a 422 on the Node naming the field and why it cannot be used.
 */
export async function actionTarget(
  node: V1Node,
  group: string,
  registry: CloudRegistry,
): Promise<CloudTarget> {
  const found = await nodeTarget(node, (cloud) => registry.lookups(cloud));
  if (found.kind === 'resolved') return found.target;
  throw new StatusError(invalid({ group, kind: 'Node', name: node.metadata!.name! }, [found.error]));
}
