/** Answers that stand in for the cloud's own failure modes. */
export type Fault =
  /** The cloud's throttling error (EC2 RequestLimitExceeded 503, Tencent RequestLimitExceeded). */
  | { fault: 'throttle' }
  /** The cloud's internal error (EC2 InternalError 500, Tencent InternalError). */
  | { fault: 'internal-error' }
  /** Any other error in the cloud's own envelope; httpStatus only matters for EC2 (default 400). */
  | { fault: 'error'; code: string; message?: string; httpStatus?: number }
  /** A bare HTTP status with no cloud envelope, as a proxy or load balancer would send. */
  | { fault: 'http-status'; status: number; body?: string }
  /** Answer normally, but only after this many milliseconds. */
  | { fault: 'delay'; ms: number }
  /** Never answer; the connection stays open until the client gives up or the emulator stops. */
  | { fault: 'hang' }
  /**
   * Read the request, then close the connection without an answer, as a load balancer ending a kept-alive
   * connection as it is reused does.
   */
  | { fault: 'drop' };

export type FaultKind = Fault['fault'];
export type CloudErrorFault = Extract<Fault, { fault: 'throttle' | 'internal-error' | 'error' }>;

export type FaultRule = Fault & {
  /** Only calls of this action match; omitted matches every action. */
  action?: string;
  /**
   * Carry the call out first, then answer with the fault (an internal error, a bare status, a drop or a hang): a
   * cloud that acted and failed to say so.
   */
  afterExecuting?: boolean;
  /** How many matching calls get the fault (default 1; Infinity for all of them). */
  times?: number;
};

export interface InjectedFault {
  readonly remaining: number;
  cancel(): void;
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

/** Hands each incoming call the first armed rule that matches it, oldest rule first. */
export class FaultInjector {
  #rules: ActiveRule[] = [];

  inject(rule: FaultRule): InjectedFault {
    const times = rule.times ?? 1;
    if (!(times > 0)) throw new RangeError(`times must be positive, got ${times}`);
    const active: ActiveRule = { rule, remaining: times };
    this.#rules.push(active);
    return {
      get remaining() {
        return active.remaining;
      },
      cancel: () => this.#drop(active),
    };
  }

  take(action: string): FaultRule | undefined {
    const active = this.#rules.find((r) => r.remaining > 0 && (r.rule.action ?? action) === action);
    if (!active) return undefined;
    active.remaining -= 1;
    if (active.remaining === 0) this.#drop(active);
    return active.rule;
  }

  clear(): void {
    for (const active of this.#rules) active.remaining = 0;
    this.#rules = [];
  }

  #drop(active: ActiveRule): void {
    active.remaining = 0;
    this.#rules = this.#rules.filter((r) => r !== active);
  }
}
