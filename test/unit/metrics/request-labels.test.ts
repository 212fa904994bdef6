import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newRequestInfo } from '../../../src/apiserver/request-info.js';
import { RequestLabeler, type RequestLabels } from '../../../src/metrics/request-labels.js';

const GROUP = 'infraops.michael.io';
const labeler = new RequestLabeler(GROUP);

function labels(method: string, target: string, contentType?: string): RequestLabels {
  const q = target.indexOf('?');
  return labeler.labels({
    method,
    rawQuery: q === -1 ? '' : target.slice(q + 1),
    contentType,
    info: newRequestInfo(method, target),
  });
}

const ours = { group: GROUP, version: 'v1', resource: 'nodes', component: 'apiserver', dry_run: '' };
const nonResource = (path: string, verb = 'GET', component = 'apiserver') => ({
  verb,
  dry_run: '',
  group: '',
  version: '',
  resource: '',
  subresource: path,
  scope: '',
  component,
});

test('our resource: LIST and GET by scope, as installer.go scopes them; no node names', () => {
  const nodes = `/apis/${GROUP}/v1/nodes`;
  assert.deepEqual(labels('GET', nodes), { ...ours, verb: 'LIST', subresource: '', scope: 'cluster' });
  // A metadata.name field selector gives RequestInfo a name, but the route is still the collection.
  assert.deepEqual(labels('GET', `${nodes}?fieldSelector=metadata.name%3Dn1`).verb, 'LIST');
  assert.deepEqual(labels('GET', `${nodes}/n1`), {
    ...ours,
    verb: 'GET',
    subresource: '',
    scope: 'resource',
  });
  assert.deepEqual(labels('HEAD', `${nodes}/n1`).verb, 'GET');
  assert.deepEqual(labels('GET', `${nodes}?watch=true`).verb, 'WATCH');
});

test('the restart subresource: POST with the dry-run value of the query; GET', () => {
  const restart = `/apis/${GROUP}/v1/nodes/n1/restart`;
  const expected = { ...ours, verb: 'POST', subresource: 'restart', scope: 'resource' };
  assert.deepEqual(labels('POST', restart), expected);
  assert.deepEqual(labels('POST', `${restart}?dryRun=All`), { ...expected, dry_run: 'All' });
  assert.deepEqual(labels('POST', `${restart}?dryRun=All&dryRun=All`).dry_run, 'All');
  assert.deepEqual(labels('POST', `${restart}?dryRun=Some`).dry_run, 'invalid');
  assert.deepEqual(labels('POST', `${restart}?notdryRun=1`).dry_run, '');
  assert.deepEqual(labels('GET', restart), { ...expected, verb: 'GET' });
  assert.deepEqual(labels('PATCH', restart, 'application/apply-patch+yaml').verb, 'APPLY');
  assert.deepEqual(labels('PATCH', restart, 'application/merge-patch+json').verb, 'PATCH');
});

test('served non-resource paths carry the path as subresource (health with no component), as Go does', () => {
  assert.deepEqual(labels('GET', '/apis'), nonResource('/apis'));
  assert.deepEqual(labels('GET', `/apis/${GROUP}/v1`), nonResource(`/apis/${GROUP}/v1`));
  assert.deepEqual(
    labels('GET', `/openapi/v3/apis/${GROUP}/v1?hash=abc`),
    nonResource(`/openapi/v3/apis/${GROUP}/v1`),
  );
  assert.deepEqual(labels('GET', '/metrics'), nonResource('/metrics'));
  assert.deepEqual(labels('GET', '/readyz?verbose'), nonResource('/readyz', 'GET', ''));
});

test('anything not served is "other", so clients cannot add label values', () => {
  const other = nonResource('other');
  for (const target of [
    '/whatever/you/like',
    '/apis/other.group/v1/things/x',
    `/apis/${GROUP}/v2/nodes`,
    `/apis/${GROUP}/v1/pods`,
    `/apis/${GROUP}/v1/nodes/n1/status`,
    `/apis/${GROUP}/v1/nodes/n1/restart/extra`,
    `/apis/${GROUP}/v1/namespaces/ns/nodes`,
    '/healthz/ping',
  ])
    assert.deepEqual(labels('GET', target), other, target);
  assert.deepEqual(labels('BREW', '/apis').verb, 'other');
  assert.deepEqual(
    labeler.labels({ method: 'GET', rawQuery: '', contentType: undefined, info: undefined }),
    other,
  );
});
