// The labels of apiserver_request_total and apiserver_request_duration_seconds as k8s.io/apiserver's
// MonitorRequest gives them (endpoints/metrics/metrics.go and the scopes of endpoints/installer.go, v0.36).
// Go labels only the routes it serves; so do we: a request for anything else, resource or not, has
// subresource="other" and empty group, version and resource, so no client can add label values.
import type { RequestInfo } from '../apiserver/request-info.js';
import { RESOURCES, VERSION } from '../apiserver/resource-catalog.js';

export interface RequestLabels {
  verb: string;
  dry_run: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  component: string;
}

export interface RequestFacts {
  /** The HTTP method, uppercase as Node gives it. */
  method: string;
  /** The raw query ('' when none). */
  rawQuery: string;
  contentType: string | undefined;
  /** The request's RequestInfo; undefined when its target could not be parsed. */
  info: RequestInfo | undefined;
}

export const REQUEST_LABEL_NAMES = [
  'verb',
  'dry_run',
  'group',
  'version',
  'resource',
  'subresource',
  'scope',
  'component',
] as const;

// cleanVerb keeps only these; the rest is "other".
const VALID_VERBS = new Set([
  'APPLY',
  'CONNECT',
  'CREATE',
  'DELETE',
  'DELETECOLLECTION',
  'GET',
  'LIST',
  'PATCH',
  'POST',
  'PROXY',
  'PUT',
  'UPDATE',
  'WATCH',
  'WATCHLIST',
]);
// Go instruments its health handlers with an empty component, discovery with "apiserver".
const HEALTH_PATHS = ['/healthz', '/livez', '/readyz'];
const COMPONENT = 'apiserver';
const OTHER = 'other';

/** Computes the labels of one request for the group we serve. */
export class RequestLabeler {
  /** Served non-resource paths → component; Go puts the path in the subresource label. */
  private readonly paths: ReadonlyMap<string, string>;
  /** Served resource → its subresources, '' for the resource itself. */
  private readonly resources: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(private readonly group: string) {
    const discovery = ['/apis', `/apis/${group}`, `/apis/${group}/${VERSION}`];
    const openapi = ['/openapi/v2', '/openapi/v3', `/openapi/v3/apis/${group}/${VERSION}`];
    this.paths = new Map([
      ...HEALTH_PATHS.map((p) => [p, ''] as const),
      ...[...discovery, ...openapi, '/metrics'].map((p) => [p, COMPONENT] as const),
    ]);
    this.resources = new Map(
      RESOURCES.map((r) => [r.name, new Set(['', ...r.subresources.map((s) => s.name)])]),
    );
  }

  labels({ method, rawQuery, contentType, info }: RequestFacts): RequestLabels {
    const served = info !== undefined && info.isResourceRequest && this.serves(info);
    // installer.go: a path with a name, or a POST, is "resource" scope; a collection of ours is cluster-scoped.
    const scope = !served ? '' : info.parts.length >= 2 || method === 'POST' ? 'resource' : 'cluster';
    let subresource = served ? info.subresource : OTHER;
    let component = COMPONENT;
    if (info !== undefined && !info.isResourceRequest) {
      const known = this.paths.get(info.path);
      subresource = known === undefined ? OTHER : info.path;
      component = known ?? COMPONENT;
    }
    return {
      verb: reportedVerb(method, scope, info, contentType),
      dry_run: dryRun(rawQuery),
      group: served ? info.apiGroup : '',
      version: served ? info.apiVersion : '',
      resource: served ? info.resource : '',
      subresource,
      scope,
      component,
    };
  }

  private serves(info: RequestInfo): boolean {
    return (
      info.apiGroup === this.group &&
      info.apiVersion === VERSION &&
      info.namespace === '' &&
      info.parts.length <= 3 &&
      this.resources.get(info.resource)?.has(info.subresource) === true
    );
  }
}

/** CanonicalVerb then cleanVerb: GET of a collection is LIST, watch=true is WATCH, server-side apply is APPLY. */
function reportedVerb(
  method: string,
  scope: string,
  info: RequestInfo | undefined,
  contentType?: string,
): string {
  let verb = method === 'HEAD' ? 'GET' : method;
  if (verb === 'GET' && scope !== 'resource' && scope !== '') verb = 'LIST';
  if (info?.verb === 'watch') verb = 'WATCH';
  if (verb === 'PATCH' && contentType === 'application/apply-patch+yaml') verb = 'APPLY';
  return VALID_VERBS.has(verb) ? verb : OTHER;
}

/** cleanDryRun: "" without dryRun in the query, else its values deduplicated and sorted, or "invalid". */
function dryRun(rawQuery: string): string {
  if (!rawQuery.includes('dryRun')) return '';
  const values = new URLSearchParams(rawQuery).getAll('dryRun');
  if (values.length === 0) return '';
  return values.every((v) => v === 'All') ? 'All' : 'invalid';
}
