// Licence review of what ships: an SPDX expression passes when every package may be redistributed in a
// closed image without obligations beyond notices. Copyleft (GPL, LGPL, AGPL, MPL, EPL, EUPL, CDDL, OSL, SSPL)
// and anything unrecognised are held for review instead of shipping unnoticed.

/** Permissive licences: notice-only obligations (https://spdx.org/licenses/ for the identifiers). */
const PERMISSIVE = new Set([
  '0BSD',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'CC0-1.0',
  'ISC',
  'MIT',
  'MIT-0',
  'Python-2.0',
  'Unlicense',
  'Zlib',
]);

const COPYLEFT = /^(A?GPL|LGPL|MPL|EPL|EUPL|CDDL|OSL|SSPL|CC-BY-SA)-/;

export type Verdict = 'permissive' | 'copyleft' | 'unknown';

/**
 * The verdict on an SPDX expression: OR takes the best alternative (the licensee chooses), AND the worst
 * (all apply). Parentheses group; `WITH` exceptions are kept with their licence and judged as it.
 */
export function verdict(expression: string): Verdict {
  const rank: Record<Verdict, number> = { permissive: 0, unknown: 1, copyleft: 2 };
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let pos = 0;
  const one = (id: string): Verdict =>
    PERMISSIVE.has(id) ? 'permissive' : COPYLEFT.test(id) ? 'copyleft' : 'unknown';
  const primary = (): Verdict => {
    const token = tokens[pos++];
    if (token === '(') {
      const inner = or();
      if (tokens[pos++] !== ')') return 'unknown';
      return inner;
    }
    if (token === undefined || token === ')') return 'unknown';
    const v = one(token);
    if (tokens[pos] === 'WITH') pos += 2;
    return v;
  };
  // A run of operands joined by `op`: AND keeps the worst verdict, OR the best.
  const joined = (op: 'AND' | 'OR', operand: () => Verdict, worse: boolean): Verdict => {
    let v = operand();
    while (tokens[pos] === op) {
      pos++;
      const w = operand();
      if (worse ? rank[w] > rank[v] : rank[w] < rank[v]) v = w;
    }
    return v;
  };
  const and = (): Verdict => joined('AND', primary, true);
  const or = (): Verdict => joined('OR', and, false);
  const v = or();
  return pos === tokens.length ? v : 'unknown';
}
