// The SubjectAccessReview k8s.io/apiserver's webhook authorizer sends for a request
// (plugin/pkg/authorizer/webhook/webhook.go, v0.36, AuthorizeWithSelectors on), its cache rules, how its
// answer becomes a decision, and the 403 of a denial.
import { goByteLength, goJson } from '../apiserver/go-format.js';
import { authorizationForbidden, type Status } from '../apiserver/status.js';
import { FieldSelectorError, parseFieldSelector } from '../apiserver/selectors/field-selector.js';
import {
  LabelSelectorError,
  parseLabelSelector,
  type LabelOperator,
} from '../apiserver/selectors/label-selector.js';
import type { RequestInfo } from '../apiserver/request-info.js';
import type { UserInfo } from './user-info.js';

export interface FieldSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn';
  values: string[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** Keys in Go's field order with empty fields left out (omitempty), as json.Marshal writes them. */
export interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  fieldSelector?: { requirements: FieldSelectorRequirement[] };
  labelSelector?: { requirements: LabelSelectorRequirement[] };
}

export interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

export interface SubjectAccessReviewSpec {
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: NonResourceAttributes;
  user?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
  uid?: string;
}

export interface SubjectAccessReview {
  kind: 'SubjectAccessReview';
  apiVersion: 'authorization.k8s.io/v1';
  metadata: Record<string, never>;
  spec: SubjectAccessReviewSpec;
  status: { allowed: false };
}

export interface SubjectAccessReviewStatus {
  allowed?: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

/** The maximum length of requester-controlled attributes to allow caching. */
const MAX_CONTROLLED_ATTR_CACHE_SIZE = 10000;

function omitEmpty<T extends object>(fields: T): T {
  return Object.fromEntries(
    Object.entries(fields).filter(
      ([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0),
    ),
  ) as T;
}

/**
 * fieldSelectorToAuthorizationAPI: `=` and `==` become In, `!=` NotIn, one value each. A selector that does
 * not parse adds nothing: the review then asks about the whole collection, which is never allowed more often.
 */
function fieldRequirements(selector: string): FieldSelectorRequirement[] {
  if (selector === '') return [];
  try {
    return parseFieldSelector(selector).map((r) => ({
      key: r.field,
      operator: r.operator === '=' ? 'In' : 'NotIn',
      values: [r.value],
    }));
  } catch (err) {
    if (err instanceof FieldSelectorError) return [];
    throw err;
  }
}

const LABEL_OPERATORS: Partial<Record<LabelOperator, LabelSelectorRequirement['operator']>> = {
  '=': 'In',
  '==': 'In',
  in: 'In',
  '!=': 'NotIn',
  notin: 'NotIn',
  exists: 'Exists',
  '!': 'DoesNotExist',
};

/** labelSelectorToAuthorizationAPI: gt and lt have no SAR form and are dropped (requirements are ANDed). */
function labelRequirements(selector: string): LabelSelectorRequirement[] {
  if (selector === '') return [];
  try {
    return parseLabelSelector(selector).flatMap((r) => {
      const operator = LABEL_OPERATORS[r.operator];
      return operator ? [{ key: r.key, operator, ...(r.values.length > 0 && { values: r.values }) }] : [];
    });
  } catch (err) {
    if (err instanceof LabelSelectorError) return [];
    throw err;
  }
}

function resourceAttributes(info: RequestInfo): ResourceAttributes {
  const fields = fieldRequirements(info.fieldSelector);
  const labels = labelRequirements(info.labelSelector);
  return omitEmpty({
    namespace: info.namespace,
    verb: info.verb,
    group: info.apiGroup,
    version: info.apiVersion,
    resource: info.resource,
    subresource: info.subresource,
    name: info.name,
    fieldSelector: fields.length ? { requirements: fields } : undefined,
    labelSelector: labels.length ? { requirements: labels } : undefined,
  });
}

/** The review WebhookAuthorizer.Authorize posts for this user and request. */
export function buildSubjectAccessReview(user: UserInfo, info: RequestInfo): SubjectAccessReview {
  const spec = omitEmpty<SubjectAccessReviewSpec>({
    resourceAttributes: info.isResourceRequest ? resourceAttributes(info) : undefined,
    nonResourceAttributes: info.isResourceRequest
      ? undefined
      : omitEmpty({ path: info.path, verb: info.verb }),
    user: user.name,
    groups: user.groups,
    extra: user.extra && Object.keys(user.extra).length > 0 ? user.extra : undefined,
    uid: user.uid,
  });
  return {
    kind: 'SubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: {},
    spec,
    status: { allowed: false },
  };
}

const JSON_OPTIONS = { sortKeys: false, mapFields: new Set(['extra']) };

/** The request body as client-go's JSON serializer writes it, byte for byte. */
export function subjectAccessReviewJson(review: SubjectAccessReview): string {
  return `${goJson(review, JSON_OPTIONS)}\n`;
}

/** A string as `length:value`: no value can end its field early, whatever characters it holds. */
const keyField = (s: string | undefined) => (s ? `${s.length}:${s}` : '0:');

function keyList(values: readonly string[] | undefined): string {
  let key = `${values?.length ?? 0}[`;
  for (const v of values ?? []) key += keyField(v);
  return key;
}

const keySelector = (requirements: object[]) =>
  requirements.length ? keyField(JSON.stringify(requirements)) : '0:';

/**
 * The cache key. Go keys by json.Marshal of the spec; this one is equal exactly when the spec is, without
 * building or encoding it: every field of the spec, each length-prefixed, empty and absent alike as
 * omitempty has them, extra in key order. Selectors count as the requirements they become.
 */
export function sarCacheKey(user: UserInfo, info: RequestInfo): string {
  let key = info.isResourceRequest
    ? `r${keyField(info.namespace)}${keyField(info.verb)}${keyField(info.apiGroup)}${keyField(info.apiVersion)}` +
      `${keyField(info.resource)}${keyField(info.subresource)}${keyField(info.name)}` +
      `${keySelector(fieldRequirements(info.fieldSelector))}${keySelector(labelRequirements(info.labelSelector))}`
    : `n${keyField(info.path)}${keyField(info.verb)}`;
  key += `${keyField(user.name)}${keyList(user.groups)}${keyField(user.uid)}`;
  const extra = user.extra ?? {};
  const names = Object.keys(extra).sort();
  key += `${names.length}{`;
  for (const name of names) key += `${keyField(name)}${keyList(extra[name])}`;
  return key;
}

/**
 * shouldCache: requester-controlled attributes of 10000 bytes or more may be a DoS attempt, so their
 * answers are not cached.
 */
export function shouldCacheReview(info: RequestInfo): boolean {
  const size = [
    info.namespace,
    info.verb,
    info.apiGroup,
    info.apiVersion,
    info.resource,
    info.subresource,
    info.name,
    info.path,
  ].reduce((sum, s) => sum + goByteLength(s), 0);
  return size < MAX_CONTROLLED_ATTR_CACHE_SIZE;
}

export interface ReviewDecision {
  decision: 'allow' | 'deny' | 'no-opinion';
  reason: string;
  /** Set when the answer is contradictory; the request then fails with a 500, not a 403. */
  error?: string;
}

/**
 * How Authorize reads status: denied and allowed together is a deny with an error, then denied, then
 * allowed; anything else is no opinion, which with no other authorizer left also forbids the request.
 */
export function decisionFromReview(status: SubjectAccessReviewStatus | undefined): ReviewDecision {
  const reason = status?.reason ?? '';
  if (status?.denied && status.allowed) {
    return {
      decision: 'deny',
      reason,
      error: 'webhook subject access review returned both allow and deny response',
    };
  }
  if (status?.denied) return { decision: 'deny', reason };
  if (status?.allowed) return { decision: 'allow', reason };
  return { decision: 'no-opinion', reason };
}

/**
 * The 403 for a request that was not allowed, e.g. `nodes.G "n1" is forbidden: User "alice" cannot create
 * resource "nodes/restart" in API group "G" at the cluster scope`, plus `: <reason>` when the review gave one.
 * Go sends it with X-Content-Type-Options: nosniff (statusResponse(status, NOSNIFF_HEADER)).
 */
export function forbiddenStatus(user: UserInfo, info: RequestInfo, reason: string): Status {
  return authorizationForbidden(user.name, info, reason);
}
