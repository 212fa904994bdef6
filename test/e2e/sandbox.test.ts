// `npm run sandbox`, as a user meets it: started as the compiled script, it prints READY, and the commands it
// prints work as printed — listing the nodes, restarting one and waiting for it, and Forbidden for the restricted
// user. sandbox.json describes a working setup; `npm run sandbox:repair` shows a node repaired. SIGTERM stops
// everything it started.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRunning, waitFor } from '../control-plane/processes.js';
import { repoRoot } from '../control-plane/paths.js';
import { direct } from '../support/direct.js';
import type { SandboxInfo } from '../../scripts/sandbox-info.js';

let dir: string;
let sandbox: ChildProcess;
let output = '';
let exited: Promise<number | null>;
let info: SandboxInfo;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kcnm-sandbox-test-'));
  sandbox = spawn(process.execPath, [join(repoRoot, 'dist/scripts/sandbox.js'), '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  sandbox.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  sandbox.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  exited = new Promise((resolve) => sandbox.once('exit', (code) => resolve(code)));
  await waitFor(
    'the sandbox to print READY',
    async () => {
      if (sandbox.exitCode !== null) throw new Error(`sandbox exited with ${sandbox.exitCode}:\n${output}`);
      return /^READY$/m.test(output) ? true : undefined;
    },
    180_000,
    100,
  ).catch((err: Error) => {
    sandbox.kill('SIGTERM');
    throw new Error(`${err.message}\n--- sandbox output ---\n${output}`);
  });
  info = JSON.parse(await readFile(join(dir, 'sandbox.json'), 'utf8')) as SandboxInfo;
});

after(async () => {
  if (sandbox?.exitCode === null) {
    sandbox.kill('SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** A printed command, run as a user pastes it into a shell after the printed export line. */
function shell(command: string): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', `${info.commands[0]}\n${command}`],
      // A user's shell: no KUBECONFIG of the test, a home without a kubeconfig.
      { timeout: 90_000, env: { PATH: process.env.PATH, HOME: dir } },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

test('the commands it prints are the ones sandbox.json records, with the built kubectl by full path', () => {
  assert.equal(info.commands.length, 4);
  for (const command of info.commands) assert.ok(output.includes(`\n  ${command}\n`), command);
  assert.match(info.commands[0]!, /^export PATH=\S+:"\$PATH" KUBECONFIG=\S+$/);
  assert.ok(info.kubectl.startsWith('/') && existsSync(info.kubectl));
  for (const command of info.commands.slice(1)) assert.ok(command.startsWith(`${info.kubectl} `), command);
});

test('printed: kubectl get nodes.infraops.michael.io lists the AWS, Tencent and simulated nodes', async () => {
  const res = await shell(info.commands[1]!);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^sandbox-aws-1\s+aws\s+us-east-1\s+i-0a1b2c3d4e5f60718\s+True/m);
  assert.match(res.stdout, /^sandbox-tencent-1\s+tencent\s+ap-guangzhou\s+ins-sandbox1\s+True/m);
  assert.match(res.stdout, /^sandbox-simulated-1\s+simulated\s+sim-east-1\s+sim-node-1\s+True/m);
});

test('printed: kubectl restart NODE --wait restarts the EC2 instance and waits for the node, exit 0', async () => {
  const res = await shell(info.commands[2]!);
  assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
  assert.match(res.stdout, /restart requested \(aws i-0a1b2c3d4e5f60718/);
  assert.match(res.stdout, / NotReady: node sandbox-aws-1 went NotReady/);
  assert.match(res.stdout, / Succeeded: node sandbox-aws-1 is Ready again/);
  assert.match(res.stdout, /^1 of 1 node restarted in \d+s$/m);
});

test('kubectl restart --wait of the simulated node completes too: its kubelet comes back after the reboot', async () => {
  const res = await shell(info.commands[2]!.replace('sandbox-aws-1', 'sandbox-simulated-1'));
  assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
  assert.match(res.stdout, /restart requested \(simulated sim-node-1/);
  assert.match(res.stdout, / Succeeded: node sandbox-simulated-1 is Ready again/);
  assert.match(res.stdout, /^1 of 1 node restarted in \d+s$/m);
});

test('printed: the restricted user is Forbidden, exit 1', async () => {
  const res = await shell(info.commands[3]!);
  assert.equal(res.code, 1);
  assert.equal(
    res.stderr,
    `Error from server (Forbidden): nodes.infraops.michael.io "sandbox-aws-1" is forbidden: User ` +
      `"${info.restrictedUser}" cannot create resource "nodes/restart" in API group "infraops.michael.io" ` +
      'at the cluster scope\n',
  );
});

test('sandbox.json: our server directly, as kube-apiserver’s front proxy reaches it', async () => {
  const [ca, cert, key] = await Promise.all(
    [info.server.servingCa, info.frontProxy.clientCert, info.frontProxy.clientKey].map((f) =>
      readFile(f, 'utf8'),
    ),
  );
  const res = await direct(info.server.url, ca!, {
    path: '/apis/infraops.michael.io/v1/nodes/sandbox-tencent-1',
    cert,
    key,
    headers: { 'X-Remote-User': 'sandbox-admin', 'X-Remote-Group': 'system:masters' },
  });
  assert.equal(res.status, 200, res.body);
  assert.equal((res.json().status as { instanceID: string }).instanceID, 'ins-sandbox1');
  const ec2 = await fetch(info.emulators.ec2.url, { method: 'POST' });
  assert.equal(ec2.status >= 400, true, 'the EC2 emulator answers (refusing an unsigned call)');
});

test('npm run sandbox:repair shows a NotReady node repaired by a NodeRepairPolicy, as the server', async () => {
  const run = await new Promise<Result>((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'dist/scripts/sandbox-repair.js'), '--dir', dir],
      { timeout: 120_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /goes NotReady/);
  assert.match(run.stdout, /policy sandbox-demo: Repairing: restart /);
  assert.match(run.stdout, /policy sandbox-demo: Repaired: restart .* is Ready again with a new bootID/);
  assert.match(
    run.stdout,
    /phase Succeeded, requestedBy system:serviceaccount:k8s-cloud-node-manager:k8s-cloud-node-manager, reason "node repair policy sandbox-demo: NotReady for more than 5s"/,
  );
  assert.match(run.stdout, /RestartRequested\s+restart requested by system:serviceaccount:/);
  const left = await shell(`${info.kubectl} get noderepairpolicies -o name`);
  assert.equal(left.stdout.trim(), '', 'the policy is deleted');
});

test('SIGTERM stops the sandbox and every process it started', async () => {
  const pids = [info.pid, ...info.pids];
  assert.ok(pids.every(isRunning));
  sandbox.kill('SIGTERM');
  assert.equal(await exited, 0, output);
  await waitFor(
    'every sandbox process to be gone',
    async () => (pids.some(isRunning) ? undefined : true),
    15_000,
  );
  assert.equal(existsSync(join(dir, 'sandbox.json')), false);
  assert.equal(existsSync(join(dir, 'control-plane')), false);
  assert.match(output, /stopped the control plane/);
});
