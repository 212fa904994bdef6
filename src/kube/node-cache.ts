// An informer over core Nodes: list and get are answered from memory, never with a round trip.
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ListWatch, Watch, type CoreV1Api, type KubeConfig, type V1Node } from '@kubernetes/client-node';
import { CORE_API, KUBE_CONFIG } from './kube.tokens.js';

const RESTART_DELAY_MS = 1000;

@Injectable()
export class NodeCache implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(NodeCache.name);
  private informer?: ListWatch<V1Node>;
  private sorted?: V1Node[];
  private stopped = false;
  synced = false;

  constructor(
    @Inject(KUBE_CONFIG) private readonly kc: KubeConfig,
    @Inject(CORE_API) private readonly core: CoreV1Api,
  ) {}

  onApplicationBootstrap(): void {
    const informer = new ListWatch<V1Node>(
      '/api/v1/nodes',
      new Watch(this.kc),
      () => this.core.listNode(),
      false,
    );
    const invalidate = () => (this.sorted = undefined);
    informer.on('add', invalidate);
    informer.on('update', invalidate);
    informer.on('delete', invalidate);
    informer.on('error', (err) => {
      this.log.warn(`node watch failed, restarting: ${(err as Error)?.message ?? err}`);
      if (!this.stopped) setTimeout(() => this.start(), RESTART_DELAY_MS).unref();
    });
    this.informer = informer;
    this.start();
  }

  private start(): void {
    this.informer!.start().then(
      () => {
        this.sorted = undefined;
        this.synced = true;
      },
      (err: Error) => {
        this.log.warn(`listing nodes failed, retrying: ${err.message}`);
        if (!this.stopped) setTimeout(() => this.start(), RESTART_DELAY_MS).unref();
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.informer?.stop();
  }

  get(name: string): V1Node | undefined {
    return this.informer?.get(name);
  }

  /** All nodes, sorted by name (the order list pages are cut in). */
  list(): readonly V1Node[] {
    if (!this.sorted) {
      this.sorted = [...(this.informer?.list() ?? [])].sort((a, b) =>
        a.metadata!.name! < b.metadata!.name! ? -1 : a.metadata!.name! > b.metadata!.name! ? 1 : 0,
      );
    }
    return this.sorted;
  }

  resourceVersion(): string {
    return this.informer?.latestResourceVersion() ?? '';
  }
}
