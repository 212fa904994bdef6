// The container image (`npm run image`), run as the Deployment runs it: read-only root, its numeric non-root user,
// no capabilities, the Deployment's flags and env, the serving certificate and the ServiceAccount mounted where the
// kubelet mounts them (in-cluster config, no kubeconfig), /tmp a small writable tmpfs. Host networking, so it
// reaches only the control plane and the EC2 emulator on 127.0.0.1. Skipped where no container tool runs.
// KCNM_IMAGE names an image to test instead of building one.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ControlPlaneInfo } from '../control-plane/control-plane.js';
import { httpsGet } from '../control-plane/https-get.js';
import { repoRoot } from '../control-plane/paths.js';
import { freePort, waitFor } from '../control-plane/processes.js';
import {
  findContainerTool,
  inspectImage,
  tool,
  type ContainerTool,
} from '../../scripts/image/container-tool.js';
import { buildImage } from '../../scripts/image/build-image.js';
import { npmPurl } from '../../scripts/supply-chain/cyclonedx.js';
import { postAction } from '../support/actions.js';
import { startCloudEmulators, type CloudEmulators } from '../support/clouds.js';
import { useControlPlane } from '../support/control-plane.js';
import { viaApiserver } from '../support/direct.js';
import { kubeClients } from '../support/kube.js';
import { bootAgain, createNode, deleteNodes } from '../support/nodes.js';
import type { CertificateAuthority } from '../../src/tls/pki.js';
import {
  applyShippedRbac,
  awaitReadyAndRegister,
  GROUP,
  NAMESPACE,
  restartPath,
  serviceAccountToken,
  servingCertificate,
} from '../support/server.js';

const INSTANCE = 'i-0c1a2b3d4e5f60001';
const NODE = 'image-aws';
const UID = 65532;
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

interface DeploymentContainer {
  args: string[];
  env: { name: string }[];
  volumeMounts: { name: string; mountPath: string }[];
  securityContext: { readOnlyRootFilesystem: boolean; capabilities: { drop: string[] } };
}
interface Deployment {
  spec: {
    template: {
      spec: {
        terminationGracePeriodSeconds: number;
        securityContext: { runAsUser: number; runAsGroup: number; seccompProfile: { type: string } };
        containers: DeploymentContainer[];
        volumes: { name: string; emptyDir?: { sizeLimit: string }; secret?: { secretName: string } }[];
      };
    };
  };
}

const containerTool = await findContainerTool();

/** The Deployment as shipped: the container is run with its flags, env, mounts and security context. */
const deployment = parse(
  await readFile(join(repoRoot, 'kustomize/base/deployment.yaml'), 'utf8'),
) as Deployment;
const pod = deployment.spec.template.spec;
const [container] = pod.containers;

/** The Deployment's args, on a free loopback port (the container shares the machine's network). */
function serverArgs(port: number): string[] {
  return [
    ...container!.args.filter((a) => !a.startsWith('--secure-port=')),
    `--secure-port=${port}`,
    '--bind-address=127.0.0.1',
  ];
}

/** A directory to mount read-only, readable by the container's group, as the kubelet's fsGroup makes it. */
async function mountedDir(path: string, files: Record<string, string>): Promise<string> {
  await mkdir(path);
  const root = process.getuid?.() === 0;
  for (const [name, content] of Object.entries(files)) {
    await writeFile(join(path, name), content, { mode: root ? 0o440 : 0o444 });
    if (root) await chown(join(path, name), 0, UID);
  }
  await chmod(path, root ? 0o750 : 0o755);
  if (root) await chown(path, 0, UID);
  return path;
}

const SUITE = 'the image as the Deployment runs it';
if (containerTool) describe(SUITE, () => imageTests(containerTool));
// A skipped test, not an empty pass, so the run's summary shows what was not tested.
else test(SUITE, { skip: 'no container tool: neither a docker engine nor podman answers (docs/image.md)' });

function imageTests(cli: ContainerTool): void {
  const name = `kcnm-image-e2e-${process.pid}`;
  let image: string;
  let cp: ControlPlaneInfo;
  let clients: ReturnType<typeof kubeClients>;
  let clouds: CloudEmulators;
  let dir: string;
  let child: ChildProcess;
  let output = '';
  let exitCode: number | null = null;
  let exited: Promise<void>;
  let url: string;
  let servingCa: CertificateAuthority;

  before(async () => {
    image = process.env.KCNM_IMAGE ?? '';
    if (!image) {
      const built = await buildImage({ repo: repoRoot, tool: cli });
      console.log(
        `# built ${built.name} (${(built.size / 2 ** 20).toFixed(1)} MiB) in ${built.buildSeconds}s`,
      );
      image = built.name;
    }
    dir = await mkdtemp(join(tmpdir(), 'kcnm-image-'));
    cp = await useControlPlane();
    clients = kubeClients(cp.kubeconfig);
    clouds = await startCloudEmulators({
      ec2: [{ instanceId: INSTANCE, region: 'us-east-1', availabilityZone: 'us-east-1a' }],
    });
    await createNode(clients.core, { name: NODE, providerID: `aws:///us-east-1a/${INSTANCE}` });
    await applyShippedRbac(cp);
    const serving = await servingCertificate();
    servingCa = serving.ca;
    const certDir = await mountedDir(join(dir, 'serving-cert'), {
      'tls.crt': serving.certPem,
      'tls.key': serving.keyPem,
    });
    const saDir = await mountedDir(join(dir, 'serviceaccount'), {
      token: await serviceAccountToken(cp),
      'ca.crt': await readFile(cp.pki.clusterCaCert, 'utf8'),
      namespace: NAMESPACE,
    });
    const port = await freePort();
    url = `https://127.0.0.1:${port}`;
    const certMount = container!.volumeMounts.find((m) => m.name === 'serving-cert')!.mountPath;
    const tmpMount = container!.volumeMounts.find((m) => m.name === 'tmp')!.mountPath;
    const tmpSize = pod.volumes
      .find((v) => v.name === 'tmp')!
      .emptyDir!.sizeLimit.replace(/i$/, '')
      .toLowerCase();
    const apiserver = new URL(cp.apiserverUrl);
    const env: Record<string, string> = {
      // The fieldRefs the Deployment sets.
      POD_NAME: `${name}-pod`,
      POD_NAMESPACE: NAMESPACE,
      NODE_NAME: 'worker-1',
      // What the kubelet sets for in-cluster config.
      KUBERNETES_SERVICE_HOST: apiserver.hostname,
      KUBERNETES_SERVICE_PORT: apiserver.port,
      ...clouds.serverEnv,
    };
    assert.deepEqual(
      container!.env.map((e) => e.name).filter((e) => !(e in env)),
      [],
      'every env the Deployment sets is set',
    );
    const { runAsUser, runAsGroup } = pod.securityContext;
    const args = [
      'run',
      '--rm',
      `--name=${name}`,
      '--network=host',
      `--user=${runAsUser}:${runAsGroup}`,
      '--read-only',
      ...(cli === 'podman' ? ['--read-only-tmpfs=false'] : []),
      ...container!.securityContext.capabilities.drop.map((c) => `--cap-drop=${c}`),
      '--security-opt=no-new-privileges',
      `--tmpfs=${tmpMount}:rw,size=${tmpSize},mode=1777`,
      `--volume=${certDir}:${certMount}:ro`,
      `--volume=${saDir}:${SERVICE_ACCOUNT_DIR}:ro`,
      ...Object.entries(env).map(([k, v]) => `--env=${k}=${v}`),
      image,
      ...serverArgs(port),
    ];
    child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(void (exitCode = code))));
    try {
      await awaitReadyAndRegister(cp, {
        url,
        port,
        servingCa,
        exited: () => (exitCode === null ? undefined : `the container exited with ${exitCode}`),
      });
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- container output ---\n${output.slice(-4000)}`);
    }
  });

  after(async () => {
    if (exitCode === null) await tool(cli, ['rm', '--force', name]).catch(() => undefined);
    await clouds?.stop();
    if (clients) await deleteNodes(clients.core, [NODE]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const inContainer = (script: string) =>
    tool(cli, ['exec', name, '/usr/local/bin/node', '--input-type=module', '-e', script]);

  test('the image: its numeric user, OCI labels, and nothing but node and tini to run', async () => {
    const facts = await inspectImage(cli, image);
    assert.equal(facts.user, `${UID}:${UID}`);
    for (const label of ['source', 'version', 'revision', 'licenses'])
      assert.ok(facts.labels[`org.opencontainers.image.${label}`], `label org.opencontainers.image.${label}`);
    const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    assert.equal(facts.labels['org.opencontainers.image.version'], version);
    const present = JSON.parse(
      await inContainer(
        `import { existsSync } from 'node:fs';
         const paths = ['/bin/sh', '/usr/bin/sh', '/bin/bash', '/usr/bin/apt-get', '/usr/bin/dpkg',
           '/usr/local/bin/npm', '/usr/local/lib/node_modules', '/usr/bin/tini', '/usr/local/bin/node',
           '/etc/ssl/certs/ca-certificates.crt'];
         console.log(JSON.stringify(paths.filter((p) => existsSync(p))));`,
      ),
    ) as string[];
    assert.deepEqual(present, ['/usr/bin/tini', '/usr/local/bin/node', '/etc/ssl/certs/ca-certificates.crt']);
    assert.ok(facts.size < 200 * 2 ** 20, `${facts.size} bytes`);
  });

  test('the image carries the SBOM of its bundle and of the node that runs it, and the licences', async () => {
    const { node, purls, licenses } = JSON.parse(
      await inContainer(
        `import { readFileSync } from 'node:fs';
         const doc = '/usr/share/doc/k8s-cloud-node-manager/';
         const bom = JSON.parse(readFileSync(doc + 'bundle.cdx.json', 'utf8'));
         console.log(JSON.stringify({ node: process.version, purls: bom.components.map((c) => c.purl),
           licenses: readFileSync(doc + 'licenses.txt', 'utf8') }));`,
      ),
    ) as { node: string; purls: string[]; licenses: string };
    assert.ok(
      purls.includes(`pkg:generic/node@${node.slice(1)}`),
      `node ${node} in ${purls.length} components`,
    );
    const lock = JSON.parse(await readFile(join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version: string }>;
    };
    for (const name of ['@nestjs/core', 'pino', '@kubernetes/client-node'])
      assert.ok(purls.includes(npmPurl(name, lock.packages[`node_modules/${name}`]!.version)), name);
    assert.match(licenses, /^MIT \(\d+, permissive\)/);
    assert.doesNotMatch(licenses, /copyleft|unknown/);
  });

  test('it runs as uid 65532 on a read-only root, with /tmp writable and no capabilities', async () => {
    const seen = JSON.parse(
      await inContainer(
        `import { writeFileSync, readFileSync } from 'node:fs';
         const tryWrite = (p) => { try { writeFileSync(p, 'x'); return 'written'; } catch (e) { return e.code; } };
         const status = readFileSync('/proc/1/status', 'utf8');
         const field = (f) => status.match(new RegExp('^' + f + ':\\\\s*(.*)$', 'm'))[1];
         console.log(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), app: tryWrite('/app/x'),
           root: tryWrite('/x'), tmp: tryWrite('/tmp/x'), pid1Uid: field('Uid').split(/\\s+/)[0],
           capEff: field('CapEff'), noNewPrivs: field('NoNewPrivs'), seccomp: field('Seccomp') }));`,
      ),
    ) as Record<string, unknown>;
    assert.deepEqual(seen, {
      uid: UID,
      gid: UID,
      app: 'EROFS',
      root: 'EROFS',
      tmp: 'written',
      pid1Uid: String(UID),
      capEff: '0000000000000000',
      noNewPrivs: '1',
      // 2: a seccomp filter, the runtime's default profile as RuntimeDefault gives.
      seccomp: '2',
    });
  });

  test('registered as the APIService it is Available, and lists nodes through kube-apiserver', async () => {
    const svc = await clients.apiregistration.readAPIService({ name: `v1.${GROUP}` });
    const available = svc.status?.conditions?.find((c) => c.type === 'Available');
    assert.equal(available?.status, 'True', available?.message);
    const res = await viaApiserver(cp, { path: `/apis/${GROUP}/v1/nodes` });
    assert.equal(res.status, 200, res.body);
    const list = res.json() as { kind: string; items: { metadata: { name: string } }[] };
    assert.ok(
      list.items.some((i) => i.metadata.name === NODE),
      list.items.map((i) => i.metadata.name).join(', '),
    );
  });

  test('a restart dry run reaches EC2 as its DryRun preflight, signed', async () => {
    const preflights = () =>
      clouds.ec2.callsTo('RebootInstances').filter((c) => c.params['DryRun'] === 'true');
    const before = preflights().length;
    const res = await postAction(cp, NODE, 'restart', { query: '?dryRun=All' });
    assert.equal(res.status, 200, res.body);
    const { status } = res.json() as { status: { phase: string; dryRun: boolean } };
    assert.deepEqual([status.phase, status.dryRun], ['DryRun', true]);
    assert.deepEqual(
      preflights()
        .slice(before)
        .map((c) => [c.params['InstanceId'], c.errorCode, c.signatureValid]),
      [[[INSTANCE], 'DryRunOperation', true]],
    );
  });

  test('a restart reboots the instance through EC2 and succeeds when the node comes back', async () => {
    const reboots = () => clouds.ec2.callsTo('RebootInstances').filter((c) => c.params['DryRun'] !== 'true');
    const before = reboots().length;
    const res = await postAction(cp, NODE, 'restart', {
      body: { apiVersion: `${GROUP}/v1`, kind: 'RestartOptions', reason: 'image e2e' },
    });
    assert.equal(res.status, 202, res.body);
    const { status } = res.json() as { status: { phase: string; instanceID: string } };
    assert.deepEqual([status.phase, status.instanceID], ['RebootRequested', INSTANCE]);
    const calls = reboots().slice(before);
    assert.deepEqual(
      calls.map((c) => [c.params['InstanceId'], c.region, c.signatureValid, c.status]),
      [[[INSTANCE], 'us-east-1', true, 200]],
    );
    await bootAgain(clients.core, NODE);
    await waitFor('the restart to succeed', async () => {
      const latest = await viaApiserver(cp, { path: restartPath(NODE) });
      return (latest.json() as { status: { phase: string } }).status.phase === 'Succeeded' ? true : undefined;
    });
  });

  test('SIGTERM: not ready but serving for the shutdown delay, then gone within the grace period', async () => {
    const delayArg = container!.args.find((a) => a.startsWith('--shutdown-delay-duration='))!;
    const delayS = Number(/=(\d+)s$/.exec(delayArg)![1]);
    const signalled = performance.now();
    await tool(cli, ['kill', '--signal=TERM', name]);
    const readyz = await waitFor('/readyz to fail', async () => {
      const res = await httpsGet(`${url}/readyz`, { ca: servingCa.certPem });
      return res.status !== 200 ? res : undefined;
    });
    assert.match(readyz.body, /\[-\]shutdown failed/);
    const livez = await httpsGet(`${url}/livez`, { ca: servingCa.certPem });
    assert.equal(livez.status, 200, 'still serving during the shutdown delay');
    await Promise.race([
      exited,
      new Promise((r) => setTimeout(r, pod.terminationGracePeriodSeconds * 1000).unref()),
    ]);
    const seconds = (performance.now() - signalled) / 1000;
    // A graceful shutdown exits 0 (src/server.ts), which tini passes on.
    assert.equal(exitCode, 0, output.slice(-4000));
    assert.ok(seconds >= delayS, `exited after ${seconds.toFixed(1)}s, before the ${delayS}s delay`);
    assert.doesNotMatch(output, /"level":(50|60)/, 'no error logged');
  });
}
