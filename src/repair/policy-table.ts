// Server-side printing for `kubectl get noderepairpolicies`: what a policy watches, and what it has done.
import type { TableColumn } from '../apiserver/table.js';
import { humanDuration } from '../common/human-duration.js';
import type { NodeRepairPhase } from './node-repair-policy.js';
import type { NodeRepairPolicyObject } from './policy-view.js';

const count = (p: NodeRepairPolicyObject, phase: NodeRepairPhase) =>
  p.status.nodes.filter((n) => n.phase === phase).length;

export const POLICY_COLUMNS: readonly TableColumn<NodeRepairPolicyObject>[] = [
  {
    name: 'Name',
    format: 'name',
    description: 'Name of the policy.',
    priority: 0,
    cell: (p) => p.metadata.name,
  },
  {
    name: 'Selector',
    description: 'The label selector of the Nodes the policy watches.',
    priority: 0,
    cell: (p) => p.spec.nodeSelector,
  },
  { name: 'Mode', description: 'Repair, or DryRun.', priority: 0, cell: (p) => p.spec.mode },
  {
    name: 'Timeout',
    description: 'How long a Node is NotReady before it is repaired.',
    priority: 0,
    cell: (p) => p.spec.notReadyTimeout,
  },
  {
    name: 'Watched',
    type: 'integer',
    description: 'Nodes selected.',
    priority: 0,
    cell: (p) => p.status.watchedNodes,
  },
  {
    name: 'NotReady',
    type: 'integer',
    description: 'Selected Nodes NotReady now.',
    priority: 0,
    cell: (p) => p.status.unhealthyNodes,
  },
  {
    name: 'Repairing',
    type: 'integer',
    description: 'Nodes being restarted.',
    priority: 0,
    cell: (p) => count(p, 'Repairing'),
  },
  {
    name: 'Gave-Up',
    type: 'integer',
    description: 'Nodes repaired maxRepairsPerHour times that need a human.',
    priority: 0,
    cell: (p) => count(p, 'GaveUp'),
  },
  {
    name: 'Age',
    description: 'Time since the policy was created.',
    priority: 0,
    cell: (p, now) => humanDuration(now - Date.parse(p.metadata.creationTimestamp)),
  },
  {
    name: 'Max-Unhealthy',
    description: 'Above this many NotReady Nodes nothing is repaired.',
    priority: 1,
    cell: (p) => String(p.spec.maxUnhealthy),
  },
  {
    name: 'Message',
    description: 'What the policy sees and did.',
    priority: 1,
    cell: (p) => p.status.message,
  },
];
