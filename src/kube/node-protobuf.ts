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
  for (const t = r.message(); t.next();) if (t.field === 1) seconds = t.varint;
  // metav1.Time keeps whole seconds (time_proto.go drops the nanoseconds).
  return rfc3339(seconds);
}

/** A map<string, string> field's entry, added to `map`. */
function mapEntry(r: ProtobufReader, map: Record<string, string>): void {
  let key = '';
  let value = '';
  for (const e = r.message(); e.next();) {
    if (e.field === 1) key = e.string();
    else if (e.field === 2) value = e.string();
  }
  map[key] = value;
}

function objectMeta(r: ProtobufReader): V1ObjectMeta {
  const meta: V1ObjectMeta = {};
  for (const m = r.message(); m.next();) {
    switch (m.field) {
      case 1:
        meta.name = m.string() || undefined;
        break;
      case 5:
        meta.uid = m.string() || undefined;
        break;
      case 6:
        meta.resourceVersion = m.string() || undefined;
        break;
      case 8: {
        const at = time(m);
        // creationTimestamp is `omitzero`: a zero one is left out of the JSON.
        if (at !== undefined) meta.creationTimestamp = at as unknown as Date;
        break;
      }
      case 11:
        mapEntry(m, (meta.labels ??= {}));
        break;
      case 12:
        mapEntry(m, (meta.annotations ??= {}));
        break;
    }
  }
  return meta;
}

function condition(r: ProtobufReader): V1NodeCondition {
  const c = { type: '', status: '', lastTransitionTime: null } as unknown as V1NodeCondition;
  for (const f = r.message(); f.next();) {
    if (f.field === 1) c.type = f.string();
    else if (f.field === 2) c.status = f.string();
    else if (f.field === 4) c.lastTransitionTime = (time(f) ?? null) as unknown as Date;
  }
  return c;
}

function address(r: ProtobufReader): V1NodeAddress {
  const a: V1NodeAddress = { type: '', address: '' };
  for (const f = r.message(); f.next();) {
    if (f.field === 1) a.type = f.string();
    else if (f.field === 2) a.address = f.string();
  }
  return a;
}

function bootID(r: ProtobufReader): string {
  let id = '';
  for (const f = r.message(); f.next();) if (f.field === 3) id = f.string();
  return id;
}

/** The Node in `buf` (a core/v1 Node message), with only what the projection reads. */
export function decodeNode(buf: Buffer): V1Node {
  const node: V1Node = { metadata: {}, spec: {}, status: {} };
  const status = node.status!;
  // nodeInfo is a struct the JSON always carries, bootID in it always a string.
  status.nodeInfo = { bootID: '' } as V1NodeSystemInfo;
  for (const r = new ProtobufReader(buf); r.next();) {
    if (r.field === 1) node.metadata = objectMeta(r);
    else if (r.field === 2) {
      for (const s = r.message(); s.next();)
        if (s.field === 3) node.spec!.providerID = s.string() || undefined;
    } else if (r.field === 3) {
      for (const s = r.message(); s.next();) {
        if (s.field === 4) (status.conditions ??= []).push(condition(s));
        else if (s.field === 5) (status.addresses ??= []).push(address(s));
        else if (s.field === 7) status.nodeInfo.bootID = bootID(s);
      }
    }
  }
  return node;
}
