// A JSON answer assembled from parts encoded once and kept (each Node's view, its Table row), so a list of
// thousands is a copy of kept bytes instead of a walk over every object, and leaves no large strings behind
// for the garbage collector. The items are written into pieces as the socket takes them (reply.ts), each item's
// encoding looked up (or made) only when its turn comes. Only reply.ts writes one: it is bytes, not a value.
import { Pieces } from './pieces.js';

/** What `fill` returns once the tail is written. */
export const DONE = -1;

/** What reply.ts writes of an encoded answer. */
export interface EncodedBody {
  fill(into: Pieces, at: number): Promise<number>;
}

export class EncodedJson<T = Buffer, E = T> implements EncodedBody {
  /**
   * `head` + the items separated by commas + `tail`, e.g. `{"items":[` … `]}`; `put` copies an item's encoding
   * (what `encoding` gives for it, made on demand when it is not kept) into the pieces.
   */
  constructor(
    private readonly frame: readonly [head: Buffer, tail: Buffer],
    private readonly items: readonly T[],
    private readonly put: (encoded: E, into: Pieces) => void,
    private readonly encoding: (item: T) => E | Promise<E> = (item) => item as unknown as E,
  ) {}

  /**
   * Writes on from `at` (0: the start; else 1 + the item to go on from) until a piece is full; returns where to go on
   * from, or DONE once the tail is written.
   */
  async fill(into: Pieces, at: number): Promise<number> {
    if (at === 0) {
      into.put(this.frame[0]);
      at = 1;
    }
    for (; at <= this.items.length; at++) {
      if (into.full) return at;
      let encoded = this.encoding(this.items[at - 1]!);
      if (encoded instanceof Promise) encoded = await encoded;
      if (at > 1) into.put(COMMA);
      this.put(encoded as E, into);
    }
    into.put(this.frame[1]);
    return DONE;
  }

  /** The whole text at once, for small answers (a watch event's one-row Table). */
  async bytes(pieceBytes = 4096): Promise<Buffer> {
    const into = new Pieces(pieceBytes);
    const done: Buffer[] = [];
    for (let at = 0; at !== DONE; done.push(...into.take())) at = await this.fill(into, at);
    return Buffer.concat([...done, into.rest()]);
  }
}

/**
 * Bytes kept across requests, in memory of their own. Buffer.from puts a small buffer in a slice of a shared 64 KiB
 * slab (Buffer.poolSize), and a kept slice keeps its whole slab alive, with whatever transient bytes of requests
 * were cut from it: Table rows and Age cells kept that way held 3.5 MiB more every minute under steady load.
 */
export function keptBytes(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}

/** A value's JSON as kept bytes. */
export const encode = (value: unknown): Buffer => keptBytes(JSON.stringify(value));

const COMMA = keptBytes(',');

/** Copies a kept Buffer in whole: the `put` of a list of encoded items. */
export const putWhole = (bytes: Buffer, into: Pieces): void => into.put(bytes);

/**
 * The head and tail around a list's items: JSON.stringify of the object (without its items) with the items
 * added last and empty, cut at `[]`, so every other field is encoded exactly as it would be.
 */
export function listFrame(value: Record<string, unknown>, itemsKey: string): [Buffer, Buffer] {
  if (itemsKey in value) throw new Error(`listFrame: ${itemsKey} must be left out`);
  const text = JSON.stringify({ ...value, [itemsKey]: [] }); // ends with `[]}`
  return [Buffer.from(text.slice(0, -2)), Buffer.from(text.slice(-2))];
}
