// Issue acceptance through the real kube-apiserver and kubectl: discovery, OpenAPI (kubectl explain), the
// nodes resource as a Table, and RBAC in front of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { httpsGet } from '../control-plane/https-get.js';
import { waitFor } from '../control-plane/processes.js';
import { kubectl } from '../support/kube.js';
import { GROUP } from '../support/server.js';
import { e2eSuite } from '../support/suite.js';
import { grant, userKubeconfig } from '../support/users.js';

const suite = await e2eSuite();
const { cp, clients } = suite;
const NODES = ['api-aws-1', 'api-tencent-1', 'api-sim-1', 'api-fargate-1'];

before(async () => {
  await suite.nodes([
    { name: 'api-aws-1', providerID: 'aws:///us-east-1a/i-0123456789abcdef0', labels: { pool: 'a' } },
    { name: 'api-tencent-1', providerID: 'qcloud:///100003/ins-3ven36lk', labels: { pool: 'b' } },
    { name: 'api-sim-1', providerID: 'simulated:///sim-region-1/sim-zone-a/sim-0001', ready: false },
    {
      name: 'api-fargate-1',
      providerID: 'aws:///us-west-2a/fargate-ip-10-0-55-27.us-west-2.compute.internal',
    },
  ]);
  await suite.server();
});

test('kubectl api-resources lists nodes in our group', async () => {
  const res = await kubectl(cp, ['api-resources', `--api-group=${GROUP}`, '-o', 'wide']);
  assert.equal(res.code, 0, res.stderr);
  assert.match(
    res.stdout,
    new RegExp(
      `^nodes\\s+cnode,cnodes\\s+${GROUP.replaceAll('.', '\\.')}/v1\\s+false\\s+Node\\s+get,list,watch\\s+infraops$`,
      'm',
    ),
  );
});

test('kube-apiserver’s aggregated /apis lists our group, fresh', async () => {
  const res = await kubectl(cp, ['get', '--raw', '/apis']);
  assert.equal(res.code, 0, res.stderr);
  const doc = JSON.parse(res.stdout) as { kind: string; groups?: { name: string }[]; items?: unknown[] };
  assert.ok(
    doc.groups?.some((g) => g.name === GROUP),
    'legacy list has the group',
  );
  const aggregated = await fetchAggregated();
  const ours = aggregated.items.find((i) => i.metadata.name === GROUP);
  assert.ok(ours, 'aggregated discovery has the group');
  const v1 = ours.versions.find((v) => v.version === 'v1')!;
  assert.equal(v1.freshness ?? 'Current', 'Current');
  const nodes = v1.resources.find((r) => r.resource === 'nodes')!;
  assert.deepEqual(nodes.verbs, ['get', 'list', 'watch']);
  assert.equal(nodes.responseKind.kind, 'Node');
  assert.deepEqual(
    nodes.subresources.map((s) => [s.subresource, s.verbs, s.responseKind.kind]),
    [
      ['restart', ['create', 'delete', 'get'], 'NodeRestart'],
      ['reset', ['create'], 'NodeRestart'],
      ['stop', ['create'], 'NodePowerAction'],
      ['start', ['create'], 'NodePowerAction'],
    ],
  );
});

async function fetchAggregated() {
  const res = await httpsGet(`${cp.apiserverUrl}/apis`, {
    ca: await readFile(cp.pki.clusterCaCert),
    certFile: cp.pki.adminCert,
    keyFile: cp.pki.adminKey,
    headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' },
  });
  assert.equal(res.status, 200);
  return JSON.parse(res.body) as {
    items: {
      metadata: { name: string };
      versions: {
        version: string;
        freshness?: string;
        resources: {
          resource: string;
          verbs: string[];
          responseKind: { kind: string };
          subresources: { subresource: string; verbs: string[]; responseKind: { kind: string } }[];
        }[];
      }[];
    }[];
  };
}

test('kubectl get --raw /apis/GROUP/v1 returns the APIResourceList', async () => {
  const res = await kubectl(cp, ['get', '--raw', `/apis/${GROUP}/v1`]);
  assert.equal(res.code, 0, res.stderr);
  const list = JSON.parse(res.stdout) as {
    kind: string;
    groupVersion: string;
    resources: { name: string; kind: string; verbs: string[] }[];
  };
  assert.equal(list.kind, 'APIResourceList');
  assert.equal(list.groupVersion, `${GROUP}/v1`);
  assert.deepEqual(
    list.resources.map((r) => [r.name, r.kind, r.verbs]),
    [
      ['nodes', 'Node', ['get', 'list', 'watch']],
      ['nodes/restart', 'NodeRestart', ['create', 'delete', 'get']],
      ['nodes/reset', 'NodeRestart', ['create']],
      ['nodes/stop', 'NodePowerAction', ['create']],
      ['nodes/start', 'NodePowerAction', ['create']],
      ['restartbatches', 'RestartBatch', ['create', 'delete', 'get', 'list', 'patch', 'watch']],
      [
        'noderepairpolicies',
        'NodeRepairPolicy',
        ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      ],
    ],
  );
});

test('kubectl get nodes.GROUP prints the Table columns', async () => {
  const res = await kubectl(cp, ['get', `nodes.${GROUP}`]);
  assert.equal(res.code, 0, res.stderr);
  const lines = res.stdout.trim().split('\n');
  assert.match(lines[0]!, /^NAME\s+CLOUD\s+REGION\s+INSTANCE\s+READY\s+AGE$/);
  const row = (name: string) => lines.find((l) => l.startsWith(`${name} `))?.split(/\s+/);
  assert.deepEqual(row('api-aws-1')?.slice(0, 5), [
    'api-aws-1',
    'aws',
    'us-east-1',
    'i-0123456789abcdef0',
    'True',
  ]);
  assert.deepEqual(row('api-tencent-1')?.slice(0, 5), [
    'api-tencent-1',
    'tencent',
    'ap-guangzhou',
    'ins-3ven36lk',
    'True',
  ]);
  assert.deepEqual(row('api-sim-1')?.slice(0, 5), [
    'api-sim-1',
    'simulated',
    'sim-region-1',
    'sim-0001',
    'False',
  ]);
  assert.deepEqual(row('api-fargate-1')?.slice(0, 4), [
    'api-fargate-1',
    'aws-fargate',
    '<unknown>',
    '<none>',
  ]);
  const wide = await kubectl(cp, ['get', `nodes.${GROUP}`, 'api-fargate-1', '-o', 'wide']);
  assert.match(wide.stdout, /Fargate/);
});

test('label selectors, field selectors and paging work as kubectl uses them', async () => {
  const byLabel = await kubectl(cp, ['get', `nodes.${GROUP}`, '-l', 'pool=b', '-o', 'name']);
  assert.equal(byLabel.stdout.trim(), `node.${GROUP}/api-tencent-1`);
  const byField = await kubectl(cp, [
    'get',
    `nodes.${GROUP}`,
    '--field-selector',
    'metadata.name=api-sim-1',
    '-o',
    'name',
  ]);
  assert.equal(byField.stdout.trim(), `node.${GROUP}/api-sim-1`);
  const paged = await kubectl(cp, ['get', `nodes.${GROUP}`, '--chunk-size=1', '-o', 'name']);
  for (const n of NODES) assert.ok(paged.stdout.includes(`node.${GROUP}/${n}`), `${n} in ${paged.stdout}`);
  const bad = await kubectl(cp, ['get', `nodes.${GROUP}`, '--field-selector', 'spec.unschedulable=true']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /BadRequest|field label not supported/);
  const json = await kubectl(cp, ['get', `nodes.${GROUP}`, 'api-aws-1', '-o', 'json']);
  const node = JSON.parse(json.stdout) as {
    kind: string;
    status: { cloud: string; region: string; instanceID: string; restartable: boolean };
  };
  assert.equal(node.kind, 'Node');
  assert.deepEqual(
    [node.status.cloud, node.status.region, node.status.instanceID, node.status.restartable],
    ['aws', 'us-east-1', 'i-0123456789abcdef0', true],
  );
});

test('kubectl explain nodes --api-version=GROUP/v1 prints the schema', async () => {
  // The aggregator picks up our /openapi/v3 shortly after the APIService becomes available.
  await waitFor('our group in /openapi/v3', async () => {
    const root = await kubectl(cp, ['get', '--raw', '/openapi/v3']);
    return root.stdout.includes(`"apis/${GROUP}/v1"`) ? true : undefined;
  });
  // `explain nodes.GROUP` cannot work for a resource named like a core one: kubectl 1.36 matches the
  // prefix `nodes` of core first and reads the rest as fields. `--api-version` picks our group.
  const explain = (what: string) => kubectl(cp, ['explain', what, `--api-version=${GROUP}/v1`]);
  const res = await explain('nodes');
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /KIND:\s+Node/);
  assert.match(res.stdout, new RegExp(`GROUP:\\s+${GROUP.replaceAll('.', '\\.')}`));
  assert.match(res.stdout, /status\s+<Object>/);
  const field = await explain('nodes.status.instanceID');
  assert.equal(field.code, 0, field.stderr);
  assert.match(field.stdout, /Instance id of the VM/);
});

test("the published OpenAPI documents the deletes: a restart's cancel and a batch's delete, with their answers", async () => {
  await waitFor('our group in /openapi/v3', async () => {
    const root = await kubectl(cp, ['get', '--raw', '/openapi/v3']);
    return root.stdout.includes(`"apis/${GROUP}/v1"`) ? true : undefined;
  });
  const v3 = await kubectl(cp, ['get', '--raw', `/openapi/v3/apis/${GROUP}/v1`]);
  assert.equal(v3.code, 0, v3.stderr);
  type Operation = { operationId: string; 'x-kubernetes-action': string; responses: Record<string, unknown> };
  const paths = (JSON.parse(v3.stdout) as { paths: Record<string, { delete?: Operation }> }).paths;
  const deletes = Object.entries(paths)
    .filter(([, item]) => item.delete !== undefined)
    .map(([path, item]) => [
      path,
      item.delete!['x-kubernetes-action'],
      Object.keys(item.delete!.responses).sort(),
    ]);
  assert.deepEqual(deletes, [
    [`/apis/${GROUP}/v1/nodes/{name}/restart`, 'delete', ['200', '401', '404', '409']],
    [`/apis/${GROUP}/v1/restartbatches/{name}`, 'delete', ['200', '401', '404']],
    [`/apis/${GROUP}/v1/noderepairpolicies/{name}`, 'delete', ['200', '401', '404', '409']],
  ]);
  const cancel = paths[`/apis/${GROUP}/v1/nodes/{name}/restart`]!.delete!.responses['409'] as {
    content: Record<string, { schema: { $ref: string } }>;
  };
  assert.match(
    cancel.content['application/json']!.schema.$ref,
    /io\.k8s\.apimachinery\.pkg\.apis\.meta\.v1\.Status$/,
  );
  const v2 = await kubectl(cp, ['get', '--raw', '/openapi/v2']);
  const v2paths = (JSON.parse(v2.stdout) as { paths: Record<string, { delete?: Operation }> }).paths;
  assert.equal(
    v2paths[`/apis/${GROUP}/v1/restartbatches/{name}`]?.delete?.operationId,
    paths[`/apis/${GROUP}/v1/restartbatches/{name}`]!.delete!.operationId,
  );
});

test('RBAC: a user allowed to list our nodes can; one without gets the Forbidden Status', async () => {
  const viewer = await userKubeconfig(cp, 'viewer-alice');
  const stranger = await userKubeconfig(cp, 'stranger-bob');
  const revoke = await grant(clients, 'viewer-alice', 'e2e-node-viewer', [
    { apiGroups: [GROUP], resources: ['nodes'], verbs: ['get', 'list'] },
  ]);
  after(revoke);
  const allowed = await kubectl(cp, ['get', `nodes.${GROUP}`, '-o', 'name'], { kubeconfig: viewer });
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.ok(allowed.stdout.includes(`node.${GROUP}/api-aws-1`));
  const denied = await kubectl(cp, ['get', `nodes.${GROUP}`], { kubeconfig: stranger });
  assert.notEqual(denied.code, 0);
  assert.match(
    denied.stderr,
    new RegExp(
      `Error from server \\(Forbidden\\): nodes\\.${GROUP.replaceAll('.', '\\.')} is forbidden: User "stranger-bob" cannot list resource "nodes" in API group "${GROUP.replaceAll('.', '\\.')}" at the cluster scope`,
    ),
  );
});
