// Accept-header negotiation with Kubernetes' media-type parameters (g, v, as), e.g.
// `application/json;as=Table;v=v1;g=meta.k8s.io`. Clients list what they want in order of preference.
export interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

/**
 * The media ranges considered: more than any client sends (kubectl sends three). A longer header is read only this
 * far, so its cost stays bounded however long the header (up to 1 MiB) is.
 */
export const MAX_MEDIA_RANGES = 128;

/** Go's sort.Sort sorts slices this short by insertion; longer ones by pdqsort. */
const INSERTION_SORT_MAX = 12;

interface Clause extends MediaRange {
  concreteType: boolean;
  concreteSubtype: boolean;
}

function parseRange(part: string): Clause {
  const [type = '', ...rest] = part.split(';').map((s) => s.trim());
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq > 0)
      params[p.slice(0, eq).trim().toLowerCase()] = p
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, '');
  }
  const q = params.q === undefined ? 1 : Number(params.q);
  delete params.q;
  const lower = type.toLowerCase();
  const slash = lower.indexOf('/');
  return {
    type: lower,
    params,
    q: Number.isFinite(q) ? q : 0,
    concreteType: (slash < 0 ? lower : lower.slice(0, slash)) !== '*',
    concreteSubtype: (slash < 0 ? '' : lower.slice(slash + 1)) !== '*',
  };
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  const clauses: Clause[] = [];
  for (let from = 0, n = 0; from <= header.length && n < MAX_MEDIA_RANGES; n++) {
    const comma = header.indexOf(',', from);
    const to = comma < 0 ? header.length : comma;
    const clause = parseRange(header.slice(from, to));
    if (clause.type !== '' && clause.q > 0) clauses.push(clause);
    from = to + 1;
  }
  const sorted =
    clauses.length <= INSERTION_SORT_MAX ? clauses.reduce(insertSorted, []) : clauses.sort(byRank);
  return sorted.map(({ type, params, q }) => ({ type, params, q }));
}

/** goautoneg's acceptSlice.Less: a higher q first, then a concrete type, then a concrete subtype. */
function less(a: Clause, b: Clause): boolean {
  if (a.q > b.q) return true;
  if (a.concreteType && !b.concreteType) return true;
  return a.concreteSubtype && !b.concreteSubtype;
}

/**
 * One step of the insertion sort Go's sort.Sort runs on short slices (every real Accept header), with
 * goautoneg's Less: the order k8s.io/apiserver's negotiation tries the clauses in.
 */
function insertSorted(sorted: Clause[], r: Clause): Clause[] {
  let at = sorted.length;
  while (at > 0 && less(r, sorted[at - 1]!)) at--;
  sorted.splice(at, 0, r);
  return sorted;
}

/** The same preferences as a consistent order, for the O(n log n) sort of longer headers. */
function byRank(a: Clause, b: Clause): number {
  return b.q - a.q || +b.concreteType - +a.concreteType || +b.concreteSubtype - +a.concreteSubtype;
}

/** True for a range that plain JSON satisfies: application/json, application/*, * / * (without `as=`). */
export function acceptsPlainJson(r: MediaRange): boolean {
  if (r.params.as !== undefined) return false;
  return r.type === 'application/json' || r.type === 'application/*' || r.type === '*/*';
}

/** Whether a range asks for the `as=KIND` rendering of group `g` (any of `versions`). */
export function asksFor(r: MediaRange, kind: string, group: string, versions: string[]): string | undefined {
  if (r.type !== 'application/json' || r.params.as !== kind || r.params.g !== group) return undefined;
  return versions.includes(r.params.v ?? '') ? r.params.v : undefined;
}
