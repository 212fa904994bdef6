// Renders kustomize overlays with `kubectl kustomize` and checks them without a cluster: every object against the
// Kubernetes and cert-manager schemas of kubernetes-models, then the rules an aggregated API server depends on.
//   node dist/scripts/validate-manifests.js [overlay...]     (default: every directory in kustomize/overlays)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { CA_BUNDLE_PLACEHOLDER } from './gen-certs.js';

export const API_GROUP = 'infraops.michael.io';
export const API_SERVICE = `v1.${API_GROUP}`;
export const AUTH_READER_ROLE = 'extension-apiserver-authentication-reader';
const INJECT_CA_FROM = 'cert-manager.io/inject-ca-from';
const WORKLOAD_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'];
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'APIService',
  'CustomResourceDefinition',
  'ClusterIssuer',
]);

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: any;
}

export interface OverlayReport {
  objects: K8sObject[];
  errors: string[];
  notes: string[];
}

/** The directory holding package.json and kustomize/, found from this file whether it runs from source or dist. */
export function findRepoRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'kustomize'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository root (package.json + kustomize/) above ${from}`);
  }
}

export function overlayNames(root: string): string[] {
  const dir = join(root, 'kustomize', 'overlays');
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'kustomization.yaml')))
    .map((e) => e.name)
    .sort();
}

/** The kubectl on PATH, or undefined when there is none. */
export function kubectlVersion(): string | undefined {
  const run = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  return run.error || run.status !== 0 ? undefined : run.stdout.trim();
}

export function kustomize(dir: string): string {
  const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${run.stderr}`);
  return run.stdout;
}

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length) throw new Error(`invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
    const obj = doc.toJS() as K8sObject | null;
    return obj ? [obj] : [];
  });
}

const id = (o: K8sObject) =>
  `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

function schemaModule(apiVersion: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [undefined, apiVersion];
  if (!group) return `kubernetes-models/${version}`;
  return group.endsWith('cert-manager.io')
    ? `@kubernetes-models/cert-manager/${group}/${version}`
    : `kubernetes-models/${group}/${version}`;
}

/** An object whose kind has no schema is an error too: nothing is let through unchecked. */
export async function schemaErrors(objects: K8sObject[]): Promise<string[]> {
  const errors: string[] = [];
  for (const obj of objects) {
    let model: (new (o: unknown) => { validate(): void }) | undefined;
    try {
      model = (await import(schemaModule(obj.apiVersion)))[obj.kind];
    } catch {
      model = undefined;
    }
    if (!model) {
      errors.push(`${id(obj)}: no schema for ${obj.apiVersion} ${obj.kind}`);
      continue;
    }
    try {
      new model(structuredClone(obj)).validate();
    } catch (err) {
      errors.push(`${id(obj)}: ${(err as Error).message}`);
    }
  }
  return errors;
}

function podSpecs(objects: K8sObject[]): [K8sObject, any][] {
  return objects.flatMap((o): [K8sObject, any][] => {
    if (o.kind === 'Pod') return [[o, o.spec]];
    if (o.kind === 'CronJob') return [[o, o.spec?.jobTemplate?.spec?.template?.spec]];
    return WORKLOAD_KINDS.includes(o.kind) ? [[o, o.spec?.template?.spec]] : [];
  });
}

function containerRules(owner: K8sObject, pod: any, errors: string[]): void {
  const podSc = pod?.securityContext ?? {};
  for (const c of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
    const sc = c.securityContext ?? {};
    const where = `${id(owner)} container ${c.name}`;
    const effective = (field: string) => sc[field] ?? podSc[field];
    if (effective('runAsNonRoot') !== true) errors.push(`${where}: runAsNonRoot is not true`);
    if (effective('runAsUser') === 0) errors.push(`${where}: runs as UID 0`);
    if (sc.readOnlyRootFilesystem !== true) errors.push(`${where}: root filesystem is not read-only`);
    if (sc.allowPrivilegeEscalation !== false) errors.push(`${where}: allowPrivilegeEscalation is not false`);
    if (!sc.capabilities?.drop?.includes('ALL')) errors.push(`${where}: capabilities are not all dropped`);
    if (!['RuntimeDefault', 'Localhost'].includes(effective('seccompProfile')?.type))
      errors.push(`${where}: no RuntimeDefault seccomp profile`);
    const image = String(c.image ?? '');
    const tag = /^[^@]*:([^/:@]+)$/.exec(image.split('@')[0]!)?.[1];
    if (!image.includes('@') && (!tag || tag === 'latest'))
      errors.push(`${where}: image ${image} has no fixed tag (latest, or none)`);
  }
}

function rbacRules(objects: K8sObject[], errors: string[]): void {
  for (const role of objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')) {
    for (const rule of role.rules ?? []) {
      for (const field of ['verbs', 'resources', 'apiGroups', 'nonResourceURLs'])
        if ((rule[field] ?? []).some((v: string) => v === '*' || v.endsWith('/*')))
          errors.push(`${id(role)}: wildcard in ${field}`);
    }
  }
  const serviceAccounts = new Set(objects.filter((o) => o.kind === 'ServiceAccount').map(id));
  for (const binding of objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
    for (const s of binding.subjects ?? []) {
      if (s.kind !== 'ServiceAccount') continue;
      const sa = `ServiceAccount/${s.namespace ?? binding.metadata.namespace}/${s.name}`;
      if (!serviceAccounts.has(sa)) errors.push(`${id(binding)}: subject ${sa} is not in the manifests`);
    }
  }
}

function hasPemCertificate(base64: string): boolean {
  return Buffer.from(base64, 'base64').toString('utf8').includes('-----BEGIN CERTIFICATE-----');
}

/**
 * The project's rules. `inCluster` false is the out-of-cluster layout: the server runs elsewhere, so there must be
 * no workload and the Service must have hand-written endpoints.
 */
export function ruleErrors(objects: K8sObject[], { inCluster }: { inCluster: boolean }): OverlayReport {
  const errors: string[] = [];
  const notes: string[] = [];
  const find = (kind: string, name?: string, namespace?: string) =>
    objects.filter(
      (o) =>
        o.kind === kind &&
        (name === undefined || o.metadata.name === name) &&
        (namespace === undefined || o.metadata.namespace === namespace),
    );

  // The APIService, and the Service it routes to.
  const apiServices = find('APIService');
  const apiService = apiServices[0];
  if (apiServices.length !== 1 || apiService?.metadata.name !== API_SERVICE)
    errors.push(
      `expected exactly one APIService, ${API_SERVICE}; found ${apiServices.map(id).join(', ') || 'none'}`,
    );
  const spec = apiService?.spec ?? {};
  const ns: string | undefined = spec.service?.namespace;
  if (apiService) {
    if (spec.group !== API_GROUP || spec.version !== 'v1')
      errors.push(`${id(apiService)}: not group ${API_GROUP} v1`);
    if (spec.insecureSkipTLSVerify) errors.push(`${id(apiService)}: insecureSkipTLSVerify is set`);
    const injectFrom = apiService.metadata.annotations?.[INJECT_CA_FROM];
    if (injectFrom) {
      const [certNs, certName] = injectFrom.split('/');
      const cert = find('Certificate', certName, certNs)[0];
      if (!cert)
        errors.push(
          `${id(apiService)}: ${INJECT_CA_FROM} names ${injectFrom}, which is not in the manifests`,
        );
      const svcName = `${spec.service?.name}.${ns}.svc`;
      for (const dns of [svcName, `${svcName}.cluster.local`])
        if (cert && !cert.spec?.dnsNames?.includes(dns)) errors.push(`${id(cert)}: dnsNames lack ${dns}`);
      const mounted = podSpecs(objects)
        .flatMap(([, pod]) => pod?.volumes ?? [])
        .map((v: any) => v.secret?.secretName);
      if (cert && inCluster && !mounted.includes(cert.spec?.secretName))
        errors.push(`${id(cert)}: its Secret ${cert.spec?.secretName} is not mounted by the server`);
    } else if (!spec.caBundle) {
      errors.push(`${id(apiService)}: neither a caBundle nor the ${INJECT_CA_FROM} annotation`);
    } else if (spec.caBundle === CA_BUNDLE_PLACEHOLDER) {
      notes.push(`${id(apiService)}: caBundle is the placeholder; run scripts/gen-certs.ts before applying`);
    } else if (!hasPemCertificate(spec.caBundle)) {
      errors.push(`${id(apiService)}: caBundle is not a base64 PEM certificate`);
    }
  }
  const service = find('Service', spec.service?.name, ns)[0];
  const port: number = spec.service?.port ?? 443;
  const servicePort = service?.spec?.ports?.find((p: any) => p.port === port);
  if (apiService && !service)
    errors.push(`${id(apiService)}: its Service ${ns}/${spec.service?.name} is missing`);
  if (service && !servicePort) errors.push(`${id(service)}: no port ${port}, the APIService's port`);
  // The aggregator's availability check matches endpoints to the Service port by name.
  if (servicePort && !servicePort.name) errors.push(`${id(service!)}: port ${port} has no name`);

  // Namespaces: everything in the server's namespace but the front-proxy CA reader in kube-system.
  const authReaders = objects.filter((o) => o.kind === 'RoleBinding' && o.roleRef?.name === AUTH_READER_ROLE);
  if (authReaders.length === 0) errors.push(`no RoleBinding to ${AUTH_READER_ROLE}`);
  for (const rb of authReaders)
    if (rb.metadata.namespace !== 'kube-system') errors.push(`${id(rb)}: must be in kube-system`);
  if (!objects.some((o) => o.kind === 'ClusterRoleBinding' && o.roleRef?.name === 'system:auth-delegator'))
    errors.push('no ClusterRoleBinding to system:auth-delegator');
  if (ns && !find('Namespace', ns).length) errors.push(`no Namespace ${ns}`);
  for (const o of objects) {
    if (CLUSTER_SCOPED.has(o.kind) || authReaders.includes(o)) continue;
    if (o.metadata.namespace !== ns) errors.push(`${id(o)}: not in the server's namespace ${ns}`);
  }
  rbacRules(objects, errors);

  // The workload (or, out of cluster, its absence).
  const workloads = objects.filter((o) => WORKLOAD_KINDS.includes(o.kind));
  for (const [owner, pod] of podSpecs(objects)) containerRules(owner, pod, errors);
  if (!inCluster) {
    for (const w of workloads) errors.push(`${id(w)}: out of cluster there is no workload`);
    if (service?.spec?.selector)
      errors.push(`${id(service)}: has a selector, but its endpoints are hand-written`);
    const endpoints = find('Endpoints', service?.metadata.name, ns);
    const slices = find('EndpointSlice', undefined, ns).filter(
      (s) => s.metadata.labels?.['kubernetes.io/service-name'] === service?.metadata.name,
    );
    const portNames = [
      ...endpoints.flatMap((e) => (e.subsets ?? []).flatMap((s: any) => s.ports ?? [])),
      ...slices.flatMap((s) => s.ports ?? []),
    ].map((p: any) => p.name);
    if (!endpoints.length || !slices.length)
      errors.push('out of cluster, the Service needs Endpoints and an EndpointSlice');
    if (servicePort && portNames.some((n) => n !== servicePort.name))
      errors.push(`endpoint ports must be named ${servicePort.name}, like the Service port`);
    const fromEndpoints = endpoints.flatMap((e) =>
      (e.subsets ?? []).flatMap((s: any) => (s.addresses ?? []).map((a: any) => a.ip)),
    );
    const fromSlices = slices.flatMap((s) => (s.endpoints ?? []).flatMap((e: any) => e.addresses ?? []));
    if (fromEndpoints.sort().join() !== fromSlices.sort().join())
      errors.push(`Endpoints (${fromEndpoints}) and EndpointSlice (${fromSlices}) disagree on the addresses`);
  } else {
    const deployment = workloads.find((w) => w.kind === 'Deployment');
    if (!deployment || workloads.length !== 1)
      errors.push('in cluster, expected exactly one workload, a Deployment');
    if (deployment && service) serverRules(deployment, service, servicePort, errors);
  }
  return { objects, errors, notes };
}

function serverRules(deployment: K8sObject, service: K8sObject, servicePort: any, errors: string[]): void {
  const pod = deployment.spec?.template?.spec ?? {};
  const podLabels = deployment.spec?.template?.metadata?.labels ?? {};
  const selector: Record<string, string> = service.spec?.selector ?? {};
  if (!Object.keys(selector).length || !Object.entries(selector).every(([k, v]) => podLabels[k] === v))
    errors.push(`${id(service)}: selector does not select the pods of ${id(deployment)}`);
  const ports = (pod.containers ?? []).flatMap((c: any) => c.ports ?? []);
  const target = servicePort?.targetPort ?? servicePort?.port;
  if (!ports.some((p: any) => p.containerPort === target || p.name === target))
    errors.push(`${id(service)}: targetPort ${target} is not a container port of ${id(deployment)}`);
  for (const c of pod.containers ?? []) {
    for (const [probe, path] of [
      ['livenessProbe', '/livez'],
      ['readinessProbe', '/readyz'],
    ] as const) {
      const get = c[probe]?.httpGet;
      if (get?.path !== path || get?.scheme !== 'HTTPS')
        errors.push(`${id(deployment)} container ${c.name}: ${probe} is not an HTTPS GET of ${path}`);
    }
  }
}

export async function validateObjects(objects: K8sObject[], inCluster: boolean): Promise<OverlayReport> {
  const report = ruleErrors(objects, { inCluster });
  return { ...report, errors: [...(await schemaErrors(objects)), ...report.errors] };
}

/** Renders a kustomization directory and validates it; out-of-cluster is the one layout without a workload. */
export async function validateOverlay(
  dir: string,
  inCluster = !dir.endsWith('out-of-cluster'),
): Promise<OverlayReport> {
  return validateObjects(parseManifests(kustomize(dir)), inCluster);
}

async function main(args: string[]): Promise<number> {
  const version = kubectlVersion();
  if (!version) {
    console.warn('validate-manifests: SKIPPED, no kubectl on PATH to render the overlays with');
    return 0;
  }
  const root = findRepoRoot();
  const names = args.length ? args : overlayNames(root);
  let failed = 0;
  for (const name of names) {
    let report: OverlayReport;
    try {
      report = await validateOverlay(join(root, 'kustomize', 'overlays', name));
    } catch (err) {
      failed++;
      console.error(`${name}: FAILED\n  - ${(err as Error).message}`);
      continue;
    }
    for (const note of report.notes) console.log(`${name}: note: ${note}`);
    if (report.errors.length) {
      failed++;
      console.error(`${name}: FAILED\n${report.errors.map((e) => `  - ${e}`).join('\n')}`);
    } else console.log(`${name}: ok (${report.objects.length} objects)`);
  }
  return failed ? 1 : 0;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
