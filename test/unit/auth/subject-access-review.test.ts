import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newRequestInfo } from '../../../src/apiserver/request-info.js';
import {
  buildSubjectAccessReview,
  decisionFromReview,
  forbiddenStatus,
  sarCacheKey,
  shouldCacheReview,
  subjectAccessReviewJson,
  type SubjectAccessReviewStatus,
} from '../../../src/auth/subject-access-review.js';
import type { UserInfo } from '../../../src/auth/user-info.js';

const G = 'infraops.michael.io';
const alice: UserInfo = {
  name: 'alice',
  uid: 'u-1',
  groups: ['devs', 'system:authenticated'],
  extra: { z: ['1'], a: ['<2>'], '10': ['x'], '2': ['y'] },
};
const HEAD = '{"kind":"SubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":{},"spec":';
const ALICE =
  '"user":"alice","groups":["devs","system:authenticated"],"extra":{"10":["x"],"2":["y"],"a":["\\u003c2\\u003e"],"z":["1"]},"uid":"u-1"';
const TAIL = ',"status":{"allowed":false}}\n';

test('the review body is what client-go sends for the webhook authorizer', () => {
  const rows: [string, string, UserInfo, string][] = [
    [
      'POST',
      `/apis/${G}/v1/nodes/n1/restart`,
      alice,
      `{"resourceAttributes":{"verb":"create","group":"${G}","version":"v1","resource":"nodes","subresource":"restart","name":"n1"},${ALICE}}`,
    ],
    [
      'GET',
      `/apis/${G}/v1`,
      { name: 'system:anonymous', groups: ['system:unauthenticated'], extra: {} },
      `{"nonResourceAttributes":{"path":"/apis/${G}/v1","verb":"get"},"user":"system:anonymous","groups":["system:unauthenticated"]}`,
    ],
    [
      'GET',
      `/apis/${G}/v1/namespaces/ns1/nodes?labelSelector=b%3D1,a%20in%20(y,x),!c,d,e!%3Dq,f%20notin%20(z),g%3E1&fieldSelector=spec.x!%3D1,metadata.name%3Dn,%3D`,
      alice,
      `{"resourceAttributes":{"namespace":"ns1","verb":"list","group":"${G}","version":"v1","resource":"nodes","name":"n",` +
        `"fieldSelector":{"requirements":[{"key":"metadata.name","operator":"In","values":["n"]},{"key":"spec.x","operator":"NotIn","values":["1"]}]},` +
        `"labelSelector":{"requirements":[{"key":"a","operator":"In","values":["x","y"]},{"key":"b","operator":"In","values":["1"]},{"key":"c","operator":"DoesNotExist"},{"key":"d","operator":"Exists"},{"key":"e","operator":"NotIn","values":["q"]},{"key":"f","operator":"NotIn","values":["z"]}]}},${ALICE}}`,
    ],
    [
      'GET',
      `/apis/${G}/v1/nodes?labelSelector=Bad!&fieldSelector=x`,
      alice,
      `{"resourceAttributes":{"verb":"list","group":"${G}","version":"v1","resource":"nodes"},${ALICE}}`,
    ],
    [
      'GET',
      `/apis/${G}/v1/nodes?labelSelector=g%3E1,h%3C2`,
      alice,
      `{"resourceAttributes":{"verb":"list","group":"${G}","version":"v1","resource":"nodes"},${ALICE}}`,
    ],
    [
      'DELETE',
      `/apis/${G}/v1/nodes?labelSelector=a%3D%3Db&fieldSelector=a%3D%3Db`,
      alice,
      `{"resourceAttributes":{"verb":"deletecollection","group":"${G}","version":"v1","resource":"nodes","fieldSelector":{"requirements":[{"key":"a","operator":"In","values":["b"]}]},"labelSelector":{"requirements":[{"key":"a","operator":"In","values":["b"]}]}},${ALICE}}`,
    ],
    [
      'GET',
      `/apis/${G}/v1/watch/nodes?labelSelector=a`,
      alice,
      `{"resourceAttributes":{"verb":"watch","group":"${G}","version":"v1","resource":"nodes"},${ALICE}}`,
    ],
    [
      'GET',
      `/apis/${G}/v1/nodes?labelSelector=a%20in%20()`,
      { name: '', groups: [], extra: {} },
      `{"resourceAttributes":{"verb":"list","group":"${G}","version":"v1","resource":"nodes","labelSelector":{"requirements":[{"key":"a","operator":"In","values":[""]}]}}}`,
    ],
    [
      'GET',
      `/apis/${G}/v1/nodes/n1`,
      { name: 'x<y>', groups: ['a&b'], extra: { k: [] } },
      `{"resourceAttributes":{"verb":"get","group":"${G}","version":"v1","resource":"nodes","name":"n1"},"user":"x\\u003cy\\u003e","groups":["a\\u0026b"],"extra":{"k":[]}}`,
    ],
  ];
  for (const [method, url, user, spec] of rows) {
    const review = buildSubjectAccessReview(user, newRequestInfo(method, url));
    assert.equal(subjectAccessReviewJson(review), `${HEAD}${spec}${TAIL}`, `${method} ${url}`);
  }
});

test('two requests share a cache key exactly when their reviews have the same spec', () => {
  // Values that would run into each other under a plain join, a separator or a length prefix.
  const users: UserInfo[] = [
    { name: 'alice', groups: [] },
    { name: 'alice', groups: [], extra: {}, uid: '' },
    { name: 'alice', groups: ['a', 'b'] },
    { name: 'alice', groups: ['a:b'] },
    { name: 'alice', groups: ['1:a'] },
    { name: 'alice', groups: ['a:', ''] },
    { name: 'alice', groups: ['a', ':'] },
    { name: 'alice1:a', groups: [] },
    { name: 'alice', groups: ['b', 'a'] },
    { name: 'alice', groups: [], uid: 'alice' },
    { name: '', groups: ['alice'] },
    { name: 'alice', groups: [], extra: { k: [] } },
    { name: 'alice', groups: [], extra: { k: [''] } },
    { name: 'alice', groups: [], extra: { k: ['v'], l: [] } },
    { name: 'alice', groups: [], extra: { l: [], k: ['v'] } },
    { name: 'alice', groups: [], extra: { k: ['v', 'l'] } },
    { name: 'alice', groups: [], extra: { k: ['v:', ''] } },
    { name: 'alice', groups: [], extra: { k: ['v', ':'] } },
    { name: 'alice', groups: [], extra: { 'k1:v': [] } },
  ];
  const requests: [string, string][] = [
    ['GET', `/apis/${G}/v1`],
    ['GET', `/apis/${G}/v1/`],
    ['POST', `/apis/${G}/v1`],
    ['GET', '/healthz'],
    ['GET', `/apis/${G}/v1/nodes/n1`],
    ['GET', `/apis/${G}/v1/nodes/n1/restart`],
    ['POST', `/apis/${G}/v1/nodes/n1/restart`],
    ['GET', `/apis/${G}/v1/namespaces/n1/nodes`],
    ['GET', `/apis/${G}/v1/nodes/1:n1`],
    ['GET', `/apis/${G}/v1/nodes?labelSelector=a%3D1`],
    ['GET', `/apis/${G}/v1/nodes?labelSelector=a%3D%3D1`],
    ['GET', `/apis/${G}/v1/nodes?labelSelector=a%20in%20(1)`],
    ['GET', `/apis/${G}/v1/nodes?labelSelector=a!%3D1`],
    ['GET', `/apis/${G}/v1/nodes?fieldSelector=a%3D1`],
    ['GET', `/apis/${G}/v1/nodes?labelSelector=a%3D1&fieldSelector=a%3D1`],
    ['GET', `/apis/${G}/v1/nodes?labelSelector=Bad!`],
    ['GET', `/apis/${G}/v1/nodes`],
  ];
  const cases = users.flatMap((user) =>
    requests.map(([method, url]) => {
      const info = newRequestInfo(method, url);
      const spec = subjectAccessReviewJson(buildSubjectAccessReview(user, info));
      return { what: `${JSON.stringify(user)} ${method} ${url}`, spec, key: sarCacheKey(user, info) };
    }),
  );
  let shared = 0;
  for (const a of cases)
    for (const b of cases) {
      if (a.spec === b.spec) shared++;
      assert.equal(a.key === b.key, a.spec === b.spec, `${a.what} / ${b.what}`);
    }
  // The list does hold different requests with one spec (a=1, a==1, a in (1); {} and no extra; ...).
  assert.ok(shared > cases.length);
});

test('the review object leaves empty fields out', () => {
  const review = buildSubjectAccessReview({ name: 'bob', groups: [] }, newRequestInfo('GET', '/healthz'));
  assert.deepEqual(review, {
    kind: 'SubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: {},
    spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' }, user: 'bob' },
    status: { allowed: false },
  });
});

test('answers are cached only while requester-controlled attributes stay under 10000 bytes', () => {
  const base = `/apis/${G}/v1/nodes/`;
  const fixed = Buffer.byteLength(`get${G}v1nodes${base}`);
  const rows: [string, boolean][] = [
    ['n1', true],
    ['a'.repeat(Math.floor((10000 - 1 - fixed) / 2)), true],
    ['a'.repeat(Math.ceil((10000 - fixed) / 2)), false],
    // multi-byte names count in bytes, as Go's len()
    ['é'.repeat(Math.ceil((10000 - fixed) / 4)), false],
  ];
  for (const [name, cached] of rows) {
    assert.equal(
      shouldCacheReview(newRequestInfo('GET', `${base}${encodeURIComponent(name)}`)),
      cached,
      `${name.length}`,
    );
  }
});

test('the answer becomes a decision as WebhookAuthorizer.Authorize reads it', () => {
  const rows: [SubjectAccessReviewStatus | undefined, ReturnType<typeof decisionFromReview>][] = [
    [
      { allowed: true, reason: 'RBAC: allowed' },
      { decision: 'allow', reason: 'RBAC: allowed' },
    ],
    [
      { allowed: false, reason: 'nope' },
      { decision: 'no-opinion', reason: 'nope' },
    ],
    [
      { denied: true, reason: 'no' },
      { decision: 'deny', reason: 'no' },
    ],
    [
      { allowed: true, denied: true, reason: 'both' },
      {
        decision: 'deny',
        reason: 'both',
        error: 'webhook subject access review returned both allow and deny response',
      },
    ],
    [{}, { decision: 'no-opinion', reason: '' }],
    [undefined, { decision: 'no-opinion', reason: '' }],
  ];
  for (const [status, expected] of rows)
    assert.deepEqual(decisionFromReview(status), expected, JSON.stringify(status));
});

test('a denial is the 403 Status of the reference', () => {
  const info = newRequestInfo('POST', `/apis/${G}/v1/nodes/n1/restart`);
  const status = forbiddenStatus(alice, info, '');
  assert.deepEqual(status, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `nodes.${G} "n1" is forbidden: User "alice" cannot create resource "nodes/restart" in API group "${G}" at the cluster scope`,
    reason: 'Forbidden',
    details: { name: 'n1', group: G, kind: 'nodes' },
    code: 403,
  });
  assert.equal(
    forbiddenStatus(alice, info, 'no RBAC rule').message,
    `nodes.${G} "n1" is forbidden: User "alice" cannot create resource "nodes/restart" in API group "${G}" at the cluster scope: no RBAC rule`,
  );
});
