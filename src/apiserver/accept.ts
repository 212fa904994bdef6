// Accept-header negotiation with Kubernetes' media-type parameters (g, v, as), e.g.
// `application/json;as=Table;v=v1;g=meta.k8s.io`. Clients list what they want in order of preference.
export interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => {
      const [type, ...rest] = part.split(';').map((s) => s.trim());
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
      return { type: (type ?? '').toLowerCase(), params, q: Number.isFinite(q) ? q : 0 };
    })
    .filter((r) => r.type !== '' && r.q > 0)
    .reduce(insertSorted, []);
}

/** goautoneg's acceptSlice.Less: a higher q first, then a concrete type, then a concrete subtype. */
function less(a: MediaRange, b: MediaRange): boolean {
  const [aType = '', aSub = ''] = a.type.split('/');
  const [bType = '', bSub = ''] = b.type.split('/');
  if (a.q > b.q) return true;
  if (aType !== '*' && bType === '*') return true;
  return aSub !== '*' && bSub === '*';
}

/**
 * One step of the insertion sort Go's sort.Sort runs on short slices (every real Accept header), with
 * goautoneg's Less: the order k8s.io/apiserver's negotiation tries the clauses in.
 */
function insertSorted(sorted: MediaRange[], r: MediaRange): MediaRange[] {
  let at = sorted.length;
  while (at > 0 && less(r, sorted[at - 1]!)) at--;
  sorted.splice(at, 0, r);
  return sorted;
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
