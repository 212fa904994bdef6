// What a policy does in one pass, decided from what is seen now and nothing else (the clock is a parameter): which
// selected nodes are NotReady and since when, whether more of them are down than maxUnhealthy allows, how each
// node's last repair ended, and which nodes to repair now. The runner writes the status this returns, then asks
// for the restarts it claims: the claim is in the status, so a repair is asked for once whichever replica leads.
import { humanDuration } from '../common/human-duration.js';
import { rfc3339 } from '../restarts/operations/restart-operation.js';
import type {
  NodeRepairEntry,
  NodeRepairPhase,
  PolicyCondition,
  PolicySpec,
  PolicyStatus,
  SkipReason,
} from './node-repair-policy.js';

export const HOUR_MS = 3_600_000;
/** A claim whose replica never recorded the restart it asked for is settled after this. */
export const CLAIM_TIMEOUT_MS = 30_000;
/** Nodes listed as Skipped for MaxUnhealthy at most (about 350 bytes each in the policy's Lease annotation). */
export const MAX_OUTAGE_ENTRIES = 50;
/** A repair held off by another action (409), a full budget (429) or a failure (5xx) is asked again after this. */
export const BUSY_RETRY_MS = 30_000;

export interface NodeHealth {
  name: string;
  ready: boolean;
  /** When the Ready condition last changed (ms): NotReady since then. */
  since: number;
}

/** The node's latest restart operation, as the operation store has it. */
export interface OperationView {
  id: string;
  running: boolean;
  phase: string;
  startedAt: string;
  updatedAt: string;
  message: string;
}

export interface RepairInput {
  spec: PolicySpec;
  /** The nodes the selector matches now. */
  nodes: readonly NodeHealth[];
  previous: PolicyStatus;
  operationOf: (node: string) => OperationView | undefined;
  now: number;
}

export interface Transition {
  node: string;
  phase: NodeRepairPhase;
  reason?: SkipReason;
  message: string;
}

export interface RepairPlan {
  status: PolicyStatus;
  /** Nodes claimed in `status` to be restarted now. */
  repairs: string[];
  /** Nodes whose phase (or skip reason) changed, for Events and metrics. */
  transitions: Transition[];
}

/** maxUnhealthy as a number of the `total` selected nodes: a percentage rounds down, as Cluster API's does. */
export function allowedUnhealthy(maxUnhealthy: number | string, total: number): number {
  if (typeof maxUnhealthy === 'number') return maxUnhealthy;
  return Math.floor((total * Number(maxUnhealthy.slice(0, -1))) / 100);
}

/** The entry without its claim. */
export const unclaimed = ({ claimedAt: _, ...entry }: NodeRepairEntry) => entry;

/** A Repairing entry moved on by its operation: how the restart ended, or that it never started. */
function observe(entry: NodeRepairEntry, op: OperationView | undefined, now: number): NodeRepairEntry {
  if (entry.phase !== 'Repairing') return entry;
  const ended = (phase: NodeRepairPhase, message: string, at: string) => {
    return { ...unclaimed(entry), phase, message, lastRepairEnded: at };
  };
  if (entry.operationID === undefined) {
    const claimedAt = Date.parse(entry.claimedAt ?? '');
    if (now - claimedAt < CLAIM_TIMEOUT_MS) return entry;
    // The replica that claimed it stopped before recording its operation: adopt the one it started, if any.
    if (op && op.startedAt >= (entry.claimedAt ?? '')) return { ...entry, operationID: op.id };
    return ended('Failed', 'the claimed repair never started a restart', rfc3339(now));
  }
  if (op?.id !== entry.operationID)
    return ended('Failed', `its restart ${entry.operationID} is no longer recorded`, rfc3339(now));
  if (op.running || (op.phase !== 'Succeeded' && op.phase !== 'Failed')) return entry;
  return ended(
    op.phase === 'Succeeded' ? 'Repaired' : 'Failed',
    `restart ${op.id}: ${op.message}`,
    op.updatedAt,
  );
}

/** The next status of a policy and the repairs it claims. */
export function planRepairs({ spec, nodes, previous, operationOf, now }: RepairInput): RepairPlan {
  const at = rfc3339(now);
  const allowed = allowedUnhealthy(spec.maxUnhealthy, nodes.length);
  const unhealthy = nodes.filter((n) => !n.ready).length;
  const overBudget = unhealthy > allowed;
  const before = new Map(previous.nodes.map((e) => [e.name, e]));
  const selected = new Set(nodes.map((n) => n.name));
  const entries: NodeRepairEntry[] = [];
  const repairs: string[] = [];
  const transitions: Transition[] = [];
  let outageEntries = 0;
  const change = (entry: NodeRepairEntry | undefined, next: Omit<NodeRepairEntry, 'lastTransitionTime'>) => {
    const moved = entry?.phase !== next.phase || entry.reason !== next.reason;
    if (moved)
      transitions.push({ node: next.name, phase: next.phase, reason: next.reason, message: next.message });
    // The message of a phase is the one it was entered with: the status is written only when something moved.
    entries.push(
      moved
        ? { ...next, lastTransitionTime: at }
        : { ...next, message: entry.message, lastTransitionTime: entry.lastTransitionTime },
    );
  };

  for (const node of [...nodes].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const old = before.get(node.name);
    const observed = old && observe(old, operationOf(node.name), now);
    const recent = (observed?.repairs ?? []).filter((t) => now - Date.parse(t) < HOUR_MS);
    const entry = observed && { ...observed, repairs: recent };
    if (entry?.phase === 'Repairing') {
      entries.push(entry);
      continue;
    }
    if (node.ready) {
      // Ready again: kept while its repairs of the last hour still count against maxRepairsPerHour.
      if (entry?.phase === 'Repaired' && recent.length > 0) change(old, entry);
      else if (entry && recent.length > 0) {
        change(old, {
          ...entry,
          reason: undefined,
          phase: 'Healthy',
          message: `Ready again; ${recent.length} repair(s) in the last hour`,
        });
      }
      continue;
    }
    const ended = entry?.lastRepairEnded ? Date.parse(entry.lastRepairEnded) : 0;
    const start = Math.max(node.since, ended);
    const down = now - start;
    // Another restart (a user's, a batch's) holds the node: it is being taken care of.
    const busy = operationOf(node.name)?.running === true;
    if (busy || down < spec.notReadyTimeoutMs) {
      if (entry) change(old, entry);
      continue;
    }
    const base = { name: node.name, repairs: recent, unhealthySince: rfc3339(start) };
    const kept = entry && {
      ...(entry.lastRepairEnded ? { lastRepairEnded: entry.lastRepairEnded } : {}),
      ...(entry.operationID ? { operationID: entry.operationID } : {}),
    };
    const why = `NotReady for ${humanDuration(down)}, more than notReadyTimeout ${spec.notReadyTimeout}`;
    if (overBudget) {
      // The status lives in one Lease annotation (256 KiB for all of them): an outage of thousands of nodes lists
      // the first ones by name, and the MaxUnhealthyExceeded condition counts them all.
      if (++outageEntries > MAX_OUTAGE_ENTRIES) continue;
      const message = `not repaired: ${unhealthy} of ${nodes.length} selected nodes are NotReady, more than maxUnhealthy ${spec.maxUnhealthy} (${allowed}); a mass outage is a cluster or network problem`;
      change(old, { ...base, ...kept, phase: 'Skipped', reason: 'MaxUnhealthy', message });
    } else if (recent.length >= spec.maxRepairsPerHour) {
      const message = `gave up: ${why}, and already repaired ${recent.length} time(s) in the last hour (maxRepairsPerHour ${spec.maxRepairsPerHour}); a human is needed`;
      change(old, { ...base, ...kept, phase: 'GaveUp', message });
    } else if (
      entry?.phase === 'Skipped' &&
      ((entry.reason === 'Refused' && entry.unhealthySince === base.unhealthySince) ||
        (entry.reason === 'Busy' && now - Date.parse(entry.lastTransitionTime) < BUSY_RETRY_MS))
    ) {
      // Refused by a protection for this outage already: asked again only once the node has been Ready. Busy:
      // asked again a little later.
      change(old, entry);
    } else if (spec.mode === 'DryRun') {
      change(old, {
        ...base,
        ...kept,
        phase: 'WouldRepair',
        message: `dry run: would restart the node, ${why}`,
      });
    } else {
      repairs.push(node.name);
      const repair = { ...base, repairs: [...recent, at], claimedAt: at };
      change(old, {
        ...repair,
        ...(kept?.lastRepairEnded ? { lastRepairEnded: kept.lastRepairEnded } : {}),
        phase: 'Repairing',
        message: `repairing: ${why}`,
      });
    }
  }
  // A node no longer selected (relabelled, deleted) keeps only a repair in progress, to see how it ends.
  for (const old of previous.nodes) {
    if (selected.has(old.name)) continue;
    const observed = observe(old, operationOf(old.name), now);
    if (observed.phase === 'Repairing') entries.push(observed);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  const gaveUp = entries.filter((e) => e.phase === 'GaveUp').map((e) => e.name);
  const conditions = [
    condition(
      previous,
      'MaxUnhealthyExceeded',
      overBudget,
      at,
      overBudget
        ? {
            reason: 'MaxUnhealthyExceeded',
            message: `${unhealthy} of ${nodes.length} selected nodes are NotReady, more than maxUnhealthy ${spec.maxUnhealthy} (${allowed}): no node is repaired`,
          }
        : {
            reason: 'WithinMaxUnhealthy',
            message: `${unhealthy} of ${nodes.length} selected nodes are NotReady; at most ${allowed} are repaired`,
          },
    ),
    condition(
      previous,
      'NeedsAttention',
      gaveUp.length > 0,
      at,
      gaveUp.length > 0
        ? {
            reason: 'RepairsExhausted',
            message: `gave up on ${gaveUp.join(', ')}: maxRepairsPerHour ${spec.maxRepairsPerHour} reached; a human is needed`,
          }
        : { reason: 'NoNodeGivenUp', message: 'no node needs a human' },
    ),
  ];
  const count = (phase: NodeRepairPhase) => entries.filter((e) => e.phase === phase).length;
  const message =
    `${nodes.length} node(s) watched, ${unhealthy} NotReady; ${count('Repairing')} repairing, ${count('Repaired')} repaired, ` +
    `${count('Failed')} failed, ${gaveUp.length} given up` +
    (spec.mode === 'DryRun' ? `, ${count('WouldRepair')} would be repaired (DryRun)` : '');
  return {
    status: {
      watchedNodes: nodes.length,
      unhealthyNodes: unhealthy,
      allowedUnhealthy: allowed,
      nodes: entries,
      conditions,
      message,
    },
    repairs,
    transitions,
  };
}

function condition(
  previous: PolicyStatus,
  type: PolicyCondition['type'],
  on: boolean,
  at: string,
  { reason, message }: { reason: string; message: string },
): PolicyCondition {
  const status = on ? 'True' : 'False';
  const old = previous.conditions.find((c) => c.type === type);
  return {
    type,
    status,
    reason,
    message,
    lastTransitionTime: old?.status === status ? old.lastTransitionTime : at,
  };
}
