import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, stringify } from 'yaml';
import type { IContainer } from 'kubernetes-models/v1';
import { CA_BUNDLE_PLACEHOLDER, caBundlePatch } from '../../../scripts/gen-certs.js';
import {
  API_GROUP,
  AUTH_READER_ROLE,
  findRepoRoot,
  kubectlVersion,
  kustomize,
  overlayNames,
  parseManifests,
  schemaErrors,
  validateObjects,
  type K8sObject,
} from '../../../scripts/validate-manifests.js';
import { removeTempOverlays, tempOverlay } from './temp-overlay.js';

const root = findRepoRoot();
const OVERLAYS = ['eks', 'eks-oidc', 'out-of-cluster', 'self-built', 'tke'];
const CERT_MANAGER_OVERLAYS = ['eks', 'eks-oidc', 'tke'];
const NAME = 'k8s-cloud-node-manager';
const skip = kubectlVersion() ? false : 'no kubectl on PATH, so the overlays cannot be rendered';

after(removeTempOverlays);

const renders = new Map<string, K8sObject[]>();
/** A fresh copy each time, so a test may mutate what it gets. */
function render(dir: string): K8sObject[] {
  if (!renders.has(dir)) renders.set(dir, parseManifests(kustomize(dir)));
  return structuredClone(renders.get(dir)!);
}
const overlay = (name: string) => render(join(root, 'kustomize', 'overlays', name));
const one = (objects: K8sObject[], kind: string, name?: string) => {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  assert.equal(found.length, 1, `exactly one ${kind} ${name ?? ''}`);
  return found[0]!;
};
const server = (objects: K8sObject[]): IContainer =>
  one(objects, 'Deployment').spec.template.spec.containers[0];

test('the overlays are exactly the documented ones', () => {
  assert.deepEqual(overlayNames(root), OVERLAYS);
});

test('schemas are checked per object', async () => {
  const errors = await schemaErrors([
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: 'x' } },
  ]);
  assert.equal(errors.length, 1);
});

describe('rendered overlays', { skip }, () => {
  for (const name of OVERLAYS) {
    test(`${name} passes the Kubernetes schemas and the project rules`, async () => {
      const report = await validateObjects(overlay(name), name !== 'out-of-cluster');
      assert.deepEqual(report.errors, []);
    });
  }

  test('cert-manager overlays have the CA injected; the others carry the patch gen-certs replaces', () => {
    for (const name of OVERLAYS) {
      const objects = overlay(name);
      const apiService = one(objects, 'APIService');
      const certificates = objects.filter((o) => o.kind === 'Certificate').map((o) => o.metadata.name);
      if (CERT_MANAGER_OVERLAYS.includes(name)) {
        assert.equal(
          apiService.metadata.annotations?.['cert-manager.io/inject-ca-from'],
          `${NAME}/${NAME}-serving-cert`,
        );
        assert.equal(apiService.spec.caBundle, undefined, name);
        assert.deepEqual(certificates.sort(), [`${NAME}-ca`, `${NAME}-serving-cert`]);
      } else {
        assert.equal(apiService.spec.caBundle, CA_BUNDLE_PLACEHOLDER, name);
        assert.deepEqual(certificates, [], name);
        const committed = readFileSync(join(root, 'kustomize', 'overlays', name, 'ca-bundle.yaml'), 'utf8');
        assert.deepEqual(parse(committed), parse(caBundlePatch(API_GROUP, CA_BUNDLE_PLACEHOLDER)), name);
      }
    }
  });

  test('cloud credentials come from optional keys of the documented Secrets, and IRSA from a real ARN', () => {
    const AWS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'];
    const TENCENT = ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_REGION'];
    const expected: Record<string, string[]> = {
      eks: AWS,
      'eks-oidc': [],
      tke: TENCENT,
      'self-built': [...AWS, ...TENCENT],
    };
    for (const [name, keys] of Object.entries(expected)) {
      const container = server(overlay(name));
      assert.equal(container.envFrom, undefined, `${name}: no envFrom`);
      const env = container.env ?? [];
      const fromSecrets = env.filter((e) => e.valueFrom?.secretKeyRef);
      assert.deepEqual(fromSecrets.map((e) => e.name).sort(), [...keys].sort(), name);
      for (const e of fromSecrets) {
        const ref = e.valueFrom!.secretKeyRef!;
        assert.equal(ref.name, e.name.startsWith('AWS_') ? 'aws-credentials' : 'tencentcloud-credentials');
        assert.deepEqual([ref.key, ref.optional], [e.name, true]);
      }
      const downward = env.filter((e) => e.valueFrom?.fieldRef).map((e) => e.name);
      assert.deepEqual(downward.sort(), ['NODE_NAME', 'POD_NAME', 'POD_NAMESPACE']);
    }
    const roleArn = (name: string) =>
      one(overlay(name), 'ServiceAccount').metadata.annotations?.['eks.amazonaws.com/role-arn'];
    assert.match(roleArn('eks-oidc') ?? '', /^arn:aws:iam::\d{12}:role\/.+/);
    assert.doesNotMatch(
      roleArn('eks-oidc') ?? '',
      /000000000000|set-in-overlay/,
      'the component placeholder is replaced',
    );
    for (const name of ['eks', 'tke', 'self-built']) assert.equal(roleArn(name), undefined, name);
  });

  test('managed overlays switch their cloud on explicitly; the server drains before it stops', () => {
    const switches = (name: string) =>
      Object.fromEntries(
        (server(overlay(name)).env ?? [])
          .filter((e) => e.name.endsWith('_CLOUD'))
          .map((e) => [e.name, e.value]),
      );
    assert.deepEqual(switches('eks'), { AWS_CLOUD: 'true' });
    assert.deepEqual(switches('eks-oidc'), { AWS_CLOUD: 'true' });
    assert.deepEqual(switches('tke'), { TENCENT_CLOUD: 'true' });
    // Multi-cloud: each cloud is on when its credentials are configured.
    assert.deepEqual(switches('self-built'), {});
    for (const name of ['eks', 'eks-oidc', 'tke', 'self-built']) {
      assert.ok(server(overlay(name)).args?.includes('--shutdown-delay-duration=15s'), name);
    }
  });

  test('the server has exactly the RBAC it needs', () => {
    const objects = overlay('eks');
    assert.deepEqual(one(objects, 'ClusterRole', NAME).rules, [
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch', 'patch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
      { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create'] },
    ]);
    const role = one(objects, 'Role', NAME);
    assert.equal(role.metadata.namespace, NAME);
    assert.deepEqual(role.rules, [
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'],
      },
    ]);
    const reader = objects.find((o) => o.kind === 'RoleBinding' && o.roleRef.name === AUTH_READER_ROLE)!;
    assert.deepEqual([reader.metadata.namespace, reader.roleRef.kind], ['kube-system', 'Role']);
  });

  test('user roles are aggregated into view/edit/admin only by the opt-in component', () => {
    const aggregation = (objects: K8sObject[]) =>
      objects
        .filter((o) => o.kind === 'ClusterRole' && o.metadata.name.includes(':node-'))
        .map((o) => [
          o.metadata.name,
          Object.keys(o.metadata.labels ?? {})
            .filter((l) => l.startsWith('rbac.authorization.k8s.io/aggregate-to-'))
            .sort(),
        ]);
    for (const name of OVERLAYS)
      assert.deepEqual(aggregation(overlay(name)), [
        [`${NAME}:node-power-operator`, []],
        [`${NAME}:node-repair-admin`, []],
        [`${NAME}:node-restarter`, []],
        [`${NAME}:node-viewer`, []],
      ]);
    const restarter = one(overlay('eks'), 'ClusterRole', `${NAME}:node-restarter`);
    assert.deepEqual(restarter.rules, [
      { apiGroups: [API_GROUP], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [API_GROUP], resources: ['nodes/restart'], verbs: ['create', 'delete', 'get'] },
      {
        apiGroups: [API_GROUP],
        resources: ['restartbatches'],
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'watch'],
      },
    ]);
    // Changing repair policies is a role of its own, and nothing else is in it but reading nodes.
    assert.deepEqual(one(overlay('eks'), 'ClusterRole', `${NAME}:node-repair-admin`).rules, [
      {
        apiGroups: [API_GROUP],
        resources: ['noderepairpolicies'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
      { apiGroups: [API_GROUP], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
    ]);
    // Graceful restarts and disruptive power operations are separate roles.
    assert.deepEqual(one(overlay('eks'), 'ClusterRole', `${NAME}:node-power-operator`).rules, [
      { apiGroups: [API_GROUP], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [API_GROUP], resources: ['nodes/reset', 'nodes/stop', 'nodes/start'], verbs: ['create'] },
    ]);
    const opted = render(
      tempOverlay(root, { resources: ['overlays/eks'], components: ['components/user-roles-aggregated'] }),
    );
    assert.deepEqual(aggregation(opted), [
      [`${NAME}:node-power-operator`, ['rbac.authorization.k8s.io/aggregate-to-admin']],
      [`${NAME}:node-repair-admin`, ['rbac.authorization.k8s.io/aggregate-to-admin']],
      [
        `${NAME}:node-restarter`,
        ['rbac.authorization.k8s.io/aggregate-to-admin', 'rbac.authorization.k8s.io/aggregate-to-edit'],
      ],
      [`${NAME}:node-viewer`, ['rbac.authorization.k8s.io/aggregate-to-view']],
    ]);
  });

  test('every overlay ships the metrics-reader role: get on /metrics and nothing else', () => {
    for (const name of OVERLAYS)
      assert.deepEqual(one(overlay(name), 'ClusterRole', `${NAME}:metrics-reader`).rules, [
        { nonResourceURLs: ['/metrics'], verbs: ['get'] },
      ]);
  });

  test('the base runs one replica; the ha component two on different nodes, under a disruption budget', () => {
    const base = render(join(root, 'kustomize', 'base'));
    assert.equal(one(base, 'Deployment').spec.replicas, 1);
    assert.equal(base.filter((o) => o.kind === 'PodDisruptionBudget').length, 0);
    const ha = render(tempOverlay(root, { resources: ['base'], components: ['components/ha'] }));
    const deployment = one(ha, 'Deployment');
    assert.equal(deployment.spec.replicas, 2);
    const spread = deployment.spec.template.spec.topologySpreadConstraints;
    assert.ok(
      spread.some(
        (c: { topologyKey: string; whenUnsatisfiable: string }) =>
          c.topologyKey === 'kubernetes.io/hostname' && c.whenUnsatisfiable === 'DoNotSchedule',
      ),
    );
    const pdb = one(ha, 'PodDisruptionBudget');
    assert.equal(pdb.metadata.namespace, NAME);
    assert.equal(pdb.spec.minAvailable, 1);
    assert.deepEqual(pdb.spec.selector.matchLabels, deployment.spec.template.metadata.labels);
  });

  test('an overlay that moves the server to another namespace keeps the auth reader in kube-system', async () => {
    for (const name of ['eks', 'self-built', 'out-of-cluster']) {
      const spec = { resources: [`overlays/${name}`], namespace: 'ops-tools' };
      const plain = await validateObjects(render(tempOverlay(root, spec)), name !== 'out-of-cluster');
      assert.ok(
        plain.errors.some((e) => e.includes('must be in kube-system')),
        'namespace: alone breaks it',
      );
      const fixed = render(tempOverlay(root, { ...spec, transformers: ['transformers/namespace-fixups'] }));
      assert.deepEqual((await validateObjects(fixed, name !== 'out-of-cluster')).errors, [], name);
      assert.equal(one(fixed, 'Service').metadata.namespace, 'ops-tools');
    }
    const fixed = render(
      tempOverlay(root, {
        resources: ['overlays/eks'],
        namespace: 'ops-tools',
        transformers: ['transformers/namespace-fixups'],
      }),
    );
    assert.deepEqual(one(fixed, 'Certificate', `${NAME}-serving-cert`).spec.dnsNames, [
      `${NAME}.ops-tools.svc`,
      `${NAME}.ops-tools.svc.cluster.local`,
    ]);
  });

  test('out of cluster, the developer address is set once, in the EndpointSlice', () => {
    // A copy of the overlay, with another address in the slice only.
    const source = join(root, 'kustomize', 'overlays', 'out-of-cluster');
    const dir = tempOverlay(root);
    const registration = relative(dir, join(root, 'kustomize', 'base', 'registration'));
    const kustomization = readFileSync(join(source, 'kustomization.yaml'), 'utf8');
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      kustomization.replace('../../base/registration', registration),
    );
    writeFileSync(join(dir, 'ca-bundle.yaml'), readFileSync(join(source, 'ca-bundle.yaml')));
    const docs = parseManifests(readFileSync(join(source, 'endpoints.yaml'), 'utf8'));
    const slice = one(docs, 'EndpointSlice');
    slice.endpoints[0].addresses = ['198.51.100.7'];
    slice.ports[0].port = 9443;
    writeFileSync(join(dir, 'endpoints.yaml'), docs.map((d) => stringify(d)).join('---\n'));

    const subset = one(render(dir), 'Endpoints').subsets[0];
    assert.deepEqual(subset.addresses, [{ ip: '198.51.100.7' }]);
    assert.equal(subset.ports[0].port, 9443);
  });

  describe('the rules catch broken manifests', () => {
    const deployment = (o: K8sObject[]) => one(o, 'Deployment');
    const breakages: [string, (o: K8sObject[]) => void, RegExp][] = [
      [
        'auth reader outside kube-system',
        (o) => (o.find((x) => x.roleRef?.name === AUTH_READER_ROLE)!.metadata.namespace = NAME),
        /must be in kube-system/,
      ],
      [
        'insecureSkipTLSVerify',
        (o) => (one(o, 'APIService').spec.insecureSkipTLSVerify = true),
        /insecureSkipTLSVerify/,
      ],
      ['no CA at all', (o) => delete one(o, 'APIService').metadata.annotations, /neither a caBundle/],
      [
        'a caBundle that is no certificate',
        (o) => {
          delete one(o, 'APIService').metadata.annotations;
          one(o, 'APIService').spec.caBundle = Buffer.from('nope').toString('base64');
        },
        /not a base64 PEM/,
      ],
      [
        'another APIService name',
        (o) => (one(o, 'APIService').metadata.name = 'v1beta1.infraops.michael.io'),
        /exactly one APIService/,
      ],
      ['the latest tag', (o) => (server(o).image = 'k8s-cloud-node-manager:latest'), /no fixed tag/],
      ['no tag', (o) => (server(o).image = 'registry.example:5000/k8s-cloud-node-manager'), /no fixed tag/],
      [
        'a writable root filesystem',
        (o) => (server(o).securityContext!.readOnlyRootFilesystem = false),
        /read-only/,
      ],
      [
        'root allowed',
        (o) => delete deployment(o).spec.template.spec.securityContext.runAsNonRoot,
        /runAsNonRoot/,
      ],
      [
        'escalation allowed',
        (o) => delete server(o).securityContext!.allowPrivilegeEscalation,
        /allowPrivilegeEscalation/,
      ],
      ['capabilities kept', (o) => (server(o).securityContext!.capabilities!.drop = []), /capabilities/],
      ['wildcard verbs', (o) => (one(o, 'ClusterRole', NAME).rules[0].verbs = ['*']), /wildcard in verbs/],
      [
        'wildcard resources',
        (o) => (one(o, 'ClusterRole', NAME).rules[1].resources = ['*']),
        /wildcard in resources/,
      ],
      ['Service port ≠ APIService port', (o) => (one(o, 'Service').spec.ports[0].port = 8443), /no port 443/],
      [
        'targetPort not served',
        (o) => (one(o, 'Service').spec.ports[0].targetPort = 9443),
        /targetPort 9443/,
      ],
      [
        'selector misses the pods',
        (o) => (one(o, 'Service').spec.selector = { app: 'other' }),
        /selector does not select/,
      ],
      [
        'probe over HTTP',
        (o) => (server(o).readinessProbe!.httpGet!.scheme = 'HTTP'),
        /readinessProbe is not an HTTPS GET/,
      ],
      [
        'certificate without the service name',
        (o) => one(o, 'Certificate', `${NAME}-serving-cert`).spec.dnsNames.pop(),
        /dnsNames lack/,
      ],
      [
        'subject in another namespace',
        (o) => (one(o, 'ClusterRoleBinding', NAME).subjects[0].namespace = 'default'),
        /not in the manifests/,
      ],
      [
        'an object elsewhere',
        (o) => (one(o, 'Issuer', `${NAME}-ca`).metadata.namespace = 'default'),
        /not in the server's namespace/,
      ],
      ['a schema violation', (o) => (deployment(o).spec.replicas = 'two'), /replicas must be integer/],
      [
        'a kind without schema',
        (o) =>
          o.push({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g', namespace: NAME } }),
        /no schema/,
      ],
    ];
    for (const [what, breakIt, expected] of breakages) {
      test(what, async () => {
        const objects = overlay('eks');
        breakIt(objects);
        const { errors } = await validateObjects(objects, true);
        assert.ok(
          errors.some((e) => expected.test(e)),
          `expected ${expected} in:\n${errors.join('\n')}`,
        );
      });
    }

    test('hand-written endpoints that disagree', async () => {
      const objects = overlay('out-of-cluster');
      one(objects, 'Endpoints').subsets[0].addresses[0].ip = '198.51.100.7';
      const { errors } = await validateObjects(objects, false);
      assert.ok(
        errors.some((e) => /disagree on the addresses/.test(e)),
        errors.join('\n'),
      );
    });

    test('a workload out of cluster', async () => {
      const objects = [...overlay('out-of-cluster'), one(overlay('eks'), 'Deployment')];
      const { errors } = await validateObjects(objects, false);
      assert.ok(
        errors.some((e) => /out of cluster there is no workload/.test(e)),
        errors.join('\n'),
      );
    });
  });
});
