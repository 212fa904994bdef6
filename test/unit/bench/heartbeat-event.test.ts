import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heartbeatEvent, kubeTime, nextHeartbeat } from '../../bench/heartbeat-event.js';
import { kubeletNode } from '../../support/nodes.js';

const BEAT = '2026-12-08T00:59:59Z';
const CREATED = '2026-12-08T00:59:02Z';

/** A kubelet's managedFields entry: of the Node, or of its status subresource. */
const entry = (time: string, subresource?: string) => ({
  manager: 'kubelet',
  operation: 'Update',
  apiVersion: 'v1',
  time,
  fieldsType: 'FieldsV1',
  fieldsV1: {},
  ...(subresource && { subresource }),
});

/** A Node's heartbeat event as kube-apiserver encodes it: the managedFields a heartbeat leaves, one label not ASCII. */
function capturedLine(managedFields = [entry(CREATED), entry(BEAT, 'status')]): string {
  const node = kubeletNode({ name: 'bench-node-00007', index: 7, zone: 'us-east-1a', instanceID: 'i-07' });
  node.metadata!.resourceVersion = '5249';
  node.metadata!.labels!['team'] = 'équipe-données';
  node.metadata!.managedFields = managedFields as never;
  for (const c of node.status!.conditions!) c.lastHeartbeatTime = BEAT as never;
  return JSON.stringify({ type: 'MODIFIED', object: { kind: 'Node', apiVersion: 'v1', ...node } });
}

test('the next heartbeat rewrites the resourceVersion, the heartbeat times and the status entry time alone', () => {
  const line = capturedLine();
  const event = heartbeatEvent(line);
  assert.equal(event.name, 'bench-node-00007');
  assert.equal(event.resourceVersion, 5249);
  const next = nextHeartbeat(event, 123456789, '2026-12-08T01:10:00Z');
  assert.ok(next.toString().endsWith('}\n'), 'one event per line');
  const expected = JSON.parse(line) as ReturnType<typeof JSON.parse>;
  expected.object.metadata.resourceVersion = '123456789';
  expected.object.metadata.managedFields[1].time = '2026-12-08T01:10:00Z';
  for (const c of expected.object.status.conditions) c.lastHeartbeatTime = '2026-12-08T01:10:00Z';
  assert.deepEqual(JSON.parse(next.toString()), expected);
  // The rest is the captured bytes: the non-ASCII label survives, the other entry's time is left.
  assert.equal(JSON.parse(next.toString()).object.metadata.managedFields[0].time, CREATED);
  assert.equal(JSON.parse(next.toString()).object.metadata.labels.team, 'équipe-données');
});

test('each next heartbeat starts from the captured bytes', () => {
  const event = heartbeatEvent(capturedLine());
  nextHeartbeat(event, 7, '2026-12-08T01:10:00Z');
  const again = JSON.parse(nextHeartbeat(event, 8, '2026-12-08T01:10:10Z').toString());
  assert.equal(again.object.metadata.resourceVersion, '8');
  assert.equal(again.object.status.conditions[0].lastHeartbeatTime, '2026-12-08T01:10:10Z');
});

test('an event that is not a heartbeat, or that has no kubelet status entry, is refused', () => {
  assert.throws(() => heartbeatEvent(capturedLine().replace('"MODIFIED"', '"ADDED"')), /not a MODIFIED/);
  const noStatusEntry = capturedLine([entry(CREATED)]);
  assert.throws(() => heartbeatEvent(noStatusEntry), /no kubelet status entry/);
});

test('a time that is not metav1.Time to the second is refused', () => {
  const event = heartbeatEvent(capturedLine());
  assert.throws(() => nextHeartbeat(event, 1, '2026-12-08T01:10:00.123Z'), /RFC 3339/);
  assert.equal(kubeTime(Date.UTC(2026, 11, 8, 1, 10, 0, 987)), '2026-12-08T01:10:00Z');
});
