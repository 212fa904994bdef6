// --authorization-always-allow-paths as k8s.io/apiserver/pkg/authorization/path/path.go matches them: an
// entry is an exact path or, ending in `*`, a prefix; the leading `/` is optional on both sides. Only
// non-resource requests are matched; the caller checks that.
import { goQuote } from '../apiserver/go-format.js';

/** NewAuthorizer's validation: a `*` anywhere but at the end is an error. */
export function validateAlwaysAllowPaths(paths: readonly string[]): void {
  for (const entry of paths) {
    const p = entry.replace(/^\//, '');
    if (p.slice(0, -1).includes('*')) throw new Error(`only trailing * allowed in ${goQuote(p)}`);
  }
}

export function matchesAlwaysAllowPaths(path: string, alwaysAllowPaths: readonly string[]): boolean {
  const requested = path.replace(/^\//, '');
  return alwaysAllowPaths.some((entry) => {
    const p = entry.replace(/^\//, '');
    return p.endsWith('*') ? requested.startsWith(p.slice(0, -1)) : requested === p;
  });
}
