import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  aggregatedContentType,
  buildDiscoveryDocuments,
} from '../../../src/api-discovery/discovery-documents.js';
import { ApiDiscoveryService } from '../../../src/api-discovery/api-discovery.service.js';
import type { ServerOptions } from '../../../src/config/server-options.js';
import { StatusError, type HttpReply } from '../../../src/apiserver/status.js';

const GROUP = 'infraops.michael.io';
const V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

interface Sent {
  code: number;
  headers: Record<string, string>;
  body?: string;
}

const discovery = new ApiDiscoveryService({ apiGroup: GROUP } as ServerOptions);

/** The reply as a client sees it: lower-case header names, no body on a 304. */
function sent(reply: HttpReply): Sent {
  const headers = Object.fromEntries(Object.entries(reply.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { code: reply.statusCode, headers, body: reply.body ? String(reply.body) : undefined };
}

function apis(accept: string | undefined, ifNoneMatch = ''): Sent {
  return sent(discovery.apis(accept, ifNoneMatch));
}

test('ETags are the quoted, uppercase hex SHA-512 of the body, distinct per document', () => {
  const docs = buildDiscoveryDocuments(GROUP);
  for (const doc of [
    docs.groupList,
    docs.group,
    docs.resourceList,
    docs.aggregated.v2,
    docs.aggregated.v2beta1,
  ]) {
    const sum = createHash('sha512').update(doc.body).digest('hex').toUpperCase();
    assert.equal(doc.etag, `"${sum}"`);
  }
  assert.notEqual(docs.aggregated.v2.etag, docs.aggregated.v2beta1.etag);
  // Stable across builds: the aggregator's If-None-Match keeps matching after a restart.
  assert.equal(buildDiscoveryDocuments(GROUP).aggregated.v2.etag, docs.aggregated.v2.etag);
  assert.notEqual(buildDiscoveryDocuments('other.example.com').aggregated.v2.etag, docs.aggregated.v2.etag);
});

test('the documents: APIGroupList, APIGroup, APIResourceList, aggregated v2 and v2beta1', () => {
  const docs = buildDiscoveryDocuments(GROUP);
  const groupVersion = { groupVersion: `${GROUP}/v1`, version: 'v1' };
  assert.deepEqual(JSON.parse(docs.groupList.body), {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [{ name: GROUP, versions: [groupVersion], preferredVersion: groupVersion }],
  });
  assert.deepEqual(JSON.parse(docs.group.body), {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: GROUP,
    versions: [groupVersion],
    preferredVersion: groupVersion,
  });
  const list = JSON.parse(docs.resourceList.body) as {
    kind: string;
    groupVersion: string;
    resources: { name: string; kind: string; verbs: string[] }[];
  };
  assert.equal(list.kind, 'APIResourceList');
  assert.equal(list.groupVersion, `${GROUP}/v1`);
  for (const r of list.resources) assert.ok(r.kind, `${r.name} has a kind`);
  // The collections are watched as any resource is (the garbage collector and informers rely on it).
  const watched = list.resources.filter((r) => r.verbs.includes('watch')).map((r) => r.name);
  assert.deepEqual(watched, ['nodes', 'restartbatches', 'noderepairpolicies']);
  for (const v of ['v2', 'v2beta1'] as const) {
    const agg = JSON.parse(docs.aggregated[v].body) as { kind: string; apiVersion: string; items: unknown[] };
    assert.equal(agg.kind, 'APIGroupDiscoveryList');
    assert.equal(agg.apiVersion, `apidiscovery.k8s.io/${v}`);
    assert.equal(agg.items.length, 1);
  }
  assert.equal(aggregatedContentType('v2'), V2);
});

test('/apis: the Content-Type follows the Accept header', () => {
  const docs = buildDiscoveryDocuments(GROUP);
  const cases: [string | undefined, string, string][] = [
    [undefined, 'application/json', docs.groupList.body],
    ['application/json', 'application/json', docs.groupList.body],
    ['*/*', 'application/json', docs.groupList.body],
    [V2, V2, docs.aggregated.v2.body],
    [V2BETA1, V2BETA1, docs.aggregated.v2beta1.body],
    // What the aggregator sends in 1.32-1.36: v2 first.
    [`${V2},${V2BETA1}`, V2, docs.aggregated.v2.body],
    // What kubectl sends: aggregated first, legacy as the fallback.
    [`${V2},${V2BETA1},application/json`, V2, docs.aggregated.v2.body],
    [
      'application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json',
      'application/json',
      docs.groupList.body,
    ],
  ];
  for (const [accept, type, body] of cases) {
    const sent = apis(accept);
    assert.equal(sent.code, 200, accept);
    assert.equal(sent.headers['content-type'], type, accept);
    assert.equal(sent.body, body, accept);
  }
});

test('/apis aggregated: ETag, Vary and Cache-Control; a matching If-None-Match is a 304 without a body', () => {
  const docs = buildDiscoveryDocuments(GROUP);
  const first = apis(V2);
  assert.equal(first.headers.etag, docs.aggregated.v2.etag);
  assert.equal(first.headers.vary, 'Accept');
  assert.equal(first.headers['cache-control'], 'public');
  const again = apis(V2, docs.aggregated.v2.etag);
  assert.equal(again.code, 304);
  assert.equal(again.body, undefined);
  assert.equal(again.headers.etag, docs.aggregated.v2.etag);
  // Another version's ETag does not match.
  assert.equal(apis(V2BETA1, docs.aggregated.v2.etag).code, 200);
  assert.equal(apis(V2, '"STALE"').code, 200);
  // The legacy list carries no ETag.
  assert.equal(apis('application/json').headers.etag, undefined);
});

test('/apis with nothing acceptable is a 406 Status listing what is served', () => {
  assert.throws(
    () => apis('application/yaml'),
    (err: unknown) =>
      err instanceof StatusError &&
      err.status.code === 406 &&
      err.status.reason === 'NotAcceptable' &&
      String(err.status.message).includes(V2),
  );
});

test('/apis/GROUP and /apis/GROUP/v1: JSON, answered without an Accept header; other groups are 404', () => {
  const docs = buildDiscoveryDocuments(GROUP);
  const resources = sent(discovery.resources(GROUP, 'v1', undefined));
  assert.deepEqual(
    [resources.code, resources.headers['content-type'], resources.body],
    [200, 'application/json', docs.resourceList.body],
  );
  assert.equal(discovery.group(GROUP, 'application/json, */*').body, docs.group.body);
  const notFound = (f: () => void) =>
    assert.throws(f, (err: unknown) => err instanceof StatusError && err.status.code === 404);
  notFound(() => discovery.group('other.example.com', undefined));
  notFound(() => discovery.resources(GROUP, 'v2', undefined));
  assert.throws(
    () => discovery.resources(GROUP, 'v1', 'application/yaml'),
    (err: unknown) => err instanceof StatusError && err.status.code === 406,
  );
});
