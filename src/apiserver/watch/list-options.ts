// The resourceVersion parameters of a list or a watch, checked as k8s.io/apimachinery checks them
// (pkg/apis/meta/internalversion/validation/validation.go ValidateListOptions → 422 on kind ListOptions), and what
// they ask of our state: the latest an informer has seen, or an earlier one rebuilt from the resource's event ring
// (k8s.io/apiserver's watch cache and its snapshots).
import { decodeContinue, encodeContinue } from '../continue-token.js';
import * as field from '../field-errors.js';
import { StatusError, badRequest, invalid, resourceExpired, timeout } from '../status.js';
import { revision, type EventRing } from './event-ring.js';

export interface ListQuery {
  watch?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  continue?: string;
  allowWatchBookmarks?: string;
  sendInitialEvents?: string;
  timeoutSeconds?: string;
}

export interface WatchOptions {
  /** Events after this revision; undefined: from now on. */
  after?: number;
  /** The current state first, as ADDED events. */
  initialEvents: boolean;
  bookmarks: boolean;
  /** The initial events end with a BOOKMARK annotated k8s.io/initial-events-end (sendInitialEvents=true). */
  initialEventsEnd: boolean;
  timeoutMs?: number;
}

/** Go's strconv.ParseBool, as the query parameters of metav1.ListOptions are decoded. */
function bool(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False', ''].includes(value)) return false;
  throw new StatusError(badRequest(`invalid value for ${name}: ${JSON.stringify(value)}`));
}

export function isWatch(q: ListQuery): boolean {
  return bool('watch', q.watch) ?? false;
}

const LIST_OPTIONS = { group: 'meta.k8s.io', kind: 'ListOptions', name: '' };
const NOT_OLDER_THAN = 'NotOlderThan';
const EXACT = 'Exact';

function refuse(errors: field.FieldError[]): void {
  if (errors.length > 0) throw new StatusError(invalid(LIST_OPTIONS, errors));
}

function validateList(q: ListQuery): void {
  const errors: field.FieldError[] = [];
  const match = q.resourceVersionMatch;
  if (match) {
    if (!q.resourceVersion)
      errors.push(
        field.forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden unless resourceVersion is provided',
        ),
      );
    if (q.continue)
      errors.push(
        field.forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden when continue is provided',
        ),
      );
    if (match !== EXACT && match !== NOT_OLDER_THAN)
      errors.push(field.notSupported('resourceVersionMatch', match, [EXACT, NOT_OLDER_THAN, '']));
    if (match === EXACT && q.resourceVersion === '0')
      errors.push(
        field.forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
        ),
      );
  }
  if (q.sendInitialEvents !== undefined)
    errors.push(field.forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  refuse(errors);
}

function validateWatch(q: ListQuery, sendInitialEvents: boolean | undefined): void {
  const errors: field.FieldError[] = [];
  const match = q.resourceVersionMatch;
  if (sendInitialEvents !== undefined && match !== NOT_OLDER_THAN)
    errors.push(
      field.forbidden(
        'resourceVersionMatch',
        `sendInitialEvents requires setting resourceVersionMatch to ${NOT_OLDER_THAN}`,
      ),
    );
  if (match) {
    if (sendInitialEvents === undefined)
      errors.push(
        field.forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
        ),
      );
    if (match !== NOT_OLDER_THAN)
      errors.push(field.notSupported('resourceVersionMatch', match, [NOT_OLDER_THAN]));
    if (q.continue)
      errors.push(
        field.forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden when continue is provided',
        ),
      );
  }
  refuse(errors);
}

/** A resourceVersion that is not a revision: storage's "invalid resource version", 400. */
function parsedRevision(rv: string): number {
  const n = revision(rv);
  if (n === undefined) throw new StatusError(badRequest(`invalid resource version: ${JSON.stringify(rv)}`));
  return n;
}

/** How long kube-apiserver's watch cache waits for a resourceVersion newer than it has seen (cacher.go). */
const FRESHNESS_WAIT_MS = 3000;

/** storage.NewTooLargeResourceVersionError: 504 with a ResourceVersionTooLarge cause and Retry-After 1. */
function tooLarge(rv: number, current: number): StatusError {
  const status = timeout(`Too large resource version: ${rv}, current: ${current}`, 1);
  status.details = {
    ...status.details,
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
  };
  return new StatusError(status);
}

/** etcd3's answers once a list's revision is compacted away (k8s.io/apiserver pkg/storage/etcd3/errors.go). */
const EXPIRED_LIST = 'The resourceVersion for the provided list is too old.';
const EXPIRED_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list ' +
  'without the continue parameter, or use the continue token in this response to retrieve the remainder of the ' +
  'results. Continuing with the provided token results in an inconsistent list - objects that were created, ' +
  'modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/**
 * Checks a list's resourceVersion parameters against the state we hold (the ring's latest revision): unset, "0"
 * and NotOlderThan are served from it (after waiting for a newer revision, as the watch cache does); Exact of an
 * older revision is served as the state was then, rebuilt from the ring (returned: the revision to list at), or
 * 410 Expired once the ring no longer holds every change since — as kube-apiserver answers once etcd has compacted
 * it. A continue token lists at its own revision the same way (each page of one list from one state, as etcd
 * serves them), and has expired once the ring no longer holds it: 410, with a token that continues at the latest
 * state.
 */
export async function checkListVersion<T>(q: ListQuery, ring: EventRing<T>): Promise<number | undefined> {
  validateList(q);
  if (q.continue) {
    const token = decodeContinue(q.continue);
    if (token.rv > 0 && token.rv < ring.oldest) throw continueExpired(token.start);
    if (q.resourceVersion && q.resourceVersion !== '0')
      throw new StatusError(badRequest('specifying resource version is not allowed when using continue'));
    // The next page of the list the token started, as it was then: the pages add up to one consistent list.
    return token.rv > 0 && token.rv < ring.latest ? token.rv : undefined;
  }
  if (!q.resourceVersion || q.resourceVersion === '0') return undefined;
  const rv = parsedRevision(q.resourceVersion);
  if (!(await ring.reached(rv, FRESHNESS_WAIT_MS))) throw tooLarge(rv, ring.latest);
  if (q.resourceVersionMatch !== EXACT || rv >= ring.latest) return undefined;
  if (rv < ring.oldest) throw listExpired();
  return rv;
}

/** The state to list: the current one, or (Exact) the one at `at`, or 410 when the ring has moved past it since. */
export function listedState<T>(
  ring: EventRing<T>,
  current: readonly T[],
  at: number | undefined,
): readonly T[] {
  if (at === undefined) return current;
  const state = ring.stateAt(at, current);
  if (!state) throw listExpired();
  return state;
}

function listExpired(): StatusError {
  return new StatusError(resourceExpired(EXPIRED_LIST));
}

function continueExpired(start: string): StatusError {
  const status = resourceExpired(EXPIRED_CONTINUE);
  status.metadata = { continue: encodeContinue(start, -1) };
  return new StatusError(status);
}

/** Go's default for a watch without timeoutSeconds: the server's minimum request timeout (30 min), ×[1, 2). */
const DEFAULT_WATCH_MS = 30 * 60 * 1000;

export function watchOptions(q: ListQuery, random = Math.random): WatchOptions {
  const sendInitialEvents = bool('sendInitialEvents', q.sendInitialEvents);
  validateWatch(q, sendInitialEvents);
  const bookmarks = bool('allowWatchBookmarks', q.allowWatchBookmarks) ?? false;
  let timeoutMs = DEFAULT_WATCH_MS * (1 + random());
  if (q.timeoutSeconds !== undefined) {
    if (!/^\d+$/.test(q.timeoutSeconds))
      throw new StatusError(
        badRequest(`invalid value for timeoutSeconds: ${JSON.stringify(q.timeoutSeconds)}`),
      );
    const seconds = Number(q.timeoutSeconds);
    if (seconds > 0) timeoutMs = seconds * 1000;
  }
  const rv = q.resourceVersion ?? '';
  const after = rv === '' || rv === '0' ? undefined : parsedRevision(rv);
  if (sendInitialEvents === undefined)
    return { after, initialEvents: after === undefined, bookmarks, initialEventsEnd: false, timeoutMs };
  // The streaming list: the state NotOlderThan the given revision — ours is the latest — as ADDED events, then
  // live events; or, with sendInitialEvents=false, events after the revision (or from now).
  if (sendInitialEvents)
    return { after: undefined, initialEvents: true, bookmarks, initialEventsEnd: bookmarks, timeoutMs };
  return { after, initialEvents: false, bookmarks, initialEventsEnd: false, timeoutMs };
}
