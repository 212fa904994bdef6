// Request-header (front-proxy) authentication as k8s.io/apiserver does it: the client certificate must
// chain to the requestheader CA for client auth (x509.go Verifier) and, when names are configured, carry an
// allowed CN; only then is the user read from the X-Remote-* headers (headerrequest/requestheader.go).
// Headers come in Node's req.headersDistinct shape: lowercase names, one array entry per header line.
import { pathUnescape, UrlEscapeError } from '../apiserver/go-url.js';
import type { UserInfo } from './user-info.js';

export { verifyClientCertificate, type VerifyOptions, type VerifyResult } from './x509-verify.js';

export type HeadersDistinct = Readonly<Record<string, readonly string[] | undefined>>;

export interface RequestHeaderNames {
  usernameHeaders: readonly string[];
  uidHeaders: readonly string[];
  groupHeaders: readonly string[];
  extraHeaderPrefixes: readonly string[];
}

/** The headers the aggregator always sets, whatever kube-apiserver's flags say (SetAuthProxyHeaders). */
export const STANDARD_REQUEST_HEADERS: RequestHeaderNames = {
  usernameHeaders: ['X-Remote-User'],
  uidHeaders: ['X-Remote-Uid'],
  groupHeaders: ['X-Remote-Group'],
  extraHeaderPrefixes: ['X-Remote-Extra-'],
};

/** Verifier.verifySubject: an empty list allows any CN; otherwise an exact, case-sensitive match. */
export function checkAllowedNames(commonName: string, allowedNames: readonly string[]): string | undefined {
  if (allowedNames.length === 0 || allowedNames.includes(commonName)) return undefined;
  return `x509: subject with cn=${commonName} is not in the allowed list`;
}

const values = (headers: HeadersDistinct, name: string) => headers[name.toLowerCase()] ?? [];

/** headerValue: the first value (h.Get) of the first listed header that has a non-empty one. */
function firstValue(headers: HeadersDistinct, names: readonly string[]): string {
  for (const name of names) {
    const value = values(headers, name)[0];
    if (value) return value;
  }
  return '';
}

/** unescapeExtraKey: percent-decoded, or kept as is when that fails. */
function unescapeExtraKey(key: string): string {
  try {
    return pathUnescape(key);
  } catch (err) {
    if (err instanceof UrlEscapeError) return key;
    throw err;
  }
}

/**
 * newExtra: prefixes in order, the key lowercased then unescaped, every value of every matching header. The
 * names are already lowercase, so a lowercased prefix is matched as is: this runs on every request.
 */
function extraFromHeaders(headers: HeadersDistinct, prefixes: readonly string[]): Record<string, string[]> {
  const extra: Record<string, string[]> = {};
  for (const prefix of prefixes) {
    const lower = prefix.toLowerCase();
    for (const name of Object.keys(headers)) {
      const vv = headers[name];
      if (!vv || !name.startsWith(lower)) continue;
      const key = unescapeExtraKey(name.slice(lower.length));
      (extra[key] ??= []).push(...vv);
    }
  }
  return extra;
}

/**
 * requestHeaderAuthRequestHandler.AuthenticateRequest, to call only after the certificate checks passed.
 * Undefined (not authenticated, no error) when no username header has a value.
 */
export function userFromHeaders(headers: HeadersDistinct, names: RequestHeaderNames): UserInfo | undefined {
  const name = firstValue(headers, names.usernameHeaders);
  if (!name) return undefined;
  const uid = firstValue(headers, names.uidHeaders);
  const groups = names.groupHeaders.flatMap((h) => values(headers, h).filter((v) => v !== ''));
  return { name, ...(uid && { uid }), groups, extra: extraFromHeaders(headers, names.extraHeaderPrefixes) };
}

interface StripRules {
  exact: ReadonlySet<string>;
  /** Lowercase. */
  prefixes: readonly string[];
}

/** Per configuration (it changes only with the trust store), not per request. */
const stripRulesMemo = new WeakMap<RequestHeaderNames, StripRules>();

function stripRules(configured?: RequestHeaderNames): StripRules {
  const memoKey = configured ?? STANDARD_REQUEST_HEADERS;
  let rules = stripRulesMemo.get(memoKey);
  if (rules) return rules;
  const sets = configured ? [STANDARD_REQUEST_HEADERS, configured] : [STANDARD_REQUEST_HEADERS];
  const exact = new Set(['authorization']);
  const prefixes: string[] = [];
  for (const s of sets) {
    for (const h of [...s.usernameHeaders, ...s.uidHeaders, ...s.groupHeaders]) exact.add(h.toLowerCase());
    prefixes.push(...s.extraHeaderPrefixes.map((p) => p.toLowerCase()));
  }
  rules = { exact, prefixes };
  stripRulesMemo.set(memoKey, rules);
  return rules;
}

/**
 * The headers withAuthentication deletes after any successful authentication (lowercase names, out of
 * `presentHeaderNames`): Authorization, and the standard and configured username, uid, group and extra
 * headers, so that no handler ever sees them.
 */
export function headersToStrip(
  presentHeaderNames: Iterable<string>,
  configured?: RequestHeaderNames,
): string[] {
  const { exact, prefixes } = stripRules(configured);
  const strip: string[] = [];
  for (const name of presentHeaderNames) {
    const h = name.toLowerCase();
    if (exact.has(h) || prefixes.some((p) => h.startsWith(p))) strip.push(h);
  }
  return strip;
}
