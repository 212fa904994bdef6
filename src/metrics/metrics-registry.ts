// The server's own Prometheus registry (not prom-client's global one, so a test or a library cannot add to it),
// with the process and Node.js metrics every Go component also exposes.
import { Injectable } from '@nestjs/common';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * A counter whose values are read at scrape time from counts kept elsewhere (plain numbers, so nothing on the
   * request path touches prom-client). `read` gives the count of each value of the one label.
   */
  countersFrom(name: string, help: string, label: string, read: () => Record<string, number>): void {
    new Counter({
      name,
      help,
      labelNames: [label],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [value, count] of Object.entries(read())) this.inc({ [label]: value }, count);
      },
    });
  }
}
