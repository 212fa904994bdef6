// One replica leads the repairs: the holder of a coordination.k8s.io Lease, taken and renewed as client-go's
// leaderelection does (k8s.io/client-go/tools/leaderelection/leaderelection.go, tryAcquireOrRenew): a record is
// taken over only once it has not changed for leaseDurationSeconds by this replica's own clock (never comparing
// clocks across machines), every write carries the resourceVersion read, and a leader that cannot renew within
// the renew deadline stops leading before another may take over. The other replicas keep serving.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { V1Lease } from '@kubernetes/client-node';
import { Leases, isHttpStatus } from '../restarts/cluster/leases.js';

export const LEADER_LEASE = 'k8s-cloud-node-manager-repair-leader';
/** client-go's defaults in kube-controller-manager: 15 s lease, 10 s renew deadline, 2 s retry period. */
const LEASE_DURATION_S = 15;
const RENEW_DEADLINE_MS = 10_000;
const RETRY_PERIOD_MS = 2_000;

/**
 * metav1.MicroTime's wire form (RFC 3339 with six fractional digits), which kube-apiserver requires of a Lease's
 * times; client-node's types call them Date but send them as they are.
 */
const microTime = (at: Date) => at.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z') as unknown as Date;

@Injectable()
export class RepairLeader implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(RepairLeader.name);
  readonly identity = `${hostname()}_${randomUUID()}`;
  private timer?: NodeJS.Timeout;
  private renewedAt?: number;
  /** The last record seen and when it was first seen so (this replica's monotonic clock). */
  private observed?: { key: string; at: number };
  private attempt?: Promise<void>;
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly leases: Leases) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tryAcquireOrRenew(), RETRY_PERIOD_MS).unref();
    void this.tryAcquireOrRenew();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.attempt;
    if (this.isLeader()) await this.release();
  }

  /** Called when this replica becomes the leader. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  isLeader(): boolean {
    return this.renewedAt !== undefined && performance.now() - this.renewedAt < RENEW_DEADLINE_MS;
  }

  private tryAcquireOrRenew(): Promise<void> {
    this.attempt ??= this.acquireOrRenew()
      .catch((err: Error) => {
        if (!isHttpStatus(err, 409)) this.log.warn(`leader election: ${err.message}`);
      })
      .finally(() => (this.attempt = undefined));
    return this.attempt;
  }

  private async acquireOrRenew(): Promise<void> {
    const wasLeader = this.isLeader();
    const now = new Date();
    const current = await this.leases.read(LEADER_LEASE);
    if (!current) {
      await this.leases.create(this.lease(now, now, 0));
      return this.renewed(wasLeader);
    }
    const spec = current.spec ?? {};
    const key = `${spec.holderIdentity}/${String(spec.renewTime)}/${current.metadata?.resourceVersion}`;
    if (this.observed?.key !== key) this.observed = { key, at: performance.now() };
    const mine = spec.holderIdentity === this.identity;
    const duration = (spec.leaseDurationSeconds ?? LEASE_DURATION_S) * 1000;
    const held = !!spec.holderIdentity && performance.now() - this.observed.at < duration;
    if (!mine && held) {
      this.renewedAt = undefined;
      return;
    }
    const transitions = (spec.leaseTransitions ?? 0) + (mine ? 0 : 1);
    const acquired = mine && spec.acquireTime ? new Date(spec.acquireTime) : now;
    await this.leases.replace(this.lease(acquired, now, transitions, current.metadata?.resourceVersion));
    this.renewed(wasLeader);
  }

  private renewed(wasLeader: boolean): void {
    this.renewedAt = performance.now();
    if (wasLeader) return;
    this.log.log(`leading node repairs as ${this.identity}`);
    this.listeners.forEach((listener) => listener());
  }

  /** Gives the Lease up at shutdown, so another replica leads without waiting out the lease (ReleaseOnCancel). */
  private async release(): Promise<void> {
    this.renewedAt = undefined;
    try {
      const current = await this.leases.read(LEADER_LEASE);
      if (current?.spec?.holderIdentity !== this.identity) return;
      await this.leases.replace({
        ...current,
        spec: {
          ...current.spec,
          holderIdentity: '',
          leaseDurationSeconds: 1,
          renewTime: microTime(new Date()),
        },
      });
    } catch (err) {
      this.log.warn(`releasing the leader Lease: ${(err as Error).message}`);
    }
  }

  private lease(
    acquireTime: Date,
    renewTime: Date,
    leaseTransitions: number,
    resourceVersion?: string,
  ): V1Lease {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: LEADER_LEASE,
        namespace: this.leases.namespace,
        ...(resourceVersion === undefined ? {} : { resourceVersion }),
      },
      spec: {
        holderIdentity: this.identity,
        leaseDurationSeconds: LEASE_DURATION_S,
        acquireTime: microTime(acquireTime),
        renewTime: microTime(renewTime),
        leaseTransitions,
      },
    };
  }
}
