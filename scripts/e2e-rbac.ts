// The e2e RBAC suite: shows through kube-apiserver that RBAC on nodes/restart guards the restart, node by node.
//   npm run e2e -- --kubeconfig FILE [--context NAME] [--node NAME] [--really-restart]
// It creates a ServiceAccount allowed `create` on `nodes/restart` for one real node and one name no node has
// (resourceNames), gets a token kubeconfig for it, and checks: the allowed node → 200 in dry run (202 with
// --really-restart), another node → 403 with kube-apiserver's exact Forbidden message, the allowed name that is no
// node → 404. It removes what it created, also on failure or Ctrl-C. Without --really-restart nothing reboots.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { ApiError } from '../src/plugin/api-error.js';
import { KubeClient } from '../src/plugin/kube-client.js';
import { API, GROUP, nodePath, type NodeRestart } from '../src/plugin/resources.js';

const USAGE = `usage: npm run e2e -- --kubeconfig FILE [--context NAME] [--node NAME] [--really-restart]
  --kubeconfig FILE   an admin's kubeconfig (creates a Namespace, ServiceAccount, ClusterRole and binding)
  --context NAME      the context to use
  --node NAME         the node the ServiceAccount may restart (default: the first restartable one)
  --really-restart    really restart it (needs --node); otherwise every restart is a server-side dry run`;

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

interface ListedNode {
  metadata: { name: string };
  status?: { restartable?: boolean };
}

const print = (line: string) => console.log(line);

async function pickNodes(admin: KubeClient, wanted?: string): Promise<{ allowed: string; other: string }> {
  const { items } = await admin.request<{ items: ListedNode[] }>('GET', `${API}/nodes`);
  const restartable = items.filter((n) => n.status?.restartable !== false).map((n) => n.metadata.name);
  const allowed = wanted ?? restartable[0];
  if (allowed === undefined) throw new Error('no restartable node found; name one with --node');
  if (!items.some((n) => n.metadata.name === allowed))
    throw new Error(`node ${allowed} is not served by ${GROUP}`);
  // Authorization comes before existence, so the other node need not exist; a real one is more telling.
  const other = items.map((n) => n.metadata.name).find((n) => n !== allowed) ?? `e2e-rbac-other-${suffix()}`;
  return { allowed, other };
}

const suffix = () => randomBytes(3).toString('hex');

async function attempt(client: KubeClient, node: string, dryRun: boolean) {
  const body = { apiVersion: `${GROUP}/v1`, kind: 'RestartOptions', ...(dryRun && { dryRun: ['All'] }) };
  try {
    const { code, body: answer } = await client.send<NodeRestart>('POST', `${nodePath(node)}/restart`, body);
    return { code, answer };
  } catch (err) {
    if (err instanceof ApiError) return { code: err.code, error: err };
    throw err;
  }
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        node: { type: 'string' },
        'really-restart': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) return (print(USAGE), 0);
  if (!values.kubeconfig || (values['really-restart'] && !values.node)) {
    console.error(
      `${values.kubeconfig ? '--really-restart needs --node' : '--kubeconfig is required'}\n${USAGE}`,
    );
    return 2;
  }
  const dryRun = !values['really-restart'];
  const admin = KubeClient.load({ kubeconfig: values.kubeconfig, context: values.context });
  const core = admin.kc.makeApiClient(CoreV1Api);
  const rbac = admin.kc.makeApiClient(RbacAuthorizationV1Api);
  await admin.request('GET', API).catch((err: Error) => {
    throw new Error(`${GROUP}/v1 is not served: ${(err as ApiError).display ?? err.message}`);
  });
  const { allowed, other } = await pickNodes(admin, values.node);
  const id = suffix();
  const name = `kcnm-e2e-rbac-${id}`;
  const missing = `e2e-rbac-missing-${id}`;
  const sa = 'restarter';
  const user = `system:serviceaccount:${name}:${sa}`;
  print(
    `e2e RBAC suite against ${admin.server}${dryRun ? ' (dry run: nothing is restarted)' : ' (REALLY RESTARTING)'}`,
  );

  let dir: string | undefined;
  const cleanup = async () => {
    await rbac.deleteClusterRoleBinding({ name }).catch(() => undefined);
    await rbac.deleteClusterRole({ name }).catch(() => undefined);
    await core.deleteNamespace({ name }).catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
    print(`cleaned up: Namespace, ClusterRole and ClusterRoleBinding ${name}`);
  };
  const interrupted = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const checks: Check[] = [];
  try {
    await core.createNamespace({ body: { metadata: { name } } });
    await core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: sa } } });
    await rbac.createClusterRole({
      body: {
        metadata: { name },
        rules: [
          {
            apiGroups: [GROUP],
            resources: ['nodes/restart'],
            verbs: ['create'],
            resourceNames: [allowed, missing],
          },
        ],
      },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects: [{ kind: 'ServiceAccount', name: sa, namespace: name }],
      },
    });
    print(`created ${user}, allowed create on nodes/restart for ${allowed} and ${missing} only`);
    const token = await core.createNamespacedServiceAccountToken({
      name: sa,
      namespace: name,
      body: { spec: { expirationSeconds: 600 } },
    });
    dir = await mkdtemp(join(tmpdir(), 'kcnm-e2e-rbac-'));
    const kubeconfig = join(dir, 'restarter.kubeconfig');
    const cluster = admin.kc.getCurrentCluster()!;
    const ca = cluster.caData ?? (cluster.caFile && (await readFile(cluster.caFile)).toString('base64'));
    await writeFile(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'cluster',
            cluster: {
              server: cluster.server,
              ...(ca && { 'certificate-authority-data': ca }),
              ...(cluster.skipTLSVerify && { 'insecure-skip-tls-verify': true }),
              ...(cluster.tlsServerName && { 'tls-server-name': cluster.tlsServerName }),
            },
          },
        ],
        users: [{ name: sa, user: { token: token.status!.token } }],
        contexts: [{ name: sa, context: { cluster: 'cluster', user: sa } }],
        'current-context': sa,
      }),
      { mode: 0o600 },
    );
    const restarter = KubeClient.load({ kubeconfig });

    const mine = await attempt(restarter, allowed, dryRun);
    const wantCode = dryRun ? 200 : 202;
    const phase = mine.answer?.status?.phase;
    checks.push({
      name: `allowed node ${allowed} → ${wantCode}`,
      ok: mine.code === wantCode && mine.answer?.kind === 'NodeRestart',
      detail: mine.error ? mine.error.display : `${mine.code} NodeRestart, phase ${phase}`,
    });

    const theirs = await attempt(restarter, other, dryRun);
    const forbidden = `nodes.${GROUP} "${other}" is forbidden: User "${user}" cannot create resource "nodes/restart" in API group "${GROUP}" at the cluster scope`;
    checks.push({
      name: `other node ${other} → 403 Forbidden`,
      ok: theirs.code === 403 && theirs.error?.reason === 'Forbidden' && theirs.error.message === forbidden,
      detail: theirs.error ? theirs.error.display : `${theirs.code}, expected: ${forbidden}`,
    });

    const none = await attempt(restarter, missing, dryRun);
    checks.push({
      name: `allowed name ${missing}, no such node → 404 NotFound`,
      ok:
        none.code === 404 && none.error?.reason === 'NotFound' && none.error.message.includes(`"${missing}"`),
      detail: none.error ? none.error.display : `${none.code}`,
    });
  } finally {
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
    await cleanup();
  }
  for (const c of checks) print(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}\n      ${c.detail}`);
  const failed = checks.filter((c) => !c.ok).length;
  print(`${checks.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`e2e RBAC suite failed: ${err.message}`);
    process.exit(1);
  },
);
