// The Leases restarts keep their records on (operations, budget slots, batches), in one namespace: the writes, each
// guarded as kube-apiserver guards them (a create fails 409 AlreadyExists when the name is taken, a replace 409
// Conflict unless it carries the Lease's current resourceVersion), and watches, so reads never make a round trip.
// ApiLeases is the real one; tests run the workflow on an in-memory one that keeps the same rules.
import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { ApiException, type CoordinationV1Api, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { failureStatus } from '../../apiserver/status.js';
import { ServerOptions } from '../../config/server-options.js';
import { COORDINATION_API, KUBE_CONFIG } from '../../kube/kube.tokens.js';
import { WatchedList } from '../../kube/watched-list.js';
import type { ChangeType } from '../../apiserver/watch/event-ring.js';

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** The flag, else the pod's own namespace, else the one our manifests create. */
export function operationsNamespace(flag: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag;
  if (env['POD_NAMESPACE']) return env['POD_NAMESPACE'];
  try {
    return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() || 'k8s-cloud-node-manager';
  } catch {
    return 'k8s-cloud-node-manager';
  }
}

/** Whether a Kubernetes API call failed with this HTTP status (409 Conflict or AlreadyExists, 404, …). */
export const isHttpStatus = (err: unknown, code: number) => err instanceof ApiException && err.code === code;

/** The 404 kube-apiserver answers for a Lease that is not there. */
export function leaseGone(name: string): ApiException<string> {
  const message = `leases.coordination.k8s.io "${name}" not found`;
  return new ApiException(404, message, JSON.stringify(failureStatus(404, 'NotFound', message)), {});
}

/** The Leases of one label selector, listed and then watched: what the last event left. */
export interface WatchedLeases {
  readonly synced: boolean;
  /** Starts listing and watching; `onChange` runs on every add, update and delete, `onListed` after a list. */
  start(
    onChange: (lease: V1Lease, type: ChangeType) => void,
    onListed?: (resourceVersion: string) => void,
  ): void;
  stop(): Promise<void>;
  get(name: string): V1Lease | undefined;
  list(): readonly V1Lease[];
}

export abstract class Leases {
  abstract readonly namespace: string;
  /** Creates the Lease; a name in use fails with 409 (AlreadyExists). */
  abstract create(lease: V1Lease): Promise<V1Lease>;
  /** The Lease as kube-apiserver has it now; undefined when there is none. */
  abstract read(name: string): Promise<V1Lease | undefined>;
  /**
   * Replaces the Lease; 409 (Conflict) unless metadata.resourceVersion is still its current one. Without a
   * resourceVersion the write is unconditional and a missing Lease is created, as Leases allow create on update.
   * With one it updates that Lease only: a Lease deleted meanwhile is 404 (NotFound), gone, not brought back.
   */
  abstract replace(lease: V1Lease): Promise<V1Lease>;
  /** Deletes the Lease if it is still at resourceVersion: else 409 (Conflict); a missing one is 404. */
  abstract delete(name: string, resourceVersion: string): Promise<void>;
  abstract watch(what: string, labelSelector: string): WatchedLeases;
}

@Injectable()
export class ApiLeases extends Leases {
  readonly namespace: string;

  constructor(
    @Inject(KUBE_CONFIG) private readonly kc: KubeConfig,
    @Inject(COORDINATION_API) private readonly api: CoordinationV1Api,
    options: ServerOptions,
  ) {
    super();
    this.namespace = operationsNamespace(options.operationsNamespace);
  }

  create(body: V1Lease): Promise<V1Lease> {
    return this.api.createNamespacedLease({ namespace: this.namespace, body });
  }

  async read(name: string): Promise<V1Lease | undefined> {
    try {
      return await this.api.readNamespacedLease({ name, namespace: this.namespace });
    } catch (err) {
      if (isHttpStatus(err, 404)) return undefined;
      throw err;
    }
  }

  /**
   * kube-apiserver creates a missing Lease on update whatever resourceVersion the body carries, so a replica
   * writing the next state of a Lease another one deleted would resurrect it. A body with `metadata.uid` is an
   * update of that object only (k8s.io/apiserver pkg/registry/rest/update.go, Preconditions: a missing object fails
   * the UID precondition, 409), as client-go's resourcelock updates the Lease it read, uid included
   * (k8s.io/client-go tools/leaderelection/resourcelock/leaselock.go); a 409 with no Lease left is then its 404.
   */
  async replace(body: V1Lease): Promise<V1Lease> {
    const name = body.metadata!.name!;
    if (!body.metadata?.resourceVersion) return this.put(body);
    const uid = body.metadata.uid ?? (await this.read(name))?.metadata?.uid;
    if (uid === undefined) throw leaseGone(name);
    try {
      return await this.put({ ...body, metadata: { ...body.metadata, uid } });
    } catch (err) {
      if (isHttpStatus(err, 409) && (await this.read(name)) === undefined) throw leaseGone(name);
      throw err;
    }
  }

  private put(body: V1Lease): Promise<V1Lease> {
    return this.api.replaceNamespacedLease({ name: body.metadata!.name!, namespace: this.namespace, body });
  }

  async delete(name: string, resourceVersion: string): Promise<void> {
    await this.api.deleteNamespacedLease({
      name,
      namespace: this.namespace,
      body: { preconditions: { resourceVersion } },
    });
  }

  watch(what: string, labelSelector: string): WatchedLeases {
    const path = `/apis/coordination.k8s.io/v1/namespaces/${this.namespace}/leases`;
    const leases = new WatchedList<V1Lease>(what, this.kc, path, { labelSelector });
    const namespace = this.namespace;
    return {
      get synced() {
        return leases.synced;
      },
      start: (onChange, onListed) => leases.start(onChange, onListed),
      stop: () => leases.stop(),
      get: (name) => leases.get(name, namespace),
      list: () => leases.list(namespace),
    };
  }
}
