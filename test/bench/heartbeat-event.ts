// A kubelet heartbeat's watch event, replayed: the line kube-apiserver sent for a Node's status heartbeat
// (`{"type":"MODIFIED","object":{...}}`), kept as its bytes, with what the next heartbeat of that Node changes
// rewritten in place: metadata.resourceVersion, every condition's lastHeartbeatTime and the time of the
// kubelet's managedFields entry for the status subresource (what kube-apiserver changes for a heartbeat that
// changes nothing else, as seen on a real one). Everything else is kube-apiserver's own encoding.

/** RFC 3339 to the second, as metav1.Time is encoded: the same length for every time. */
const TIME_LENGTH = '2006-01-02T15:04:05Z'.length;

interface Slot {
  start: number;
  end: number;
  kind: 'resourceVersion' | 'time';
}

export interface HeartbeatEvent {
  name: string;
  resourceVersion: number;
  bytes: Buffer;
  /** The byte ranges to rewrite, in order. */
  slots: Slot[];
}

interface ManagedFieldsEntry {
  manager?: string;
  subresource?: string;
  time?: string;
}

interface WatchedNode {
  type: string;
  object: {
    metadata: { name: string; resourceVersion: string; managedFields?: ManagedFieldsEntry[] };
    status?: { conditions?: { lastHeartbeatTime?: string }[] };
  };
}

/** The `n`-th (0-based) value's range after each occurrence of `key` (a `"name":"` prefix) in `text`. */
function valuesAfter(text: string, key: string): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  for (let at = text.indexOf(key); at !== -1; at = text.indexOf(key, at + 1)) {
    const start = at + key.length;
    ranges.push({ start, end: text.indexOf('"', start) });
  }
  return ranges;
}

/** Parses one watch event line as kube-apiserver sent it for a heartbeat, and finds what the next one rewrites. */
export function heartbeatEvent(line: string): HeartbeatEvent {
  const event = JSON.parse(line) as WatchedNode;
  const { metadata, status } = event.object;
  if (event.type !== 'MODIFIED') throw new Error(`not a MODIFIED event: ${event.type}`);
  const slots: Slot[] = [];
  const versions = valuesAfter(line, '"resourceVersion":"');
  if (versions.length !== 1)
    throw new Error(`${versions.length} resourceVersions in ${metadata.name}'s event`);
  slots.push({ ...versions[0]!, kind: 'resourceVersion' });
  const heartbeats = valuesAfter(line, '"lastHeartbeatTime":"');
  if (heartbeats.length !== (status?.conditions ?? []).filter((c) => c.lastHeartbeatTime).length)
    throw new Error(`lastHeartbeatTime keys and conditions disagree in ${metadata.name}'s event`);
  // Only managedFields entries have a "time" key in a Node; the n-th one is the n-th entry's.
  const times = valuesAfter(line, '"time":"');
  const entries = metadata.managedFields ?? [];
  if (times.length !== entries.length)
    throw new Error(`"time" keys and managedFields entries disagree in ${metadata.name}'s event`);
  const statusEntry = entries.findIndex((e) => e.manager === 'kubelet' && e.subresource === 'status');
  if (statusEntry === -1) throw new Error(`no kubelet status entry in ${metadata.name}'s managedFields`);
  for (const range of [...heartbeats, times[statusEntry]!]) {
    if (range.end - range.start !== TIME_LENGTH)
      throw new Error(`unexpected time in ${metadata.name}'s event`);
    slots.push({ ...range, kind: 'time' });
  }
  slots.sort((a, b) => a.start - b.start);
  // String offsets to byte offsets: a Node may hold non-ASCII text (labels, annotations).
  const bytes = Buffer.from(line.endsWith('\n') ? line : `${line}\n`);
  const byteSlots = slots.map((s) => ({
    kind: s.kind,
    start: Buffer.byteLength(line.slice(0, s.start)),
    end: Buffer.byteLength(line.slice(0, s.end)),
  }));
  return { name: metadata.name, resourceVersion: Number(metadata.resourceVersion), bytes, slots: byteSlots };
}

/** The event's bytes for the next heartbeat: `time` (RFC 3339, seconds) and `resourceVersion` written in. */
export function nextHeartbeat(event: HeartbeatEvent, resourceVersion: number, time: string): Buffer {
  if (time.length !== TIME_LENGTH) throw new Error(`not an RFC 3339 time to the second: ${time}`);
  const parts: Buffer[] = [];
  let at = 0;
  const rv = Buffer.from(String(resourceVersion));
  const t = Buffer.from(time);
  for (const slot of event.slots) {
    parts.push(event.bytes.subarray(at, slot.start), slot.kind === 'time' ? t : rv);
    at = slot.end;
  }
  parts.push(event.bytes.subarray(at));
  return Buffer.concat(parts);
}

/** metav1.Time's encoding of a moment. */
export const kubeTime = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';
