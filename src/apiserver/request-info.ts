// What a request asks for, as k8s.io/apiserver/pkg/endpoints/request/requestinfo.go NewRequestInfo reads it
// from the method and URL (v0.36, AuthorizeWithSelectors on): resource or non-resource, the Kubernetes verb,
// group, version, namespace, resource, subresource, name and the raw selectors authorization may use.
import { goQuote, isGoInt64 } from './go-format.js';
import { FieldSelectorError, parseFieldSelector, requiredExactMatch } from './selectors/field-selector.js';
import { parseQuery, pathUnescape, UrlEscapeError } from './go-url.js';
import { LabelSelectorError, parseLabelSelector } from './selectors/label-selector.js';

export interface RequestInfo {
  isResourceRequest: boolean;
  /** The unescaped URL path. */
  path: string;
  /** The Kubernetes verb (get, list, watch, create, ...); for non-resource requests the lowercase method. */
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** The path parts from the resource on: resource/name/subresource/... */
  parts: string[];
  /** The raw fieldSelector, kept only for list, watch and deletecollection. */
  fieldSelector: string;
  /** The raw labelSelector, kept only for list, watch and deletecollection. */
  labelSelector: string;
}

/** NewRequestInfo's own error; the request filter answers it with a text/plain 500. */
export class RequestInfoError extends Error {}

/** A request target Go's http server would not parse; it answers 400 before any handler runs. */
export class InvalidRequestUriError extends Error {}

const API_PREFIXES = new Set(['api', 'apis']);
const GROUPLESS_API_PREFIXES = new Set(['api']);
const SPECIAL_VERBS = new Set(['proxy', 'watch']);
const SPECIAL_VERBS_NO_SUBRESOURCES = new Set(['proxy']);
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const VERBS_WITH_SELECTORS = new Set(['list', 'watch', 'deletecollection']);
const METHOD_VERBS = new Map([
  ['POST', 'create'],
  ['GET', 'get'],
  ['HEAD', 'get'],
  ['PUT', 'update'],
  ['PATCH', 'patch'],
  ['DELETE', 'delete'],
]);

/**
 * url.ParseRequestURI on the request target (Node's req.url): the unescaped path and the raw query.
 * Throws InvalidRequestUriError with Go's message.
 */
export function parseRequestTarget(target: string): { path: string; rawQuery: string } {
  const fail = (reason: string) => new InvalidRequestUriError(`parse ${goQuote(target)}: ${reason}`);
  if ([...target].some((c) => c < ' ' || c === '\x7f')) {
    throw new InvalidRequestUriError('net/url: invalid control character in URL');
  }
  const q = target.indexOf('?');
  let rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  if (!rawPath.startsWith('/') && rawPath !== '*') {
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(rawPath);
    if (!scheme) throw fail('invalid URI for request');
    rawPath = rawPath.slice(scheme[0].length);
    if (!rawPath.startsWith('//')) return { path: '', rawQuery };
    const slash = rawPath.indexOf('/', 2);
    rawPath = slash < 0 ? '' : rawPath.slice(slash);
  }
  try {
    return { path: pathUnescape(rawPath), rawQuery };
  } catch (err) {
    if (err instanceof UrlEscapeError) throw fail(err.message);
    throw err;
  }
}

function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

/** Convert_Slice_string_To_bool: only "0" and "false" (any case, Unicode folding) are false. */
function queryBool(value: string): boolean {
  return !(value === '0' || value.replace(/\u017f/g, 's').toLowerCase() === 'false');
}

/**
 * Whether metav1.ListOptions decodes from the query (ParameterCodec.DecodeParameters): it fails on a bad
 * labelSelector, fieldSelector, timeoutSeconds or limit, and then Go keeps only `watch` from the raw query.
 */
function listOptionsDecode(query: Map<string, string[]>): boolean {
  const first = (key: string) => query.get(key)?.[0];
  for (const key of ['timeoutSeconds', 'limit']) {
    const v = first(key);
    if (v !== undefined && !isGoInt64(v)) return false;
  }
  try {
    parseLabelSelector(first('labelSelector') ?? '');
    parseFieldSelector(first('fieldSelector') ?? '');
    return true;
  } catch (err) {
    if (err instanceof LabelSelectorError || err instanceof FieldSelectorError) return false;
    throw err;
  }
}

/** path.IsValidPathSegmentName reports no error. */
function isValidPathSegmentName(name: string): boolean {
  return name !== '.' && name !== '..' && !name.includes('/') && !name.includes('%');
}

/** The verb of a GET without a name: list or watch, and the name a `metadata.name=` field selector pins. */
function listOrWatch(info: RequestInfo, query: Map<string, string[]>): void {
  const watch = query.get('watch')?.[0];
  if (!listOptionsDecode(query)) {
    // The fallback reads watch with strings.ToLower instead of the conversion's EqualFold.
    info.verb = watch !== undefined && !['false', '0'].includes(watch.toLowerCase()) ? 'watch' : 'list';
    return;
  }
  info.verb = watch !== undefined && queryBool(watch) ? 'watch' : 'list';
  const fieldSelector = query.get('fieldSelector')?.[0];
  if (fieldSelector === undefined) return;
  const name = requiredExactMatch(parseFieldSelector(fieldSelector), 'metadata.name');
  if (name !== undefined && isValidPathSegmentName(name)) info.name = name;
}

/**
 * NewRequestInfo. `requestTarget` is the raw target (Node's req.url). Throws InvalidRequestUriError for a
 * target Go's server rejects, RequestInfoError for a special verb with nothing after it (`/apis/g/v/watch`).
 */
export function newRequestInfo(method: string, requestTarget: string): RequestInfo {
  const { path, rawQuery } = parseRequestTarget(requestTarget);
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
    fieldSelector: '',
    labelSelector: '',
  };

  let parts = splitPath(path);
  if (parts.length < 3 || !API_PREFIXES.has(parts[0]!)) return info;
  info.apiPrefix = parts[0]!;
  parts = parts.slice(1);
  if (!GROUPLESS_API_PREFIXES.has(info.apiPrefix)) {
    if (parts.length < 3) return info;
    info.apiGroup = parts[0]!;
    parts = parts.slice(1);
  }
  info.isResourceRequest = true;
  info.apiVersion = parts[0]!;
  parts = parts.slice(1);

  const verbViaPathPrefix = SPECIAL_VERBS.has(parts[0]!);
  if (verbViaPathPrefix) {
    if (parts.length < 2)
      throw new RequestInfoError(`unable to determine kind and namespace from url, ${requestTarget}`);
    info.verb = parts[0]!;
    parts = parts.slice(1);
  } else {
    info.verb = METHOD_VERBS.get(method) ?? '';
  }

  if (parts[0] === 'namespaces' && parts.length > 1) {
    info.namespace = parts[1]!;
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
  }
  info.parts = parts;
  if (parts.length >= 3 && !SPECIAL_VERBS_NO_SUBRESOURCES.has(info.verb)) info.subresource = parts[2]!;
  if (parts.length >= 2) info.name = parts[1]!;
  if (parts.length >= 1) info.resource = parts[0]!;

  const query = parseQuery(rawQuery);
  if (info.name === '' && info.verb === 'get') listOrWatch(info, query);
  if (info.name === '' && info.verb === 'delete') info.verb = 'deletecollection';

  // Selectors are not authorized on the deprecated /watch/ paths, which do not support them consistently.
  if (!verbViaPathPrefix && VERBS_WITH_SELECTORS.has(info.verb)) {
    info.fieldSelector = query.get('fieldSelector')?.[0] ?? '';
    info.labelSelector = query.get('labelSelector')?.[0] ?? '';
  }
  return info;
}
