// Label selectors as k8s.io/apimachinery/pkg/labels parses them:
//   a=b, a==b, a!=b, a in (x,y), a notin (x), a, !a, a>1, a<3 — joined by commas (all must hold).
export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!' }
  | { key: string; op: 'gt' | 'lt'; value: number };

export type Labels = Record<string, string> | undefined;

export class SelectorError extends Error {}

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const TOKEN = /\s*(\(|\)|,|==|=|!=|!|>|<|[^\s(),=!<>]+)/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < text.length && (m = TOKEN.exec(text))) out.push(m[1]!);
  if (TOKEN.lastIndex < text.trimEnd().length)
    throw new SelectorError(`unable to parse requirement: "${text}"`);
  return out;
}

function checkKey(key: string | undefined): string {
  if (!key || !KEY.test(key) || key.length > 316)
    throw new SelectorError(`unable to parse requirement: invalid label key "${key ?? ''}"`);
  return key;
}

function checkValue(value: string): string {
  if (value.length > 63 || !VALUE.test(value))
    throw new SelectorError(`unable to parse requirement: invalid label value: "${value}"`);
  return value;
}

export function parseLabelSelector(text: string | undefined): Requirement[] {
  if (!text || !text.trim()) return [];
  const t = tokenize(text);
  const reqs: Requirement[] = [];
  let i = 0;
  const peek = () => t[i];
  const next = () => t[i++];
  for (;;) {
    if (peek() === '!') {
      next();
      reqs.push({ key: checkKey(next()), op: '!' });
    } else {
      const key = checkKey(next());
      const op = peek();
      if (op === undefined || op === ',') reqs.push({ key, op: 'exists' });
      else if (op === '=' || op === '==' || op === '!=') {
        next();
        const v = peek() === ',' || peek() === undefined ? '' : next()!;
        reqs.push({ key, op: op === '!=' ? 'notin' : 'in', values: [checkValue(v)] });
      } else if (op === 'in' || op === 'notin') {
        next();
        if (next() !== '(') throw new SelectorError(`unable to parse requirement: expected "(" after ${op}`);
        const values: string[] = [];
        while (peek() !== ')') {
          const v = peek() === ',' ? '' : next();
          if (v === undefined) throw new SelectorError('unable to parse requirement: missing ")"');
          values.push(checkValue(v));
          if (peek() === ',') next();
        }
        next();
        reqs.push({ key, op, values });
      } else if (op === '>' || op === '<') {
        next();
        const v = next();
        if (!v || !/^-?\d+$/.test(v))
          throw new SelectorError(`unable to parse requirement: for '${op}', '${v ?? ''}' is not an integer`);
        reqs.push({ key, op: op === '>' ? 'gt' : 'lt', value: Number(v) });
      } else throw new SelectorError(`unable to parse requirement: unexpected "${op}"`);
    }
    if (peek() === undefined) return reqs;
    if (next() !== ',') throw new SelectorError(`unable to parse requirement: expected "," in "${text}"`);
  }
}

export function matchesLabels(reqs: Requirement[], labels: Labels): boolean {
  return reqs.every((r) => {
    const v = labels?.[r.key];
    switch (r.op) {
      case 'exists':
        return v !== undefined;
      case '!':
        return v === undefined;
      case 'in':
        return v !== undefined && r.values.includes(v);
      case 'notin':
        return v === undefined || !r.values.includes(v);
      case 'gt':
        return v !== undefined && /^-?\d+$/.test(v) && Number(v) > r.value;
      case 'lt':
        return v !== undefined && /^-?\d+$/.test(v) && Number(v) < r.value;
    }
  });
}
