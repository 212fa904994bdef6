import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { CallLog, type CallRecord, type ExecutedAction, type NewCall } from './call-log.js';
import { FaultInjector, type CloudErrorFault, type FaultRule, type InjectedFault } from './faults.js';
import { InstanceStore, type EmulatedInstance, type InstanceSeed } from './instance-store.js';
import { BodyTooLargeError, listenOnLoopback, readBody, type LoopbackServer } from './loopback-server.js';

const MAX_BODY_BYTES = 1024 * 1024;

/** A request as the protocol layer sees it. */
export interface IncomingCall {
  method: string;
  /** Path and query exactly as sent. */
  rawUrl: string;
  headers: IncomingHttpHeaders;
  /** Every header's values, unjoined (needed to canonicalize repeated headers for signing). */
  headersDistinct: NodeJS.Dict<string[]>;
  body: Buffer;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The cloud error code carried by the body, if any (for the call log). */
  errorCode?: string;
  /** The instances the call's action was carried out on (a mutation that succeeded). */
  executed?: readonly string[];
}

/** What a protocol makes of a request: the facts to record, and how to answer it when no fault intervenes. */
export interface Dispatch {
  call: Omit<NewCall, 'fault' | 'status' | 'errorCode'>;
  respond(): Reply;
}

/**
 * The parts shared by every cloud emulator: a loopback HTTP server, the call log, fault injection, the
 * instance store, and a stop() that leaves no sockets or timers behind. Subclasses supply the wire protocol.
 */
export abstract class CloudEmulator<
  Seed extends InstanceSeed,
  State extends string,
  Snapshot,
  Instance extends EmulatedInstance<State, Snapshot>,
> {
  protected readonly store: InstanceStore<Seed, Instance>;
  readonly #log = new CallLog();
  #executed: ExecutedAction[] = [];
  readonly #faults = new FaultInjector();
  readonly #stopping = new AbortController();
  #server?: LoopbackServer;

  protected constructor(create: (seed: Seed, ordinal: number) => Instance, seeds: readonly Seed[] = []) {
    this.store = new InstanceStore(create);
    for (const seed of seeds) this.store.add(seed);
  }

  protected abstract dispatch(request: IncomingCall): Dispatch;

  /** Renders an injected throttling/internal/custom error in the cloud's own envelope. */
  protected abstract cloudError(fault: CloudErrorFault, call: CallRecord, request: IncomingCall): Reply;

  /** Base URL, e.g. http://127.0.0.1:PORT */
  get url(): string {
    return this.#listening().url;
  }

  get port(): number {
    return this.#listening().port;
  }

  /** A copy of the instance as it is now (transitions that are due have completed). */
  instance(instanceId: string): Snapshot | undefined {
    return this.store.get(instanceId)?.snapshot();
  }

  addInstance(seed: Seed): Snapshot {
    return this.store.add(seed).snapshot();
  }

  /** Puts an instance straight into a state, cancelling any transition in flight. */
  setInstanceState(instanceId: string, state: State): void {
    const instance = this.store.get(instanceId);
    if (!instance) throw new Error(`unknown instance ${instanceId}`);
    instance.state.set(state);
  }

  /** Completes every transition in flight now (stopping, starting, rebooting...). */
  finishTransitions(): void {
    this.store.finishTransitions();
  }

  /** Every request received so far, in arrival order. */
  get calls(): readonly CallRecord[] {
    return this.#log.all;
  }

  callsTo(action: string): CallRecord[] {
    return this.#log.to(action);
  }

  clearCalls(): void {
    this.#log.clear();
    this.#executed = [];
  }

  /** The actions really carried out, one per instance, in order; `action` and `instanceId` filter them. */
  executed(action?: string, instanceId?: string): ExecutedAction[] {
    return this.#executed.filter(
      (e) => (action ?? e.action) === e.action && (instanceId ?? e.instanceId) === e.instanceId,
    );
  }

  /** Resets every kept-alive connection with no request in progress (LoopbackServer.resetIdle). */
  resetIdleConnections(): number {
    return this.#listening().resetIdle();
  }

  /** Arms a fault for the next `times` (default 1) calls matching `action` (default: any action). */
  inject(rule: FaultRule): InjectedFault {
    return this.#faults.inject(rule);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  /** Stops the server; hung and delayed calls are cut off, their sockets destroyed. Safe to call twice. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    this.#faults.clear();
    await this.#server?.close();
  }

  protected async listen(port = 0): Promise<void> {
    this.#server = await listenOnLoopback((req, res) => void this.#handle(req, res), port);
  }

  #listening(): LoopbackServer {
    if (!this.#server) throw new Error('emulator is not listening');
    return this.#server;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLargeError && !res.destroyed) res.writeHead(413).end();
      return;
    }
    const request: IncomingCall = {
      method: req.method ?? 'GET',
      rawUrl: req.url ?? '/',
      headers: req.headers,
      headersDistinct: req.headersDistinct,
      body,
    };
    try {
      const dispatch = this.dispatch(request);
      const record = this.#log.add(dispatch.call);
      const fault = this.#faults.take(record.action);
      if (fault) record.fault = fault.fault;
      if (fault?.afterExecuting) this.#execute(record, dispatch.respond());
      if (fault?.fault === 'hang') return;
      if (fault?.fault === 'drop') {
        res.socket?.destroy();
        return;
      }
      if (fault?.fault === 'delay' && !(await this.#wait(fault.ms))) return;
      const reply =
        fault?.fault === 'http-status'
          ? { status: fault.status, headers: { 'content-type': 'text/plain' }, body: fault.body ?? '' }
          : fault?.fault === 'throttle' || fault?.fault === 'internal-error' || fault?.fault === 'error'
            ? this.cloudError(fault, record, request)
            : this.#execute(record, dispatch.respond());
      record.status = reply.status;
      if (reply.errorCode !== undefined) record.errorCode = reply.errorCode;
      send(res, reply);
    } catch (err) {
      // An emulator bug must not look like a cloud error the client would retry or interpret.
      console.error('cloud emulator failure:', err);
      send(res, { status: 599, headers: { 'content-type': 'text/plain' }, body: 'emulator failure' });
    }
  }

  #execute(record: CallRecord, reply: Reply): Reply {
    for (const instanceId of reply.executed ?? [])
      this.#executed.push({ seq: record.seq, action: record.action, instanceId });
    return reply;
  }

  /** Resolves false if the emulator stopped during the wait. */
  async #wait(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.#stopping.signal });
      return true;
    } catch {
      return false;
    }
  }
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
  res.end(reply.body);
}
