// POST restartbatches: the nodes the selector matches now, each checked as a single restart would be for
// this user (create on nodes/restart, by name unless allowed for all), recorded as a batch that the
// BatchRunner carries out. GET reads batches back.
import { randomUUID } from 'node:crypto';
import type { V1Lease } from '@kubernetes/client-node';
import { Inject, Injectable } from '@nestjs/common';
import { Authorizer } from '../../auth/authorizer.js';
import * as field from '../../apiserver/field-errors.js';
import type { CreateOptions, WarningSink } from '../../apiserver/create-options.js';
import type { UserInfo } from '../../apiserver/request-context.js';
import { matchesLabels, parseLabelSelector } from '../../apiserver/selectors/label-selector.js';
import { StatusError, authorizationForbidden, invalid, notFound } from '../../apiserver/status.js';
import { ServerOptions } from '../../config/server-options.js';
import { createOnNode } from '../request/restart-protections.js';
import { NodeCache } from '../../kube/node-cache.js';
import type { NodeReader } from '../cluster/node-reader.js';
import { isHttpStatus } from '../cluster/leases.js';
import { rfc3339 } from '../operations/restart-operation.js';
import { BatchRunner } from './batch-runner.js';
import { BatchStore } from './batch-store.js';
import { ObjectReads } from '../../apiserver/object-reads.js';
import { BATCH_KIND, checkBatchPatch, parseBatchRequest } from './batch-request.js';
import { applyMergePatch } from '../../apiserver/merge-patch.js';
import { batchObject, batchMessage, type RestartBatchObject } from './batch-view.js';
import type { RestartBatchRecord } from './restart-batch.js';

/** SubjectAccessReviews in flight at once when a user may restart only some nodes by name. */
const REVIEWS_AT_ONCE = 8;

@Injectable()
export class RestartBatchService {
  /** GET, list and watch of the batches. */
  readonly reads: ObjectReads<V1Lease, RestartBatchRecord, RestartBatchObject>;

  constructor(
    @Inject(NodeCache) private readonly nodes: NodeReader,
    private readonly authorizer: Authorizer,
    private readonly store: BatchStore,
    private readonly runner: BatchRunner,
    private readonly options: ServerOptions,
  ) {
    this.reads = new ObjectReads(store, {
      group: options.apiGroup,
      resource: 'restartbatches',
      kind: BATCH_KIND,
      render: (batch, resourceVersion) => batchObject(options.apiGroup, batch, resourceVersion),
    });
  }

  async create(
    body: unknown,
    user: UserInfo,
    { dryRun, fieldValidation }: CreateOptions,
    warn: WarningSink,
    duplicates: readonly string[] = [],
  ): Promise<RestartBatchObject> {
    const group = this.options.apiGroup;
    const request = parseBatchRequest(group, body, fieldValidation, warn, duplicates);
    const selector = parseLabelSelector(request.labelSelector);
    const names = this.nodes
      .list()
      .filter((node) => matchesLabels(selector, node.metadata?.labels))
      .map((node) => node.metadata!.name!);
    if (names.length === 0) {
      const error = field.invalid('spec.labelSelector', request.labelSelector, 'matches no nodes');
      throw new StatusError(invalid({ group, kind: BATCH_KIND, name: request.name }, [error]));
    }
    await this.authorizeAll(user, names);
    const now = rfc3339(Date.now());
    const nodes = names.map((name) => ({ name, phase: 'Pending' as const }));
    const { suspend, ...spec } = request;
    const batch: RestartBatchRecord = {
      ...spec,
      ...(suspend ? { suspension: { suspended: true, by: user.name, at: now } } : {}),
      uid: randomUUID(),
      user,
      phase: 'Running',
      nodes,
      startedAt: now,
      updatedAt: now,
      message: batchMessage(nodes, request.maxUnavailable),
    };
    if (dryRun) return batchObject(group, batch);
    const stored = await this.store.create(batch);
    void this.runner.kick();
    return batchObject(group, stored.record, stored.resourceVersion);
  }

  /**
   * A merge patch: only `spec.suspend` may change (the status is the server's). Suspending stops the batch from
   * starting more nodes, resuming lets it go on; written with the batch's resourceVersion, so no replica claims a
   * node after a suspend, and told as an Event on each node still Pending.
   */
  async patch(
    name: string,
    patch: unknown,
    user: UserInfo,
    { dryRun, fieldValidation }: CreateOptions,
    warn: WarningSink,
    duplicates: readonly string[] = [],
  ): Promise<RestartBatchObject> {
    const group = this.options.apiGroup;
    for (let attempt = 1; ; attempt++) {
      const stored = await this.store.read(name);
      if (!stored) throw new StatusError(notFound({ group, resource: 'restartbatches', name }));
      const current = batchObject(group, stored.record, stored.resourceVersion);
      const suspend = checkBatchPatch(
        group,
        current,
        applyMergePatch(current, patch),
        fieldValidation,
        warn,
        duplicates,
      );
      if (suspend === current.spec.suspend) return current;
      const at = rfc3339(Date.now());
      const batch = {
        ...stored.record,
        suspension: { suspended: suspend, by: user.name, at },
        updatedAt: at,
      };
      if (dryRun) return batchObject(group, batch);
      try {
        const saved = await this.store.replace(batch, stored.resourceVersion);
        void this.runner.tellSuspension(saved.record);
        void this.runner.kick();
        return batchObject(group, saved.record, saved.resourceVersion);
      } catch (err) {
        if (!isHttpStatus(err, 409) || attempt >= 5) throw err;
      }
    }
  }

  /**
   * DELETE: the batch starts no more nodes at once (written with its resourceVersion, so no replica claims one after);
   * the restarts it started run on as their own operations, and the batch is gone once they have ended. Answered
   * with the batch and its deletionTimestamp, as kube-apiserver answers the delete of an object it still keeps.
   */
  async delete(name: string, user: UserInfo): Promise<RestartBatchObject> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.store.read(name);
      if (!stored)
        throw new StatusError(notFound({ group: this.options.apiGroup, resource: 'restartbatches', name }));
      if (stored.record.deletion) return batchObject(this.options.apiGroup, stored.record);
      const at = rfc3339(Date.now());
      const halted = stored.record.halted ?? `deleted by ${user.name} at ${at}; no more nodes are started`;
      const batch: RestartBatchRecord = {
        ...stored.record,
        deletion: { by: user.name, at },
        halted,
        message: batchMessage(stored.record.nodes, stored.record.maxUnavailable, halted),
        updatedAt: at,
      };
      try {
        const deleted = await this.store.replace(batch, stored.resourceVersion);
        void this.runner.kick();
        return batchObject(this.options.apiGroup, deleted.record);
      } catch (err) {
        if (!isHttpStatus(err, 409) || attempt >= 5) throw err;
      }
    }
  }

  get group(): string {
    return this.options.apiGroup;
  }

  /** One review for all nodes; failing that, one per node (cached), and the first refusal is the answer. */
  private async authorizeAll(user: UserInfo, names: string[]): Promise<void> {
    const review = (name: string) => createOnNode(this.options.apiGroup, name, 'restart');
    // Every node: no name, as a review of a collection has none.
    const all = { ...review('-'), name: '' };
    if ((await this.authorizer.authorize(user, all)).decision === 'allow') return;
    for (let i = 0; i < names.length; i += REVIEWS_AT_ONCE) {
      const infos = names.slice(i, i + REVIEWS_AT_ONCE).map(review);
      const decisions = await Promise.all(infos.map((info) => this.authorizer.authorize(user, info)));
      const denied = decisions.findIndex((d) => d.decision !== 'allow');
      if (denied >= 0) {
        throw new StatusError(authorizationForbidden(user.name, infos[denied]!, decisions[denied]!.reason));
      }
    }
  }
}
