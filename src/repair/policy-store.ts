// NodeRepairPolicy records on Leases in the operations namespace, as restart batches are kept.
import { Injectable } from '@nestjs/common';
import { ServerOptions } from '../config/server-options.js';
import { Leases } from '../restarts/cluster/leases.js';
import type { LeaseRecord } from '../restarts/operations/lease-records.js';
import { ObjectStore } from '../restarts/operations/object-store.js';
import {
  POLICY_ANNOTATION,
  POLICY_LABELS,
  isPolicy,
  policyLeaseName,
  POLICY_RESOURCE,
  type NodeRepairPolicyRecord,
} from './node-repair-policy.js';

export type StoredPolicy = LeaseRecord<NodeRepairPolicyRecord>;

@Injectable()
export class PolicyStore extends ObjectStore<NodeRepairPolicyRecord> {
  constructor(leases: Leases, options: ServerOptions) {
    super(leases, {
      what: 'node repair policy leases',
      group: options.apiGroup,
      resource: POLICY_RESOURCE,
      labels: POLICY_LABELS,
      annotation: POLICY_ANNOTATION,
      leaseName: policyLeaseName,
      isRecord: isPolicy,
      changesKept: options.watchCacheSize,
    });
  }
}
