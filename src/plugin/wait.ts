// --wait: follows the restart operation the answer named (status.operationID) through its phases, reading
// GET nodes/NAME/restart — the node's latest restart — until it Succeeded or Failed.
import { humanDuration } from '../common/human-duration.js';
import type { KubeClient } from './kube-client.js';
import { restartPath, type NodeRestart } from './resources.js';

export interface WaitResult {
  name: string;
  ok: boolean;
  /** Why it failed, short, for the summary line. */
  why?: string;
}

export interface WaitOptions {
  timeoutMs: number;
  pollMs?: number;
  onState: (name: string, state: string) => void;
}

interface State {
  line: string;
  /** Set once the operation is over, or can no longer be followed. */
  result?: WaitResult;
}

/** Where the operation `id` stands, judged from one answer of GET nodes/NAME/restart. */
export function stateOf(id: string, restart: NodeRestart): State {
  const name = restart.metadata.name;
  const { operationID, phase = 'Unknown', message } = restart.status ?? {};
  const line = message ? `${phase}: ${message}` : phase;
  if (operationID !== id) {
    const other = operationID ?? 'with no id';
    return {
      line: `another restart (${other}) is now the node's latest, so this one cannot be followed: ${line}`,
      result: { name, ok: false, why: `superseded by restart ${other}` },
    };
  }
  if (phase === 'Succeeded') return { line, result: { name, ok: true } };
  if (phase === 'Failed') return { line, result: { name, ok: false, why: 'Failed' } };
  return { line };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts from the restart's own answer, which already has a phase, and polls until it ends or time runs out. */
export async function waitForRestart(
  client: KubeClient,
  answer: NodeRestart,
  options: WaitOptions,
): Promise<WaitResult> {
  const name = answer.metadata.name;
  const id = answer.status?.operationID;
  if (id === undefined) {
    options.onState(name, 'cannot be followed: the answer names no operation (status.operationID)');
    return { name, ok: false, why: 'no operation to follow' };
  }
  const deadline = Date.now() + options.timeoutMs;
  const pollMs = options.pollMs ?? 1000;
  let state = stateOf(id, answer);
  let shown = state.line;
  for (;;) {
    options.onState(name, shown);
    if (state.result) return state.result;
    if (Date.now() >= deadline) {
      options.onState(name, `timed out after ${humanDuration(options.timeoutMs)}: ${shown}`);
      return { name, ok: false, why: 'timed out' };
    }
    await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())));
    try {
      state = stateOf(id, await client.request<NodeRestart>('GET', restartPath(name)));
      shown = state.line;
    } catch (err) {
      shown = `${state.line} (last check failed: ${(err as Error).message})`;
    }
  }
}
