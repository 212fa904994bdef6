// Where a large answer's bytes are written: copied range by range from the kept encodings into pieces of a fixed
// size, each sent once full. A list of 20,000 Nodes is then a few 64 KiB pieces in flight, not an array of 140,000
// references to slices of kept bytes living as long as the answer is being sent (which V8 promotes to its old
// generation and then keeps the heap grown for).

/** A piece is sent when full; about what a TLS record or two take, and small enough to never be one large write. */
export const PIECE_BYTES = 64 * 1024;

const NONE = Buffer.alloc(0);

/**
 * Pieces handed back once the socket has written them (reply.ts), for the next answers: a list of 20,000 Nodes is
 * ~350 pieces, and freeing each to the allocator only after a garbage collection leaves glibc's malloc holding tens of
 * MiB it does not return (RSS grew by twice the bytes written in flight, measured under a memory cgroup).
 */
const spare: Buffer[] = [];
const SPARE_PIECES = 32;

function newPiece(size: number): Buffer {
  return (size === PIECE_BYTES && spare.pop()) || Buffer.allocUnsafeSlow(size);
}

/** Gives a written piece (or the start of one, as `rest` hands it over) back for reuse. */
export function recycle(piece: Buffer): void {
  if (piece.buffer.byteLength !== PIECE_BYTES || spare.length >= SPARE_PIECES) return;
  spare.push(Buffer.from(piece.buffer, 0, PIECE_BYTES));
}

export class Pieces {
  private piece?: Buffer;
  private at = 0;
  private done: Buffer[] = [];

  constructor(private readonly size = PIECE_BYTES) {}

  /** Copies `bytes[start, end)` in, starting new pieces as they fill. */
  put(bytes: Buffer, start = 0, end = bytes.length): void {
    while (start < end) {
      this.piece ??= newPiece(this.size);
      const n = Math.min(end - start, this.size - this.at);
      bytes.copy(this.piece, this.at, start, start + n);
      this.at += n;
      start += n;
      this.moveOnIfFull();
    }
  }

  /**
   * Copies a text in as UTF-8: written in place when it surely fits the piece (3 bytes at most per UTF-16 unit),
   * else through a Buffer of its own.
   */
  putText(text: string): void {
    this.piece ??= newPiece(this.size);
    if (text.length * 3 > this.size - this.at) return this.put(Buffer.from(text));
    this.at += this.piece.write(text, this.at);
    this.moveOnIfFull();
  }

  private moveOnIfFull(): void {
    if (this.at < this.size) return;
    this.done.push(this.piece!);
    this.piece = undefined;
    this.at = 0;
  }

  /** Whether a piece is full and waiting to be taken. */
  get full(): boolean {
    return this.done.length > 0;
  }

  /** The full pieces, handed over. */
  take(): Buffer[] {
    const done = this.done;
    this.done = [];
    return done;
  }

  /** The piece being filled, handed over as it is (the last of an answer). */
  rest(): Buffer {
    const rest = this.piece?.subarray(0, this.at) ?? NONE;
    this.piece = undefined;
    this.at = 0;
    return rest;
  }
}
