/** One SDK client per region, made on first use and reused, so connections and cached credentials are shared. */
export class RegionalClients<C> {
  readonly #clients = new Map<string, C>();

  constructor(
    private readonly create: (region: string) => C,
    private readonly destroy: (client: C) => void = () => {},
  ) {}

  get(region: string): C {
    let client = this.#clients.get(region);
    if (client === undefined) {
      client = this.create(region);
      this.#clients.set(region, client);
    }
    return client;
  }

  /** Regions with a client, in the order they were first used. */
  get regions(): string[] {
    return [...this.#clients.keys()];
  }

  closeAll(): void {
    for (const client of this.#clients.values()) this.destroy(client);
    this.#clients.clear();
  }
}
