// net/url's decoding, which decides what Go's http server and k8s.io/apiserver see of a request: the
// unescaped path, the query values (ParseQuery) and percent-encoded header keys (PathUnescape).
//
// Input strings are taken as bytes the way Node hands them over (req.url and header names are latin1, one
// character per byte); a character above U+00FF is taken as its UTF-8 bytes. Decoded bytes are read as
// UTF-8, an invalid sequence becoming U+FFFD where Go would keep the raw bytes.
import { goQuote } from './go-format.js';

export class UrlEscapeError extends Error {}

const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

/** net/url unescape for paths (plusIsSpace false) and query components (true). Throws UrlEscapeError. */
function unescape(s: string, plusIsSpace: boolean): string {
  if (!s.includes('%') && !(plusIsSpace && s.includes('+')) && !/[\u0080-\uffff]/.test(s)) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length;) {
    const c = s[i]!;
    if (c === '%') {
      if (!isHex(s[i + 1]) || !isHex(s[i + 2])) {
        throw new UrlEscapeError(`invalid URL escape ${goQuote(s.slice(i, i + 3))}`);
      }
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
      continue;
    }
    const cp = s.codePointAt(i)!;
    if (c === '+' && plusIsSpace) bytes.push(0x20);
    else if (cp <= 0xff) bytes.push(cp);
    else bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
    i += cp > 0xffff ? 2 : 1;
  }
  return Buffer.from(bytes).toString('utf8');
}

/** url.PathUnescape: `%XX` decoded, `+` kept. */
export function pathUnescape(s: string): string {
  return unescape(s, false);
}

/** url.QueryUnescape: `%XX` decoded, `+` is a space. */
export function queryUnescape(s: string): string {
  return unescape(s, true);
}

/**
 * url.ParseQuery as Request.URL.Query() uses it, errors ignored: pairs split on `&` only, a pair holding
 * a `;` or a bad escape is dropped, a pair without `=` has the empty value.
 */
export function parseQuery(rawQuery: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    try {
      const key = queryUnescape(eq < 0 ? pair : pair.slice(0, eq));
      const value = queryUnescape(eq < 0 ? '' : pair.slice(eq + 1));
      const list = values.get(key);
      if (list) list.push(value);
      else values.set(key, [value]);
    } catch (err) {
      if (!(err instanceof UrlEscapeError)) throw err;
    }
  }
  return values;
}
