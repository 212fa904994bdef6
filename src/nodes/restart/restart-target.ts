// Node → the VM to reboot: its providerID parsed, its region resolved (with the cloud's own lookups,
// e.g. Tencent DescribeZones), or a 422 on the Node naming the field and why it cannot be used.
import type { V1Node } from '@kubernetes/client-node';
import { resolveCloudLocation } from '../../cloud/cloud-location.js';
import type { CloudTarget } from '../../cloud/cloud-provider.js';
import type { CloudRegistry } from '../../cloud/cloud-registry.js';
import { parseProviderID } from '../../cloud/provider-id.js';
import * as field from '../../common/field-errors.js';
import { StatusError, invalid } from '../../common/status.js';

const PROVIDER_ID = 'spec.providerID';

function unusable(group: string, name: string, error: field.FieldError): StatusError {
  return new StatusError(invalid({ group, kind: 'Node', name }, [error]));
}

export async function restartTarget(
  node: V1Node,
  group: string,
  registry: CloudRegistry,
): Promise<CloudTarget> {
  const nodeName = node.metadata!.name!;
  const providerID = node.spec?.providerID;
  const parsed = parseProviderID(providerID);
  if (parsed.kind === 'missing') throw unusable(group, nodeName, field.required(PROVIDER_ID, parsed.reason));
  if (parsed.kind !== 'ok')
    throw unusable(group, nodeName, field.invalid(PROVIDER_ID, providerID, parsed.reason));
  const cloud = parsed.identity.cloud;
  const located = await resolveCloudLocation(parsed.identity, node.metadata?.labels, registry.lookups(cloud));
  if (located.kind === 'unresolved') {
    throw unusable(group, nodeName, field.invalid(PROVIDER_ID, providerID, located.reason));
  }
  return { ...located.identity, nodeName };
}
