// A Node from kube-apiserver's protobuf encoding, decoded into the fields the projection reads
// (node-projection.ts) and nothing else, shaped as the JSON encoding decodes: the images, managedFields, every
// condition's text, capacity and nodeInfo's other fields are stepped over, never decoded. Field numbers are
// those of k8s.io/api/core/v1/generated.proto and k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto; what the
// JSON leaves out (an empty string under `omitempty`, an empty list or map, a zero creationTimestamp) is left
// out here too, and a zero lastTransitionTime is null, as in the JSON.
import type {
  V1Node,
  V1NodeAddress,
  V1NodeCondition,
  V1NodeStatus,
  V1NodeSystemInfo,
  V1ObjectMeta,
} from '@kubernetes/client-node';
import { ProtobufReader } from './protobuf-reader.js';

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/**
 * Seconds since the epoch as RFC 3339 in UTC, as Go's time.RFC3339 writes them (years 0 to 9999): by arithmetic,
 * since a Date and its toISOString cost more than the rest of a Node's timestamps together.
 */
export function rfc3339(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const secondOfDay = seconds - days * 86_400;
  // Howard Hinnant's civil_from_days (https://howardhinnant.github.io/date_algorithms.html).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hh = Math.floor(secondOfDay / 3600);
  const mm = Math.floor((secondOfDay % 3600) / 60);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}T${pad2(hh)}:${pad2(mm)}:${pad2(secondOfDay % 60)}Z`;
}

/** A metav1.Time as its JSON, or undefined when zero (an empty message). */
function time(r: ProtobufReader): string | undefined {
  if (r.valueStart === r.valueEnd) return undefined;
  let seconds = 0;
  const outer = r.enter();
  while (r.next()) if (r.field === 1) seconds = r.varint;
  r.leave(outer);
  // metav1.Time keeps whole seconds (time_proto.go drops the nanoseconds).
  return rfc3339(seconds);
}

/** A map<string, string> field's entry, added to `map`. */
function mapEntry(r: ProtobufReader, map: Record<string, string>): void {
  let key = '';
  let value = '';
  const outer = r.enter();
  while (r.next()) {
    if (r.field === 1) key = r.string();
    else if (r.field === 2) value = r.string();
  }
  r.leave(outer);
  map[key] = value;
}

function objectMeta(r: ProtobufReader): V1ObjectMeta {
  const meta: V1ObjectMeta = {};
  const outer = r.enter();
  while (r.next()) {
    switch (r.field) {
      case 1:
        meta.name = r.string() || undefined;
        break;
      case 5:
        meta.uid = r.string() || undefined;
        break;
      case 6:
        meta.resourceVersion = r.string() || undefined;
        break;
      case 8: {
        const at = time(r);
        // creationTimestamp is `omitzero`: a zero one is left out of the JSON.
        if (at !== undefined) meta.creationTimestamp = at as unknown as Date;
        break;
      }
      case 11:
        mapEntry(r, (meta.labels ??= {}));
        break;
      case 12:
        mapEntry(r, (meta.annotations ??= {}));
        break;
    }
  }
  r.leave(outer);
  return meta;
}

function condition(r: ProtobufReader): V1NodeCondition {
  const c = { type: '', status: '', lastTransitionTime: null } as unknown as V1NodeCondition;
  const outer = r.enter();
  while (r.next()) {
    if (r.field === 1) c.type = r.string();
    else if (r.field === 2) c.status = r.string();
    else if (r.field === 4) c.lastTransitionTime = (time(r) ?? null) as unknown as Date;
  }
  r.leave(outer);
  return c;
}

function address(r: ProtobufReader): V1NodeAddress {
  const a: V1NodeAddress = { type: '', address: '' };
  const outer = r.enter();
  while (r.next()) {
    if (r.field === 1) a.type = r.string();
    else if (r.field === 2) a.address = r.string();
  }
  r.leave(outer);
  return a;
}

/** The field's one string field numbered `field` ('' without it). */
function stringIn(r: ProtobufReader, field: number): string {
  let value = '';
  const outer = r.enter();
  while (r.next()) if (r.field === field) value = r.string();
  r.leave(outer);
  return value;
}

/** The Node in `buf` (a core/v1 Node message), with only what the projection reads. */
export function decodeNode(buf: Buffer): V1Node {
  const node: V1Node = { metadata: {}, spec: {}, status: {} };
  // nodeInfo is a struct the JSON always carries, bootID in it always a string.
  const status = { nodeInfo: { bootID: '' } as V1NodeSystemInfo };
  node.status = status;
  const r = new ProtobufReader(buf);
  while (r.next()) {
    if (r.field === 1) node.metadata = objectMeta(r);
    else if (r.field === 2) node.spec!.providerID = stringIn(r, 3) || undefined;
    else if (r.field === 3) nodeStatus(r, status);
  }
  return node;
}

/** What the projection reads of NodeStatus: the conditions, the addresses and nodeInfo's bootID. */
function nodeStatus(r: ProtobufReader, status: V1NodeStatus & { nodeInfo: V1NodeSystemInfo }): void {
  const outer = r.enter();
  while (r.next()) {
    if (r.field === 4) (status.conditions ??= []).push(condition(r));
    else if (r.field === 5) (status.addresses ??= []).push(address(r));
    else if (r.field === 7) status.nodeInfo.bootID = stringIn(r, 3);
  }
  r.leave(outer);
}
