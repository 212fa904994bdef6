// Where a large answer's bytes are written: copied range by range from the kept encodings into pieces of a fixed
// size, each sent once full. A list of 20,000 Nodes is then a few 64 KiB pieces in flight, not an array of 140,000
// references to slices of kept bytes living as long as the answer is being sent (which V8 promotes to its old
// generation and then keeps the heap grown for).

/** A piece is sent when full; about what a TLS record or two take, and small enough to never be one large write. */
export const PIECE_BYTES = 64 * 1024;

const NONE = Buffer.alloc(0);

export class Pieces {
  private piece?: Buffer;
  private at = 0;
  private done: Buffer[] = [];

  constructor(private readonly size = PIECE_BYTES) {}

  /** Copies `bytes[start, end)` in, starting new pieces as they fill. */
  put(bytes: Buffer, start = 0, end = bytes.length): void {
    while (start < end) {
      this.piece ??= Buffer.allocUnsafeSlow(this.size);
      const n = Math.min(end - start, this.size - this.at);
      bytes.copy(this.piece, this.at, start, start + n);
      this.at += n;
      start += n;
      if (this.at === this.size) {
        this.done.push(this.piece);
        this.piece = undefined;
        this.at = 0;
      }
    }
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
