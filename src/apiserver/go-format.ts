// Go's text handling, where Kubernetes messages and decisions depend on it byte for byte: strconv.Quote
// (%q), strconv.ParseInt, encoding/json (which escapes <, > and & and sorts map keys), string order and
// length (UTF-8 bytes).

// unicode.IsPrint: categories L, M, N, P, S, plus the ASCII space.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const NAMED_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function quoteRune(ch: string): string {
  if (ch === '"' || ch === '\\') return `\\${ch}`;
  if (PRINTABLE.test(ch)) return ch;
  const named = NAMED_ESCAPES[ch];
  if (named) return named;
  const cp = ch.codePointAt(0)!;
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex(cp, 2)}`;
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd'; // a lone surrogate is not a valid rune
  return cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
}

/** strconv.Quote, i.e. fmt's %q of a string. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) out += quoteRune(ch);
  return `${out}"`;
}

/** Go orders strings by their UTF-8 bytes, which is code point order (not UTF-16 unit order). */
export function compareGoStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** strconv.ParseInt(s, 10, 64) succeeds: an optional sign, decimal digits, within 64 bits. */
export function isGoInt64(s: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(s)) return false;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** len() of a Go string: its UTF-8 byte count. */
export function goByteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

const JSON_HTML_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

function jsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => JSON_HTML_ESCAPES[c]!);
}

export interface GoJsonOptions {
  /**
   * Sort object keys as json.Marshal sorts map keys. Leave it off for objects that stand for Go structs:
   * they are written in insertion order, which the builders keep equal to the struct's field order.
   */
  sortKeys: boolean;
  /** Properties whose value is a Go map inside such structs (e.g. `extra`): their keys are sorted. */
  mapFields?: ReadonlySet<string>;
}

/** encoding/json's output (json.Marshal; json.Encoder adds a trailing newline). Undefined fields are left out. */
export function goJson(value: unknown, options: GoJsonOptions): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return String(value);
    case 'bigint':
      return value.toString();
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => goJson(v, options)).join(',')}]`;
      const withToJson = value as { toJSON?: () => unknown };
      if (typeof withToJson.toJSON === 'function') return goJson(withToJson.toJSON(), options);
      // Object.entries lists integer-like keys first, so map keys are always sorted explicitly.
      const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
      if (options.sortKeys) entries.sort(([a], [b]) => compareGoStrings(a, b));
      const field = ([k, v]: [string, unknown]) => {
        const asMap = !options.sortKeys && options.mapFields?.has(k);
        return `${jsonString(k)}:${goJson(v, asMap ? { ...options, sortKeys: true } : options)}`;
      };
      return `{${entries.map(field).join(',')}}`;
    }
    default:
      return 'null';
  }
}
