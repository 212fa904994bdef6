// Named health checks, reported as k8s.io/apiserver reports them on /livez and /readyz, and the
// shutdown sequence: not ready first, keep serving for --shutdown-delay-duration, then let go.
import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServerOptions } from '../config/server-options.js';

export type Check = () => string | undefined; // undefined = healthy, else why not

@Injectable()
export class HealthService implements BeforeApplicationShutdown {
  private readonly readiness = new Map<string, Check>();
  private readonly liveness = new Map<string, Check>([['ping', () => undefined]]);
  private readonly shutdownHooks: (() => void)[] = [];
  private shuttingDown = false;

  constructor(private readonly options: ServerOptions) {
    this.readiness.set('shutdown', () => (this.shuttingDown ? 'the server is shutting down' : undefined));
  }

  addReadinessCheck(name: string, check: Check): void {
    this.readiness.set(name, check);
  }

  onShutdown(hook: () => void): void {
    this.shutdownHooks.push(hook);
  }

  run(kind: 'livez' | 'readyz' | 'healthz'): { ok: boolean; lines: string[] } {
    const checks = kind === 'livez' ? this.liveness : new Map([...this.liveness, ...this.readiness]);
    const lines: string[] = [];
    let ok = true;
    for (const [name, check] of checks) {
      const failure = check();
      if (failure) ok = false;
      lines.push(failure ? `[-]${name} failed: ${failure}` : `[+]${name} ok`);
    }
    return { ok, lines };
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    if (this.options.shutdownDelayDuration > 0) await sleep(this.options.shutdownDelayDuration);
    for (const hook of this.shutdownHooks) hook();
  }
}
