import type { TimedState } from './timed-state.js';

/** What the shared store and emulator base need from a cloud's instance model. */
export interface EmulatedInstance<State extends string, Snapshot> {
  readonly instanceId: string;
  readonly region: string;
  readonly state: TimedState<State>;
  snapshot(): Snapshot;
}

/** The cloud's own errors for a batch of instance ids. */
export interface IdErrors {
  malformed(id: string): Error;
  notFound(ids: string[]): Error;
}

export interface InstanceSeed {
  instanceId: string;
  region: string;
}

/** Instances by id; each belongs to one region and is only visible to calls made for that region. */
export class InstanceStore<Seed extends InstanceSeed, I extends EmulatedInstance<string, unknown>> {
  readonly #instances = new Map<string, I>();

  /** `create` gets the seed and its ordinal, handy for deriving distinct default addresses. */
  constructor(private readonly create: (seed: Seed, ordinal: number) => I) {}

  add(seed: Seed): I {
    if (this.#instances.has(seed.instanceId)) throw new Error(`duplicate instance ${seed.instanceId}`);
    const instance = this.create(seed, this.#instances.size);
    this.#instances.set(seed.instanceId, instance);
    return instance;
  }

  get(instanceId: string): I | undefined {
    return this.#instances.get(instanceId);
  }

  /** The instance, if it exists in that region. */
  getIn(region: string, instanceId: string): I | undefined {
    const instance = this.#instances.get(instanceId);
    return instance?.region === region ? instance : undefined;
  }

  /**
   * Resolves a whole batch as both clouds do: the first malformed id fails the call, then every id unknown
   * in the region is reported in one error.
   */
  resolveAll(region: string, ids: readonly string[], idPattern: RegExp, errors: IdErrors): I[] {
    const malformed = ids.find((id) => !idPattern.test(id));
    if (malformed !== undefined) throw errors.malformed(malformed);
    const found = ids.map((id) => this.getIn(region, id));
    const missing = ids.filter((_, n) => found[n] === undefined);
    if (missing.length > 0) throw errors.notFound(missing);
    return found as I[];
  }

  inRegion(region: string): I[] {
    return [...this.#instances.values()].filter((i) => i.region === region);
  }

  regions(): string[] {
    return [...new Set([...this.#instances.values()].map((i) => i.region))];
  }

  finishTransitions(): void {
    for (const instance of this.#instances.values()) instance.state.finish();
  }
}
