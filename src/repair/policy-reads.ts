// GET /apis/GROUP/v1/noderepairpolicies and …/noderepairpolicies/NAME: objects, Table, PartialObjectMetadata,
// limit and continue, and the watch of the collection from the policy Leases' events.
import { objectReadRoutes } from '../apiserver/object-reads.js';
import { POLICY_RESOURCE } from './node-repair-policy.js';
import { NodeRepairPolicyService } from './node-repair-policy.service.js';
import { POLICY_COLUMNS } from './policy-table.js';

export const NODE_REPAIR_POLICY_ROUTES = objectReadRoutes(
  POLICY_RESOURCE,
  NodeRepairPolicyService,
  POLICY_COLUMNS,
);
