// Leases kept in memory with kube-apiserver's rules for them: a create of a taken name is 409 AlreadyExists, a
// replace carrying another resourceVersion 409 Conflict, an unconditional replace (no resourceVersion) of a missing
// Lease creates it, as Leases allow create on update (kubernetes pkg/registry/coordination/lease/strategy.go,
// AllowCreateOnUpdate; k8s.io/apiserver pkg/registry/generic/registry/store.go Update), and a conditional one of a
// missing Lease is 404, as ApiLeases makes it with a UID precondition. Every write gets a new
// resourceVersion and is seen by the watches at once. test/e2e/restart-gateways.test.ts holds it to the real one.
import type { V1Lease } from '@kubernetes/client-node';
import { matchesLabels, parseLabelSelector } from '../../../src/apiserver/selectors/label-selector.js';
import { Leases, type WatchedLeases } from '../../../src/restarts/cluster/leases.js';
import type { ChangeType } from '../../../src/apiserver/watch/event-ring.js';
import { alreadyExists, apiError, conflict, copy, notFound, Revisions } from './api-errors.js';

const KIND = 'leases.coordination.k8s.io';

export class InMemoryLeases extends Leases {
  private readonly leases = new Map<string, V1Lease>();
  private readonly watchers = new Set<(lease: V1Lease, type: ChangeType) => void>();
  /** Writes made, by verb (create, replace, delete), refused ones included. */
  readonly writes = { create: 0, replace: 0, delete: 0 };

  constructor(
    readonly namespace: string,
    private readonly revisions = new Revisions(),
  ) {
    super();
  }

  async create(lease: V1Lease): Promise<V1Lease> {
    this.writes.create++;
    const name = lease.metadata!.name!;
    if (lease.metadata?.resourceVersion) {
      throw apiError(500, 'InternalError', 'resourceVersion should not be set on objects to be created');
    }
    if (this.leases.has(name)) throw alreadyExists(KIND, name);
    return this.store(lease);
  }

  async read(name: string): Promise<V1Lease | undefined> {
    const lease = this.leases.get(name);
    return lease && copy(lease);
  }

  async replace(lease: V1Lease): Promise<V1Lease> {
    this.writes.replace++;
    const name = lease.metadata!.name!;
    const current = this.leases.get(name);
    const expected = lease.metadata?.resourceVersion;
    if (expected && !current) throw notFound(KIND, name);
    if (current && expected && expected !== current.metadata!.resourceVersion) throw conflict(KIND, name);
    return this.store(lease);
  }

  async delete(name: string, resourceVersion: string): Promise<void> {
    this.writes.delete++;
    const current = this.leases.get(name);
    if (!current) throw notFound(KIND, name);
    // k8s.io/apiserver pkg/registry/generic/registry/store.go Delete: a failed precondition is a Conflict.
    if (current.metadata!.resourceVersion !== resourceVersion) throw conflict(KIND, name);
    this.leases.delete(name);
    for (const watcher of this.watchers) watcher(copy(current), 'DELETED');
  }

  watch(_what: string, labelSelector: string): WatchedLeases {
    const selector = parseLabelSelector(labelSelector);
    const selected = () =>
      [...this.leases.values()].filter((l) => matchesLabels(selector, l.metadata?.labels));
    const watchers = this.watchers;
    let listener: ((lease: V1Lease, type: ChangeType) => void) | undefined;
    return {
      get synced() {
        return listener !== undefined;
      },
      start(onChange) {
        listener = (lease, type) => matchesLabels(selector, lease.metadata?.labels) && onChange(lease, type);
        watchers.add(listener);
      },
      async stop() {
        if (listener) watchers.delete(listener);
      },
      get: (name) => selected().find((l) => l.metadata!.name === name),
      list: () => selected(),
    };
  }

  /** Every Lease as stored now, by name. */
  names(): string[] {
    return [...this.leases.keys()].sort();
  }

  private store(lease: V1Lease): V1Lease {
    const stored = copy(lease);
    stored.metadata = {
      ...stored.metadata,
      namespace: this.namespace,
      resourceVersion: this.revisions.next(),
    };
    const type = this.leases.has(stored.metadata.name!) ? 'MODIFIED' : 'ADDED';
    this.leases.set(stored.metadata.name!, stored);
    for (const watcher of this.watchers) watcher(copy(stored), type);
    return copy(stored);
  }
}
