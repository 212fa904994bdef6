// The initial state streamed as protobuf, as kubelets and client-go ask kube-apiserver for built-in kinds: the
// same watch as watch-list.ts, answered as `application/vnd.kubernetes.protobuf;stream=watch`. kube-apiserver
// encodes a kubelet's Node as protobuf for a fifth of the CPU its JSON costs it, and each object is decoded here
// by stepping over what the caller does not read (a Node's images, managedFields) instead of parsing all of it.
// The stream (k8s.io/apimachinery/pkg/util/framer): each event a 4-byte big-endian length, then a
// metav1.WatchEvent {type = 1, object = 2: RawExtension {raw = 1}} whose raw object is the 4-byte magic "k8s\0"
// and a runtime.Unknown {typeMeta = 1, raw = 2: the object's message} (k8s.io/apimachinery/pkg/runtime/
// serializer/protobuf). Anything else (no protobuf for the kind, the WatchList feature off, an ERROR event, the
// stream ending before the initial-events-end bookmark) answers undefined: the caller streams JSON instead.
import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { request } from 'undici';
import { authenticated } from './kube-config.js';
import { ProtobufError, ProtobufReader } from './protobuf-reader.js';
import { INITIAL_EVENTS_END, initialEventsQuery } from './watch-list.js';

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const PROTOBUF_WATCH = `${PROTOBUF};stream=watch`;
const MAGIC = Buffer.from('k8s\0', 'latin1');
/** No byte for this long ends the attempt, as client-node's Watch times out an idle stream. */
const IDLE_TIMEOUT_MS = 30_000;

export interface ProtobufWatchListOptions<T> {
  labelSelector?: string;
  /** The object in a protobuf message (the kind's own, without the runtime.Unknown envelope). */
  decode: (message: Buffer) => T;
  transform: (item: T) => T;
}

/**
 * Splits a byte stream into length-prefixed frames. A frame is a view of the chunk it is in, or, when it spans
 * chunks (most of a kubelet Node's do: ~14 KB against TLS records of 16 KB), of one buffer reused from frame to
 * frame, not a new allocation each time: a frame is valid until the next one is taken.
 */
export class LengthPrefixedFrames {
  private parts: Buffer[] = [];
  private spanning = Buffer.alloc(0);
  private partBytes = 0;
  /** The length, prefix included, of the frame begun in `parts`, once its prefix is there. */
  private partFrame: number | undefined;

  *push(chunk: Buffer): Generator<Buffer> {
    let at = 0;
    if (this.partBytes > 0) {
      const missing = this.partFrame === undefined ? this.needs(chunk) : this.partFrame - this.partBytes;
      if (missing === undefined || missing > chunk.length) {
        this.keep(chunk);
        return;
      }
      const frame = this.joined(chunk.subarray(0, missing));
      this.parts = [];
      this.partBytes = 0;
      this.partFrame = undefined;
      yield frame.subarray(4);
      at = missing;
    }
    for (;;) {
      const length = frameLength(chunk, at);
      if (length === undefined || at + length > chunk.length) {
        if (at < chunk.length) this.keep(chunk.subarray(at));
        return;
      }
      yield chunk.subarray(at + 4, at + length);
      at += length;
    }
  }

  /** Bytes received that are not a whole frame yet. */
  get pending(): number {
    return this.partBytes;
  }

  /** With fewer than 4 bytes kept: how many of `chunk` end the frame, or undefined if the prefix is still short. */
  private needs(chunk: Buffer): number | undefined {
    const length = frameLength(Buffer.concat([...this.parts, chunk.subarray(0, 4)]));
    return length === undefined ? undefined : length - this.partBytes;
  }

  /** The kept parts and `last`, in the reused buffer. */
  private joined(last: Buffer): Buffer {
    const size = this.partBytes + last.length;
    if (this.spanning.length < size)
      this.spanning = Buffer.allocUnsafeSlow(Math.max(size, 2 * this.spanning.length));
    let at = 0;
    for (const part of this.parts) at += part.copy(this.spanning, at);
    last.copy(this.spanning, at);
    return this.spanning.subarray(0, size);
  }

  private keep(bytes: Buffer): void {
    this.parts.push(bytes);
    this.partBytes += bytes.length;
    if (this.partFrame === undefined && this.partBytes >= 4)
      this.partFrame = frameLength(this.parts.length === 1 ? bytes : Buffer.concat(this.parts));
  }
}

/** A frame's length with its prefix, or undefined while fewer than 4 bytes of it are there. */
function frameLength(buf: Buffer, at = 0): number | undefined {
  return buf.length - at < 4 ? undefined : 4 + buf.readUInt32BE(at);
}

/** The bytes field numbered `field` in the current field's message, or in the whole message when not `inner`. */
function bytesIn(r: ProtobufReader, field: number, inner = true): Buffer | undefined {
  let value: Buffer | undefined;
  const outer = inner ? r.enter() : 0;
  while (r.next()) if (r.field === field) value = r.bytes();
  if (inner) r.leave(outer);
  return value;
}

/** A watch event's type and its object's message. */
export function watchEvent(frame: Buffer): { type: string; object: Buffer } {
  let type = '';
  let raw: Buffer | undefined;
  const r = new ProtobufReader(frame);
  while (r.next()) {
    if (r.field === 1) type = r.string();
    else if (r.field === 2) raw = bytesIn(r, 1);
  }
  if (!raw || !raw.subarray(0, 4).equals(MAGIC)) throw new ProtobufError(`a ${type} event without an object`);
  const object = bytesIn(new ProtobufReader(raw, 4), 2, false);
  if (!object) throw new ProtobufError(`a ${type} event's object has no message`);
  return { type, object };
}

/** The initial state as a list with its resourceVersion, or undefined to stream it as JSON instead. */
export async function watchListProtobuf<T extends KubernetesObject>(
  kc: KubeConfig,
  path: string,
  { labelSelector, decode, transform }: ProtobufWatchListOptions<T>,
): Promise<KubernetesListObject<T> | undefined> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) return undefined;
  const url = new URL(cluster.server + path);
  url.searchParams.set('watch', 'true');
  for (const [key, value] of Object.entries(initialEventsQuery(labelSelector)))
    url.searchParams.set(key, String(value));
  const abort = new AbortController();
  let idle: NodeJS.Timeout | undefined;
  const stillAlive = () => {
    clearTimeout(idle);
    idle = setTimeout(() => abort.abort(), IDLE_TIMEOUT_MS).unref();
  };
  try {
    const { headers, dispatcher } = await authenticated(kc, url);
    stillAlive();
    // undici's request, whose body is a Node stream: fetch's web streams cost a quarter more CPU for the same bytes.
    const res = await request(url, {
      headers: { ...headers, Accept: PROTOBUF_WATCH, 'Accept-Encoding': 'identity' },
      dispatcher,
      signal: abort.signal,
    });
    const type = res.headers['content-type'];
    if (res.statusCode !== 200 || typeof type !== 'string' || !type.startsWith(PROTOBUF)) {
      res.body.resume();
      return undefined;
    }
    return await new Promise<KubernetesListObject<T> | undefined>((resolve) => {
      const items: T[] = [];
      const frames = new LengthPrefixedFrames();
      let settled = false;
      // Nothing after the answer: events past the bookmark belong to the watch that follows it.
      const settle = (list: KubernetesListObject<T> | undefined) => {
        if (settled) return;
        settled = true;
        res.body.destroy();
        resolve(list);
      };
      // 'data' events rather than async iteration, which concatenates the chunks waiting in the stream.
      res.body.on('data', (chunk: Buffer) => {
        if (settled) return;
        stillAlive();
        try {
          for (const frame of frames.push(chunk)) {
            const { type, object } = watchEvent(frame);
            if (type === 'ADDED') items.push(transform(decode(object)));
            else if (type !== 'BOOKMARK') return settle(undefined);
            else {
              const bookmark = decode(object);
              if (bookmark.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true') {
                const resourceVersion = bookmark.metadata.resourceVersion;
                return settle({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion }, items });
              }
            }
          }
        } catch {
          settle(undefined);
        }
      });
      res.body.on('error', () => settle(undefined));
      res.body.on('close', () => settle(undefined));
    });
  } catch {
    return undefined;
  } finally {
    clearTimeout(idle);
    abort.abort();
  }
}
