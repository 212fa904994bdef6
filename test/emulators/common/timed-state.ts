/**
 * A state that may be in a timed transition (e.g. REBOOTING until some instant, then RUNNING).
 * Settles lazily on read, so no timers outlive the emulator.
 */
export class TimedState<S extends string> {
  #current: S;
  #pending?: { final: S; at: number };

  constructor(initial: S) {
    this.#current = initial;
  }

  get value(): S {
    this.#settle();
    return this.#current;
  }

  get transitioning(): boolean {
    this.#settle();
    return this.#pending !== undefined;
  }

  /** Shows `intermediate` for `durationMs`, then `final`. */
  begin(intermediate: S, final: S, durationMs: number): void {
    this.#current = durationMs > 0 ? intermediate : final;
    this.#pending = durationMs > 0 ? { final, at: Date.now() + durationMs } : undefined;
  }

  set(state: S): void {
    this.#current = state;
    this.#pending = undefined;
  }

  /** Completes any transition in flight now. */
  finish(): void {
    if (this.#pending) this.#current = this.#pending.final;
    this.#pending = undefined;
  }

  #settle(): void {
    if (this.#pending && Date.now() >= this.#pending.at) this.finish();
  }
}
