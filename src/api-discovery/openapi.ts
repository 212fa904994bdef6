// OpenAPI v2 and v3 documents for our group, with the x-kubernetes-* extensions kubectl explain and the
// aggregator rely on (an object GVK on operations, a list of GVKs on schemas).
import { createHash } from 'node:crypto';
import { MERGE_PATCH_MEDIA_TYPE } from '../apiserver/merge-patch.js';
import { VERSION } from '../apiserver/resource-catalog.js';
import { buildSchemas, schemaNames } from './openapi-schemas.js';

type Json = Record<string, unknown>;

/** kube-apiserver's words for the parameter; kubectl validates server-side only where it is advertised. */
const FIELD_VALIDATION_DESCRIPTION =
  'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing ' +
  'unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently ' +
  'dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is ' +
  'the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header ' +
  'for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The ' +
  'request will still succeed if there are no other errors, and will only persist the last of any duplicate ' +
  'fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any ' +
  'unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned ' +
  'from the server will contain all unknown and duplicate fields encountered.';

function operations(group: string, refTo: (name: string) => Json, v3: boolean): Json {
  const n = schemaNames(group);
  const base = `/apis/${group}/${VERSION}`;
  const gvk = (kind: string) => ({ group, version: VERSION, kind });
  const opId = (verb: string, kind: string) =>
    `${verb}${group.replace(/[^a-zA-Z0-9]/g, '')}${VERSION}${kind}`;
  const ok = (schema: Json, code = '200') =>
    v3
      ? { [code]: { description: 'OK', content: { 'application/json': { schema } } } }
      : { [code]: { description: 'OK', schema } };
  const unauthorized = { '401': { description: 'Unauthorized' } };
  /** The failures a delete answers besides 401, each a metav1.Status. */
  const statusReplies = (replies: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(replies).map(([code, description]) => [
        code,
        v3
          ? { description, content: { 'application/json': { schema: refTo(n.status) } } }
          : { description, schema: refTo(n.status) },
      ]),
    );
  const param = (name: string, inWhere: 'query' | 'path', description: string, type = 'string') =>
    v3
      ? { name, in: inWhere, description, required: inWhere === 'path', schema: { type } }
      : { name, in: inWhere, description, required: inWhere === 'path', type };
  const nameParam = param('name', 'path', 'Name of the Node.');
  const common = {
    consumes: v3 ? undefined : ['application/json'],
    produces: v3 ? undefined : ['application/json'],
  };
  const dryRun = param('dryRun', 'query', 'When All, everything is checked and nothing is changed.');
  const fieldValidation = param('fieldValidation', 'query', FIELD_VALIDATION_DESCRIPTION);
  /** POST on an action subresource: its options in the body, 202 with the outcome (200 for a dry run). */
  const create = (action: {
    op: string;
    kind: string;
    schema: string;
    options: string;
    description: string;
  }) => ({
    ...common,
    description: action.description,
    operationId: opId('create', action.op),
    tags: [`${group}_${VERSION}`],
    ...(v3
      ? {
          parameters: [dryRun, fieldValidation],
          requestBody: { content: { 'application/json': { schema: refTo(action.options) } } },
        }
      : {
          parameters: [dryRun, fieldValidation, { name: 'body', in: 'body', schema: refTo(action.options) }],
        }),
    responses: { ...ok(refTo(action.schema)), ...ok(refTo(action.schema), '202'), ...unauthorized },
    'x-kubernetes-action': 'post',
    'x-kubernetes-group-version-kind': gvk(action.kind),
  });
  const power = (action: 'Stop' | 'Start', description: string) => ({
    parameters: [nameParam],
    post: create({
      op: `Node${action}`,
      kind: 'NodePowerAction',
      schema: n.nodePowerAction,
      options: action === 'Stop' ? n.stopOptions : n.startOptions,
      description,
    }),
  });
  return {
    [`${base}/nodes`]: {
      get: {
        ...common,
        description: 'list or watch Nodes',
        operationId: opId('list', 'Node'),
        tags: [`${group}_${VERSION}`],
        parameters: [
          param('labelSelector', 'query', 'Select Nodes by label.'),
          param('fieldSelector', 'query', 'Select Nodes by field (metadata.name).'),
          ...LIST_PARAMETERS.map(([name, description, type]) => param(name, 'query', description, type)),
        ],
        responses: { ...ok(refTo(n.nodeList)), ...unauthorized },
        'x-kubernetes-action': 'list',
        'x-kubernetes-group-version-kind': gvk('Node'),
        ...(v3 ? {} : { produces: ['application/json', 'application/json;stream=watch'] }),
      },
    },
    [`${base}/nodes/{name}`]: {
      parameters: [nameParam],
      get: {
        ...common,
        description: 'read the specified Node',
        operationId: opId('read', 'Node'),
        tags: [`${group}_${VERSION}`],
        responses: { ...ok(refTo(n.node)), ...unauthorized },
        'x-kubernetes-action': 'get',
        'x-kubernetes-group-version-kind': gvk('Node'),
      },
    },
    [`${base}/nodes/{name}/restart`]: {
      parameters: [nameParam],
      get: {
        ...common,
        description: 'read the latest restart of the specified Node',
        operationId: opId('read', 'NodeRestart'),
        tags: [`${group}_${VERSION}`],
        responses: { ...ok(refTo(n.nodeRestart)), ...unauthorized },
        'x-kubernetes-action': 'get',
        'x-kubernetes-group-version-kind': gvk('NodeRestart'),
      },
      post: create({
        op: 'NodeRestart',
        kind: 'NodeRestart',
        schema: n.nodeRestart,
        options: n.restartOptions,
        description: 'restart the cloud VM behind the specified Node',
      }),
      delete: {
        ...common,
        description:
          'cancel the running restart of the specified Node before the cloud is asked to reboot it: it ends ' +
          'Cancelled and lifts the cordon it set',
        operationId: opId('delete', 'NodeRestart'),
        tags: [`${group}_${VERSION}`],
        responses: {
          ...ok(refTo(n.nodeRestart)),
          ...unauthorized,
          ...statusReplies({
            '404': 'NotFound: no such Node, or no restart of it is running',
            '409': 'Conflict: the cloud has been asked to reboot the node; it can no longer be cancelled',
          }),
        },
        'x-kubernetes-action': 'delete',
        'x-kubernetes-group-version-kind': gvk('NodeRestart'),
      },
    },
    [`${base}/nodes/{name}/reset`]: {
      parameters: [nameParam],
      post: create({
        op: 'NodeReset',
        kind: 'NodeRestart',
        schema: n.nodeRestart,
        options: n.restartOptions,
        description: 'reset the cloud VM behind the specified Node at once: a restart in mode Hard',
      }),
    },
    [`${base}/nodes/{name}/stop`]: power('Stop', 'stop (power off) the cloud VM behind the specified Node'),
    [`${base}/nodes/{name}/start`]: power('Start', 'start the stopped cloud VM behind the specified Node'),
    ...objectOperations(group, refTo, v3, statusReplies, {
      resource: 'restartbatches',
      kind: 'RestartBatch',
      schema: n.restartBatch,
      list: n.restartBatchList,
      patch: 'a JSON merge patch; everything but spec.suspend and the status is immutable',
      deletes: 'it starts no more nodes, and is gone once none of its restarts runs',
      deleteFailures: { '404': 'NotFound: no such RestartBatch' },
    }),
    ...objectOperations(group, refTo, v3, statusReplies, {
      resource: 'noderepairpolicies',
      kind: 'NodeRepairPolicy',
      schema: n.nodeRepairPolicy,
      list: n.nodeRepairPolicyList,
      patch: "a JSON merge patch; the status is the server's",
      deletes: 'its repairs stop; restarts it asked for run on as their own operations',
      deleteFailures: {
        '404': 'NotFound: no such NodeRepairPolicy',
        '409': 'Conflict: the policy changed while it was being deleted',
      },
      replace: true,
    }),
  };
}

/** The query parameters of every list and watch (metav1.ListOptions), as kube-openapi documents them. */
const LIST_PARAMETERS: [string, string, string][] = [
  ['limit', 'Maximum number of objects to return; a continue token follows when more remain.', 'integer'],
  ['continue', 'Token from the previous page.', 'string'],
  ['resourceVersion', 'Watch: events after it. List: a state at least as new.', 'string'],
  ['resourceVersionMatch', 'How resourceVersion applies: Exact or NotOlderThan.', 'string'],
  ['watch', 'Watch for changes to the described resources and return them as a stream of events.', 'boolean'],
  ['allowWatchBookmarks', 'Ask for BOOKMARK events.', 'boolean'],
  ['sendInitialEvents', 'Watch: the state first, as ADDED events.', 'boolean'],
  ['timeoutSeconds', 'End the list or watch after this many seconds.', 'integer'],
];

/** A stored resource of ours in OpenAPI. */
interface StoredResource {
  resource: string;
  kind: string;
  /** Schema names of the kind and its list. */
  schema: string;
  list: string;
  /** What the merge patch may change. */
  patch: string;
  /** What a DELETE does to it, and its failures besides 401 (each a Status). */
  deletes: string;
  deleteFailures: Record<string, string>;
  /** PUT documented too, and dryRun on DELETE. */
  replace?: boolean;
}

/** A stored resource: list or watch, create, read one, merge patch, delete (and replace). */
function objectOperations(
  group: string,
  refTo: (name: string) => Json,
  v3: boolean,
  statusReplies: (replies: Record<string, string>) => Json,
  r: StoredResource,
): Json {
  const { kind } = r;
  const base = `/apis/${group}/${VERSION}/${r.resource}`;
  const gvk = { group, version: VERSION, kind };
  const opId = (verb: string) => `${verb}${group.replace(/[^a-zA-Z0-9]/g, '')}${VERSION}${kind}`;
  const ok = (schema: Json, code: string) =>
    v3
      ? { [code]: { description: 'OK', content: { 'application/json': { schema } } } }
      : { [code]: { description: 'OK', schema } };
  const schemaParam = (schema: Json) =>
    v3 ? { schema } : { type: (schema as { type?: string }).type ?? 'string' };
  const pathName = {
    name: 'name',
    in: 'path',
    required: true,
    description: `Name of the ${kind}.`,
    ...schemaParam({ type: 'string' }),
  };
  const dryRun = {
    name: 'dryRun',
    in: 'query',
    description: 'When All, nothing is stored or restarted.',
    ...schemaParam({ type: 'string' }),
  };
  const fieldValidation = {
    name: 'fieldValidation',
    in: 'query',
    description: FIELD_VALIDATION_DESCRIPTION,
    ...schemaParam({ type: 'string' }),
  };
  const body = v3
    ? { requestBody: { content: { 'application/json': { schema: refTo(r.schema) } } } }
    : { parameters: [dryRun, fieldValidation, { name: 'body', in: 'body', schema: refTo(r.schema) }] };
  const tags = [`${group}_${VERSION}`];
  return {
    [base]: {
      get: {
        description: `list or watch objects of kind ${kind}`,
        operationId: opId('list'),
        tags,
        parameters: LIST_PARAMETERS.map(([name, description, type]) => ({
          name,
          in: 'query',
          description,
          ...schemaParam({ type }),
        })),
        responses: ok(refTo(r.list), '200'),
        'x-kubernetes-action': 'list',
        'x-kubernetes-group-version-kind': gvk,
      },
      post: {
        description: `create a ${kind}`,
        operationId: opId('create'),
        tags,
        ...(v3 ? { parameters: [dryRun, fieldValidation] } : {}),
        ...body,
        responses: ok(refTo(r.schema), '201'),
        'x-kubernetes-action': 'post',
        'x-kubernetes-group-version-kind': gvk,
      },
    },
    [`${base}/{name}`]: {
      parameters: [pathName],
      get: {
        description: `read the specified ${kind}`,
        operationId: opId('read'),
        tags,
        responses: ok(refTo(r.schema), '200'),
        'x-kubernetes-action': 'get',
        'x-kubernetes-group-version-kind': gvk,
      },
      patch: {
        description: `partially update the specified ${kind} (${r.patch})`,
        operationId: opId('patch'),
        tags,
        ...(v3
          ? {
              parameters: [dryRun, fieldValidation],
              requestBody: { content: { [MERGE_PATCH_MEDIA_TYPE]: { schema: { type: 'object' } } } },
            }
          : {
              consumes: [MERGE_PATCH_MEDIA_TYPE],
              parameters: [dryRun, fieldValidation, { name: 'body', in: 'body', schema: { type: 'object' } }],
            }),
        responses: ok(refTo(r.schema), '200'),
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
      },
      ...(r.replace
        ? {
            put: {
              description: `replace the specified ${kind}`,
              operationId: opId('replace'),
              tags,
              ...(v3 ? { parameters: [dryRun, fieldValidation] } : {}),
              ...body,
              responses: ok(refTo(r.schema), '200'),
              'x-kubernetes-action': 'put',
              'x-kubernetes-group-version-kind': gvk,
            },
          }
        : {}),
      delete: {
        description: `delete the specified ${kind}: ${r.deletes}`,
        operationId: opId('delete'),
        tags,
        ...(r.replace ? { parameters: [dryRun] } : {}),
        responses: {
          ...ok(refTo(r.schema), '200'),
          '401': { description: 'Unauthorized' },
          ...statusReplies(r.deleteFailures),
        },
        'x-kubernetes-action': 'delete',
        'x-kubernetes-group-version-kind': gvk,
      },
    },
  };
}

function withRefs(schemas: Json, prefix: string): Json {
  return JSON.parse(JSON.stringify(schemas).replaceAll('"#/S/', `"${prefix}`)) as Json;
}

/** A v3 schema in v2's form, as kube-apiserver's swagger.json has it: a one-element allOf is a $ref, no defaults. */
function v2Schema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(v2Schema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const { allOf, ...rest } = schema as Json;
  delete rest['default'];
  const single = Array.isArray(allOf) && allOf.length === 1 ? (allOf[0] as Json) : undefined;
  const kept = single ? { ...rest, ...single } : allOf === undefined ? rest : { ...rest, allOf };
  return Object.fromEntries(Object.entries(kept).map(([k, v]) => [k, v2Schema(v)]));
}

export interface OpenApiDocuments {
  v2: string;
  v3Root: string;
  v3Group: string;
  v3GroupPath: string;
}

export function buildOpenApiDocuments(group: string): OpenApiDocuments {
  const schemas = buildSchemas(group);
  const info = { title: group, version: VERSION };
  const v2 = {
    swagger: '2.0',
    info,
    paths: operations(group, (name) => ({ $ref: `#/definitions/${name}` }), false),
    definitions: v2Schema(withRefs(schemas, '#/definitions/')),
  };
  const v3Group = JSON.stringify({
    openapi: '3.0.0',
    info,
    paths: operations(group, (name) => ({ $ref: `#/components/schemas/${name}` }), true),
    components: { schemas: withRefs(schemas, '#/components/schemas/') },
  });
  const key = `apis/${group}/${VERSION}`;
  const hash = createHash('sha512').update(v3Group).digest('hex').slice(0, 128).toUpperCase();
  return {
    v2: JSON.stringify(v2),
    v3Group,
    v3GroupPath: `/openapi/v3/${key}`,
    v3Root: JSON.stringify({ paths: { [key]: { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` } } }),
  };
}
