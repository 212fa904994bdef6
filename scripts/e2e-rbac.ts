// The e2e RBAC suite: shows through kube-apiserver that RBAC guards every action subresource (restart, reset, stop,
// start), node by node.
//   npm run e2e -- --kubeconfig FILE [--context NAME] [--node NAME] [--really-restart]
// It creates a ServiceAccount allowed `create` on each of them for one real node and one name no node has
// (resourceNames), gets a token kubeconfig for it, and checks for each: the allowed node → 200 in dry run (a restart
// 202 with --really-restart; a start of a running VM may be the cloud's 409 instead), another node → 403 with
// kube-apiserver's exact Forbidden message, the allowed name that is no node → 404. It removes what it created, also
// on failure or Ctrl-C. Without --really-restart nothing reboots; reset, stop and start are always dry runs.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { ApiError } from '../src/kubectl-plugin/api-error.js';
import { KubeClient } from '../src/kubectl-plugin/kube-client.js';
import { API, GROUP, nodePath, type NodeRestart } from '../src/kubectl-plugin/resources.js';

const USAGE = `usage: npm run e2e -- --kubeconfig FILE [--context NAME] [--node NAME] [--really-restart]
  --kubeconfig FILE   an admin's kubeconfig (creates a Namespace, ServiceAccount, ClusterRole and binding)
  --context NAME      the context to use
  --node NAME         the node the ServiceAccount may act on (default: the first restartable, Ready worker that
                      has not opted out)
  --really-restart    really restart it (needs --node); otherwise every restart is a server-side dry run`;

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

interface ListedNode {
  metadata: { name: string; labels?: Record<string, string> };
  status?: { restartable?: boolean; ready?: string };
}

/** Each action subresource and the kind it answers with; restart last, as it may really restart the node. */
const ACTIONS = [
  { subresource: 'reset', kind: 'NodeRestart' },
  { subresource: 'stop', kind: 'NodePowerAction' },
  { subresource: 'start', kind: 'NodePowerAction' },
  { subresource: 'restart', kind: 'NodeRestart' },
] as const;

/** A node the server refuses whoever asks: a control-plane node, or one opted out. */
const refusedByServer = (n: ListedNode) =>
  n.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined ||
  n.metadata.labels?.[`${GROUP}/restart`] === 'disabled';

const print = (line: string) => console.log(line);

async function pickNodes(admin: KubeClient, wanted?: string): Promise<{ allowed: string; other: string }> {
  const { items } = await admin.request<{ items: ListedNode[] }>('GET', `${API}/nodes`);
  const candidates = items
    .filter((n) => n.status?.restartable !== false && n.status?.ready === 'True' && !refusedByServer(n))
    .map((n) => n.metadata.name);
  const allowed = wanted ?? (await firstRestartable(admin, candidates));
  if (allowed === undefined) throw new Error('no restartable node found; name one with --node');
  if (!items.some((n) => n.metadata.name === allowed))
    throw new Error(`node ${allowed} is not served by ${GROUP}`);
  // Authorization comes before existence, so the other node need not exist; a real one is more telling.
  const other = items.map((n) => n.metadata.name).find((n) => n !== allowed) ?? `e2e-rbac-other-${suffix()}`;
  return { allowed, other };
}

/** The first node a dry-run restart by the admin succeeds on: its cloud is enabled and nothing else refuses it. */
async function firstRestartable(admin: KubeClient, names: string[]): Promise<string | undefined> {
  for (const name of names) {
    if ((await attempt(admin, name, 'restart', true)).code === 200) return name;
  }
  return undefined;
}

const suffix = () => randomBytes(3).toString('hex');

async function attempt(client: KubeClient, node: string, subresource: string, dryRun: boolean) {
  const body = dryRun ? { dryRun: ['All'] } : {};
  try {
    const { code, body: answer } = await client.send<NodeRestart>(
      'POST',
      `${nodePath(node)}/${subresource}`,
      body,
    );
    return { code, answer };
  } catch (err) {
    if (err instanceof ApiError) return { code: err.code, error: err };
    throw err;
  }
}

/** The three checks of one subresource, as the ServiceAccount: the allowed node, another node, the missing name. */
async function actionChecks(
  restarter: KubeClient,
  { subresource, kind }: (typeof ACTIONS)[number],
  reallyRestart: boolean,
  { allowed, other, missing, user }: Subjects,
): Promise<Check[]> {
  // Only a restart really happens with --really-restart.
  const dryRun = !(reallyRestart && subresource === 'restart');
  const mine = await attempt(restarter, allowed, subresource, dryRun);
  const wantCode = dryRun ? 200 : 202;
  const phase = mine.answer?.status?.phase;
  // A dry-run start of a running VM: the cloud says it runs (409), past RBAC all the same.
  const running = subresource === 'start' && mine.code === 409 && mine.error?.reason === 'Conflict';
  const forbidden = (node: string) =>
    `nodes.${GROUP} "${node}" is forbidden: User "${user}" cannot create resource "nodes/${subresource}" in API group "${GROUP}" at the cluster scope`;
  const theirs = await attempt(restarter, other, subresource, dryRun);
  const none = await attempt(restarter, missing, subresource, dryRun);
  return [
    {
      name: `${subresource}: allowed node ${allowed} → ${wantCode}${subresource === 'start' ? ', or 409 while the VM runs' : ''}`,
      ok: (mine.code === wantCode && mine.answer?.kind === kind) || running,
      detail: mine.error ? mine.error.display : `${mine.code} ${kind}${phase ? `, phase ${phase}` : ''}`,
    },
    {
      name: `${subresource}: other node ${other} → 403 Forbidden`,
      ok:
        theirs.code === 403 &&
        theirs.error?.reason === 'Forbidden' &&
        theirs.error.message === forbidden(other),
      detail: theirs.error ? theirs.error.display : `${theirs.code}, expected: ${forbidden(other)}`,
    },
    {
      name: `${subresource}: allowed name ${missing}, no such node → 404 NotFound`,
      ok:
        none.code === 404 && none.error?.reason === 'NotFound' && none.error.message.includes(`"${missing}"`),
      detail: none.error ? none.error.display : `${none.code}`,
    },
  ];
}

/** Who the checks act as, and on which nodes. */
interface Subjects {
  allowed: string;
  other: string;
  missing: string;
  user: string;
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
            resources: ACTIONS.map((a) => `nodes/${a.subresource}`),
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
    const subresources = ACTIONS.map((a) => `nodes/${a.subresource}`).join(', ');
    print(`created ${user}, allowed create on ${subresources} for ${allowed} and ${missing} only`);
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

    for (const action of ACTIONS) {
      checks.push(...(await actionChecks(restarter, action, !dryRun, { allowed, other, missing, user })));
    }
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
