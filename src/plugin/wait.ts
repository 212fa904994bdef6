// --wait: follows our nodes resource until the node has booted again (a boot ID other than the one the restart
// answer recorded) and is Ready. Without a recorded boot ID, it waits to see the node NotReady and Ready again.
import { humanDuration } from '../common/human-duration.js';
import type { ApiError } from './api-error.js';
import type { KubeClient } from './kube-client.js';
import { isReady, nodePath, type NodeObject } from './resources.js';

export interface WaitTarget {
  name: string;
  previousBootID?: string;
}

export interface WaitResult {
  name: string;
  ok: boolean;
  detail: string;
}

export interface WaitOptions {
  timeoutMs: number;
  pollMs?: number;
  onState: (name: string, state: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitForRestart(
  client: KubeClient,
  target: WaitTarget,
  options: WaitOptions,
): Promise<WaitResult> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const pollMs = options.pollMs ?? 1000;
  let sawDown = false;
  let state = 'waiting for the node to go down';
  options.onState(target.name, state);
  for (;;) {
    let shown: string;
    try {
      const node = await client.request<NodeObject>('GET', nodePath(target.name));
      const ready = isReady(node);
      const bootID = node.status?.bootID;
      const booted = target.previousBootID
        ? bootID !== undefined && bootID !== target.previousBootID
        : sawDown && ready;
      sawDown ||= !ready;
      if (booted && ready) {
        const detail = `restarted: Ready with a new boot ID after ${humanDuration(Date.now() - started)}`;
        options.onState(target.name, detail);
        return { name: target.name, ok: true, detail };
      }
      state = booted
        ? 'booted (new boot ID), waiting for Ready'
        : ready
          ? 'waiting for the node to go down'
          : 'NotReady, waiting for it to come back';
      shown = state;
    } catch (err) {
      shown = `${state} (last check failed: ${(err as ApiError).message})`;
    }
    options.onState(target.name, shown);
    if (Date.now() >= deadline) {
      const detail = `timed out after ${humanDuration(options.timeoutMs)}: ${shown}`;
      options.onState(target.name, detail);
      return { name: target.name, ok: false, detail };
    }
    await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())));
  }
}
