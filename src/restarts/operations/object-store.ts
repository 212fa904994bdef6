// API objects kept as records on Leases, one Lease per object (restart batches, node repair policies): read from a
// watch, written with their resourceVersion so that two replicas (or a replica and a user) cannot both move one.
import type { V1Lease } from '@kubernetes/client-node';
import { StatusError, alreadyExists } from '../../apiserver/status.js';
import { Leases, isHttpStatus } from '../cluster/leases.js';
import { LeaseRecords, type LeaseRecord } from './lease-records.js';

/** How one kind of object lives on Leases: as JSON in one annotation of a Lease named after it. */
export interface ObjectLeaseFormat<T> {
  /** What the watch is called in logs. */
  what: string;
  /** The Leases' labels, selected by the watch. */
  labels: Record<string, string>;
  annotation: string;
  group: string;
  resource: string;
  leaseName: (name: string) => string;
  /** Whether a decoded annotation is one (not something else written there). */
  isRecord: (record: T) => boolean;
  /** Changes kept for watches, Exact lists and continue tokens (--watch-cache-size; 0: LeaseRecords' default). */
  changesKept?: number;
}

/** The Lease holding `record`; with a resourceVersion, a replace of the one at that version. */
export function objectLease<T extends { name: string; uid: string }>(
  format: ObjectLeaseFormat<T>,
  record: T,
  namespace: string,
  resourceVersion?: string,
): V1Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: format.leaseName(record.name),
      namespace,
      labels: format.labels,
      annotations: { [format.annotation]: JSON.stringify(record) },
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
    },
    spec: { holderIdentity: record.uid },
  };
}

export function objectFromLease<T>(format: ObjectLeaseFormat<T>, lease: V1Lease | undefined): T | undefined {
  const text = lease?.metadata?.annotations?.[format.annotation];
  if (!text) return undefined;
  try {
    const record = JSON.parse(text) as T;
    return typeof record === 'object' && record !== null && format.isRecord(record) ? record : undefined;
  } catch {
    return undefined;
  }
}

const selectorOf = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

export class ObjectStore<T extends { name: string; uid: string }> extends LeaseRecords<T> {
  constructor(
    leases: Leases,
    private readonly format: ObjectLeaseFormat<T>,
  ) {
    super(
      format.what,
      leases,
      selectorOf(format.labels),
      (lease) => objectFromLease(format, lease),
      format.changesKept,
    );
  }

  get(name: string): LeaseRecord<T> | undefined {
    return this.recordNamed(this.format.leaseName(name));
  }

  /** The object as kube-apiserver has it now, not as the watch last saw it (after a 409). */
  async read(name: string): Promise<LeaseRecord<T> | undefined> {
    const lease = await this.leases.read(this.format.leaseName(name));
    return lease && this.recordOf(lease);
  }

  /** The object a Lease holds (from the watch's events), if it holds one. */
  storedOf(lease: V1Lease): LeaseRecord<T> | undefined {
    return this.recordOf(lease);
  }

  all(): LeaseRecord<T>[] {
    return this.allRecords();
  }

  /** Records a new object; a name in use is a 409 AlreadyExists, as for any object. */
  async create(record: T): Promise<LeaseRecord<T>> {
    try {
      return this.recordOf(await this.leases.create(objectLease(this.format, record, this.namespace)))!;
    } catch (err) {
      if (!isHttpStatus(err, 409)) throw err;
      const { group, resource } = this.format;
      throw new StatusError(alreadyExists({ group, resource, name: record.name }));
    }
  }

  /** Writes the object's next state; a 409 means someone moved it first. */
  async replace(record: T, resourceVersion: string): Promise<LeaseRecord<T>> {
    const lease = await this.leases.replace(
      objectLease(this.format, record, this.namespace, resourceVersion),
    );
    return this.recordOf(lease)!;
  }

  /** Removes the object, if it is still at resourceVersion (a 409 otherwise). */
  async delete(name: string, resourceVersion: string): Promise<void> {
    await this.leases.delete(this.format.leaseName(name), resourceVersion);
  }
}
