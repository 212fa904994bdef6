// --wait: follows the restart operation the answer named (status.operationID) through its phases, reading
// GET nodes/NAME/restart — the node's latest restart — until it Succeeded or Failed. The polling, the live line
// and the summary serve a batch's wait too.
import { humanDuration } from '../common/human-duration.js';
import { ApiError } from './api-error.js';
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
  const { operationID, phase, message } = restart.status ?? {};
  const line = phaseLine(phase, message);
  if (operationID !== id) {
    const other = operationID ?? 'with no id';
    return {
      line: `another restart (${other}) is now the node's latest, so this one cannot be followed: ${line}`,
      result: { name, ok: false, why: `superseded by restart ${other}` },
    };
  }
  if (phase === 'Succeeded') return { line, result: { name, ok: true } };
  if (phase === 'Failed' || phase === 'Cancelled') return { line, result: { name, ok: false, why: phase } };
  return { line };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** "PHASE: message", as the live lines show a restart or a batch. */
export const phaseLine = (phase = 'Unknown', message?: string) => (message ? `${phase}: ${message}` : phase);

export const timedOutLine = (timeoutMs: number, line: string) =>
  `timed out after ${humanDuration(timeoutMs)}: ${line}`;

export interface Polled<S> {
  state: S;
  timedOut: boolean;
  /** Why the last poll failed, when it did (the state is then the one read before). */
  failure?: string;
}

/** Asking again cannot help when the server refused the user: the wait ends there, with its words. */
export const refusesUser = (err: unknown): err is ApiError =>
  err instanceof ApiError && (err.code === 401 || err.code === 403);

/**
 * Shows `first`, then reads `next` about every pollMs and shows each state (a failed read keeps the last one),
 * until `over` holds or timeoutMs has passed. A 401 or 403 is thrown at once.
 */
export async function poll<S>(
  first: S,
  next: () => Promise<S>,
  over: (state: S) => boolean,
  show: (state: S, failure?: string) => void,
  options: { timeoutMs: number; pollMs?: number },
): Promise<Polled<S>> {
  const deadline = Date.now() + options.timeoutMs;
  const pollMs = options.pollMs ?? 1000;
  const polled: Polled<S> = { state: first, timedOut: false };
  for (;;) {
    show(polled.state, polled.failure);
    if (over(polled.state)) return polled;
    if (Date.now() >= deadline) return { ...polled, timedOut: true };
    await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())));
    try {
      polled.state = await next();
      polled.failure = undefined;
    } catch (err) {
      if (refusesUser(err)) throw err;
      polled.failure = (err as Error).message;
    }
  }
}

export const withFailure = (line: string, failure?: string) =>
  failure === undefined ? line : `${line} (last check failed: ${failure})`;

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
  let polled: Polled<State>;
  try {
    polled = await poll(
      stateOf(id, answer),
      async () => stateOf(id, await client.request<NodeRestart>('GET', restartPath(name))),
      (s) => s.result !== undefined,
      (s, failure) => options.onState(name, withFailure(s.line, failure)),
      options,
    );
  } catch (err) {
    if (!refusesUser(err)) throw err;
    options.onState(name, `cannot be followed: ${err.display}`);
    return { name, ok: false, why: err.reason };
  }
  const { state, timedOut, failure } = polled;
  if (!timedOut) return state.result!;
  options.onState(name, timedOutLine(options.timeoutMs, withFailure(state.line, failure)));
  return { name, ok: false, why: 'timed out' };
}

export const nodeCount = (n: number) => `${n} node${n === 1 ? '' : 's'}`;

/** "2 of 3 nodes restarted in 1m40s; failed: node-c (Forbidden)". */
export function summary(
  total: number,
  done: number,
  failed: ReadonlyMap<string, string>,
  started: number,
): string {
  const head = `${done} of ${nodeCount(total)} restarted in ${humanDuration(Date.now() - started)}`;
  const failures = [...failed].map(([name, why]) => `${name} (${why})`).join(', ');
  return `${head}${failures ? `; failed: ${failures}` : ''}`;
}
