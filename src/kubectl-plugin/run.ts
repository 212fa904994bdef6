// kubectl restart: resolve the nodes, ask kube-apiserver to restart each (POST …/nodes/NAME/restart, which RBAC
// guards as `create` on `nodes/restart`), print the answers, and with --wait follow each restart to its end.
// With --max-unavailable, -l instead creates one RestartBatch (batch.ts).
import { ACTIONS, checkActionFlags, type Action } from './actions.js';
import { ApiError } from './api-error.js';
import { restartBatch } from './batch.js';
import { KubeClient } from './kube-client.js';
import { isBatch, parseOptions, USAGE, UsageError, type Options } from './options.js';
import { EXIT, errorText, printObjects, type Io } from './output.js';
import { Progress } from './progress.js';
import { restartBody } from './requests.js';
import { API, nodePath, qualified, restartPath, type NodeList, type NodeRestart } from './resources.js';
import { summary, waitForRestart, type WaitResult } from './wait.js';

async function targets(client: KubeClient, options: Options): Promise<string[]> {
  if (options.selector === undefined) return options.names;
  const list = await client.request<NodeList>(
    'GET',
    `${API}/nodes?labelSelector=${encodeURIComponent(options.selector)}`,
  );
  return list.items.map((n) => n.metadata.name);
}

const OVER = new Set(['Succeeded', 'Failed', 'Cancelled', 'DryRun']);

/**
 * With --wait, a 409 may mean the node is already restarting (someone else's restart, or an earlier run's): the
 * node's latest restart, when it is still running, is the one to follow.
 */
async function runningRestart(
  client: KubeClient,
  name: string,
  err: unknown,
): Promise<NodeRestart | undefined> {
  if (!(err instanceof ApiError) || err.code !== 409) return undefined;
  const latest = await client.request<NodeRestart>('GET', restartPath(name)).catch(() => undefined);
  const status = latest?.status;
  return status?.operationID && !OVER.has(status.phase ?? '') ? latest : undefined;
}

/** One line (and the dry run's checks) per answer; a NodePowerAction has the same status fields. */
/** The help of `kubectl reset|stop|start`: the restart's, for what applies. */
const actionUsage = (action: Action) =>
  `${action === 'reset' ? 'Reset (power-cycle at once)' : action === 'stop' ? 'Stop (power off, keeping the disks)' : 'Start'} the cloud VM behind one or more nodes, through the infraops.michael.io API (nodes/${action}).

Usage:
  kubectl ${action} [node] NAME... [options]
  kubectl ${action} -l SELECTOR [options]

It takes the options of kubectl restart that apply${ACTIONS[action].followed ? '' : ' (not --wait, --drain' + (action === 'start' ? ', --mode' : '') + ')'}; see kubectl restart --help.`;

function describe(answer: NodeRestart, dryRun: boolean, action: Action): string {
  const s = answer.status ?? {};
  const where = [s.cloud, s.instanceID, s.zone ?? s.region].filter(Boolean).join(' ');
  const mode = s.mode ? `, mode ${s.mode}` : '';
  const noun = ACTIONS[action].noun;
  const head = `${qualified(answer.metadata.name)} ${dryRun ? `${noun} allowed (server dry run)` : `${noun} requested`}`;
  const checks = (s.checks ?? []).map((c) => `\n  ${c.name}: ${c.detail ?? 'ok'}`).join('');
  return `${head}${where ? ` (${where}${mode})` : ''}${checks}\n`;
}

/** `kubectl ACTION …`: restart (the default), reset, stop or start the nodes named or selected. */
export async function run(argv: string[], io: Io, action: Action = 'restart'): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(argv);
    checkActionFlags(action, options);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`error: ${err.message}\nSee 'kubectl ${action} --help' for usage.\n`);
    return EXIT.usage;
  }
  if (options.help) {
    io.stdout.write(`${action === 'restart' ? USAGE : actionUsage(action)}\n`);
    return EXIT.ok;
  }
  const started = Date.now();
  let client: KubeClient;
  let names: string[];
  try {
    client = KubeClient.load(options.connection);
    if (isBatch(options)) return await restartBatch(client, options, io, started);
    names = await targets(client, options);
  } catch (err) {
    io.stderr.write(`${errorText(err)}\n`);
    return EXIT.failed;
  }
  if (names.length === 0) {
    io.stderr.write(`No resources found matching ${options.selector}\n`);
    return EXIT.ok;
  }

  // One at a time: a restart is never sent for many nodes at once by accident of concurrency.
  const answers: NodeRestart[] = [];
  /** The restarts --wait follows: those asked for, and those already running that a 409 pointed at. */
  const followed: NodeRestart[] = [];
  const failed = new Map<string, string>();
  for (const name of names) {
    try {
      const path = `${nodePath(name)}/${action}`;
      const answer = await client.request<NodeRestart>('POST', path, restartBody(options, action));
      answers.push(answer);
      if (ACTIONS[action].followed) followed.push(answer);
      if (!options.output) io.stdout.write(describe(answer, options.dryRun, action));
    } catch (err) {
      const running = options.wait && !options.dryRun ? await runningRestart(client, name, err) : undefined;
      if (running) {
        const id = running.status!.operationID!;
        io.stderr.write(
          `${qualified(name)} is already restarting (operation ${id}): following that restart\n`,
        );
        followed.push(running);
        continue;
      }
      io.stderr.write(`${errorText(err)}\n`);
      failed.set(name, err instanceof ApiError ? err.reason || String(err.code) : 'unreachable');
    }
  }
  if (options.output) printObjects(io.stdout, options.output, answers, qualified);

  if (options.wait && !options.dryRun && followed.length > 0) {
    // Progress goes to stdout for people, to stderr when stdout carries -o output.
    const progress = new Progress(options.output ? io.stderr : io.stdout, started);
    let results: WaitResult[];
    try {
      results = await Promise.all(
        followed.map((a) =>
          waitForRestart(client, a, {
            timeoutMs: options.timeoutMs,
            onState: (node, state) => progress.set(qualified(node), state),
          }),
        ),
      );
    } finally {
      progress.stop();
    }
    for (const r of results) if (!r.ok) failed.set(r.name, r.why ?? 'failed');
    const done = results.filter((r) => r.ok).length;
    (options.output ? io.stderr : io.stdout).write(`${summary(names.length, done, failed, started)}\n`);
  }
  return failed.size === 0 ? EXIT.ok : EXIT.failed;
}
