// The repair decisions with an injected clock: the NotReady threshold (from the Ready condition's
// lastTransitionTime, and again from a repair's end), maxUnhealthy as a count or a percentage, the back-off of
// maxRepairsPerHour within a sliding hour, DryRun, a restart that is not ours, and how a claimed repair ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyStatus, type PolicySpec, type PolicyStatus } from '../../../src/repair/node-repair-policy.js';
import {
  BUSY_RETRY_MS,
  CLAIM_TIMEOUT_MS,
  MAX_OUTAGE_ENTRIES,
  HOUR_MS,
  allowedUnhealthy,
  planRepairs,
  type NodeHealth,
  type OperationView,
} from '../../../src/repair/repair-decisions.js';

const T0 = Date.parse('2026-12-07T10:00:00Z');
const MIN = 60_000;
const SPEC: PolicySpec = {
  nodeSelector: 'pool=a',
  notReadyTimeout: '10m',
  notReadyTimeoutMs: 10 * MIN,
  maxUnhealthy: '40%',
  maxRepairsPerHour: 2,
  mode: 'Repair',
  options: { allowControlPlane: false },
};

const healthy = (name: string): NodeHealth => ({ name, ready: true, since: T0 - HOUR_MS });
const down = (name: string, sinceMinutes: number, now = T0): NodeHealth => ({
  name,
  ready: false,
  since: now - sinceMinutes * MIN,
});
const fleet = (...nodes: NodeHealth[]) => [...nodes, ...['h1', 'h2', 'h3', 'h4'].map(healthy)];

function plan(
  nodes: NodeHealth[],
  now = T0,
  previous: PolicyStatus = emptyStatus(),
  spec: PolicySpec = SPEC,
  ops: Record<string, OperationView> = {},
) {
  return planRepairs({ spec, nodes, previous, operationOf: (n) => ops[n], now });
}

const phases = (status: PolicyStatus) => Object.fromEntries(status.nodes.map((e) => [e.name, e.phase]));

test('a node NotReady past notReadyTimeout is claimed for repair; one not yet past it is left alone', () => {
  const p = plan(fleet(down('n1', 11), down('n2', 9)));
  assert.deepEqual(p.repairs, ['n1']);
  assert.deepEqual(phases(p.status), { n1: 'Repairing' });
  const n1 = p.status.nodes[0]!;
  assert.deepEqual(n1.repairs, ['2026-12-07T10:00:00Z']);
  assert.equal(n1.claimedAt, '2026-12-07T10:00:00Z');
  assert.equal(n1.unhealthySince, '2026-12-07T09:49:00Z');
  assert.deepEqual(
    p.transitions.map((t) => [t.node, t.phase]),
    [['n1', 'Repairing']],
  );
  assert.equal(p.status.watchedNodes, 6);
  assert.equal(p.status.unhealthyNodes, 2);
});

test('maxUnhealthy: more NotReady nodes than allowed repairs nothing, as a count or a percentage', () => {
  assert.deepEqual(
    [allowedUnhealthy('40%', 6), allowedUnhealthy('100%', 3), allowedUnhealthy(1, 50)],
    [2, 3, 1],
  );
  const outage = plan(fleet(down('n1', 20), down('n2', 20), down('n3', 20)));
  assert.deepEqual(outage.repairs, []);
  assert.deepEqual(phases(outage.status), { n1: 'Skipped', n2: 'Skipped', n3: 'Skipped' });
  assert.ok(outage.status.nodes.every((e) => e.reason === 'MaxUnhealthy'));
  const exceeded = outage.status.conditions.find((c) => c.type === 'MaxUnhealthyExceeded')!;
  assert.equal(exceeded.status, 'True');
  assert.match(exceeded.message, /^3 of 7 selected nodes are NotReady, more than maxUnhealthy 40% \(2\)/);
  // Two of seven is within 40%: both are repaired.
  assert.deepEqual(plan(fleet(down('n1', 20), down('n2', 20), healthy('n3'))).repairs, ['n1', 'n2']);
  // As a count: 1 allows one.
  assert.deepEqual(
    plan(fleet(down('n1', 20), down('n2', 20)), T0, emptyStatus(), { ...SPEC, maxUnhealthy: 1 }).repairs,
    [],
  );
  // Once the outage is over the skipped node still down is repaired.
  const after = plan(fleet(down('n1', 25)), T0 + 5 * MIN, outage.status);
  assert.deepEqual(after.repairs, ['n1']);
  assert.equal(after.status.conditions.find((c) => c.type === 'MaxUnhealthyExceeded')!.status, 'False');
});

test('DryRun records what it would repair, once, and repairs nothing', () => {
  const dry = { ...SPEC, mode: 'DryRun' as const };
  const first = plan(fleet(down('n1', 11)), T0, emptyStatus(), dry);
  assert.deepEqual(first.repairs, []);
  assert.deepEqual(phases(first.status), { n1: 'WouldRepair' });
  assert.deepEqual(
    first.transitions.map((t) => t.phase),
    ['WouldRepair'],
  );
  const again = plan(fleet(down('n1', 12, T0 + MIN)), T0 + MIN, first.status, dry);
  assert.deepEqual(again.transitions, [], 'told once');
  assert.deepEqual(again.status, first.status, 'nothing to write');
});

test('a claimed repair follows its operation; the NotReady time counts again from its end', () => {
  const claimed = plan(fleet(down('n1', 11))).status;
  const withOp = { ...claimed, nodes: [{ ...claimed.nodes[0]!, operationID: 'op-1' }] };
  const op = (phase: string, running: boolean, updatedAt: string): Record<string, OperationView> => ({
    n1: { id: 'op-1', phase, running, startedAt: '2026-12-07T10:00:00Z', updatedAt, message: phase },
  });
  const running = plan(
    fleet(down('n1', 12)),
    T0 + MIN,
    withOp,
    SPEC,
    op('RebootRequested', true, '2026-12-07T10:00:01Z'),
  );
  assert.deepEqual(phases(running.status), { n1: 'Repairing' });
  assert.deepEqual(running.repairs, []);
  // It failed: the node stays NotReady, but is repaired again only notReadyTimeout after the failure.
  const failedOp = op('Failed', false, '2026-12-07T10:05:00Z');
  const failed = plan(fleet(down('n1', 20, T0 + 10 * MIN)), T0 + 10 * MIN, withOp, SPEC, failedOp);
  assert.deepEqual(phases(failed.status), { n1: 'Failed' });
  assert.equal(failed.status.nodes[0]!.lastRepairEnded, '2026-12-07T10:05:00Z');
  assert.deepEqual(failed.repairs, []);
  const retried = plan(fleet(down('n1', 26, T0 + 16 * MIN)), T0 + 16 * MIN, failed.status, SPEC, failedOp);
  assert.deepEqual(retried.repairs, ['n1']);
  assert.equal(retried.status.nodes[0]!.repairs.length, 2);
  // Succeeded: Repaired, kept with its repair while it counts for the back-off.
  const ok = plan(
    fleet(healthy('n1')),
    T0 + 2 * MIN,
    withOp,
    SPEC,
    op('Succeeded', false, '2026-12-07T10:01:30Z'),
  );
  assert.deepEqual(phases(ok.status), { n1: 'Repaired' });
  assert.deepEqual(
    ok.transitions.map((t) => t.phase),
    ['Repaired'],
  );
  const later = plan(fleet(healthy('n1')), T0 + HOUR_MS + MIN, ok.status);
  assert.deepEqual(later.status.nodes, [], 'gone once its repair is an hour old');
});

test('back-off: maxRepairsPerHour repairs in the last hour, and the node is given up on; a human is needed', () => {
  const at = (minutes: number) => new Date(T0 - minutes * MIN).toISOString().replace('.000', '');
  const previous: PolicyStatus = {
    ...emptyStatus(),
    nodes: [
      {
        name: 'n1',
        phase: 'Failed',
        repairs: [at(50), at(30)],
        lastRepairEnded: at(20),
        message: 'failed',
        lastTransitionTime: at(20),
      },
    ],
  };
  const p = plan(fleet(down('n1', 60)), T0, previous);
  assert.deepEqual(p.repairs, []);
  assert.deepEqual(phases(p.status), { n1: 'GaveUp' });
  assert.match(
    p.status.nodes[0]!.message,
    /already repaired 2 time\(s\) in the last hour \(maxRepairsPerHour 2\); a human is needed/,
  );
  const attention = p.status.conditions.find((c) => c.type === 'NeedsAttention')!;
  assert.equal(attention.status, 'True');
  assert.match(attention.message, /gave up on n1/);
  // Ten minutes later the first repair is over an hour old: one more is allowed.
  const later = plan(fleet(down('n1', 70, T0 + 11 * MIN)), T0 + 11 * MIN, p.status);
  assert.deepEqual(later.repairs, ['n1']);
});

test('a node another restart holds is left to it; a claim never carried out fails after its timeout', () => {
  const busy = plan(fleet(down('n1', 30)), T0, emptyStatus(), SPEC, {
    n1: {
      id: 'x',
      phase: 'Draining',
      running: true,
      startedAt: '2026-12-07T09:59:00Z',
      updatedAt: '2026-12-07T09:59:00Z',
      message: '',
    },
  });
  assert.deepEqual(busy.repairs, []);
  const claimed = plan(fleet(down('n1', 11))).status;
  const soon = plan(fleet(down('n1', 11)), T0 + CLAIM_TIMEOUT_MS - 1, claimed);
  assert.deepEqual(phases(soon.status), { n1: 'Repairing' });
  const late = plan(fleet(down('n1', 11)), T0 + CLAIM_TIMEOUT_MS, claimed);
  assert.deepEqual(phases(late.status), { n1: 'Failed' });
  assert.match(late.status.nodes[0]!.message, /never started a restart/);
});

test('a refused repair waits for the next outage; a busy one is asked again after BUSY_RETRY_MS', () => {
  const claimed = plan(fleet(down('n1', 11))).status.nodes[0]!;
  const skipped = (reason: 'Refused' | 'Busy'): PolicyStatus => ({
    ...emptyStatus(),
    nodes: [
      { ...claimed, claimedAt: undefined, repairs: [], phase: 'Skipped', reason, message: 'not repaired' },
    ],
  });
  const refused = plan(fleet(down('n1', 20, T0 + 9 * MIN)), T0 + 9 * MIN, skipped('Refused'));
  assert.deepEqual(refused.repairs, [], 'the same outage is not asked again');
  // Ready in between, then down again: a new outage, asked again.
  const again = plan(fleet(down('n1', 11, T0 + 30 * MIN)), T0 + 30 * MIN, skipped('Refused'));
  assert.deepEqual(again.repairs, ['n1']);
  const soon = plan(fleet(down('n1', 12)), T0 + BUSY_RETRY_MS - 1, skipped('Busy'));
  assert.deepEqual(soon.repairs, []);
  const later = plan(fleet(down('n1', 12)), T0 + BUSY_RETRY_MS, skipped('Busy'));
  assert.deepEqual(later.repairs, ['n1']);
});

test('an outage of hundreds of nodes lists the first MAX_OUTAGE_ENTRIES, and counts them all', () => {
  const names = Array.from({ length: 300 }, (_, i) => `n${String(i).padStart(3, '0')}`);
  const p = plan(names.map((n) => down(n, 20)));
  assert.equal(p.status.nodes.length, MAX_OUTAGE_ENTRIES);
  assert.equal(p.status.nodes[0]!.name, 'n000');
  assert.match(p.status.conditions[0]!.message, /^300 of 300 selected nodes are NotReady/);
  assert.ok(JSON.stringify(p.status).length < 32_768, `${JSON.stringify(p.status).length} bytes`);
});
