// One pass of work at a time, run again whenever something changed — during a pass too, so no change is
// missed — and on a timer, so deadlines pass even when nothing changes.
export class RepeatingPass {
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private again = false;

  constructor(private readonly work: () => Promise<void>) {}

  /** Runs every `tickMs` from now; `kick` is also what change listeners call. */
  start(tickMs: number): void {
    this.timer = setInterval(() => void this.kick(), tickMs).unref();
  }

  /** Stops the timer and waits for the pass in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.pass;
  }

  /** Runs a pass, or one more after the current one. */
  kick(): Promise<void> {
    if (this.pass) {
      this.again = true;
      return this.pass;
    }
    this.pass = this.work().finally(() => {
      this.pass = undefined;
      if (this.again) {
        this.again = false;
        void this.kick();
      }
    });
    return this.pass;
  }
}

/** What tells of changes: a store, a cache, an election. */
export interface ChangeSource {
  onChange(listener: () => void): void;
}

/**
 * A service whose work is a repeating pass: run again on every change of its sources, and every `tickMs`, from
 * application bootstrap until module destroy (the Nest lifecycle hooks of the subclass).
 */
export abstract class PassRunner {
  private readonly passes = new RepeatingPass(() => this.pass());

  constructor(private readonly tickMs: number) {}

  /** The sources whose changes start a pass. */
  protected abstract changeSources(): ChangeSource[];
  protected abstract pass(): Promise<void>;

  onApplicationBootstrap(): void {
    const kick = () => void this.kick();
    for (const source of this.changeSources()) source.onChange(kick);
    this.passes.start(this.tickMs);
  }

  onModuleDestroy(): Promise<void> {
    return this.passes.stop();
  }

  kick(): Promise<void> {
    return this.passes.kick();
  }
}
