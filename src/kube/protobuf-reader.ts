// Protocol Buffers' wire format, read field by field (https://protobuf.dev/programming-guides/encoding/): enough
// to pick a few fields out of a kube-apiserver message and step over the rest without decoding it.

/** Wire types: a varint, 64 bits, a length-delimited field (string, bytes, message), 32 bits. */
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

export class ProtobufError extends Error {}

/** The fields of one message in `buf`, from `start` to `end`, read in order. */
export class ProtobufReader {
  /** The current field's number and, for a length-delimited field, where its bytes are. */
  field = 0;
  private wireType = 0;
  valueStart = 0;
  valueEnd = 0;
  /** A varint field's value (past 2^53 it loses precision; int64s above 2^63 read as negatives do in Go). */
  varint = 0;

  constructor(
    readonly buf: Buffer,
    private at = 0,
    private end = buf.length,
  ) {}

  /** Moves to the next field; false at the message's end. */
  next(): boolean {
    if (this.at >= this.end) return false;
    const key = this.readVarint();
    this.field = Math.floor(key / 8);
    this.wireType = key & 7;
    switch (this.wireType) {
      case VARINT:
        this.varint = this.readVarint();
        break;
      case FIXED64:
        this.skip(8);
        break;
      case FIXED32:
        this.skip(4);
        break;
      case LENGTH_DELIMITED: {
        const length = this.readVarint();
        this.valueStart = this.at;
        this.skip(length);
        this.valueEnd = this.at;
        break;
      }
      default:
        throw new ProtobufError(`unsupported wire type ${this.wireType} at byte ${this.at}`);
    }
    if (this.field === 0) throw new ProtobufError('field number 0');
    return true;
  }

  /** The current field as a UTF-8 string. */
  string(): string {
    this.expectLengthDelimited();
    return this.buf.toString('utf8', this.valueStart, this.valueEnd);
  }

  /**
   * Reads the current field as an embedded message: next() then moves through its fields, until leave() is given
   * what this returned. One reader for a whole message, not one per embedded message: a Node has dozens.
   */
  enter(): number {
    this.expectLengthDelimited();
    const outer = this.end;
    this.at = this.valueStart;
    this.end = this.valueEnd;
    return outer;
  }

  /** Back to the message around the one entered, after it. */
  leave(outer: number): void {
    this.at = this.end;
    this.end = outer;
  }

  /** The current field's bytes, without copying. */
  bytes(): Buffer {
    this.expectLengthDelimited();
    return this.buf.subarray(this.valueStart, this.valueEnd);
  }

  private expectLengthDelimited(): void {
    if (this.wireType !== LENGTH_DELIMITED)
      throw new ProtobufError(`field ${this.field} has wire type ${this.wireType}, not length-delimited`);
  }

  private skip(n: number): void {
    this.at += n;
    if (this.at > this.end) throw new ProtobufError('truncated message');
  }

  private readVarint(): number {
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.at >= this.end) throw new ProtobufError('truncated varint');
      const byte = this.buf[this.at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value >= 2 ** 63 ? value - 2 ** 64 : value;
    }
    throw new ProtobufError('varint longer than 10 bytes');
  }
}
