import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as field from '../../../src/apiserver/field-errors.js';
import {
  NOSNIFF_HEADER,
  StatusError,
  alreadyExists,
  authorizationForbidden,
  badRequest,
  conflict,
  encodeStatus,
  errorToStatus,
  forbidden,
  internalError,
  invalid,
  methodNotAllowed,
  methodNotSupported,
  notAcceptable,
  notFound,
  plainInternalError,
  requestEntityTooLarge,
  resourceExpired,
  serverTimeout,
  serviceUnavailable,
  statusResponse,
  timeout,
  tooManyRequests,
  unauthorized,
  unsupportedMediaType,
  type AuthorizationTarget,
  type Status,
} from '../../../src/apiserver/status.js';

const GROUP = 'infraops.michael.io';
const nodes = { group: GROUP, resource: 'nodes' };
const HEAD = '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",';

test('builders produce the exact JSON of k8s.io/apimachinery errors', () => {
  const cases: [string, Status, string][] = [
    [
      'NewNotFound',
      notFound({ ...nodes, name: 'n1' }),
      `${HEAD}"message":"nodes.${GROUP} \\"n1\\" not found","reason":"NotFound","details":{"name":"n1","group":"${GROUP}","kind":"nodes"},"code":404}`,
    ],
    [
      'NewNotFound in the core group',
      notFound({ group: '', resource: 'pods', name: 'p' }),
      `${HEAD}"message":"pods \\"p\\" not found","reason":"NotFound","details":{"name":"p","kind":"pods"},"code":404}`,
    ],
    [
      'a path the API does not serve',
      notFound(),
      `${HEAD}"message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}`,
    ],
    [
      'NewUnauthorized("Unauthorized")',
      unauthorized('Unauthorized'),
      `${HEAD}"message":"Unauthorized","reason":"Unauthorized","code":401}`,
    ],
    [
      'NewUnauthorized("")',
      unauthorized(),
      `${HEAD}"message":"not authorized","reason":"Unauthorized","code":401}`,
    ],
    [
      'NewAlreadyExists',
      alreadyExists({ ...nodes, name: 'n1' }),
      `${HEAD}"message":"nodes.${GROUP} \\"n1\\" already exists","reason":"AlreadyExists","details":{"name":"n1","group":"${GROUP}","kind":"nodes"},"code":409}`,
    ],
    [
      'NewConflict with the optimistic lock message',
      conflict({ ...nodes, name: 'n1' }),
      `${HEAD}"message":"Operation cannot be fulfilled on nodes.${GROUP} \\"n1\\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"n1","group":"${GROUP}","kind":"nodes"},"code":409}`,
    ],
    [
      'NewInvalid with one error',
      invalid({ group: GROUP, kind: 'Node', name: 'n1' }, [field.required('spec.reason')]),
      `${HEAD}"message":"Node.${GROUP} \\"n1\\" is invalid: spec.reason: Required value","reason":"Invalid","details":{"name":"n1","group":"${GROUP}","kind":"Node","causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.reason"}]},"code":422}`,
    ],
    [
      'NewInvalid without errors',
      invalid({ group: GROUP, kind: 'Node', name: 'n1' }, []),
      `${HEAD}"message":"Node.${GROUP} \\"n1\\" is invalid","reason":"Invalid","details":{"name":"n1","group":"${GROUP}","kind":"Node"},"code":422}`,
    ],
    [
      'NewTooManyRequests',
      tooManyRequests('restart already in progress for n1', 30),
      `${HEAD}"message":"restart already in progress for n1","reason":"TooManyRequests","details":{"retryAfterSeconds":30},"code":429}`,
    ],
    [
      'NewTooManyRequests without a delay keeps an empty details',
      tooManyRequests('slow down', 0),
      `${HEAD}"message":"slow down","reason":"TooManyRequests","details":{},"code":429}`,
    ],
    [
      'NewInternalError',
      internalError(new Error('disk <full> & gone')),
      `${HEAD}"message":"Internal error occurred: disk \\u003cfull\\u003e \\u0026 gone","reason":"InternalError","details":{"causes":[{"message":"disk \\u003cfull\\u003e \\u0026 gone"}]},"code":500}`,
    ],
    [
      'NewServiceUnavailable',
      serviceUnavailable('cloud API unreachable'),
      `${HEAD}"message":"cloud API unreachable","reason":"ServiceUnavailable","code":503}`,
    ],
    [
      'NewTimeoutError',
      timeout('request did not complete within the allotted timeout'),
      `${HEAD}"message":"Timeout: request did not complete within the allotted timeout","reason":"Timeout","details":{},"code":504}`,
    ],
    [
      'NewServerTimeout',
      serverTimeout(nodes, 'restart', 2),
      `${HEAD}"message":"The restart operation against nodes.${GROUP} could not be completed at this time, please try again.","reason":"ServerTimeout","details":{"name":"restart","group":"${GROUP}","kind":"nodes","retryAfterSeconds":2},"code":500}`,
    ],
    ['NewBadRequest', badRequest('bad'), `${HEAD}"message":"bad","reason":"BadRequest","code":400}`],
    [
      'the 405 of a method no route accepts',
      methodNotAllowed(),
      `${HEAD}"message":"the server does not allow this method on the requested resource","reason":"MethodNotAllowed","details":{},"code":405}`,
    ],
    [
      'NewMethodNotSupported',
      methodNotSupported(nodes, 'delete'),
      `${HEAD}"message":"delete is not supported on resources of kind \\"nodes.${GROUP}\\"","reason":"MethodNotAllowed","details":{"group":"${GROUP}","kind":"nodes"},"code":405}`,
    ],
    [
      'NewNotAcceptableError',
      notAcceptable(['application/json', 'application/yaml']),
      `${HEAD}"message":"only the following media types are accepted: application/json, application/yaml","reason":"NotAcceptable","code":406}`,
    ],
    [
      'NewUnsupportedMediaTypeError',
      unsupportedMediaType(['application/json']),
      `${HEAD}"message":"the body of the request was in an unknown format - accepted media types include: application/json","reason":"UnsupportedMediaType","code":415}`,
    ],
    [
      'NewRequestEntityTooLargeError',
      requestEntityTooLarge('limit is 3145728'),
      `${HEAD}"message":"Request entity too large: limit is 3145728","reason":"RequestEntityTooLarge","code":413}`,
    ],
    [
      'NewResourceExpired',
      resourceExpired('too old'),
      `${HEAD}"message":"too old","reason":"Expired","code":410}`,
    ],
    [
      'NewForbidden with a name',
      forbidden({ ...nodes, name: 'n1' }, 'no'),
      `${HEAD}"message":"nodes.${GROUP} \\"n1\\" is forbidden: no","reason":"Forbidden","details":{"name":"n1","group":"${GROUP}","kind":"nodes"},"code":403}`,
    ],
  ];
  for (const [name, status, json] of cases) assert.equal(encodeStatus(status), `${json}\n`, name);
});

test('NewInvalid aggregates several field errors and renders slice values as JSON', () => {
  const status = invalid({ group: 'meta.k8s.io', kind: 'CreateOptions', name: '' }, [
    field.notSupported('dryRun', ['foo'], ['All']),
  ]);
  assert.equal(
    status.message,
    'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["foo"]: supported values: "All"',
  );
  const two = invalid({ group: GROUP, kind: 'Node', name: 'n1' }, [
    field.required('spec.reason'),
    field.invalid('spec.delay', -1, 'must be positive'),
    field.required('spec.reason'),
  ]);
  assert.equal(
    two.message,
    `Node.${GROUP} "n1" is invalid: [spec.reason: Required value, spec.delay: Invalid value: -1: must be positive]`,
  );
  assert.equal(two.details?.causes?.length, 3);
});

const resourceRequest = (overrides: Partial<AuthorizationTarget> = {}): AuthorizationTarget => ({
  isResourceRequest: true,
  verb: 'create',
  path: '/apis/infraops.michael.io/v1/nodes/n1/restart',
  apiGroup: GROUP,
  resource: 'nodes',
  subresource: 'restart',
  namespace: '',
  name: 'n1',
  ...overrides,
});

test('authorizationForbidden writes responsewriters.Forbidden messages', () => {
  const cases: [string, string, AuthorizationTarget, string, string][] = [
    [
      'cluster-scoped subresource with a name',
      'alice',
      resourceRequest(),
      '',
      `nodes.${GROUP} "n1" is forbidden: User "alice" cannot create resource "nodes/restart" in API group "${GROUP}" at the cluster scope`,
    ],
    [
      'with the authorizer reason appended',
      'alice',
      resourceRequest(),
      'RBAC: not allowed',
      `nodes.${GROUP} "n1" is forbidden: User "alice" cannot create resource "nodes/restart" in API group "${GROUP}" at the cluster scope: RBAC: not allowed`,
    ],
    [
      'list without a name',
      'bob',
      resourceRequest({
        verb: 'list',
        subresource: '',
        name: '',
        path: '/apis/infraops.michael.io/v1/nodes',
      }),
      '',
      `nodes.${GROUP} is forbidden: User "bob" cannot list resource "nodes" in API group "${GROUP}" at the cluster scope`,
    ],
    [
      'namespaced, core group',
      'system:serviceaccount:default:default',
      resourceRequest({
        verb: 'list',
        apiGroup: '',
        resource: 'pods',
        subresource: '',
        name: '',
        namespace: 'default',
      }),
      '',
      'pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"',
    ],
    [
      'non-resource path',
      'system:anonymous',
      {
        ...resourceRequest({ apiGroup: '', resource: '', subresource: '', name: '' }),
        isResourceRequest: false,
        verb: 'get',
        path: '/apis/acme.xxx.com/v1alpha1',
      },
      '',
      'forbidden: User "system:anonymous" cannot get path "/apis/acme.xxx.com/v1alpha1"',
    ],
    [
      'HTML in the message is escaped, in the reason it is not',
      '<b>&co',
      resourceRequest(),
      '<i>',
      `nodes.${GROUP} "n1" is forbidden: User "&lt;b&gt;&amp;co" cannot create resource "nodes/restart" in API group "${GROUP}" at the cluster scope: <i>`,
    ],
    [
      'a % is kept as it is',
      'a%b',
      resourceRequest(),
      '100%',
      `nodes.${GROUP} "n1" is forbidden: User "a%b" cannot create resource "nodes/restart" in API group "${GROUP}" at the cluster scope: 100%`,
    ],
    [
      'user names are quoted with Go escapes',
      'tab\there',
      resourceRequest(),
      '',
      `nodes.${GROUP} "n1" is forbidden: User "tab\\there" cannot create resource "nodes/restart" in API group "${GROUP}" at the cluster scope`,
    ],
  ];
  for (const [name, user, target, reason, message] of cases) {
    const status = authorizationForbidden(user, target, reason);
    assert.equal(status.message, message, name);
    assert.equal(status.code, 403);
    assert.equal(status.reason, 'Forbidden');
  }
});

test('the 403 of a non-resource request carries empty details', () => {
  const status = authorizationForbidden('system:anonymous', {
    isResourceRequest: false,
    verb: 'get',
    path: '/',
    apiGroup: '',
    resource: '',
    subresource: '',
    namespace: '',
    name: '',
  });
  assert.equal(
    encodeStatus(status),
    `${HEAD}"message":"forbidden: User \\"system:anonymous\\" cannot get path \\"/\\"","reason":"Forbidden","details":{},"code":403}\n`,
  );
});

test('statusResponse gives the code, the JSON body and Retry-After when details ask for it', () => {
  assert.deepEqual(statusResponse(tooManyRequests('busy', 30)), {
    statusCode: 429,
    headers: { 'Content-Type': 'application/json', 'Retry-After': '30' },
    body: encodeStatus(tooManyRequests('busy', 30)),
  });
  assert.deepEqual(statusResponse(serverTimeout(nodes, 'get', 0)).headers, {
    'Content-Type': 'application/json',
  });
  assert.deepEqual(statusResponse(notFound({ ...nodes, name: 'x' }), NOSNIFF_HEADER).headers, {
    'X-Content-Type-Options': 'nosniff',
    'Content-Type': 'application/json',
  });
  assert.ok(String(statusResponse(badRequest('x')).body).endsWith('}\n'));
});

test('StatusError carries its Status and errorToStatus maps anything else to a 500 without reason', () => {
  const err = new StatusError(notFound({ ...nodes, name: 'n1' }));
  assert.ok(err instanceof Error);
  assert.equal(err.message, `nodes.${GROUP} "n1" not found`);
  assert.equal(errorToStatus(err), err.status);
  assert.equal(
    encodeStatus(errorToStatus(new Error('socket hang up'))),
    `${HEAD}"message":"socket hang up","code":500}\n`,
  );
  assert.equal(errorToStatus('plain string').message, 'plain string');
});

test('plainInternalError is the text/plain 500 of responsewriters.InternalError', () => {
  assert.deepEqual(
    plainInternalError(
      '/apis/g/v1/watch?x=<1>',
      'failed to create RequestInfo: unable to determine kind and namespace from url, /apis/g/v1/watch?x=<1>',
    ),
    {
      statusCode: 500,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
      body: 'Internal Server Error: "/apis/g/v1/watch?x=&lt;1&gt;": failed to create RequestInfo: unable to determine kind and namespace from url, /apis/g/v1/watch?x=&lt;1&gt;\n',
    },
  );
});
