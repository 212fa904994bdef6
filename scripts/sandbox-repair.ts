// `npm run sandbox:repair`, next to a running `npm run sandbox`: auto-repair step by step. It creates a
// NodeRepairPolicy for the sandbox's EC2 node (notReadyTimeout 5s: the sandbox's server accepts timeouts down to 1s,
// which no production server should), makes the node NotReady as a wedged kubelet would leave it, and prints the
// policy's view of the node until the server has restarted it and it is Ready again with a new boot ID — then the
// restart operation (requested by the server, naming the policy) and the Node's Events. It deletes the policy.
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../test/control-plane/paths.js';
import { kubeClients } from '../test/support/kube.js';
import { updateNodeStatus } from '../test/support/nodes.js';
import type { SandboxInfo } from './sandbox-info.js';

const USAGE = `usage: npm run sandbox:repair [-- --dir DIR]
  --dir DIR   the running sandbox's directory (default .sandbox in the repository)`;
const POLICY = 'sandbox-demo';
const TIMEOUT_MS = 90_000;

const policyYaml = (node: string) => `apiVersion: infraops.michael.io/v1
kind: NodeRepairPolicy
metadata:
  name: ${POLICY}
spec:
  nodeSelector: sandbox.infraops.michael.io/cloud=aws   # ${node}
  notReadyTimeout: 5s
  maxUnhealthy: 1
  maxRepairsPerHour: 2
`;

interface Policy {
  status?: { message?: string; nodes?: { name: string; phase: string; message: string }[] };
}

function kubectl(info: SandboxInfo, args: string[], input?: string): string {
  const run = spawnSync(info.kubectl, ['--kubeconfig', info.kubeconfigs.admin, ...args], {
    input,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${run.stderr.trim()}`);
  return run.stdout;
}

const say = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const dir = resolve(values.dir ?? join(repoRoot, '.sandbox'));
  const info = JSON.parse(await readFile(join(dir, 'sandbox.json'), 'utf8')) as SandboxInfo;
  const node = info.nodes.find((n) => n.cloud === 'aws')!.name;
  const { core } = kubeClients(info.kubeconfigs.admin);
  const bootBefore = (await core.readNode({ name: node })).status?.nodeInfo?.bootID;

  console.log(`$ kubectl apply -f - <<'EOF'\n${policyYaml(node)}EOF`);
  kubectl(info, ['apply', '-f', '-'], policyYaml(node));
  try {
    say(`${node} goes NotReady (its kubelet stops posting Ready, as a hung kernel would leave it)`);
    await updateNodeStatus(core, node, { ready: false });
    const deadline = Date.now() + TIMEOUT_MS;
    let last = '';
    for (;;) {
      const policy = JSON.parse(kubectl(info, ['get', 'noderepairpolicies', POLICY, '-o', 'json'])) as Policy;
      const entry = policy.status?.nodes?.find((n) => n.name === node);
      const line = entry ? `${entry.phase}: ${entry.message}` : (policy.status?.message ?? '');
      if (line !== last) say(`policy ${POLICY}: ${line}`);
      last = line;
      if (entry?.phase === 'Repaired' || entry?.phase === 'Failed') break;
      if (Date.now() > deadline) throw new Error(`the node was not repaired within ${TIMEOUT_MS / 1000}s`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const after = await core.readNode({ name: node });
    const ready = after.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    say(`${node}: Ready=${ready}, bootID ${bootBefore} → ${after.status?.nodeInfo?.bootID}`);
    console.log(`\n$ kubectl get noderepairpolicies\n${kubectl(info, ['get', 'noderepairpolicies'])}`);
    const restart = `/apis/infraops.michael.io/v1/nodes/${node}/restart`;
    const op = JSON.parse(kubectl(info, ['get', '--raw', restart])) as {
      spec: { reason?: string };
      status: { phase: string; requestedBy: string };
    };
    console.log(`$ kubectl get --raw ${restart}`);
    console.log(
      `  phase ${op.status.phase}, requestedBy ${op.status.requestedBy}, reason "${op.spec.reason}"`,
    );
    const events = kubectl(info, [
      'get',
      'events',
      '-n',
      'default',
      '--field-selector',
      `involvedObject.name=${node}`,
      '--sort-by=.lastTimestamp',
      '-o',
      'custom-columns=REASON:.reason,MESSAGE:.message',
    ]);
    console.log(`\n$ kubectl get events --field-selector involvedObject.name=${node}\n${events}`);
    return 0;
  } finally {
    kubectl(info, ['delete', 'noderepairpolicies', POLICY, '--ignore-not-found']);
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`sandbox:repair failed: ${err.message}`);
    process.exit(1);
  },
);
