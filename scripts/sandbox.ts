// `npm run sandbox`: the whole product on this machine. A real control plane, the EC2 and Tencent Cloud emulators,
// our server (dist/src/main.js) registered through an APIService, Nodes on AWS, Tencent Cloud and the simulated
// cloud, an admin and a restricted user, and the kubectl-restart plugin. It prints what to try, writes
// <dir>/sandbox.json for scripts and tests, prints READY, and on Ctrl-C or SIGTERM stops everything it started.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  startControlPlane,
  stopControlPlane,
  type ControlPlaneInfo,
} from '../test/control-plane/control-plane.js';
import { isRunning } from '../test/control-plane/processes.js';
import { repoRoot } from '../test/control-plane/paths.js';
import { startCloudEmulators, type CloudEmulators } from '../test/support/clouds.js';
import { kubeClients } from '../test/support/kube.js';
import { createNode } from '../test/support/nodes.js';
import { playKubelet, type KubeletPlayer } from '../test/support/kubelet.js';
import { NAMESPACE, startServer, type RunningServer } from '../test/support/server.js';
import { userKubeconfig } from '../test/support/users.js';
import { installPlugin } from '../test/support/kubectl-plugin.js';
import { sandboxCommands, type SandboxInfo } from './sandbox-info.js';

const USAGE = `usage: npm run sandbox [-- --dir DIR]
  --dir DIR   where the sandbox keeps its state and writes sandbox.json (default .sandbox in the repository)`;

const NODES = [
  {
    name: 'sandbox-aws-1',
    cloud: 'aws',
    providerID: 'aws:///us-east-1a/i-0a1b2c3d4e5f60718',
    instance: { instanceId: 'i-0a1b2c3d4e5f60718', region: 'us-east-1', availabilityZone: 'us-east-1a' },
  },
  {
    name: 'sandbox-tencent-1',
    cloud: 'tencent',
    // TKE's form: the numeric zone id 100003 is ap-guangzhou-3.
    providerID: 'qcloud:///100003/ins-sandbox1',
    instance: { instanceId: 'ins-sandbox1', region: 'ap-guangzhou', zone: 'ap-guangzhou-3' },
  },
  {
    name: 'sandbox-simulated-1',
    cloud: 'simulated',
    providerID: 'simulated:///sim-east-1/sim-east-1a/sim-node-1',
  },
] as const;
const VIEWER = 'sandbox-viewer';
const VIEWER_ROLE = 'k8s-cloud-node-manager:node-viewer';

const log = (line: string) => console.log(`# ${line}`);

interface Started {
  cp?: ControlPlaneInfo;
  clouds?: CloudEmulators;
  server?: RunningServer;
  kubelet?: KubeletPlayer;
}

async function refuseIfRunning(infoFile: string): Promise<void> {
  if (!existsSync(infoFile)) return;
  const info = JSON.parse(await readFile(infoFile, 'utf8')) as Partial<SandboxInfo>;
  if (typeof info.pid === 'number' && info.pid !== process.pid && isRunning(info.pid)) {
    throw new Error(`a sandbox is already running from ${infoFile} (pid ${info.pid}); stop it first`);
  }
}

async function start(dir: string, started: Started): Promise<SandboxInfo> {
  const cpDir = join(dir, 'control-plane');
  await rm(cpDir, { recursive: true, force: true });
  await mkdir(cpDir, { recursive: true });
  log('starting the control plane (the first run builds kube-apiserver, etcd and kubectl from source)');
  const cp = (started.cp = await startControlPlane({ dir: cpDir, log }));
  const clients = kubeClients(cp.kubeconfig);

  const clouds = (started.clouds = await startCloudEmulators({
    ec2: [NODES[0].instance],
    cvm: [NODES[1].instance],
  }));
  const { ec2, cvm: tencent } = clouds;
  log(`cloud emulators: EC2 ${ec2.url}, Tencent CVM ${tencent.url}`);

  // notReadyTimeout down to 1s, for `npm run sandbox:repair`: a demonstration, not a production setting.
  const args = ['--repair-min-not-ready-timeout=1s'];
  const server = (started.server = await startServer(cp, { env: clouds.serverEnv, args }));
  log(`our server: ${server.url}, registered as APIService v1.infraops.michael.io`);

  for (const node of NODES) {
    await createNode(clients.core, {
      name: node.name,
      providerID: node.providerID,
      labels: { 'sandbox.infraops.michael.io/cloud': node.cloud },
    });
  }
  started.kubelet = playKubelet(clients.core, {
    nodesByInstance: new Map([
      [NODES[0].instance.instanceId, NODES[0].name],
      [NODES[1].instance.instanceId, NODES[1].name],
    ]),
    sources: [ec2, tencent],
    simulated: { leases: clients.coordination, namespace: NAMESPACE, nodes: new Set([NODES[2].name]) },
    log,
  });

  const admin = join(dir, 'admin.kubeconfig');
  await copyFile(cp.kubeconfig, admin);
  const viewer = join(dir, `${VIEWER}.kubeconfig`);
  await copyFile(await userKubeconfig(cp, VIEWER), viewer);
  await clients.rbac.createClusterRoleBinding({
    body: {
      metadata: { name: VIEWER },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: VIEWER_ROLE },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: VIEWER }],
    },
  });

  // The plugin as kubectl finds it: an executable kubectl-restart on PATH.
  const binDir = join(dir, 'bin');
  await installPlugin(binDir);

  const kubectl = join(cp.binDir, 'kubectl');
  const info: SandboxInfo = {
    pid: process.pid,
    dir,
    apiserverUrl: cp.apiserverUrl,
    kubectl,
    pluginDir: binDir,
    kubeconfigs: { admin, restricted: viewer },
    restrictedUser: VIEWER,
    server: {
      url: server.url,
      pid: server.pid,
      servingCa: join(dir, 'serving-ca.crt'),
    },
    frontProxy: {
      clientCert: cp.pki.frontProxyClientCert,
      clientKey: cp.pki.frontProxyClientKey,
      ca: cp.pki.frontProxyCaCert,
    },
    clusterCa: cp.pki.clusterCaCert,
    emulators: {
      ec2: { url: ec2.url },
      tencent: { url: tencent.url },
    },
    nodes: NODES.map(({ name, cloud, providerID }) => ({ name, cloud, providerID })),
    pids: [...cp.pids, server.pid],
    commands: [],
  };
  info.commands = sandboxCommands(info, NODES[0].name);
  await writeFile(info.server.servingCa, server.servingCa.certPem);
  return info;
}

async function stop(started: Started, dir: string): Promise<void> {
  const step = async (what: string, work: () => Promise<unknown>) => {
    const at = Date.now();
    await work();
    log(`stopped ${what} (${Date.now() - at} ms)`);
  };
  if (started.kubelet) await step('the kubelet player', () => started.kubelet!.stop());
  if (started.server) await step('our server', () => started.server!.stop());
  if (started.clouds) await step('the cloud emulators', () => started.clouds!.stop());
  if (started.cp) await step('the control plane', () => stopControlPlane(started.cp!));
  for (const file of ['sandbox.json', 'admin.kubeconfig', `${VIEWER}.kubeconfig`, 'serving-ca.crt', 'bin']) {
    await rm(join(dir, file), { recursive: true, force: true });
  }
}

function printInstructions(info: SandboxInfo): void {
  const [path, get, restart, forbidden] = info.commands;
  console.log(`
The sandbox is up: a control plane, our server, the EC2 and Tencent CVM emulators and three Nodes
(${info.nodes.map((n) => `${n.name} on ${n.cloud}`).join(', ')}).
Try, in another shell:

  ${path}
  ${get}
  ${restart}
  ${forbidden}

The last one runs as ${info.restrictedUser}, who may get and list nodes.infraops.michael.io but not restart them.
Emulator-backed nodes come back with a new boot ID a few seconds after a reboot, so --wait completes.
Auto-repair: \`npm run sandbox:repair\` makes ${info.nodes[0]!.name} NotReady and shows a NodeRepairPolicy restart it.
Everything is described in ${join(info.dir, 'sandbox.json')}. Ctrl-C stops the sandbox and all it started.
READY`);
}

async function main(): Promise<number> {
  let values: { dir?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const dir = resolve(values.dir ?? join(repoRoot, '.sandbox'));
  const infoFile = join(dir, 'sandbox.json');
  await mkdir(dir, { recursive: true });
  await refuseIfRunning(infoFile);

  const started: Started = {};
  let signalled = false;
  // A signal during start-up is acted on once what is starting has started, so all of it is stopped.
  const stopped = new Promise<void>((resolveStop) => {
    const onSignal = () => {
      signalled = true;
      resolveStop();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  try {
    const info = await start(dir, started);
    if (signalled) return 130;
    await writeFile(infoFile, JSON.stringify(info, null, 2));
    printInstructions(info);
    await stopped;
    log('stopping the sandbox');
    return 0;
  } catch (err) {
    console.error(`sandbox failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await stop(started, dir);
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
