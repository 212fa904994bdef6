// Protocol Buffers' wire format written by hand, for tests that play kube-apiserver's protobuf answers: a field
// is its key and value; a message is its fields one after another.

function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = BigInt.asUintN(64, BigInt(n));
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    bytes.push(v ? low | 0x80 : low);
  } while (v);
  return Buffer.from(bytes);
}

/** A length-delimited field: a string, bytes or an embedded message. */
export function bytesField(field: number, value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([varint(field * 8 + 2), varint(bytes.length), bytes]);
}

export function varintField(field: number, value: number): Buffer {
  return Buffer.concat([varint(field * 8), varint(value)]);
}

/** A 32- or 64-bit field (wire types 5 and 1), which a reader must step over. */
export function fixedField(field: number, bits: 32 | 64): Buffer {
  return Buffer.concat([varint(field * 8 + (bits === 32 ? 5 : 1)), Buffer.alloc(bits / 8, 0xab)]);
}

export const message = (...fields: Buffer[]): Buffer => Buffer.concat(fields);

/** A map<string, string> field's entries. */
export const mapField = (field: number, map: Record<string, string>): Buffer =>
  message(
    ...Object.entries(map).map(([k, v]) => bytesField(field, message(bytesField(1, k), bytesField(2, v)))),
  );

/** A metav1.Time field: empty when zero, as Go writes it. */
export const timeField = (field: number, seconds: number | undefined): Buffer =>
  bytesField(
    field,
    seconds === undefined ? Buffer.alloc(0) : message(varintField(1, seconds), varintField(2, 0)),
  );

/** A watch event as kube-apiserver frames it: length, WatchEvent {type, RawExtension {"k8s\0" + Unknown}}. */
export function watchFrame(type: string, object: Buffer): Buffer {
  const unknown = message(
    bytesField(1, message(bytesField(1, 'v1'), bytesField(2, 'Node'))),
    bytesField(2, object),
    bytesField(3, ''),
    bytesField(4, ''),
  );
  const raw = Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
  const event = message(bytesField(1, type), bytesField(2, bytesField(1, raw)));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(event.length);
  return Buffer.concat([length, event]);
}
