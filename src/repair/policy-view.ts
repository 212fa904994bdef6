// The NodeRepairPolicy object as the API returns it, rendered from its record.
import { VERSION } from '../apiserver/resource-catalog.js';
import {
  POLICY_KIND,
  type NodeRepairPolicyRecord,
  type PolicySpec,
  type PolicyStatus,
} from './node-repair-policy.js';

export interface NodeRepairPolicyObject {
  apiVersion: string;
  kind: typeof POLICY_KIND;
  metadata: {
    name: string;
    uid: string;
    resourceVersion?: string;
    generation: number;
    creationTimestamp: string;
  };
  spec: Omit<PolicySpec, 'notReadyTimeoutMs'>;
  status: PolicyStatus;
}

/** The spec as given: the timeout in milliseconds is the server's. */
const publicSpec = ({ notReadyTimeoutMs: _, ...spec }: PolicySpec) => spec;

/** The object; `resourceVersion` is its Lease's (none for a dry run, as nothing was stored). */
export function policyObject(
  group: string,
  policy: NodeRepairPolicyRecord,
  resourceVersion?: string,
): NodeRepairPolicyObject {
  return {
    apiVersion: `${group}/${VERSION}`,
    kind: POLICY_KIND,
    metadata: {
      name: policy.name,
      uid: policy.uid,
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
      generation: policy.generation,
      creationTimestamp: policy.createdAt,
    },
    spec: publicSpec(policy.spec),
    status: policy.status,
  };
}
