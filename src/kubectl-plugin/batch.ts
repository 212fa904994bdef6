// kubectl restart -l SELECTOR --max-unavailable=N: one RestartBatch (POST restartbatches) instead of a request a
// node. The server selects the nodes, refuses the whole batch if the user may not restart one of them (403) or
// none match (422), and restarts at most N at a time; --wait follows it through GET restartbatches/NAME.
import type { KubeClient } from './kube-client.js';
import type { BatchOptions } from './options.js';
import { EXIT, printObjects, type Io } from './output.js';
import { Progress, type Writable } from './progress.js';
import { batchBody } from './requests.js';
import { batchesPath, batchPath, GROUP, qualified, qualifiedBatch, type RestartBatch } from './resources.js';
import { nodeCount, phaseLine, poll, summary, timedOutLine, withFailure } from './wait.js';

/** The created line, and the selected nodes unless live lines are about to show them. */
export function describeBatch(batch: RestartBatch, dryRun: boolean, listNodes: boolean): string {
  const nodes = batch.status?.nodes ?? [];
  const what = `${nodeCount(nodes.length)} matching ${batch.spec.labelSelector}, at most ${batch.spec.maxUnavailable} at a time`;
  const head = dryRun ? `created (server dry run): would restart ${what}` : `created: restarts ${what}`;
  const list = listNodes ? nodes.map((n) => `\n  ${qualified(n.name)}`).join('') : '';
  return `${qualifiedBatch(batch.metadata.name)} ${head}${list}\n`;
}

const followHint = (name: string) => `kubectl get restartbatches.${GROUP} ${name} -o yaml`;

const batchLine = (batch: RestartBatch) => phaseLine(batch.status?.phase, batch.status?.message);
const isOver = (batch: RestartBatch) => ['Succeeded', 'Failed'].includes(batch.status?.phase ?? '');

/** Nodes not Succeeded, with why for the summary: Failed, or still going when time ran out. */
function unfinished(batch: RestartBatch): Map<string, string> {
  const nodes = (batch.status?.nodes ?? []).filter((n) => n.phase !== 'Succeeded');
  return new Map(nodes.map((n) => [n.name, n.phase === 'Failed' ? 'Failed' : 'timed out']));
}

/** A live line per node and one for the batch, until it is over or --timeout; then the summary. */
async function follow(
  client: KubeClient,
  batch: RestartBatch,
  options: BatchOptions,
  out: Writable,
  started: number,
): Promise<number> {
  const { name } = batch.metadata;
  const progress = new Progress(out, started);
  const show = (b: RestartBatch, failure?: string) => {
    for (const n of b.status?.nodes ?? []) progress.set(qualified(n.name), phaseLine(n.phase, n.message));
    progress.set(qualifiedBatch(name), withFailure(batchLine(b), failure));
  };
  let end;
  try {
    end = await poll(
      batch,
      () => client.request<RestartBatch>('GET', batchPath(name)),
      isOver,
      show,
      options,
    );
    if (end.timedOut) {
      progress.set(
        qualifiedBatch(name),
        timedOutLine(options.timeoutMs, withFailure(batchLine(end.state), end.failure)),
      );
    }
  } finally {
    progress.stop();
  }
  const total = end.state.status?.nodes?.length ?? 0;
  const failed = unfinished(end.state);
  out.write(`${summary(total, total - failed.size, failed, started)}\n`);
  if (end.timedOut) out.write(`The batch goes on in the cluster: ${followHint(name)}\n`);
  return end.state.status?.phase === 'Succeeded' ? EXIT.ok : EXIT.failed;
}

/** Creates the batch (a Status error is thrown to the caller), prints it, and with --wait follows it. */
export async function restartBatch(
  client: KubeClient,
  options: BatchOptions,
  io: Io,
  started: number,
): Promise<number> {
  const path = `${batchesPath}${options.dryRun ? '?dryRun=All' : ''}`;
  const batch = await client.request<RestartBatch>('POST', path, batchBody(options));
  const waiting = options.wait && !options.dryRun;
  if (options.output) printObjects(io.stdout, options.output, [batch], qualifiedBatch);
  else io.stdout.write(describeBatch(batch, options.dryRun, !waiting));
  if (waiting) return follow(client, batch, options, options.output ? io.stderr : io.stdout, started);
  if (!options.output && !options.dryRun) io.stdout.write(`Follow it: ${followHint(batch.metadata.name)}\n`);
  return EXIT.ok;
}
